"""Normalisation: comparison keys only, display text untouched."""

from __future__ import annotations

import unicodedata

import pytest

from lamtheo.quality.normalize import (
    NUMBER,
    PERCENT,
    canonical,
    fold,
    nfc,
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
