"""Normalisation: comparison keys only, display text untouched."""

from __future__ import annotations

import unicodedata

import pytest

from lamtheo.quality.normalize import (
    NUMBER,
    PERCENT,
    Tokens,
    canonical,
    fold,
    nfc,
    segment_chunks,
    segment_texts,
    split_segments,
    strip_diacritics,
    tokenize,
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "Hòa Bình"),
        ("HOÀ", "HÒA"),
        ("loè loẹt", "lòe loẹt"),
        ("thuý", "thúy"),
        ("uỳ", "ùy"),
        ("hoạ", "họa"),
    ],
)
def test_old_tone_placement_is_moved_to_the_first_vowel(old: str, new: str) -> None:
    assert canonical(old) == new


@pytest.mark.parametrize("word", ["quý", "Quý", "hoàng", "huỳnh", "khuỷu", "ngoại", "thuở", "hòa"])
def test_words_already_canonical_are_unchanged(word: str) -> None:
    assert canonical(word) == word


def test_nfd_input_gives_the_same_key_as_nfc() -> None:
    text = "Vận động bà con hoà giải, khoẻ mạnh"
    assert canonical(unicodedata.normalize("NFD", text)) == canonical(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_lookalike_eth_is_folded_to_d_with_stroke() -> None:
    assert canonical("Ðảng ủy") == "Đảng ủy"
    assert fold("Ðảng ÐU") == fold("Đảng ĐU") == "dang du"


def test_fold_removes_all_diacritics_and_case() -> None:
    assert fold("Vận động BÀ CON tham gia BHYT") == "van dong ba con tham gia bhyt"
    assert fold("Vận động") == fold("Van dong")


def test_keys_preserve_length_so_spans_map_back() -> None:
    text = unicodedata.normalize("NFD", "Phụ đạo 5 HS yếu ở ấp Phú Hoà")
    assert len(canonical(text)) == len(nfc(text))
    assert len(strip_diacritics(nfc(text))) == len(nfc(text))


def test_tokenize_keeps_codes_whole_and_splits_hyphenated_words() -> None:
    toks = tokenize("Nghị quyết số 19-NQ/ĐU, 100% HS lớp 8A3; sởi-rubella")
    keys = [t.key for t in toks]
    assert "19-nq/du" in keys and "8a3" in keys
    assert "soi" in keys and "rubella" in keys
    kinds = {t.key: t.kind for t in toks}
    assert kinds["100"] == NUMBER and kinds["%"] == PERCENT
    hs = next(t for t in toks if t.key == "hs")
    assert hs.upper and not hs.cap


def test_token_spans_index_the_nfc_text() -> None:
    text = "Kiểm tra sổ đầu bài"
    for t in tokenize(text):
        assert fold(text[t.start : t.end]) == t.key


def test_segments_drop_list_markers_and_split_run_on_paragraphs() -> None:
    text = (
        "1. Phụ đạo HS yếu; 2) Kiểm tra sổ đầu bài. 3. Vận động 1.000 hộ\n- Treo cờ\n+ a) Sửa cầu"
    )
    segs = split_segments(text)
    firsts = [s.tokens[0].key for s in segs]
    assert firsts == ["phu", "kiem", "van", "treo", "sua"]
    # «1.000» is a number, not a sentence end
    assert any(t.key == "1.000" for s in segs for t in s.tokens)


def test_display_text_is_never_rewritten() -> None:
    text = "Hoà giải ở ấp Phú Hoà"
    canonical(text)
    fold(text)
    assert text == "Hoà giải ở ấp Phú Hoà"


# The fast tokenizer of the classifier (``Tokens``: split at spaces, one memo lookup per part)
# must give exactly what the general one (``tokenize``: one regex over the text) gives.
_AWKWARD = [
    "Phụ đạo 5 HS yếu môn Toán lớp 8A3, vào chiều thứ Năm (hằng tuần) – tại phòng 2",
    "kiểm tra,giám sát:  bà con\tấp 3;  sởi-rubella  đ/c Lan,Hoa 7h30–9h 1.000.000đ",
    "  (5) HS(5 em) «con,» x:y a_b 100%, 95 % hộ, 19-NQ/ĐU,\u00a0Quý II/2025 …",
    "İstanbul ΣΑΣ ﬁx K\u212a Ð Ɖ ‑ – — ( ) : , ,, ::",
    "",
    " ",
    ",",
    "a",
]


def _reference_clauses(text: str) -> list[int]:
    """Clause numbers by the rule itself: a break between two tokens is a gap holding one of
    , : ( ) –."""
    toks = tokenize(text, canonical_text=text)
    out, c = [], 0
    for k, t in enumerate(toks):
        if k and any(ch in ",:()–" for ch in text[toks[k - 1].end : t.start]):
            c += 1
        out.append(c)
    return out


@pytest.mark.parametrize("text", _AWKWARD)
def test_fast_tokens_match_the_general_tokenizer(text: str) -> None:
    canon = canonical(text)
    fast = Tokens(canon)
    slow = tokenize(canon, canonical_text=canon)
    assert [(r.norm, r.key, r.kind, r.cap, r.upper) for r in fast.rows] == [
        (t.norm, t.key, t.kind, t.cap, t.upper) for t in slow
    ]
    for i, t in enumerate(slow):
        assert fast.span(i, i) == (t.start, t.end)
    assert (fast.clause or [0] * len(slow)) == _reference_clauses(canon)
    assert fast.words == sum(1 for t in slow if t.kind == 0)


def test_fast_tokens_match_on_the_development_set() -> None:
    import json
    from pathlib import Path

    data = Path(__file__).parent / "data"
    for name in ("dev_items.jsonl", "heldout_items.jsonl"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            canon = canonical(json.loads(line)["text"])
            for chunk in segment_texts(canon):
                fast = Tokens(chunk)
                slow = tokenize(chunk, canonical_text=chunk)
                assert [r.key for r in fast.rows] == [t.key for t in slow]
                assert [fast.span(i, i) for i in range(len(slow))] == [
                    (t.start, t.end) for t in slow
                ]
                assert (fast.clause or [0] * len(slow)) == _reference_clauses(chunk)


@pytest.mark.parametrize("text", [*_AWKWARD, "1. a; 2) b. 3. c 1.000 hộ\n- d\n+ a) e\n\n;;"])
def test_segment_texts_are_the_chunks_without_offsets(text: str) -> None:
    canon = canonical(text)
    assert segment_texts(canon) == [chunk for _, chunk in segment_chunks(canon)]
