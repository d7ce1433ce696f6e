"""Normalisation of Vietnamese text into comparison keys.

Display text is never rewritten: every function here returns a *key* used for comparison
(classification, catalogue matching, near-copy detection). Three layers:

* :func:`canonical` — NFC, one tone placement (the placement «hòa», «thủy», «khỏe»: for the
  open syllables oa/oe/uy the mark sits on the first vowel; «quý» keeps its mark on y because
  «qu» is the onset), the look-alike «Ð» (U+00D0) folded to «Đ». Same length as the NFC text,
  so character offsets can be shared between the display text and its keys.
* :func:`fold` — the canonical text lower-cased with all diacritics removed and «đ» → «d», so
  that «Van dong ba con» matches «Vận động bà con». Also length-preserving.
* :func:`tokenize` — tokens with their span in the NFC text, their accented lower-case form,
  their diacritic-free key and a coarse kind (word, number/code, percent sign).

:func:`split_segments` cuts a paragraph into task segments (lines, list items, sentences,
semicolons) and strips list markers; punctuation and white space never reach the keys.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

__all__ = [
    "NUM",
    "ROWS",
    "Row",
    "Segment",
    "Token",
    "Tokens",
    "canonical",
    "fold",
    "nfc",
    "normalize_tones",
    "segment_chunks",
    "segment_texts",
    "split_segments",
    "strip_diacritics",
    "tokenize",
]

# --------------------------------------------------------------------------------------------
# Character tables
# --------------------------------------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _build_tables() -> tuple[dict[int, str], dict[tuple[str, str], str]]:
    """Build the diacritic-stripping table and a (base letter, tone mark) → letter table."""
    ascii_table: dict[int, str] = {}
    with_tone: dict[tuple[str, str], str] = {}
    for code in range(0x00C0, 0x1EFA):
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        if len(decomposed) > 1 and "a" <= base.lower() <= "z":
            ascii_table[code] = base
    for code, repl in (
        (0x0110, "D"),  # Đ
        (0x0111, "d"),  # đ
        (0x00D0, "D"),  # Ð (Icelandic eth, a look-alike of Đ)
        (0x00F0, "d"),  # ð
        (0x0189, "D"),  # Ɖ (African D)
        (0x0256, "d"),  # ɖ
    ):
        ascii_table[code] = repl
    for vowel in "aeiouyAEIOUYăâêôơưĂÂÊÔƠƯ":
        for mark in _TONE_MARKS:
            with_tone[(vowel, mark)] = unicodedata.normalize("NFC", vowel + mark)
    return ascii_table, with_tone


_ASCII_TABLE, _WITH_TONE = _build_tables()
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})

# Old-style placement: a tone mark on the second vowel of an open oa / oe / uy syllable
# («hoà», «khoẻ», «thuỷ»), not after «q» («quý» is qu + y and stays as it is; _move_tone
# leaves it, which is cheaper than a look-behind that would stop the regex engine from
# skipping ahead to the next o/u).
_OLD_PLACEMENT = re.compile(
    r"([oO])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ])(?![^\W\d_])|([uU])([ỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])"
)


def _move_tone(match: re.Match[str]) -> str:
    start = match.start()
    if start and match.string[start - 1] in "qQ":
        return match.group()
    first = match.group(1) or match.group(3)
    second = match.group(2) or match.group(4)
    decomposed = unicodedata.normalize("NFD", second)
    base, mark = decomposed[0], decomposed[1]
    return _WITH_TONE[(first, mark)] + base


# --------------------------------------------------------------------------------------------
# Public string functions
# --------------------------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (input may be NFD or mixed)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def normalize_tones(text: str) -> str:
    """Move old-style tone marks to the canonical placement (hoà → hòa, thuỷ → thủy).

    ``text`` must already be NFC. The result has the same length.
    """
    if text.isascii():
        return text
    return _OLD_PLACEMENT.sub(_move_tone, text)


def canonical(text: str) -> str:
    """NFC + canonical tone placement + «Ð» → «Đ». Case is kept; length equals ``nfc(text)``."""
    text = nfc(text)
    if text.isascii():
        return text
    if "\u00d0" in text or "\u00f0" in text or "\u0189" in text:  # rare: skip the translate
        text = text.translate(_LOOKALIKES)
    return normalize_tones(text)


def strip_diacritics(text: str) -> str:
    """Remove every Vietnamese diacritic (tones, hats, horns, breves; «đ» → «d»). Keeps case.

    Expects NFC input; the result has the same length.
    """
    if text.isascii():
        return text
    return text.translate(_ASCII_TABLE)


def fold(text: str) -> str:
    """Diacritic-free lower-case key of ``text`` (NFC-length preserving for Vietnamese)."""
    return strip_diacritics(canonical(text)).lower()


# --------------------------------------------------------------------------------------------
# Tokens and segments
# --------------------------------------------------------------------------------------------

# A token is a run of letters/digits, optionally joined by - / . , : when it carries digits
# ("19-NQ/ĐU", "30/6/2024", "7h30", "1.000.000", "8A3"), or a lone percent sign.
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-/.,:'][^\W_]+)*|%")
# The same tokens, with the clause breaks between them as one-character items.
_CLAUSE_BREAK = re.compile(r"[,:()–]")
_SUBWORD_RE = re.compile(r"[^\W_]+")
_HAS_DIGIT = re.compile(r"\d")

WORD = 0
NUMBER = 1  # any token containing a digit: numbers, dates, codes
PERCENT = 2
NUM = "<n>"  # matching key of every NUMBER token (vocabulary phrases match any number)


class Row(NamedTuple):
    """What a token is, independent of where it occurs (see :data:`ROWS`).

    ``norm`` is the accented lower-case form (canonical tone placement), ``key`` the
    diacritic-free lower-case form, ``mkey`` the key used for phrase matching (``<n>`` for a
    number), ``kind`` one of WORD, NUMBER, PERCENT; ``cap`` is True when the token starts
    with an upper-case letter and is not all upper-case (Title case: a candidate proper
    name); ``upper`` when it is an all-caps word of two letters or more (an abbreviation
    such as «HS», «BHYT»). ``start``/``end`` are the offsets inside the raw token (word
    parts of «sởi-rubella» are two rows), ``brk`` is True when the part is joined to the
    previous one by a clause break («,» or «:»); ``word`` and ``accented`` (a word with a
    diacritic) are summed to tell whether a text was typed with accents.
    """

    norm: str
    key: str
    mkey: str
    kind: int
    cap: bool
    upper: bool
    start: int
    end: int
    brk: bool
    word: bool
    accented: bool


def _lower(raw: str) -> str:
    low = raw.lower()
    if len(low) != len(raw):  # exotic characters whose lower case is longer
        low = "".join(ch.lower()[:1] or ch for ch in raw)
    return low


def _rows_of(raw: str) -> tuple[Row, ...]:
    """The token rows of one raw token (one row, or one per word part)."""
    if raw == "%":
        return (Row("%", "%", "%", PERCENT, False, False, 0, 1, False, False, False),)
    low = _lower(raw)
    key = strip_diacritics(low)
    if _HAS_DIGIT.search(raw):
        return (Row(low, key, NUM, NUMBER, False, False, 0, len(raw), False, False, False),)
    if len(raw) > 1 and not raw.isalnum():  # word parts joined by - / . , : '
        return tuple(
            Row(
                low[sub.start() : sub.end()],
                key[sub.start() : sub.end()],
                key[sub.start() : sub.end()],
                WORD,
                sub.group()[0].isupper() and not sub.group().isupper(),
                len(sub.group()) > 1 and sub.group().isupper(),
                sub.start(),
                sub.end(),
                sub.start() > 0 and raw[sub.start() - 1] in ",:",
                True,
                not low[sub.start() : sub.end()].isascii(),
            )
            for sub in _SUBWORD_RE.finditer(raw)
        )
    return (
        Row(
            low,
            key,
            key,
            WORD,
            raw[0].isupper() and not (len(raw) > 1 and raw.isupper()),
            len(raw) > 1 and raw.isupper(),
            0,
            len(raw),
            False,
            True,
            not low.isascii(),
        ),
    )


class Memo(dict):
    """A bounded memo of ``fn``: a ``dict`` subclass, so that lookups (also through
    ``map(memo.__getitem__, …)``) stay in C and only a miss runs Python. Cleared when it
    grows past ``limit`` (members reuse the same few thousand syllables and words)."""

    limit = 200_000

    def __init__(self, fn: Callable[[str], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: str) -> Any:
        value = self.fn(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


#: raw token → its rows
ROWS = Memo(_rows_of)


class Layout(NamedTuple):
    """Where the rows of one space-separated part of a text lie in it, and its breaks.

    ``brk[k]`` is True when a clause break separates row ``k`` from row ``k - 1`` inside
    the part («HS(5»: a bracket; «tra,giám»: a comma joining word parts); ``lead`` and
    ``trail`` when one comes before the first row or after the last («(5», «con,»). A part
    without rows has ``lead`` and ``trail`` set when it holds a break («–»).
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    brk: tuple[bool, ...]
    lead: bool
    trail: bool


def _layout_of(part: str) -> tuple[tuple[Row, ...], Layout]:
    rows: list[Row] = []
    starts: list[int] = []
    ends: list[int] = []
    brk: list[bool] = []
    lead = False
    pos = 0
    for m in _TOKEN_RE.finditer(part):
        gap_break = _CLAUSE_BREAK.search(part, pos, m.start()) is not None
        if not rows:
            lead = gap_break
        for k, row in enumerate(ROWS[m.group()]):
            rows.append(row)
            starts.append(m.start() + row.start)
            ends.append(m.start() + row.end)
            brk.append(len(rows) > 1 and (gap_break if k == 0 else row.brk))
        pos = m.end()
    trail = _CLAUSE_BREAK.search(part, pos) is not None
    if not rows:
        lead = trail
    return tuple(rows), Layout(tuple(starts), tuple(ends), tuple(brk), lead, trail)


#: space-separated part of a text («con,», «(5», «HS») → (rows, layout)
PARTS = Memo(_layout_of)
_ROWS_OF = itemgetter(0)
_WORD = attrgetter("word")
_ACCENTED = attrgetter("accented")


class Tokens:
    """The tokens of one canonical text (a task segment), found at C speed.

    The text is split at single spaces and each part looked up in :data:`PARTS`, so a
    paragraph costs a handful of dictionary lookups per word. ``rows`` are the tokens'
    :class:`Row`; ``clause`` their clause numbers (a new clause starts after a comma, colon,
    bracket or dash between two tokens), or None when the text has no such break (all in
    clause 0); ``words`` and ``accented`` count the words and those with a diacritic.
    Character offsets are worked out only for the few phrases that are quoted
    (:meth:`span`).
    """

    __slots__ = (
        "_offsets",
        "_rowcum",
        "accented",
        "clause",
        "entries",
        "parts",
        "rows",
        "text",
        "words",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.parts = parts = text.split(" ")
        self.entries = entries = list(map(PARTS.__getitem__, parts))
        self.rows = rows = list(chain.from_iterable(map(_ROWS_OF, entries)))
        self.words = sum(map(_WORD, rows))
        self.accented = sum(map(_ACCENTED, rows))
        self.clause: list[int] | None = None
        self._rowcum: list[int] | None = None
        self._offsets: list[int] = []
        if _CLAUSE_BREAK.search(text) is not None:
            self.clause = self._clauses()

    def _clauses(self) -> list[int]:
        clause: list[int] = []
        c = 0
        seen = pending = False
        for part_rows, layout in self.entries:
            if not part_rows:
                pending = pending or layout.trail
                continue
            brk = layout.brk
            for k in range(len(part_rows)):
                if k:
                    c += brk[k]
                elif seen and (pending or layout.lead):
                    c += 1
                clause.append(c)
            seen = True
            pending = layout.trail
        return clause

    def span(self, first: int, last: int) -> tuple[int, int]:
        """(start, end) offsets in the text of rows ``first`` to ``last`` (inclusive)."""
        if self._rowcum is None:
            self._rowcum = list(accumulate(map(len, map(_ROWS_OF, self.entries))))
            self._offsets = [0, *accumulate(map((1).__add__, map(len, self.parts)))]
        rowcum = self._rowcum
        p = bisect_right(rowcum, first)
        start = self._offsets[p] + self.entries[p][1].starts[first - (rowcum[p - 1] if p else 0)]
        q = bisect_right(rowcum, last)
        end = self._offsets[q] + self.entries[q][1].ends[last - (rowcum[q - 1] if q else 0)]
        return start, end


@dataclass(slots=True)
class Token:
    """One token of a text: a :class:`Row` with its span in the NFC text."""

    start: int
    end: int
    norm: str
    key: str
    kind: int
    cap: bool
    upper: bool


def tokenize(text: str, *, canonical_text: str | None = None) -> list[Token]:
    """Split ``text`` into tokens with spans in ``nfc(text)`` and comparison keys.

    Word tokens joined by ``-`` or ``/`` without digits («sởi-rubella», «đ/c») are split into
    their parts; tokens containing a digit are kept whole as NUMBER tokens.
    """
    canon = canonical_text if canonical_text is not None else canonical(text)
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(canon):
        s = m.start()
        for r in ROWS[m.group()]:
            tokens.append(Token(s + r.start, s + r.end, r.norm, r.key, r.kind, r.cap, r.upper))
    return tokens


@dataclass(slots=True)
class Segment:
    """A task segment of a paragraph: its span in the NFC text and its tokens."""

    start: int
    end: int
    tokens: list[Token]


# Task separators: line breaks, semicolons, bullets, and sentence ends (. ! ? followed by
# white space or the end). A dot between digits («1.000», «8.5») is not a separator.
_SEGMENT_SPLIT = re.compile(r"[\n\r;•●▪◦■□➢➤►✓✔]+|[.!?…]+(?=\s|$)")
# List markers at the start of a segment: «1.», «1)», «a)», «II.», «(2)», «-», «+», «*».
_MARKER = re.compile(
    r"^\s*(?:[-+*–—=>]+|\(?(?:\d{1,2}|[a-zA-Zđ]|[IVXivx]{1,4})[.)/:](?!\d))\s*"
    r"(?:(?:\d{1,2}|[a-zA-Z])[.)](?!\d)\s*)?"
)
_BARE_MARKER = re.compile(r"^\s*\(?(?:\d{1,2}|[a-zA-Z]|[IVXivx]{1,4})\)?\s*$")


def split_segments(text: str, *, canonical_text: str | None = None) -> list[Segment]:
    """Cut ``text`` into task segments, dropping list markers and empty pieces.

    Inline numbering in run-on paragraphs («… tuần; 2. Phụ đạo …», «… bài. 3) Vận động …»)
    is handled because the marker follows a separator. Each segment carries its tokens.
    """
    canon = canonical_text if canonical_text is not None else canonical(text)
    segments: list[Segment] = []
    for s, chunk in segment_chunks(canon):
        toks = tokenize(chunk, canonical_text=chunk)
        if not toks:
            continue
        for t in toks:
            t.start += s
            t.end += s
        segments.append(Segment(s, s + len(chunk), toks))
    return segments


def segment_chunks(canon: str) -> list[tuple[int, str]]:
    """Task segments of a canonical text as (start offset, text), list markers removed.

    The text of a segment is what :func:`split_segments` tokenizes; chunks that are empty or
    only a list marker are dropped (a chunk may still have no token, e.g. only punctuation).
    """
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _SEGMENT_SPLIT.finditer(canon):
        _add_chunk(out, canon, pos, m.start())
        pos = m.end()
    _add_chunk(out, canon, pos, len(canon))
    return out


def _add_chunk(out: list[tuple[int, str]], canon: str, s: int, e: int) -> None:
    start = _body_start(canon[s:e])
    if start >= 0:
        out.append((s + start, canon[s + start : e]))


def _body_start(chunk: str) -> int:
    """Offset of a chunk's text after its list marker, or -1 when nothing is left."""
    marker = _MARKER.match(chunk)
    start = marker.end() if marker else 0
    rest = chunk[start:] if start else chunk
    if not rest.strip() or _BARE_MARKER.match(rest):
        return -1
    return start


def segment_texts(canon: str) -> list[str]:
    """The texts of :func:`segment_chunks` without their offsets (cheaper: the classifier
    does not need them)."""
    out = []
    for chunk in _SEGMENT_SPLIT.split(canon):
        start = _body_start(chunk)
        if start >= 0:
            out.append(chunk[start:] if start else chunk)
    return out
