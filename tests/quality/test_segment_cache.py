"""The per-segment caches of the classifier never change a result."""

from __future__ import annotations

import json
from pathlib import Path

from lamtheo.quality.classify import classify, clear_caches

DATA = Path(__file__).parent / "data"


def _items() -> list[str]:
    with open(DATA / "dev_items.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def test_typing_a_paragraph_with_warm_caches_gives_the_cold_results() -> None:
    items = _items()
    paragraph = "\n".join(f"{k + 1}. {t}" for k, t in enumerate(items[60:75]))
    prefixes = [paragraph[:i] for i in range(1, len(paragraph) + 1, 7)] + [paragraph]
    clear_caches()
    warm = [classify(p).as_dict() for p in prefixes]
    cold = []
    for p in prefixes:
        clear_caches()
        cold.append(classify(p).as_dict())
    assert warm == cold


def test_the_same_segment_in_accented_and_unaccented_paragraphs_is_read_apart() -> None:
    # «đo»/«đó» collide once folded: the cached analysis depends on the whole text's accents.
    line = "Đo huyết áp cho 20 người cao tuổi mỗi tháng"
    accented = classify(f"{line}; Tuyên truyền cho bà con về phòng chống sốt xuất huyết")
    bare = classify(f"{line}; Tuyen truyen cho ba con ve phong chong sot xuat huyet")
    clear_caches()
    assert classify(f"{line}; Tuyên truyền cho bà con về phòng chống sốt xuất huyết") == accented
    clear_caches()
    assert classify(f"{line}; Tuyen truyen cho ba con ve phong chong sot xuat huyet") == bare
