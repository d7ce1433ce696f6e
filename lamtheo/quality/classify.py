"""Classification of content-3 items into ``generic``, ``specific_no_target`` and
``specific_with_target``.

How an item is read (§4 of the domain brief):

* **generic** — no concrete, checkable task of the person's own job: slogans, restated
  duties, vague sector goals («làm tốt công tác tuyên truyền ATGT»), verbs with an abstract or
  missing object («tăng cường kiểm tra, giám sát»);
* **specific_no_target** — at least one concrete action and its object that someone could
  check at the monthly meeting;
* **specific_with_target** — such a task with a count or amount, a percentage of a concrete
  group, a deadline, a frequency, a clock time, all-or-none of a concrete group, or a named
  place bound to the task.

The text is cut into task segments (lines, list items, sentences, semicolons); a paragraph is
as specific as its most specific segment. Inside a segment:

1. the catalogue of generic formulas is matched on word bigrams of the diacritic-free key;
   the words of a matched formula are *covered* and cannot make the item specific;
2. vocabulary phrases are found by longest match (abbreviations expanded first);
3. an *anchor* is a concrete action followed by a concrete object (in the same clause, before
   the next action), or a phrase that is a complete task by itself («diệt lăng quăng»). An
   action right after a nominaliser («công tác tuyên truyền») is a goal, not an action;
4. targets are extracted (:mod:`.targets`); a target counts if it is not covered and is bound
   to an anchor (same clause, or a neighbouring clause that has no verb of its own). Counts
   and percentages of a concrete group are anchors by themselves.

Everything is rule-based and driven by the data files, so an administrator can extend it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise
from operator import attrgetter

from .lexicon import (
    _END,
    ABSTRACT,
    ACTION,
    ACTION_OBJECT,
    NOMINALISER,
    OBJECT,
    VAGUE,
    Lexicon,
    get_lexicon,
)
from .normalize import WORD, Tokens, canonical, segment_texts
from .targets import Hit, Note, Seq, Target, extract_from_seq

__all__ = [
    "GENERIC",
    "LABELS",
    "SPECIFIC_NO_TARGET",
    "SPECIFIC_WITH_TARGET",
    "Classification",
    "classify",
    "clear_caches",
    "extract_targets",
]

GENERIC = "generic"
SPECIFIC_NO_TARGET = "specific_no_target"
SPECIFIC_WITH_TARGET = "specific_with_target"
LABELS = (GENERIC, SPECIFIC_NO_TARGET, SPECIFIC_WITH_TARGET)
_RANK = {GENERIC: 0, SPECIFIC_NO_TARGET: 1, SPECIFIC_WITH_TARGET: 2}

# Formula matching thresholds: share of the formula's bigrams found in the segment, or share
# of the segment's bigrams found in the formula.
FORMULA_CONTAINMENT = 0.6
SEGMENT_CONTAINMENT = 0.6
ANCHOR_WINDOW = 9
SEGMENT_CACHE_SIZE = 8192  # per-segment analyses kept per lexicon (see analyse_segments)

_KIND_VI = {
    "count": "số lượng",
    "amount": "khối lượng/số tiền",
    "percent": "tỉ lệ của nhóm cụ thể",
    "deadline": "thời hạn",
    "frequency": "tần suất",
    "time": "giờ giấc",
    "place": "địa điểm cụ thể",
}
_NOTE_VI = {
    "code": "«{}» là số hiệu/mã (văn bản, lớp, giống, sản phẩm…), không phải chỉ tiêu.",
    "identifier": "«{}» chỉ tên gọi (lớp, ấp, tổ, văn bản…), không phải chỉ tiêu.",
    "code_phrase": "«{}» là tên một quy định/phong trào hay đặc điểm của nhóm, không phải chỉ tiêu.",
    "school_year": "«{}» là năm học, không phải chỉ tiêu.",
    "year": "«{}» là năm của bản cam kết, không phải thời hạn cụ thể.",
    "abstract_percent": (
        "«{}» là tỉ lệ của một điều trừu tượng (danh hiệu, nhiệm vụ…), không phải tỉ lệ "
        "của một nhóm người hay việc cụ thể."
    ),
    "recurring": "«{}» là thời điểm lặp lại không có giờ/ngày cụ thể, chưa phải chỉ tiêu.",
    "bare_number": "Con số «{}» không kèm đơn vị hay đối tượng cụ thể.",
}


class SegmentResult:
    """Analysis of one task segment (internal, exposed for debugging and tests).

    The segment's text and the text of its anchors are cut from the segment only when
    asked for: a paragraph's reasons quote one or two of them.
    """

    __slots__ = (
        "_seq",
        "anchor_spans",
        "formula",
        "formula_similarity",
        "label",
        "loose_actions",
        "notes",
        "score",
        "targets",
        "unbound_targets",
        "vague",
    )

    def __init__(
        self,
        seq: Seq,
        label: str,
        score: float,
        *,
        anchor_spans: list[tuple[int, int]] | None = None,
        targets: list[Target] | None = None,
        notes: list[Note] | None = None,
        formula: str | None = None,
        formula_similarity: float = 0.0,
        vague: list[str] | None = None,
        loose_actions: list[str] | None = None,
        unbound_targets: list[Target] | None = None,
    ) -> None:
        self._seq = seq
        self.label = label
        self.score = score
        self.anchor_spans = anchor_spans or []
        self.targets = targets or []
        self.notes = notes or []
        self.formula = formula
        self.formula_similarity = formula_similarity
        self.vague = vague or []
        self.loose_actions = loose_actions or []
        self.unbound_targets = unbound_targets or []

    @property
    def text(self) -> str:
        """The segment, from its first token to its last."""
        seq = self._seq
        return seq.span_text(0, len(seq.keys)) if seq.keys else ""

    @property
    def anchors(self) -> list[str]:
        """Display text of each concrete task found."""
        return [self._seq.span_text(a, b) for a, b in self.anchor_spans]

    def _fields(self) -> tuple:
        return (
            self.text,
            self.label,
            self.score,
            self.anchors,
            self.targets,
            self.notes,
            self.formula,
            self.formula_similarity,
            self.vague,
            self.loose_actions,
            self.unbound_targets,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SegmentResult):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content

    def __repr__(self) -> str:
        return f"SegmentResult({self.text!r}, {self.label!r}, {self.score})"


@dataclass
class Classification:
    """Result for one item: label, score in [0, 1], reasons in Vietnamese, targets."""

    label: str
    score: float
    reasons: list[str]
    targets: list[dict[str, object]]
    segments: list[SegmentResult] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form (without the per-segment details)."""
        return {
            "label": self.label,
            "score": self.score,
            "reasons": self.reasons,
            "targets": self.targets,
        }


# --------------------------------------------------------------------------------------------
# Segment preparation
# --------------------------------------------------------------------------------------------


_KEY = attrgetter("key")
_START = attrgetter("start")
_MKEY = attrgetter("mkey")


def _prepare(text: str, tk: Tokens, lex: Lexicon, has_diacritics: bool) -> Seq:
    rows, clause = tk.rows, tk.clause
    keys = list(map(_KEY, rows))
    n = len(keys)
    abbreviations = lex.abbreviations
    if abbreviations.keys().isdisjoint(keys):  # the usual case: one key per token
        mkeys = list(map(_MKEY, rows))
        seq = Seq(text, rows, keys, mkeys, range(n), clause or [0] * n, tk)
    else:
        keys, mkeys, tok, kclause = [], [], [], []
        for ti, row in enumerate(rows):
            c = clause[ti] if clause else 0
            exp = abbreviations.get(row.key) if row.kind == WORD else None
            for k in exp or (row.key,):
                keys.append(k)
                mkeys.append(k if exp else row.mkey)
                tok.append(ti)
                kclause.append(c)
        n = len(keys)
        seq = Seq(text, rows, keys, mkeys, tok, kclause, tk)
    seq.has_diacritics = has_diacritics
    tok = seq.tok
    # Longest-match vocabulary phrases, left to right, non-overlapping; numbers match «<n>».
    trie = lex.phrase_trie
    singles = lex.single_norms
    i = 0
    hits: list[Hit] = seq.hits
    while i < n:
        node = trie.get(mkeys[i])
        if node is None:
            i += 1
            continue
        # walk the trie as far as the keys go; the deepest phrase end is the longest match
        found, cats = 0, None
        j = i + 1
        while True:
            end_cats = node.get(_END)
            if end_cats is not None:
                found, cats = j - i, end_cats
            if j >= n:
                break
            node = node.get(mkeys[j])
            if node is None:
                break
            j += 1
        if found == 1 and has_diacritics:
            t = rows[tok[i]]
            allowed = singles.get(mkeys[i])
            if allowed and t.key == mkeys[i] and t.norm not in allowed:
                found = 0
        if found:
            hits.append(Hit(i, i + found, cats))
            i += found
        else:
            i += 1
    seq.hit_at = dict(zip(map(_START, hits), hits, strict=True))
    return seq


def _formula_match(seq: Seq, lex: Lexicon) -> tuple[int, float, set[int]]:
    """Best catalogue formula for the segment: (index, similarity, covered key positions)."""
    keys = seq.mkeys
    if len(keys) < 2:
        return -1, 0.0, set()
    bigrams = list(pairwise(keys))
    bset = set(bigrams)
    # formula index → number of its bigrams in the segment (lookups and counting in C)
    counts = Counter(chain.from_iterable(filter(None, map(lex.formula_index.get, bset))))
    if not counts:
        return -1, 0.0, set()
    best, best_sim = -1, 0.0
    covered: set[int] = set()
    for fi, cnt in counts.items():
        f = lex.formulas[fi]
        sim = max(cnt / len(f.bigrams), cnt / len(bset))
        if cnt / len(f.bigrams) >= FORMULA_CONTAINMENT or cnt / len(bset) >= SEGMENT_CONTAINMENT:
            for p, bg in enumerate(bigrams):
                if bg in f.bigrams:
                    covered.add(p)
                    covered.add(p + 1)
        if sim > best_sim or (sim == best_sim and fi < best):  # ties: catalogue order
            best, best_sim = fi, sim
    return best, best_sim, covered


def _anchors(seq: Seq, covered: set[int]) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """Concrete tasks in the segment: [(start, end)], vague phrases, actions without object."""
    hits = seq.hits
    anchors: list[tuple[int, int]] = []
    vague: list[str] = []
    loose: list[str] = []
    for idx, h in enumerate(hits):
        cats = h.cats
        if h.start in covered and h.end - 1 in covered:
            continue
        nominalised = idx > 0 and NOMINALISER in hits[idx - 1].cats and hits[idx - 1].end == h.start
        if ACTION_OBJECT in cats:
            if not nominalised:
                anchors.append((h.start, h.end))
            continue
        if ACTION in cats:
            if nominalised:
                continue
            found = False
            for h2 in hits[idx + 1 :]:
                if h2.start - h.end > ANCHOR_WINDOW:
                    break
                if ACTION in h2.cats and OBJECT not in h2.cats and h2.start > h.end:
                    # another action: «kiểm tra, giám sát», «tuyên truyền, vận động bà con»
                    if seq.clause[h2.start] != seq.clause[h.start]:
                        break
                    if VAGUE not in h2.cats:
                        break
                if h2.start in covered and h2.end - 1 in covered:
                    continue
                if (OBJECT in h2.cats or ACTION_OBJECT in h2.cats) and not (
                    ABSTRACT in h2.cats and OBJECT not in h2.cats
                ):
                    anchors.append((h.start, h2.end))
                    found = True
                    break
            if not found:
                loose.append(seq.span_text(h.start, h.end))
        elif VAGUE in cats and ACTION not in cats:
            vague.append(seq.span_text(h.start, h.end))
    return anchors, vague, loose


def _has_verb(seq: Seq, clause: int) -> bool:
    return any(
        seq.clause[h.start] == clause and (ACTION in h.cats or VAGUE in h.cats) for h in seq.hits
    )


def _bound(seq: Seq, t: Target, anchors: list[tuple[int, int]]) -> bool:
    if not anchors:
        return False
    tc = seq.clause[t.start]
    anchor_clauses = {seq.clause[k] for a, b in anchors for k in range(a, b)}
    if tc in anchor_clauses:
        return True
    if _has_verb(seq, tc):
        return False
    # A clause without its own verb («…, mỗi tuần 2 buổi») belongs to the task before it
    # (or after it, for a leading modifier such as «Hằng tuần, …»).
    return (tc - 1) in anchor_clauses or (tc + 1) in anchor_clauses


def _analyse(text: str, tk: Tokens, lex: Lexicon, has_diacritics: bool) -> SegmentResult:
    seq = _prepare(text, tk, lex, has_diacritics)
    if tuple(seq.keys) in lex.boilerplate_keys:
        return SegmentResult(seq, "", 0.0)
    fi, fsim, covered = _formula_match(seq, lex)
    anchors, vague, loose = _anchors(seq, covered)
    targets, notes = extract_from_seq(seq, lex)
    valid: list[Target] = []
    unbound: list[Target] = []
    for t in targets:
        if any(p in covered for p in range(t.start, t.end)) and t.kind != "place":
            notes.append(Note("covered", t.text))
            continue
        if t.concrete and t.kind in {"count", "percent", "amount"}:
            valid.append(t)
            anchors.append((t.start, t.end))
        else:
            valid.append(t)
    bound = [t for t in valid if (t.concrete and t.kind != "amount") or _bound(seq, t, anchors)]
    unbound = [t for t in valid if t not in bound]
    if anchors and bound:
        label = SPECIFIC_WITH_TARGET
        score = min(1.0, 0.7 + 0.1 * len(bound))
    elif anchors:
        label = SPECIFIC_NO_TARGET
        score = min(0.65, 0.45 + 0.05 * len(anchors))
    else:
        label = GENERIC
        score = 0.3 if loose else 0.2
        if fsim >= FORMULA_CONTAINMENT:
            score = round(max(0.0, 0.3 * (1.0 - fsim)), 3)
    res = SegmentResult(
        seq,
        label,
        round(score, 3),
        anchor_spans=anchors,
        targets=bound if label == SPECIFIC_WITH_TARGET else [],
        notes=notes,
        formula=lex.formulas[fi].text if fi >= 0 and fsim >= FORMULA_CONTAINMENT else None,
        formula_similarity=round(fsim, 3),
        vague=vague,
        loose_actions=loose,
        unbound_targets=unbound,
    )
    return res


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def analyse_segments(text: str, *, lex: Lexicon | None = None) -> list[SegmentResult]:
    """Analyse every task segment of ``text`` (boilerplate-only segments are skipped)."""
    lex = lex or get_lexicon()
    canon = canonical(text or "")
    # A segment's analysis depends only on its own text and on whether the whole text has
    # diacritics, so both steps are cached per segment text: as a person types, only the
    # segment being edited is analysed again.
    tcache = lex.cache_tokens
    chunks = []
    words = accented = 0
    for chunk in segment_texts(canon):
        tk = tcache.get(chunk)
        if tk is None:
            tk = Tokens(chunk)
            _remember(tcache, chunk, tk)
        if tk.rows:
            chunks.append((chunk, tk))
            words += tk.words
            accented += tk.accented
    # Text typed without accents (or nearly): match on the folded key only.
    has_diacritics = accented > 0.2 * words
    rcache = lex.cache_results
    out = []
    for chunk, tk in chunks:
        ck = (chunk, has_diacritics)
        r = rcache.get(ck)
        if r is None:
            r = _analyse(chunk, tk, lex, has_diacritics)
            _remember(rcache, ck, r)
        if r.label:
            out.append(r)
    return out


def _remember(cache: dict, key: object, value: object) -> None:
    """Insert into a bounded cache (oldest entries dropped first)."""
    if len(cache) >= SEGMENT_CACHE_SIZE:
        try:
            for old in list(islice(cache, SEGMENT_CACHE_SIZE // 4)):
                cache.pop(old, None)
        except RuntimeError:  # resized by another thread meanwhile: start afresh
            cache.clear()
    cache[key] = value


def clear_caches(lex: Lexicon | None = None) -> None:
    """Forget the per-segment caches (benchmarks measure cold analysis with it)."""
    lex = lex or get_lexicon()
    lex.cache_tokens.clear()
    lex.cache_results.clear()


def classify(text: str, sector: str | None = None, *, lex: Lexicon | None = None) -> Classification:
    """Classify one content-3 item (a task line or a whole paragraph of tasks).

    ``sector`` (a key of ``vocabulary.json``: ``y_te``, ``giao_duc``, ``ap_khom``,
    ``hanh_chinh``, ``cong_an_quan_su``, ``nong_nghiep``, ``doanh_nghiep``, ``cong_tac_dang``,
    ``khac``) only selects the example shown in the reasons; the vocabulary of every sector is
    always used. Returns label, score (0–0.33 generic, 0.34–0.66 specific without target,
    ≥ 0.67 with target), reasons in Vietnamese and the targets as dicts.
    """
    lex = lex or get_lexicon()
    segs = analyse_segments(text, lex=lex)
    if not segs:
        return Classification(
            GENERIC,
            0.0,
            ["Chưa có nội dung: hãy ghi một vài việc cụ thể của công việc mình."],
            [],
            [],
        )
    best = max(segs, key=lambda r: (_RANK[r.label], r.score))
    label = best.label
    reasons = _reasons(segs, best, label, sector, lex)
    targets = [t.as_dict() for r in segs if r.label == SPECIFIC_WITH_TARGET for t in r.targets]
    return Classification(label, best.score, reasons, targets, segs)


def extract_targets(text: str, *, lex: Lexicon | None = None) -> list[dict[str, object]]:
    """Measurable targets of ``text`` bound to concrete tasks, as dicts (see :mod:`.targets`)."""
    return classify(text, lex=lex).targets


def _short(s: str, limit: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _reasons(
    segs: list[SegmentResult], best: SegmentResult, label: str, sector: str | None, lex: Lexicon
) -> list[str]:
    reasons: list[str] = []
    seen: set[str] = set()

    def add(msg: str) -> None:
        if msg not in seen:
            seen.add(msg)
            reasons.append(msg)

    if label == GENERIC:
        for r in segs:
            if r.formula:
                add(
                    f"Giống câu chung chung thường gặp «{r.formula}» "
                    f"(giống {round(r.formula_similarity * 100)}%)."
                )
        add(
            "Chưa nêu việc làm cụ thể và đối tượng của công việc mình "
            "(làm việc gì, cho ai hoặc cái gì) để chi bộ kiểm điểm được hằng tháng."
        )
        for r in segs:
            for a in r.loose_actions[:2]:
                add(f"«{a}» chưa có đối tượng cụ thể: kiểm tra/làm cái gì, của ai?")
            if r.vague and not r.formula:
                add(
                    f"Cụm «{r.vague[0]}» là mục tiêu chung, chưa phải một việc cụ thể "
                    "có thể kiểm tra."
                )
    else:
        first = best.anchor_spans[0]
        add(f"Có việc cụ thể: «{_short(best._seq.span_text(*first))}».")
        if label == SPECIFIC_WITH_TARGET:
            parts = [f"«{_short(t.text, 40)}» ({_KIND_VI[t.kind]})" for t in best.targets[:4]]
            add("Có chỉ tiêu đo được: " + ", ".join(parts) + ".")
        else:
            add(
                "Chưa có chỉ tiêu đo được: nên thêm số lượng, tỉ lệ % của một nhóm cụ thể, "
                "thời hạn, tần suất (hằng tuần, mỗi quý một lần), giờ giấc hoặc địa điểm cụ thể."
            )
        generic_parts = [r for r in segs if r.label == GENERIC and r.formula]
        if generic_parts:
            add(
                f"Phần «{_short(generic_parts[0].text, 60)}» vẫn là câu chung chung; "
                "có thể bỏ để bản cam kết gọn hơn."
            )
    for r in segs:
        for note in r.notes:
            tmpl = _NOTE_VI.get(note.why)
            if tmpl and (label != SPECIFIC_WITH_TARGET or note.why != "bare_number"):
                add(tmpl.format(_short(note.text, 50)))
    if label in (GENERIC, SPECIFIC_NO_TARGET):
        example = None
        if sector and lex.sector_examples.get(sector):
            example = lex.sector_examples[sector][0]
        if example:
            add(f"Ví dụ một nội dung cụ thể: «{example}».")
    return reasons
