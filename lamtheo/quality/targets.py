"""Extraction of measurable targets from one task segment.

A target is returned as a dict ``{"kind", "text", "value"}`` (plus ``"unit"`` for counts and
amounts) where ``kind`` is one of:

* ``count`` — a number of concrete things or people to reach («5 HS yếu», «3 buổi»); the
  value is a number; «không để xảy ra đua xe» is a count with value 0.
* ``amount`` — a quantity with a measure or money unit («2 km», «500.000 đồng»); number.
* ``percent`` — a percentage of a concrete group («95% hộ dân tham gia BHYT»); number. All or
  none of a concrete group («tất cả trẻ 6 tuổi trong ấp», «không để em nào bỏ học») is also
  ``percent``, with value 100 or 0.
* ``deadline`` — a date, month, quarter or named moment to finish by, or a maximum delay;
  value is an ISO-like string: ``"2025-06-30"``, ``"--06-30"`` (no year), ``"--06"``
  (month), ``"Q2"``, ``"tet"``, or an ISO 8601 duration (``"PT48H"``, ``"P3D"``) for
  «trong vòng 48 giờ».
* ``frequency`` — how often; value ``{"times": n, "per": "day|week|month|quarter|semester|year"}``.
* ``time`` — a clock time; value ``"HH:MM"``.
* ``place`` — a named place bound to the task («kênh Ông Cò»); value is the name.

Numbers that only identify something (documents, classes, hamlets, teams, product or vaccine
codes, school years, codes of conduct such as «5 điều Bác Hồ dạy», ages) and percentages of
something abstract are not targets: they are returned as *notes* so that the classifier can
explain why they did not count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from .lexicon import ABSTRACT, ACTION, ACTION_OBJECT, OBJECT, VAGUE, Lexicon, PhraseSet
from .normalize import NUM, NUMBER, Row, Tokens

__all__ = ["Hit", "Note", "Seq", "Target", "extract_from_seq"]


@dataclass(slots=True)
class Hit:
    """A vocabulary phrase found in a sequence: positions [start, end) and categories."""

    start: int
    end: int
    cats: frozenset[str]


class Seq:
    """A task segment prepared for matching.

    ``tokens`` are the :class:`~.normalize.Row` of each token of ``text`` (``tk``: the
    :class:`~.normalize.Tokens` they come from); ``keys`` are
    diacritic-free keys after abbreviation expansion (one token may give several keys) and
    ``mkeys`` the same with every number as «<n>»; ``tok`` maps each key to its token index;
    ``clause`` gives a clause number per key (a new clause starts after a comma, colon,
    bracket or dash in the text). ``hits`` are the vocabulary phrases found, ``hit_at`` the
    same by start position.
    """

    __slots__ = (
        "clause",
        "has_diacritics",
        "hit_at",
        "hits",
        "keys",
        "mkeys",
        "text",
        "tk",
        "tok",
        "tokens",
    )

    def __init__(
        self,
        text: str,
        tokens: Sequence[Row],
        keys: list[str],
        mkeys: list[str],
        tok: Sequence[int],
        clause: Sequence[int],
        tk: Tokens,
        *,
        has_diacritics: bool = True,
    ) -> None:
        self.text = text
        self.tk = tk
        self.tokens = tokens
        self.keys = keys
        self.mkeys = mkeys
        self.tok = tok
        self.clause = clause
        self.has_diacritics = has_diacritics
        self.hits: list[Hit] = []
        self.hit_at: dict[int, Hit] = {}

    def span_text(self, a: int, b: int) -> str:
        """Display text covering keys [a, b)."""
        start, end = self.tk.span(self.tok[a], self.tok[b - 1])
        return self.text[start:end]


@dataclass(slots=True)
class Target:
    """A measurable target found at keys [start, end) of a sequence."""

    kind: str
    start: int
    end: int
    text: str
    value: object
    unit: str | None = None
    concrete: bool = False  # carries its own concrete object (counts, percents of a group)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form used by the API and the CLI."""
        d: dict[str, object] = {"kind": self.kind, "text": self.text, "value": self.value}
        if self.unit:
            d["unit"] = self.unit
        return d


@dataclass(slots=True)
class Note:
    """A number or moment that looks like a target but is not; ``why`` is a reason code."""

    why: str
    text: str


_ROW_KEY = attrgetter("key")
_YEAR = re.compile(r"^(19|20)\d\d$")
_YEAR_20XX = re.compile(r"^20\d\d$")
_INT = re.compile(r"^\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2}|\d{4}))?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
_CLOCK = re.compile(r"^(\d{1,2})(?:h|g|:|giờ)(\d{2})?(?:p|ph)?$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d{2}\s*[-/]\s*(?:19|20)\d{2}$")
_WITH_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)(km|m|kg|ha|m2|m3|l|tr|trđ|d|đ|k|t)$")
_DURATION = {"gio": ("T", "H"), "phut": ("T", "M"), "ngay": ("", "D"), "tuan": ("", "W")}
_TIMES_UNITS = frozenset({"lan", "buoi", "dem", "dot", "luot"})
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_UNIT_ALIASES = {"tr": "triệu", "trd": "triệu đồng", "trđ": "triệu đồng", "k": "nghìn", "t": "tấn"}


def parse_number(key: str) -> float | None:
    """Numeric value of a plain number token («1.000» → 1000, «3,5» → 3.5), else None."""
    if _INT.match(key):
        return float(int(key))
    if _THOUSANDS.match(key):
        return float(int(key.replace(".", "").replace(",", "")))
    if _DECIMAL.match(key):
        return float(key.replace(",", "."))
    return None


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def _match_at(keys: list[str], i: int, table: PhraseSet, maxlen: int = 5) -> int:
    """Length of the longest phrase of ``table`` starting at ``keys[i]`` (0 if none)."""
    longest = table.first.get(keys[i])
    if not longest:
        return 0
    n = len(keys)
    for ln in range(min(maxlen, longest, n - i), 0, -1):
        if tuple(keys[i : i + ln]) in table:
            return ln
    return 0


def _match_before(keys: list[str], i: int, table: set[tuple[str, ...]], maxlen: int = 4) -> int:
    """Length of the longest phrase of ``table`` ending just before ``keys[i]``."""
    for ln in range(min(maxlen, i), 0, -1):
        if tuple(keys[i - ln : i]) in table:
            return ln
    return 0


def _accent_ok(seq: Seq, i: int, ln: int, lex: Lexicon) -> bool:
    """For a one-syllable match at ``i``: the accented form must agree when the text has
    diacritics (folding makes «đội»/«đổi», «tổ»/«tỏ» collide)."""
    if ln != 1 or not seq.has_diacritics:
        return True
    tok = seq.tokens[seq.tok[i]]
    allowed = lex.target_norms.get(seq.keys[i])
    return not allowed or tok.key != seq.keys[i] or tok.norm in allowed


def _match_at_v(seq: Seq, i: int, table: PhraseSet, lex: Lexicon) -> int:
    ln = _match_at(seq.keys, i, table)
    return ln if ln and _accent_ok(seq, i, ln, lex) else 0


def _match_before_v(seq: Seq, i: int, table: set[tuple[str, ...]], lex: Lexicon) -> int:
    ln = _match_before(seq.keys, i, table)
    return ln if ln and _accent_ok(seq, i - ln, ln, lex) else 0


def _concrete_object_after(seq: Seq, i: int, window: int, lex: Lexicon) -> tuple[int, bool]:
    """Scan hits starting in [i, i+window): (position after the first concrete object, abstract-first).

    Returns (-1, True) when an abstract phrase comes before any concrete object.
    """
    keys = seq.keys
    j = i
    limit = min(len(keys), i + window)
    while j < limit:
        h = seq.hit_at.get(j)
        ab = _match_at(keys, j, lex.percent_abstract)
        if ab and not (h is not None and OBJECT in h.cats and h.end - h.start > ab):
            return -1, True
        if h is not None:
            if OBJECT in h.cats or ACTION_OBJECT in h.cats:
                if ABSTRACT in h.cats and OBJECT not in h.cats:
                    return -1, True
                return h.end, False
            if ABSTRACT in h.cats and VAGUE not in h.cats:
                return -1, True
            j = h.end
            continue
        j += 1
    return -1, False


def _concrete_object_before(seq: Seq, i: int, window: int) -> bool:
    lo = max(0, i - window)
    for h in seq.hits:
        if lo <= h.start < i and (OBJECT in h.cats or ACTION_OBJECT in h.cats):
            return True
    return False


def _number_word(seq: Seq, i: int, lex: Lexicon) -> float | None:
    tok = seq.tokens[seq.tok[i]]
    if tok.kind != 0:
        return None
    if seq.has_diacritics:
        return lex.number_words.get(tok.norm)
    # Without diacritics only unambiguous words: một/hai.
    return {"mot": 1, "hai": 2}.get(seq.keys[i])


def extract_from_seq(seq: Seq, lex: Lexicon) -> tuple[list[Target], list[Note]]:
    """Find targets and non-target notes in one prepared segment."""
    keys = seq.keys
    n = len(keys)
    targets: list[Target] = []
    notes: list[Note] = []
    used = [False] * n

    def add(kind: str, a: int, b: int, value, unit: str | None = None, concrete=False) -> None:
        targets.append(Target(kind, a, b, seq.span_text(a, b), value, unit, concrete))
        for k in range(a, b):
            used[k] = True

    # 1. Recurring moments without a time («giờ cao điểm», «định kỳ»): notes only.
    recurring_first = lex.recurring.first
    pos = 0
    at = [] if recurring_first.keys().isdisjoint(keys) else keys
    for i in [k for k, key in enumerate(at) if key in recurring_first]:
        ln = _match_at(keys, i, lex.recurring) if i >= pos else 0
        if ln:
            # «định kỳ hằng tháng» keeps its frequency: only mark the recurring words.
            notes.append(Note("recurring", seq.span_text(i, i + ln)))
            for k in range(i, i + ln):
                used[k] = True
            pos = i + ln

    # 2. Frequencies: «hằng tuần», «mỗi quý một lần», «thứ Sáu hằng tuần», «2 buổi/tuần».
    # Only where a lead word («hằng», «mỗi») is, or just before «lần», «buổi»…
    lead = lex.frequency_lead
    pos = 0
    at = [] if lead.isdisjoint(keys) and _TIMES_UNITS.isdisjoint(keys) else keys
    for i in sorted(
        {k for k, key in enumerate(at) if key in lead}
        | {k - 1 for k, key in enumerate(at) if key in _TIMES_UNITS and k}
    ):
        if i < pos:
            continue
        if keys[i] in lead and i + 1 < n:
            ln = _match_at(keys, i + 1, lex.period_set)
            if ln:
                per = lex.period_words[tuple(keys[i + 1 : i + 1 + ln])]
                a, b = i, i + 1 + ln
                times = 1
                # «mỗi quý một lần», «mỗi tuần 2 buổi»
                if b < n:
                    v = parse_number(keys[b]) if seq.tokens[seq.tok[b]].kind == NUMBER else None
                    if v is None:
                        v = _number_word(seq, b, lex)
                    if v is not None and b + 1 < n and keys[b + 1] in {"lan", "buoi", "dem", "dot"}:
                        times, b = int(v), b + 2
                # «mỗi sáng thứ Hai»: a weekday after a part of the day makes it weekly
                if per == "day" and b + 1 < n and keys[b] == "thu":
                    wl = _match_at(keys, b, lex.period_set)
                    if wl and lex.period_words.get(tuple(keys[b : b + wl])) == "week":
                        per, b = "week", b + wl
                # «thứ Sáu hằng tuần»: include a weekday just before
                if i >= 2 and tuple(keys[i - 2 : i]) in lex.period_words:
                    a = i - 2
                add("frequency", a, b, {"times": times, "per": per})
                pos = b
                continue
        # «<n> lần/buổi (trên|mỗi|một|/) tuần»
        v = None
        if i + 2 < n and keys[i + 1] in _TIMES_UNITS:
            if seq.tokens[seq.tok[i]].kind == NUMBER:
                v = parse_number(keys[i])
            elif not used[i]:
                v = _number_word(seq, i, lex)
        if v is not None:
            j = i + 2
            if keys[j] in {"tren", "moi", "mot", "trong"} and j + 1 < n:
                j += 1
            ln = _match_at(keys, j, lex.period_set)
            if ln and not used[j]:
                per = lex.period_words[tuple(keys[j : j + ln])]
                add("frequency", i, j + ln, {"times": int(v), "per": per})
                pos = j + ln

    # 3. Clock times, dates, deadlines, identifiers, percents, counts and amounts: only at
    # numbers and at the first words of the word-triggered rules; ``pos`` is where the scan
    # resumes after a match.
    starts = lex.word_target_first
    pos = 0
    for i in [k for k, mk in enumerate(seq.mkeys) if mk == NUM or mk in starts]:
        if i < pos or used[i]:
            continue
        pos = i + 1
        tok = seq.tokens[seq.tok[i]]
        key = keys[i]
        # Named places: «kênh Ông Cò», «đường Trần Hưng Đạo», «tỉnh lộ 943».
        ln = _match_at(keys, i, lex.place_nouns) if key in lex.place_nouns.first else 0
        if ln and tok.kind != NUMBER:
            j = i + ln
            if (
                _match_at(keys, i, lex.numbered_places) == ln
                and j < n
                and seq.tokens[seq.tok[j]].kind == NUMBER
            ):
                add("place", i, j + 1, seq.span_text(i, j + 1))
                pos = j + 1
                continue
            k = j
            while k < n and seq.tokens[seq.tok[k]].cap and seq.tok[k] != seq.tok[k - 1]:
                k += 1
            if k > j and not _all_caps_segment(seq):
                add("place", i, k, seq.span_text(j, k))
                pos = k
                continue
        if tok.kind != NUMBER:
            # Deadlines with named moments: «trước Tết», «trước ngày khai giảng».
            dl = _match_at(keys, i, lex.deadline_words) if key in lex.deadline_words.first else 0
            if dl and keys[i] in {"truoc", "den", "het", "cuoi"}:
                j = i + dl
                if j < n and keys[j] == "ngay":
                    j += 1
                hl = _match_at(keys, j, lex.holidays) if j < n else 0
                if hl:
                    add("deadline", i, j + hl, fold_holiday(keys[j : j + hl]))
                    pos = j + hl
                    continue
                # «trước tháng 9», «trong quý II», «đến hết năm 2025»
                if j + 1 < n and keys[j] in {"thang", "quy"}:
                    nk = keys[j + 1]
                    v = parse_number(nk) or _ROMAN.get(nk)
                    if v and keys[j] == "thang" and 1 <= v <= 12:
                        add("deadline", i, j + 2, f"--{int(v):02d}")
                        pos = j + 2
                        continue
                    if v and keys[j] == "quy" and 1 <= v <= 4:
                        add("deadline", i, j + 2, f"Q{int(v)}")
                        pos = j + 2
                        continue
                if (
                    j + 1 < n
                    and keys[j] == "nam"
                    and _YEAR_20XX.match(keys[j + 1])
                    and (keys[i] in {"truoc", "het", "cuoi"} or j > i + 1)
                ):
                    add("deadline", i, j + 2, f"{keys[j + 1]}-12-31")
                    pos = j + 2
                    continue
            # All or none of a concrete group.
            al = _match_at(keys, i, lex.all_words) if key in lex.all_words.first else 0
            if al:
                end, abstract = _concrete_object_after(seq, i + al, 4, lex)
                if end > 0:
                    add("percent", i, end, 100, concrete=True)
                    pos = end
                    continue
            el = (
                _match_at(keys, i, lex.none_events_before)
                if key in lex.none_events_before.first
                else 0
            )
            if el:
                h = seq.hit_at.get(i + el)
                if h is not None and OBJECT in h.cats and ABSTRACT not in h.cats:
                    add("count", i, h.end, 0, _unit(seq, i + el, h.end - i - el), concrete=True)
                    pos = h.end
                    continue
            # Durations: «trong vòng 48 giờ», «trong 3 ngày».
            if keys[i] == "trong" and i + 2 < n:
                j = i + 2 if keys[i + 1] == "vong" else i + 1
                if j + 1 < n and seq.tokens[seq.tok[j]].kind == NUMBER:
                    dv = parse_number(keys[j])
                    unit = _DURATION.get(keys[j + 1])
                    if dv is not None and unit:
                        iso = (
                            f"PT{_num(dv)}{unit[1]}" if unit[0] == "T" else f"P{_num(dv)}{unit[1]}"
                        )
                        add("deadline", i, j + 2, iso)
                        pos = j + 2
                        continue
            nl = _match_at(keys, i, lex.none_before) if key in lex.none_before.first else 0
            if nl:
                j = i + nl
                for k in range(j, min(n, j + 6)):
                    if keys[k] == "nao":
                        end, abstract = _concrete_object_after(seq, j, k - j + 1, lex)
                        if end > 0 and end <= k + 1:
                            add("percent", i, k + 1, 0, concrete=True)
                            pos = k + 1
                        break
            continue

        # From here on the token is a NUMBER (or a composite such as «7h30», «19-NQ/ĐU»).
        m = _CLOCK.match(key)
        if m and int(m.group(1)) <= 24:
            add("time", i, i + 1, f"{int(m.group(1)):02d}:{m.group(2) or '00'}")
            continue
        v = parse_number(key)
        if v is not None and i + 1 < n and keys[i + 1] == "gio" and v <= 24:
            b = i + 2
            minutes = 0
            if b + 1 < n and keys[b + 1] == "phut" and parse_number(keys[b]) is not None:
                minutes = int(parse_number(keys[b]) or 0)
                b += 2
            if b < n and keys[b] in {"sang", "chieu", "toi", "dem"}:
                b += 1
            add("time", i, b, f"{int(v):02d}:{minutes:02d}")
            pos = b
            continue
        if _YEAR_RANGE.match(key) or (
            i >= 2 and tuple(keys[i - 2 : i]) in {("nam", "hoc"), ("nien", "khoa")}
        ):
            notes.append(Note("school_year", seq.span_text(max(0, i - 2), i + 1)))
            continue
        m = _DATE.match(key)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
            if 1 <= d <= 31 and 1 <= mo <= 12:
                a = i
                lb = _match_before(keys, i, lex.date_lead)
                a = i - lb
                if a > 0 and keys[a - 1] in {"truoc", "den", "han"}:
                    a -= 1
                yy = ""
                if y:
                    yy = y if len(y) == 4 else "20" + y
                value = f"{yy}-{mo:02d}-{d:02d}" if yy else f"--{mo:02d}-{d:02d}"
                add("deadline", a, i + 1, value)
                continue
            # x/y of something: «20/20 hộ», «19/19 tiêu chí»
            if int(m.group(2)) >= int(m.group(1)) and not m.group(3):
                unit_len = _match_at(keys, i + 1, lex.count_units) if i + 1 < n else 0
                if unit_len:
                    add("count", i, i + 1 + unit_len, int(m.group(1)), _unit(seq, i + 1, unit_len))
                    pos = i + 1 + unit_len
                    continue
        m = _MONTH_YEAR.match(key)
        if m and 1 <= int(m.group(1)) <= 12:
            add("deadline", i, i + 1, f"{m.group(2)}-{int(m.group(1)):02d}")
            continue
        m = _WITH_UNIT.match(key)
        if m:
            unit = _UNIT_ALIASES.get(m.group(2), m.group(2))
            add("amount", i, i + 1, _num(parse_number(m.group(1)) or 0), unit)
            continue
        if v is None:
            # A code: «19-NQ/ĐU», «8A3», «IR50404», «COVID-19».
            notes.append(Note("code", seq.span_text(i, i + 1)))
            continue
        # Identifier context before the number: «lớp 8», «ấp 2», «Nghị quyết số 19».
        lb = _match_before_v(seq, i, lex.identifier_before, lex)
        if not lb:
            lb = _match_before_v(seq, i, lex.document_words, lex)
            if (
                lb
                and i + 1 < n
                and (
                    _match_at(keys, i + 1, lex.count_units)
                    or _match_at(keys, i + 1, lex.amount_units)
                    or keys[i + 1] == "%"
                )
            ):
                lb = 0
        prev_tok = seq.tokens[seq.tok[i - 1]] if i > 0 else None
        if lb or (prev_tok is not None and prev_tok.upper and seq.tok[i - 1] != seq.tok[i]):
            if lb and tuple(keys[i - lb : i]) in {("thang",), ("tuan",)}:
                pass  # «tháng 6» / «tuần 2» alone: neither target nor identifier note
            else:
                notes.append(Note("identifier", seq.span_text(i - max(lb, 1), i + 1)))
            continue
        if i + 1 < n and _YEAR.match(key) and i > 0 and keys[i - 1] == "nam":
            notes.append(Note("year", seq.span_text(i - 1, i + 1)))
            continue
        # Code phrases after the number: «5 điều Bác Hồ dạy», «3 không», «trẻ 6 tuổi».
        cl = _match_at_v(seq, i + 1, lex.code_after, lex) if i + 1 < n else 0
        if cl:
            notes.append(Note("code_phrase", seq.span_text(i, i + 1 + cl)))
            pos = i + 1 + cl
            continue
        # Percentages.
        if i + 1 < n and (keys[i + 1] == "%" or tuple(keys[i + 1 : i + 3]) == ("phan", "tram")):
            pl = 2 if keys[i + 1] == "%" else 3
            end, abstract = _concrete_object_after(seq, i + pl, 7, lex)
            if end > 0:
                add("percent", i, end, _num(v), concrete=True)
                pos = end
                continue
            if not abstract and _concrete_object_before(seq, i, 9) and _has_rate_word(seq, i, lex):
                add("percent", i, i + pl, _num(v), concrete=True)
                pos = i + pl
                continue
            notes.append(Note("abstract_percent", seq.span_text(i, min(n, i + pl + 3))))
            pos = i + pl
            continue
        # Amounts then counts.
        ul = _match_at_v(seq, i + 1, lex.amount_units, lex) if i + 1 < n else 0
        if ul:
            add("amount", i, i + 1 + ul, _num(v), _unit(seq, i + 1, ul))
            pos = i + 1 + ul
            continue
        ul = _match_at_v(seq, i + 1, lex.count_units, lex) if i + 1 < n else 0
        if ul:
            # «5 em HS yếu»: extend over the object phrase that follows the classifier
            end = i + 1 + ul
            h = seq.hit_at.get(end)
            if h is not None and (OBJECT in h.cats) and ABSTRACT not in h.cats:
                end = h.end
            add("count", i, end, _num(v), _unit(seq, i + 1, ul), concrete=True)
            pos = end
            continue
        h = seq.hit_at.get(i + 1)
        if h is not None and OBJECT in h.cats and ABSTRACT not in h.cats:
            add("count", i, h.end, _num(v), _unit(seq, i + 1, h.end - i - 1), concrete=True)
            pos = h.end
            continue
        notes.append(Note("bare_number", seq.span_text(i, i + 1)))

    # 4. Number words before a unit («hai buổi», «ba hộ») when the text has diacritics.
    tokens, tok = seq.tokens, seq.tok
    number_keys = lex.number_word_keys
    if not seq.has_diacritics or number_keys.isdisjoint(map(_ROW_KEY, tokens)):
        number_at = []
    elif type(tok) is range:  # one key per token: the keys are the tokens' keys
        number_at = [i for i, key in enumerate(keys) if key in number_keys]
    else:  # only a number word can start such a count
        number_at = [i for i, t in enumerate(tok) if tokens[t].key in number_keys]
    for i in number_at:
        if used[i]:
            continue
        v = _number_word(seq, i, lex)
        if v is None or i + 1 >= n or used[i + 1]:
            continue
        ul = _match_at(keys, i + 1, lex.count_units)
        if ul and not _match_at(keys, i + 1, lex.code_after):
            if i > 0 and (_match_before(keys, i, lex.identifier_before) or keys[i - 1] == "thu"):
                continue
            add("count", i, i + 1 + ul, _num(v), _unit(seq, i + 1, ul), concrete=True)
    targets.sort(key=lambda t: t.start)
    return targets, notes


def _has_rate_word(seq: Seq, i: int, lex: Lexicon) -> bool:
    lo = max(0, i - 10)
    return any(_match_at(seq.keys, k, lex.rate_words) for k in range(lo, i)) or any(
        ACTION in h.cats or ACTION_OBJECT in h.cats for h in seq.hits if lo <= h.start < i
    )


def _unit(seq: Seq, a: int, ln: int) -> str:
    return seq.span_text(a, a + ln)


def _all_caps_segment(seq: Seq) -> bool:
    """True when most words are capitalised: then capitals do not mark proper names."""
    words = [t for t in seq.tokens if t.kind == 0]
    if len(words) < 4:
        return False
    caps = sum(1 for t in words if t.cap or t.upper)
    return caps > 0.6 * len(words)


def fold_holiday(keys: list[str]) -> str:
    """Short value for a named moment («tet», «khai_giang»)."""
    if keys and keys[0] == "tet":
        return "tet"
    return "_".join(keys)
