"""Text helpers for stored Vietnamese text: one Unicode form, one tone placement, and a
sort key that orders names the Vietnamese way (by given name, then family name)."""

from __future__ import annotations

import re
import unicodedata

from lamtheo.quality.normalize import canonical

_SPACES = re.compile(r"\s+")


def normalize_vi(text: str | None) -> str:
    """Return ``text`` as stored: NFC, the new tone placement («hoà» → «hòa»), «Ð» → «Đ»
    (the text checker's ``canonical``, one implementation for both) and single spaces.

    Phones and some keyboards (VNI/Telex in decomposed mode, text pasted from a Mac) send
    decomposed Unicode (NFD), which looks the same but matches nothing in a search or a
    comparison: names, places, topics and reasons are stored through this."""
    if not text:
        return ""
    return _SPACES.sub(" ", canonical(text)).strip()


def normalize_vi_lines(text: str | None) -> str:
    """:func:`normalize_vi` for text of several lines (a note, a reflection, a comment):
    the same Unicode form and tone placement, line breaks and inner spacing kept."""
    return canonical(text or "").strip()


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
