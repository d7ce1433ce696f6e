"""Command line: JSON lines on standard input, JSON lines on standard output.

    python -m lamtheo.quality classify            < items.jsonl   > results.jsonl
    python -m lamtheo.quality copies [--threshold 0.6] [--max-df-frac F] < sections.jsonl
    python -m lamtheo.quality bench --sections N [--no-baseline] [--seed S]

``classify`` reads ``{"id", "text", "sector"?}`` and writes one line per valid input:
``{"id", "label", "score", "reasons", "targets"}``. ``copies`` reads ``{"id", "text",
"scope"?}`` and writes one line per pair at or above the threshold: ``{"a", "b",
"similarity"}`` (each unordered pair once, ``a`` earlier in the input than ``b``); with
scopes, only pairs inside the same scope. ``bench`` prints one JSON object (see
:mod:`lamtheo.quality.bench`).

Bad input lines (not JSON, not an object, missing ``id`` or ``text``, ``text`` not a string)
are reported on standard error in Vietnamese with their line number and skipped; the other
lines are processed. Exit status: 0 if every line was valid, 1 if at least one line was bad,
2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO

__all__ = ["main"]


def _read_items(stream: IO[str], err: IO[str], *, need_text: bool = True) -> tuple[list[dict], int]:
    """Valid objects of a JSON-lines stream and the number of bad lines (reported on err)."""
    items: list[dict] = []
    bad = 0
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            bad += 1
            err.write(f"Dòng {lineno}: không phải JSON hợp lệ ({exc.msg}), bỏ qua.\n")
            continue
        if not isinstance(obj, dict):
            bad += 1
            err.write(f"Dòng {lineno}: cần một đối tượng JSON {{…}}, bỏ qua.\n")
            continue
        missing = [k for k in ("id", "text") if k not in obj or obj[k] is None]
        if missing:
            bad += 1
            err.write(f"Dòng {lineno}: thiếu trường {', '.join(missing)}, bỏ qua.\n")
            continue
        if need_text and not isinstance(obj["text"], str):
            bad += 1
            err.write(f"Dòng {lineno}: trường text phải là chuỗi ký tự, bỏ qua.\n")
            continue
        items.append(obj)
    return items, bad


def _classify(args: argparse.Namespace, inp: IO[str], out: IO[str], err: IO[str]) -> int:
    from .classify import classify

    items, bad = _read_items(inp, err)
    for it in items:
        sector = it.get("sector")
        res = classify(it["text"], sector if isinstance(sector, str) else None)
        out.write(json.dumps({"id": it["id"], **res.as_dict()}, ensure_ascii=False) + "\n")
    return 1 if bad else 0


def _copies(args: argparse.Namespace, inp: IO[str], out: IO[str], err: IO[str]) -> int:
    from .copies import CopyParams, find_copies

    items, bad = _read_items(inp, err)
    params = CopyParams(
        threshold=args.threshold,
        max_df_frac=args.max_df_frac,
        max_df_min=args.max_df_min,
        min_size=args.min_size,
    )
    scopes = [it.get("scope") for it in items]
    use_scopes = any(s is not None for s in scopes)
    pairs = find_copies(
        [it["text"] for it in items],
        ids=list(range(len(items))),
        scopes=[json.dumps(s, sort_keys=True) for s in scopes] if use_scopes else None,
        params=params,
    )
    for p in sorted(pairs, key=lambda q: (q.a, q.b)):
        out.write(
            json.dumps(
                {"a": items[p.a]["id"], "b": items[p.b]["id"], "similarity": p.similarity},
                ensure_ascii=False,
            )
            + "\n"
        )
    return 1 if bad else 0


def _bench(args: argparse.Namespace, inp: IO[str], out: IO[str], err: IO[str]) -> int:
    from .bench import run

    result = run(
        sections=args.sections,
        baseline=not args.no_baseline,
        seed=args.seed,
        threshold=args.threshold,
        queries=args.queries,
        text_path=args.text_path,
    )
    out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of ``python -m lamtheo.quality``."""
    ap = argparse.ArgumentParser(
        prog="python -m lamtheo.quality",
        description="Kiểm tra nội dung cam kết (mục 3): phân loại, phát hiện sao chép, đo hiệu năng.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "classify", help="phân loại từng mục: {id, text, sector?} → nhãn, lý do, chỉ tiêu"
    )
    cp = sub.add_parser(
        "copies", help="tìm các cặp gần giống nhau: {id, text, scope?} → {a, b, similarity}"
    )
    cp.add_argument("--threshold", type=float, default=0.6, help="ngưỡng Jaccard (mặc định 0.6)")
    cp.add_argument("--max-df-frac", type=float, default=0.001, dest="max_df_frac")
    cp.add_argument("--max-df-min", type=int, default=50, dest="max_df_min")
    cp.add_argument("--min-size", type=int, default=3, dest="min_size")
    bp = sub.add_parser("bench", help="đo hiệu năng trên dữ liệu tổng hợp")
    bp.add_argument("--sections", type=int, default=100_000)
    bp.add_argument("--no-baseline", action="store_true", help="bỏ qua datasketch MinHashLSH")
    bp.add_argument("--seed", type=int, default=0)
    bp.add_argument("--threshold", type=float, default=0.6)
    bp.add_argument("--queries", type=int, default=1000, help="số lần kiểm tra gia tăng")
    bp.add_argument(
        "--text-path",
        choices=["auto", "yes", "no"],
        default="auto",
        help="đi qua văn bản (auto: có khi ≤ 200 000 mục)",
    )
    return ap


def main(argv: list[str] | None = None, *, stdin=None, stdout=None, stderr=None) -> int:
    """Entry point; returns the exit status (see the module docstring)."""
    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the message
        return int(exc.code or 0) and 2
    handler = {"classify": _classify, "copies": _copies, "bench": _bench}[args.command]
    return handler(args, inp, out, err)
