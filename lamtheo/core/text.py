"""Text helpers for stored Vietnamese text: one Unicode form, one tone placement, and a
sort key that orders names the Vietnamese way (by given name, then family name)."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement («hoà», «thuỷ», «khoẻ») → the placement of the 2018 rules and
# of the national member database («hòa», «thủy», «khỏe»). Only the open syllables
# oa/oe/uy are affected; «quý» (qu + y) keeps its mark on y.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_OLD_TONE = re.compile(
    r"(?<![qQ])([oO])([aAeE])([" + _TONES + r"])(?![a-zA-Z\u00C0-\u1EF9])"
    r"|(?<![qQ])([uU])([yY])([" + _TONES + r"])(?![a-zA-Z\u00C0-\u1EF9])"
)
_SPACES = re.compile(r"\s+")


def _move_tone(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def normalize_vi(text: str) -> str:
    """Return ``text`` in NFC with the new tone placement and single spaces.

    Accepts NFC or NFD input and the look-alike «Ð» (U+00D0, Icelandic eth) for «Đ».
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("\u00d0", "\u0110"))
    moved = _OLD_TONE.sub(_move_tone, decomposed)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", moved)).strip()


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# and within a letter the tones in the order ngang, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _letters(word: str) -> tuple[str, str]:
    letters: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if ch in _BASE_MARKS and letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
            elif ch in _TONE_RANK:
                tones.append(ch)
            continue
        letters.append("đ" if ch == "đ" else ch)
    primary = "".join(chr(0x100 + _LETTER_RANK.get(c, 40 + ord(c) % 200)) for c in letters)
    secondary = "".join(str(_TONE_RANK.get(t, 0)) for t in tones)
    return primary, secondary


def vi_sort_key(full_name: str) -> str:
    """A string key that sorts Vietnamese personal names as people expect: by given name
    (the last word), then by the family and middle names, letters in Vietnamese order.

    Stored in a column so the same order holds on SQLite and PostgreSQL alike.
    """
    words = normalize_vi(full_name).split(" ")
    if not words or words == [""]:
        return ""
    ordered = [words[-1], *words[:-1]]
    # The given name decides first, tone included (An < Ân < Anh < Ánh), then the rest.
    return " ".join(p + "\u0001" + s for p, s in (_letters(w) for w in ordered))


def vi_unit_sort_key(name: str) -> str:
    """Sort key for unit names: the words in order, Vietnamese letter order."""
    return " ".join(p + "\u0001" + s for p, s in (_letters(w) for w in normalize_vi(name).split()))
