"""Precision / recall per label of the classifier on the development and held-out sets.

Run: ``.venv/bin/python -m tests.quality.evaluate [--errors]``. The held-out file
(``data/heldout_items.jsonl``) was written before tuning and must not be tuned against.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lamtheo.quality.classify import LABELS, classify

DATA = Path(__file__).resolve().parent / "data"


def load(name: str) -> list[dict]:
    """Read a JSON-lines item file of ``data/``."""
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(items: list[dict]) -> dict:
    """Per-label precision, recall, F1 and overall accuracy; also the list of errors."""
    pred = [classify(it["text"], it.get("sector")).label for it in items]
    out: dict = {"n": len(items), "labels": {}}
    for lab in LABELS:
        tp = sum(1 for it, p in zip(items, pred, strict=True) if p == lab and it["label"] == lab)
        fp = sum(1 for it, p in zip(items, pred, strict=True) if p == lab and it["label"] != lab)
        fn = sum(1 for it, p in zip(items, pred, strict=True) if p != lab and it["label"] == lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out["labels"][lab] = {
            "precision": round(prec, 3),
            "recall": round(rec, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
    ok = sum(1 for it, p in zip(items, pred, strict=True) if p == it["label"])
    out["accuracy"] = round(ok / len(items), 3)
    out["errors"] = [
        {"id": it["id"], "gold": it["label"], "pred": p, "text": it["text"]}
        for it, p in zip(items, pred, strict=True)
        if p != it["label"]
    ]
    return out


def main() -> None:
    """Print the figures for both sets as JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="also list misclassified items")
    args = ap.parse_args()
    for name in ("dev_items.jsonl", "heldout_items.jsonl"):
        res = evaluate(load(name))
        if not args.errors:
            res.pop("errors")
        print(json.dumps({"set": name, **res}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
