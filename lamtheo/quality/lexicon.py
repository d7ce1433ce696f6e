"""Loading of the editable data files (catalogue, vocabulary, target words).

Everything an administrator may want to change lives in ``lamtheo/quality/data/``:

* ``generic_formulas.txt`` — the catalogue of generic formulas, one per line;
* ``boilerplate.txt`` — form prompts and headings that many sections repeat;
* ``vocabulary.json`` — abbreviations, vague verbs, abstract objects and per-sector concrete
  actions/objects;
* ``targets.json`` — units, identifier nouns, code phrases, recurring moments, place nouns.

A different directory can be used by passing ``data_dir`` or by setting the environment
variable ``LAMTHEO_QUALITY_DATA``. Phrases are stored as tuples of diacritic-free keys.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from .normalize import NUM, NUMBER, PERCENT, canonical, fold, strip_diacritics, tokenize

__all__ = ["DEFAULT_DATA_DIR", "Formula", "Lexicon", "PhraseSet", "get_lexicon", "key_tuple"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

# Categories of vocabulary phrases.
ACTION = "action"
OBJECT = "object"
ACTION_OBJECT = "action_object"
VAGUE = "vague"
ABSTRACT = "abstract"
NOMINALISER = "nominaliser"

_END = ""  # key of a phrase end in Lexicon.phrase_trie (never a token key)


def key_tuple(text: str) -> tuple[str, ...]:
    """Diacritic-free key tuple of a short phrase (numbers become ``<n>``)."""
    out = []
    for t in tokenize(text):
        if t.kind == NUMBER:
            out.append(NUM)
        elif t.kind == PERCENT:
            out.append("%")
        else:
            out.append(t.key)
    return tuple(out)


class PhraseSet(set):
    """A set of key tuples that also knows, per first key, the longest phrase length."""

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self.first: dict[str, int] = {}
        for k in self:
            if k:
                self.first[k[0]] = max(self.first.get(k[0], 0), len(k))


@dataclass(slots=True)
class Formula:
    """A generic formula of the catalogue: display text and its expanded key sequence."""

    text: str
    keys: tuple[str, ...]
    bigrams: frozenset[tuple[str, str]]


@dataclass
class Lexicon:
    """All data the classifier and the copy detector need, pre-folded for matching."""

    abbreviations: dict[str, tuple[str, ...]]
    sector_examples: dict[str, list[str]]
    formulas: list[Formula]
    formula_index: dict[tuple[str, str], list[int]]
    boilerplate: list[str]
    boilerplate_keys: set[tuple[str, ...]]
    # Accented forms of one-syllable phrases: folding makes «đo»/«đó», «ca»/«cả» collide,
    # so when the text has diacritics a one-syllable phrase must match its accented form.
    single_norms: dict[str, frozenset[str]] = field(default_factory=dict)
    # Pre-folded target word sets (tuples of keys).
    count_units: PhraseSet = field(default_factory=PhraseSet)
    amount_units: PhraseSet = field(default_factory=PhraseSet)
    identifier_before: PhraseSet = field(default_factory=PhraseSet)
    document_words: PhraseSet = field(default_factory=PhraseSet)
    none_events_before: PhraseSet = field(default_factory=PhraseSet)
    # accented forms of one-syllable entries of the target word lists
    target_norms: dict[str, frozenset[str]] = field(default_factory=dict)
    code_after: PhraseSet = field(default_factory=PhraseSet)
    percent_abstract: PhraseSet = field(default_factory=PhraseSet)
    rate_words: PhraseSet = field(default_factory=PhraseSet)
    all_words: PhraseSet = field(default_factory=PhraseSet)
    none_before: PhraseSet = field(default_factory=PhraseSet)
    deadline_words: PhraseSet = field(default_factory=PhraseSet)
    date_lead: PhraseSet = field(default_factory=PhraseSet)  # deadline words and «ngày»
    holidays: PhraseSet = field(default_factory=PhraseSet)
    recurring: PhraseSet = field(default_factory=PhraseSet)
    period_words: dict[tuple[str, ...], str] = field(default_factory=dict)
    period_set: PhraseSet = field(default_factory=PhraseSet)
    frequency_lead: set[str] = field(default_factory=set)
    place_nouns: PhraseSet = field(default_factory=PhraseSet)
    numbered_places: PhraseSet = field(default_factory=PhraseSet)
    number_words: dict[str, int] = field(default_factory=dict)
    number_word_keys: frozenset[str] = frozenset()  # their diacritic-free keys
    # first keys of every word-triggered target rule (fast skip in extraction)
    word_target_first: frozenset[str] = frozenset()
    # The vocabulary phrases as a trie: key → child node; the entry ``_END`` holds a phrase's
    # categories
    phrase_trie: dict = field(default_factory=dict, repr=False)
    # Per-segment caches of the classifier (bounded; see classify.analyse_segments).
    cache_tokens: dict = field(default_factory=dict, repr=False, compare=False)
    cache_results: dict = field(default_factory=dict, repr=False, compare=False)


def _read_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _expand_keys(keys: tuple[str, ...], abbreviations: dict[str, tuple[str, ...]]):
    out: list[str] = []
    for k in keys:
        exp = abbreviations.get(k)
        if exp:
            out.extend(exp)
        else:
            out.append(k)
    return tuple(out)


def _phrase_set(items, abbreviations) -> PhraseSet:
    return PhraseSet(_expand_keys(key_tuple(x), abbreviations) for x in items if key_tuple(x))


def load_lexicon(data_dir: Path | str | None = None) -> Lexicon:
    """Read and pre-fold every data file of ``data_dir`` (default: the package's data)."""
    base = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    vocab = json.loads((base / "vocabulary.json").read_text(encoding="utf-8"))
    tdata = json.loads((base / "targets.json").read_text(encoding="utf-8"))

    abbreviations: dict[str, tuple[str, ...]] = {}
    for abbr, full in vocab.get("abbreviations", {}).items():
        k = fold(abbr).replace(" ", "")
        exp = key_tuple(full)
        if k and exp and (k,) != exp:
            abbreviations[k] = exp

    phrases: dict[tuple[str, ...], set[str]] = {}

    singles: dict[str, set[str]] = {}

    def add(items, cat: str) -> None:
        for item in items:
            keys = _expand_keys(key_tuple(item), abbreviations)
            if not keys:
                continue
            if len(keys) == 1:
                singles.setdefault(keys[0], set()).add(canonical(item).lower().strip())
            phrases.setdefault(keys, set()).add(cat)

    add(vocab.get("vague_verbs", []), VAGUE)
    add(vocab.get("abstract_objects", []), ABSTRACT)
    add(vocab.get("nominalisers", []), NOMINALISER)
    common = vocab.get("common", {})
    add(common.get("actions", []), ACTION)
    add(common.get("objects", []), OBJECT)
    add(common.get("action_objects", []), ACTION_OBJECT)
    examples: dict[str, list[str]] = {}
    for name, sec in vocab.get("sectors", {}).items():
        add(sec.get("actions", []), ACTION)
        add(sec.get("objects", []), OBJECT)
        add(sec.get("action_objects", []), ACTION_OBJECT)
        examples[name] = list(sec.get("examples", []))

    # A phrase listed as a concrete object wins over the same phrase listed as abstract
    # only if it is not in the abstract list explicitly: keep both categories, the
    # classifier decides by context.
    frozen = {k: frozenset(v) for k, v in phrases.items()}

    formulas: list[Formula] = []
    index: dict[tuple[str, str], list[int]] = {}
    for line in _read_lines(base / "generic_formulas.txt"):
        keys = _expand_keys(key_tuple(line), abbreviations)
        bigrams = frozenset(pairwise(keys)) or frozenset({(keys[0], "")})
        formulas.append(Formula(line, keys, bigrams))
        for bg in bigrams:
            index.setdefault(bg, []).append(len(formulas) - 1)

    boiler = _read_lines(base / "boilerplate.txt")
    lex = Lexicon(
        abbreviations=abbreviations,
        sector_examples=examples,
        formulas=formulas,
        formula_index=index,
        boilerplate=boiler,
        boilerplate_keys={_expand_keys(key_tuple(b), abbreviations) for b in boiler},
        single_norms={k: frozenset(v) for k, v in singles.items()},
    )

    for keys, cats in frozen.items():
        node = lex.phrase_trie
        for k in keys:
            node = node.setdefault(k, {})
        node[_END] = cats

    def ps(name: str) -> PhraseSet:
        return _phrase_set(tdata.get(name, []), abbreviations)

    lex.count_units = ps("count_units")
    lex.amount_units = ps("amount_units")
    lex.identifier_before = ps("identifier_before")
    lex.document_words = ps("document_words")
    lex.none_events_before = ps("none_events_before")
    tnorms: dict[str, set[str]] = {}
    for name in (
        "identifier_before",
        "document_words",
        "count_units",
        "amount_units",
        "code_phrases_after",
        "place_nouns",
        "deadline_words",
        "all_words",
    ):
        for item in tdata.get(name, []):
            keys = key_tuple(item)
            if len(keys) == 1:
                tnorms.setdefault(keys[0], set()).add(canonical(item).lower().strip())
    lex.target_norms = {k: frozenset(v) for k, v in tnorms.items()}
    lex.code_after = ps("code_phrases_after")
    lex.percent_abstract = ps("percent_abstract")
    lex.rate_words = ps("rate_words")
    lex.all_words = ps("all_words")
    lex.none_before = ps("none_before")
    lex.deadline_words = ps("deadline_words")
    lex.date_lead = PhraseSet(lex.deadline_words | {("ngay",)})
    lex.holidays = ps("holidays")
    lex.recurring = ps("recurring_without_time")
    lex.period_words = {
        _expand_keys(key_tuple(k), abbreviations): v
        for k, v in tdata.get("period_words", {}).items()
    }
    lex.period_set = PhraseSet(lex.period_words)
    lex.frequency_lead = {fold(x) for x in tdata.get("frequency_lead", [])}
    lex.place_nouns = ps("place_nouns")
    lex.numbered_places = ps("numbered_places")
    lex.number_words = {k: int(v) for k, v in tdata.get("number_words", {}).items()}
    lex.number_word_keys = frozenset(strip_diacritics(k) for k in lex.number_words)
    firsts: set[str] = {"trong"}
    for table in (
        lex.place_nouns,
        lex.deadline_words,
        lex.all_words,
        lex.none_before,
        lex.none_events_before,
    ):
        firsts |= {k[0] for k in table if k}
    firsts.discard("%")  # a percent sign only follows a number
    lex.word_target_first = frozenset(firsts)
    return lex


_DEFAULT_KEY = str(DEFAULT_DATA_DIR)


@lru_cache(maxsize=4)
def _cached(data_dir: str) -> Lexicon:
    return load_lexicon(data_dir)


def get_lexicon(data_dir: Path | str | None = None) -> Lexicon:
    """Return the (cached) lexicon for ``data_dir`` or ``$LAMTHEO_QUALITY_DATA`` or the default."""
    chosen = data_dir or os.environ.get("LAMTHEO_QUALITY_DATA") or _DEFAULT_KEY
    return _cached(chosen if chosen.__class__ is str else str(chosen))
