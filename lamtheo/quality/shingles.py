"""Copy keys and shingle fingerprints for near-copy detection.

Pipeline for one section (text → set of 40-bit fingerprints):

1. **Copy key.** Diacritics are removed (precomposed letters and combining marks, so NFC, NFD
   and either tone placement give the same key; «Đ», «Ð» → «D»). Runs of Title-case words
   that do not start a sentence become one placeholder ``@`` (person and place names), every
   token containing a digit becomes ``#`` (numbers, dates, codes), the text is lower-cased,
   abbreviations are expanded (``hs`` → ``hoc sinh``) and it is cut into task segments
   (lines, list items, sentences, semicolons); list markers disappear.
2. **Tokens → 64-bit hashes** with BLAKE2b (stable across processes, unlike ``hash()``).
3. **Shingles.** Every window of 3 consecutive tokens *inside one segment* (so reordering
   tasks does not change the set); a segment of 1–2 tokens gives one padded shingle. The
   three token hashes are combined (h = a·C1 + b·C2 + c·C3 mod 2^64 with odd constants) and
   the top 40 bits are kept as the fingerprint.
4. **Set.** The fingerprints of a section form a set (duplicates removed).

The 40-bit width lets a fingerprint and a 24-bit section number share one 64-bit sort key in
batch mode. With ~10^8 distinct shingles the chance that two different shingles share a
fingerprint is about 10^8 / 2^40 ≈ 10^-4 per shingle, and a collision only merges two shingles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from hashlib import blake2b

import numpy as np

from .lexicon import Lexicon, get_lexicon

__all__ = [
    "FP_BITS",
    "Vocab",
    "copy_segments",
    "fingerprint_set",
    "shingle_fps",
    "stop_fingerprints",
]

FP_BITS = 40
FP_SHIFT = 64 - FP_BITS

_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xC2B2AE3D27D4EB4F)
_C3 = np.uint64(0x165667B19E3779F9)
_SHIFT = np.uint64(FP_SHIFT)
PAD_HASH = 0x5BD1E9955BD1E995


def token_hash(token: str) -> int:
    """Stable 64-bit hash of one copy-key token."""
    return int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class Vocab(dict):
    """Cache token → 64-bit hash (``dict`` subclass so lookups stay in C)."""

    def __missing__(self, key: str) -> int:
        value = token_hash(key)
        self[key] = value
        return value


_VOCAB = Vocab()


_HIGH = np.uint64(((1 << FP_BITS) - 1) << FP_SHIFT)


def _mix_into(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, out: np.ndarray, tmp: np.ndarray
) -> None:
    """out = a·C1 + b·C2 + c·C3 (mod 2^64), top 40 bits kept (low 24 bits cleared).

    Token hashes are uniform 64-bit BLAKE2b values, so this order-dependent linear
    combination is already uniform; the top bits of a product by an odd constant depend on
    all bits of the factor. Written with ``out=`` buffers: on this class of machine fresh
    large allocations (page faults) cost more than the arithmetic.
    """
    np.multiply(a, _C1, out=out)
    np.multiply(b, _C2, out=tmp)
    np.add(out, tmp, out=out)
    np.multiply(c, _C3, out=tmp)
    np.add(out, tmp, out=out)
    np.bitwise_and(out, _HIGH, out=out)


def _windows(seg_len: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(valid start mask of length max(n-2, 0), indices of segments shorter than 3)."""
    ends = np.cumsum(seg_len)
    starts = ends - seg_len
    m = max(n - 2, 0)
    valid = np.ones(m, dtype=bool)
    for off in (1, 2):
        pos = ends - off
        pos = pos[(pos >= starts) & (pos < m)]
        valid[pos] = False
    return valid, np.flatnonzero(seg_len < 3)


def packed_keys(
    tokens: np.ndarray, seg_len: np.ndarray, segs_per_doc: np.ndarray, *, chunk: int = 1 << 20
) -> np.ndarray:
    """Batch form: one uint64 per shingle, fingerprint in the top 40 bits, section number
    (position in ``segs_per_doc``) in the low 24 bits. Unsorted, with repeats."""
    tokens = np.ascontiguousarray(tokens, dtype=np.uint64)
    seg_len = np.asarray(seg_len, dtype=np.int64)
    segs_per_doc = np.asarray(segs_per_doc, dtype=np.int64)
    n = int(tokens.shape[0])
    valid, short = _windows(seg_len, n)
    # sections of each window / short segment
    seg_doc = np.repeat(np.arange(segs_per_doc.size, dtype=np.int64), segs_per_doc)
    win_per_doc = np.bincount(
        seg_doc, weights=np.maximum(seg_len - 2, 0), minlength=segs_per_doc.size
    )
    cum_win = np.cumsum(win_per_doc.astype(np.int64))
    n_win = int(cum_win[-1]) if cum_win.size else 0
    out = np.empty(n_win + short.size, dtype=np.uint64)
    buf = np.empty(chunk, dtype=np.uint64)
    tmp = np.empty(chunk, dtype=np.uint64)
    w = 0
    # Mix every start position of a chunk from contiguous slices (no gathers), then keep
    # the valid ones; windows come out in stream order, i.e. grouped by section.
    for lo in range(0, valid.size, chunk):
        hi = min(valid.size, lo + chunk)
        k = hi - lo
        _mix_into(tokens[lo:hi], tokens[lo + 1 : hi + 1], tokens[lo + 2 : hi + 2], buf[:k], tmp[:k])
        sel = buf[:k][valid[lo:hi]]
        out[w : w + sel.size] = sel
        w += sel.size
    # Section numbers in the low 24 bits, by runs of sections.
    wpd = win_per_doc.astype(np.int64)
    d0 = 0
    step = max(1, chunk // 64)
    while d0 < wpd.size:
        d1 = min(wpd.size, d0 + step)
        a = int(cum_win[d0 - 1]) if d0 else 0
        b = int(cum_win[d1 - 1])
        if b > a:
            out[a:b] |= np.repeat(np.arange(d0, d1, dtype=np.uint64), wpd[d0:d1])
        d0 = d1
    if short.size:
        ends = np.cumsum(seg_len)
        s = ends[short] - seg_len[short]
        pad = np.full(short.size, PAD_HASH, dtype=np.uint64)
        b = np.where(seg_len[short] == 2, tokens[np.minimum(s + 1, max(n - 1, 0))], pad)
        dst = out[w:]
        _mix_into(tokens[s], b, pad, dst, np.empty(short.size, dtype=np.uint64))
        dst |= seg_doc[short].astype(np.uint64)
    return out


def shingle_fps(tokens: np.ndarray, seg_len: np.ndarray) -> np.ndarray:
    """40-bit fingerprints (uint64, unsorted, with repeats) of the 3-token shingles.

    ``tokens`` is the flat uint64 array of token hashes of one or more sections, cut into
    segments of lengths ``seg_len`` (each > 0). Windows never cross a segment boundary.
    """
    seg_len = np.asarray(seg_len, dtype=np.int64)
    keys = packed_keys(tokens, seg_len, np.array([seg_len.size], dtype=np.int64))
    return keys >> _SHIFT


# --------------------------------------------------------------------------------------------
# Copy keys from text
# --------------------------------------------------------------------------------------------


def _copy_table() -> dict[int, int | None]:
    import unicodedata

    table: dict[int, int | None] = {}
    for code in range(0x00C0, 0x1EFA):
        d = unicodedata.normalize("NFD", chr(code))
        if len(d) > 1 and "a" <= d[0].lower() <= "z":
            table[code] = ord(d[0])
    for code in range(0x0300, 0x0370):  # combining marks of NFD input
        table[code] = None
    for code, repl in ((0x0110, "D"), (0x0111, "d"), (0x00D0, "D"), (0x00F0, "d")):
        table[code] = ord(repl)
    table[0x0189] = ord("D")
    for ch in "•●▪◦■➢➤►":  # bullets separate tasks
        table[ord(ch)] = ord("\n")
    table[ord("…")] = ord(".")
    return table


_COPY_TABLE = _copy_table()
_NAME_RUN = re.compile(r"(?<=[a-z0-9,#] )[A-Z][a-z]*(?: [A-Z][a-z]*)*(?![A-Za-z0-9])")
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_WORD = re.compile(r"[A-Za-z]+")
_DIGIT_TOKEN = re.compile(r"[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[./,:-][A-Za-z0-9]+)*")
_TOKSEP = re.compile(r"[a-z#@]+|[\n\r;•●▪◦■➢➤►]|[.!?…](?=\s|$)")
_SEPARATORS = frozenset("\n\r;•●▪◦■➢➤►.!?…")
_MARKER_LETTERS = frozenset("abcde")


def _abbrev_map(lex: Lexicon) -> dict[str, tuple[str, ...]]:
    cached = getattr(lex, "_copy_abbrev", None)
    if cached is None:
        cached = {k: v for k, v in lex.abbreviations.items() if k.isalpha() and k.isascii()}
        lex._copy_abbrev = cached  # type: ignore[attr-defined]
    return cached


def copy_segments(text: str, *, lex: Lexicon | None = None) -> list[list[str]]:
    """Copy-key tokens of ``text``, one list per task segment (see the module docstring)."""
    lex = lex or get_lexicon()
    t = text.translate(_COPY_TABLE)
    t = _DIGIT_TOKEN.sub("#", t)
    words = len(_WORD.findall(t))
    if words and len(_TITLE_WORD.findall(t)) <= 0.5 * words:
        t = _NAME_RUN.sub("@", t)
    abbrev = _abbrev_map(lex)
    segments: list[list[str]] = []
    cur: list[str] = []
    for item in _TOKSEP.findall(t.lower()):
        if item in _SEPARATORS:
            if cur:
                segments.append(cur)
                cur = []
            continue
        exp = abbrev.get(item)
        if exp is not None:
            cur.extend(exp)
        elif not cur and (item == "#" or item in _MARKER_LETTERS):
            continue  # list marker: «1.», «2)», «a)»
        else:
            cur.append(item)
    if cur:
        segments.append(cur)
    return [seg for seg in segments if len(seg) > 1 or len(seg[0]) > 1]


def fingerprint_set(
    text: str, *, lex: Lexicon | None = None, vocab: Vocab | None = None
) -> np.ndarray:
    """Sorted unique 40-bit shingle fingerprints of one section's text (uint64)."""
    vocab = vocab if vocab is not None else _VOCAB
    segs = copy_segments(text, lex=lex)
    if not segs:
        return np.empty(0, dtype=np.uint64)
    flat = [vocab[w] for seg in segs for w in seg]
    toks = np.array(flat, dtype=np.uint64)
    lens = np.fromiter((len(s) for s in segs), dtype=np.int64, count=len(segs))
    return np.unique(shingle_fps(toks, lens))


def texts_to_corpus(
    texts: Iterable[str], *, lex: Lexicon | None = None, vocab: Vocab | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat token hashes, segment lengths and segments-per-section for many texts."""
    lex = lex or get_lexicon()
    vocab = vocab if vocab is not None else _VOCAB
    flat: list[int] = []
    seg_lens: list[int] = []
    segs_per_doc: list[int] = []
    extend = flat.extend
    for text in texts:
        segs = copy_segments(text, lex=lex)
        for seg in segs:
            extend(map(vocab.__getitem__, seg))
            seg_lens.append(len(seg))
        segs_per_doc.append(len(segs))
    return (
        np.array(flat, dtype=np.uint64),
        np.array(seg_lens, dtype=np.int64),
        np.array(segs_per_doc, dtype=np.int64),
    )


@lru_cache(maxsize=4)
def _stop_cached(lex_key: str) -> np.ndarray:
    lex = get_lexicon(lex_key or None)
    fps = [fingerprint_set(f.text, lex=lex) for f in lex.formulas]
    fps += [fingerprint_set(b, lex=lex) for b in lex.boilerplate]
    if not fps:
        return np.empty(0, dtype=np.uint64)
    return np.unique(np.concatenate(fps))


def stop_fingerprints(lex_key: str = "") -> np.ndarray:
    """Sorted fingerprints of the generic catalogue and the form boilerplate (dropped)."""
    return _stop_cached(lex_key)


def in_sorted(values: np.ndarray, sorted_ref: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``values`` occur in the sorted array ``sorted_ref``."""
    if sorted_ref.size == 0 or values.size == 0:
        return np.zeros(values.shape[0], dtype=bool)
    pos = np.searchsorted(sorted_ref, values)
    pos[pos == sorted_ref.size] = 0
    return sorted_ref[pos] == values


def as_fp_sets(texts: Sequence[str], *, lex: Lexicon | None = None) -> list[np.ndarray]:
    """Fingerprint sets of several texts (convenience for tests)."""
    return [fingerprint_set(t, lex=lex) for t in texts]
