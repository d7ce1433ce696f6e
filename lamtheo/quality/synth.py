"""Synthetic content-3 sections with planted near-copies, for the benchmark.

Sections are generated directly as token-hash arrays (fast enough for 10^6 sections) from a
realistic vocabulary: the sector phrases of ``data/vocabulary.json``, about 50 Vietnamese
function words, ~20,000 two-syllable words built from Vietnamese onsets and rhymes, and
placeholders for numbers and names, drawn with Zipf-like frequencies; each section has
40–150 words cut into task segments of 6–25 words. Any section can be *rendered* back to
Vietnamese text (with numbering, names and numbers) so that the text path can be measured on
the same data.

Planted copies: about ``copy_rate`` of the sections are copies of another section, with tasks
reordered, a random share (0–10 %) of words replaced, sometimes a task dropped or added; the
rendered copies also lose their diacritics, use the old tone placement, other numbering,
punctuation, names and numbers. Ground truth is *exact* Jaccard on the filtered sets, so
planted pairs below the threshold are not counted as misses.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import dataclass

import numpy as np

from .lexicon import DEFAULT_DATA_DIR
from .shingles import token_hash

__all__ = ["Synth", "SynthCorpus"]

_ONSETS = [
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
_RHYMES = [
    "ai",
    "am",
    "an",
    "ang",
    "anh",
    "ao",
    "au",
    "ay",
    "ăn",
    "ăng",
    "âm",
    "ân",
    "âng",
    "ây",
    "em",
    "en",
    "eo",
    "êm",
    "ên",
    "ênh",
    "êu",
    "im",
    "in",
    "inh",
    "iu",
    "iêm",
    "iên",
    "iêu",
    "oa",
    "oai",
    "oan",
    "oang",
    "oanh",
    "oc",
    "oi",
    "om",
    "on",
    "ong",
    "ôi",
    "ôm",
    "ôn",
    "ông",
    "ơi",
    "ơm",
    "ơn",
    "ua",
    "ui",
    "um",
    "un",
    "ung",
    "uân",
    "uy",
    "uyên",
    "ưa",
    "ưng",
    "ươi",
    "ương",
    "ươn",
    "ưu",
    "ach",
    "ich",
    "ênh",
    "ong",
    "uôc",
    "uông",
    "ươc",
    "ưng",
    "ut",
    "ưt",
    "at",
    "ăt",
    "âc",
    "ôc",
    "ep",
    "ip",
]
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
_FUNCTION = [
    "và",
    "của",
    "cho",
    "các",
    "những",
    "trong",
    "với",
    "được",
    "để",
    "có",
    "là",
    "một",
    "đã",
    "sẽ",
    "đang",
    "tại",
    "ở",
    "từ",
    "đến",
    "theo",
    "về",
    "khi",
    "này",
    "đó",
    "như",
    "trên",
    "dưới",
    "sau",
    "trước",
    "mỗi",
    "cùng",
    "thêm",
    "nhằm",
    "qua",
    "bằng",
    "hơn",
    "người",
    "việc",
    "năm",
    "tháng",
    "tuần",
    "ngày",
    "nhà",
    "bà",
    "con",
    "em",
    "anh",
    "chị",
]
_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bé",
    "Lê Văn Tư",
    "Phạm Thị Hoa",
    "Ông Cò",
    "Đông Bình",
    "Tây Bình",
    "Phú Hòa",
    "Vọng Thê",
    "Óc Eo",
    "Ba Bần",
    "Huỳnh Văn Sáu",
    "Võ Thị Lan",
]
NUM_TOKEN = "#"
NAME_TOKEN = "@"


def _syllable(onset: str, rhyme: str, tone: str) -> str:
    word = onset + rhyme
    # put the tone on the first vowel with a modifier, else on the first vowel
    decomposed = unicodedata.normalize("NFD", word)
    vowels = [i for i, ch in enumerate(decomposed) if ch in "aeiouy"]
    if not vowels or not tone:
        return unicodedata.normalize("NFC", word)
    pos = vowels[0]
    # skip combining marks that belong to the vowel
    while pos + 1 < len(decomposed) and unicodedata.combining(decomposed[pos + 1]):
        pos += 1
    return unicodedata.normalize("NFC", decomposed[: pos + 1] + tone + decomposed[pos + 1 :])


def _fold(s: str) -> str:
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in d if not unicodedata.combining(ch)).lower()


@dataclass
class SynthCorpus:
    """Generated sections as flat arrays plus the planted copy groups."""

    tokens: np.ndarray  # uint64 token hashes
    tok_ids: np.ndarray  # int32 ids into Synth.display (same length as tokens)
    seg_len: np.ndarray  # int64
    segs_per_doc: np.ndarray  # int64
    groups: list[list[int]]  # each: [source, copy, copy...]
    copy_of: dict[int, int]

    @property
    def n_docs(self) -> int:
        """Number of sections."""
        return int(self.segs_per_doc.shape[0])

    def doc_tokens(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """(token ids, segment lengths) of section ``d`` (slow path, for rendering)."""
        seg_end = np.cumsum(self.segs_per_doc)
        s0 = int(seg_end[d - 1]) if d else 0
        s1 = int(seg_end[d])
        tok_end = np.cumsum(self.seg_len)
        t0 = int(tok_end[s0 - 1]) if s0 else 0
        t1 = int(tok_end[s1 - 1]) if s1 else 0
        return self.tok_ids[t0:t1], self.seg_len[s0:s1]


class Synth:
    """Generator of realistic synthetic sections (see the module docstring)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.py = random.Random(seed)
        vocab = json.loads((DEFAULT_DATA_DIR / "vocabulary.json").read_text(encoding="utf-8"))
        sector_phrases: list[str] = []
        for sec in vocab["sectors"].values():
            for key in ("actions", "objects", "action_objects"):
                sector_phrases.extend(sec.get(key, []))
        for key in ("actions", "objects", "action_objects"):
            sector_phrases.extend(vocab["common"].get(key, []))
        sector_phrases = sorted(set(sector_phrases))
        syllables = sorted({_syllable(o, r, t) for o in _ONSETS for r in _RHYMES for t in _TONES})
        self.py.shuffle(syllables)
        words = set()
        while len(words) < 20_000:
            a, b = self.py.choice(syllables), self.py.choice(syllables)
            words.add(f"{a} {b}")
        words_l = sorted(words)
        self.py.shuffle(words_l)
        # display strings of single tokens; phrases are sequences of token ids
        self.display: list[str] = [NUM_TOKEN, NAME_TOKEN]
        index: dict[str, int] = {NUM_TOKEN: 0, NAME_TOKEN: 1}

        def tid(s: str) -> int:
            if s not in index:
                index[s] = len(self.display)
                self.display.append(s)
            return index[s]

        phrases: list[list[int]] = []
        kinds: list[int] = []  # 0 function, 1 sector, 2 word, 3 placeholder
        for f in _FUNCTION:
            phrases.append([tid(f)])
            kinds.append(0)
        for p in sector_phrases:
            toks = [w for w in p.split() if not any(c.isdigit() for c in w)]
            if toks:
                phrases.append([tid(w) for w in toks])
                kinds.append(1)
        for w in words_l:
            phrases.append([tid(x) for x in w.split()])
            kinds.append(2)
        phrases.append([0])
        kinds.append(3)
        phrases.append([1])
        kinds.append(3)
        self.phrase_len = np.array([len(p) for p in phrases], dtype=np.int64)
        self.phrase_off = np.concatenate(([0], np.cumsum(self.phrase_len)[:-1]))
        self.phrase_tok = np.array([t for p in phrases for t in p], dtype=np.int32)
        kinds_a = np.array(kinds)
        # Mixture weights: function words 35 %, sector phrases 25 %, words 36 %, 4 % placeholders;
        # Zipf (s = 1) inside each class.
        weights = np.zeros(len(phrases))
        for k, share in ((0, 0.35), (1, 0.25), (2, 0.36), (3, 0.04)):
            idx = np.flatnonzero(kinds_a == k)
            z = 1.0 / np.arange(1, idx.size + 1)
            weights[idx[self.rng.permutation(idx.size)]] = share * z / z.sum()
        self.cdf = np.cumsum(weights / weights.sum())
        self.word_phrases = np.flatnonzero(kinds_a == 2)
        folded = [_fold(s) if s not in (NUM_TOKEN, NAME_TOKEN) else s for s in self.display]
        self.hash_of = np.array([token_hash(f) for f in folded], dtype=np.uint64)

    # ---- generation ------------------------------------------------------------------------

    def _stream(self, n_tokens: int) -> np.ndarray:
        """About ``n_tokens`` token ids (int32) drawn phrase by phrase, in bounded chunks."""
        out = np.empty(n_tokens, dtype=np.int32)
        filled = 0
        while filled < n_tokens:
            want = min(n_tokens - filled, 4_000_000)
            ph = np.searchsorted(self.cdf, self.rng.random(int(want / 1.6) + 64))
            ph = np.minimum(ph, self.cdf.size - 1)
            lens = self.phrase_len[ph]
            idx = np.repeat(self.phrase_off[ph], lens) + _ranges(lens)
            toks = self.phrase_tok[idx[:want]]
            out[filled : filled + toks.size] = toks
            filled += toks.size
        return out

    def generate(self, n: int, *, copy_rate: float = 0.02) -> SynthCorpus:
        """``n`` sections, of which about ``copy_rate`` · n are planted copies."""
        rng = self.rng
        n_copies = int(n * copy_rate)
        n_base = n - n_copies
        doc_len = rng.integers(40, 151, size=n_base)
        toks = self._stream(int(doc_len.sum()))
        # segments of 6–25 tokens, cut at document ends
        total = toks.size
        seg_draw = rng.integers(6, 26, size=total // 6 + 10)
        seg_bounds = np.cumsum(seg_draw)
        seg_bounds = seg_bounds[seg_bounds < total]
        doc_bounds = np.cumsum(doc_len)
        all_bounds = np.union1d(seg_bounds, doc_bounds)
        seg_len = np.diff(np.concatenate(([0], all_bounds))).astype(np.int64)
        seg_end = np.cumsum(seg_len)
        segs_per_doc = np.diff(
            np.concatenate(([0], np.searchsorted(seg_end, doc_bounds, side="right")))
        ).astype(np.int64)
        # placeholders never start a segment (a name there would not be read as a name)
        starts = seg_end - seg_len
        bad = toks[starts] <= 1
        toks[starts[bad]] = self.phrase_tok[self.phrase_off[self.word_phrases[0]]]
        if n_copies == 0:
            return SynthCorpus(self.hash_of[toks], toks, seg_len, segs_per_doc, [], {})
        # planted copies: sources chosen at random, 1–3 copies each (copies of copies too)
        extra_tok: list[np.ndarray] = []
        extra_seg: list[np.ndarray] = []
        extra_spd: list[int] = []
        groups: dict[int, list[int]] = {}
        copy_of: dict[int, int] = {}
        seg_doc_end = np.cumsum(segs_per_doc)
        tok_seg_end = np.cumsum(seg_len)
        made = 0
        while made < n_copies:
            src = int(rng.integers(0, n_base))
            k = min(int(rng.integers(1, 4)), n_copies - made)
            s0 = int(seg_doc_end[src - 1]) if src else 0
            s1 = int(seg_doc_end[src])
            t0 = int(tok_seg_end[s0 - 1]) if s0 else 0
            segs = []
            pos = t0
            for sl in seg_len[s0:s1].tolist():
                segs.append(toks[pos : pos + sl].copy())
                pos += sl
            for _ in range(k):
                new = self._perturb(segs)
                doc = n_base + made
                extra_tok.append(np.concatenate(new))
                extra_seg.append(np.array([s.size for s in new], dtype=np.int64))
                extra_spd.append(len(new))
                groups.setdefault(src, [src]).append(doc)
                copy_of[doc] = src
                made += 1
        all_tok = np.concatenate([toks, *extra_tok])
        del toks, extra_tok
        return SynthCorpus(
            self.hash_of[all_tok],
            all_tok,
            np.concatenate([seg_len, *extra_seg]),
            np.concatenate([segs_per_doc, np.array(extra_spd, dtype=np.int64)]),
            list(groups.values()),
            copy_of,
        )

    def _perturb(self, segs: list[np.ndarray]) -> list[np.ndarray]:
        rng = self.rng
        new = [s.copy() for s in segs]
        if rng.random() < 0.7:
            order = rng.permutation(len(new))
            new = [new[i] for i in order]
        rate = float(rng.uniform(0.0, 0.10))
        for s in new:
            mask = rng.random(s.size) < rate
            mask[0] = False
            if mask.any():
                ph = self.word_phrases[
                    rng.integers(0, self.word_phrases.size, size=int(mask.sum()))
                ]
                s[mask] = self.phrase_tok[self.phrase_off[ph]]
        r = rng.random()
        if r < 0.15 and len(new) > 2:
            del new[int(rng.integers(0, len(new)))]
        elif r < 0.3:
            extra = self._stream(int(rng.integers(6, 20)))
            extra[0] = self.phrase_tok[self.phrase_off[self.word_phrases[1]]]
            new.insert(int(rng.integers(0, len(new) + 1)), extra)
        return new

    # ---- rendering -------------------------------------------------------------------------

    def render(self, ids: np.ndarray, seg_len: np.ndarray, *, noisy: bool = False) -> str:
        """Vietnamese text of one section; ``noisy`` varies numbering, accents, tones, names."""
        py = self.py
        style = py.randrange(4) if noisy else 0
        strip = noisy and py.random() < 0.4
        old_tones = noisy and py.random() < 0.5
        out_segs = []
        pos = 0
        for k, sl in enumerate(seg_len.tolist()):
            words = []
            for t in ids[pos : pos + sl].tolist():
                if t == 0:
                    words.append(str(py.choice([2, 3, 5, 10, 20, 95, 100, 30])))
                elif t == 1:
                    words.append(py.choice(_NAMES))
                else:
                    words.append(self.display[t])
            pos += sl
            seg = " ".join(words)
            seg = seg[:1].upper() + seg[1:]
            marker = ["{}. ", "- ", "{}) ", "+ "][style].format(k + 1)
            out_segs.append(marker + seg)
        sep = "\n" if style in (0, 1) else ("; " if style == 2 else ". ")
        text = sep.join(out_segs) + "."
        if old_tones:
            text = (
                text.replace("òa", "oà").replace("óa", "oá").replace("ủy", "uỷ").replace("ỏe", "oẻ")
            )
        if strip:
            text = _strip(text)
        return text


def _strip(text: str) -> str:
    d = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in d if not unicodedata.combining(ch)))


def _ranges(counts: np.ndarray) -> np.ndarray:
    total = int(counts.sum())
    ends = np.cumsum(counts)
    return np.arange(total, dtype=np.int64) - np.repeat(ends - counts, counts)
