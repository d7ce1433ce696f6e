"""Near-copy detection over content-3 sections: batch self-join and incremental index.

**What "similarity" is.** For each section we take the set X of 40-bit fingerprints of its
3-token shingles (see :mod:`.shingles`: diacritics removed, names → ``@``, numbers → ``#``,
abbreviations expanded, windows inside task segments). Before comparing we remove from X

* every fingerprint of the *stop list*: shingles of the generic-formula catalogue and of the
  form boilerplate (``data/generic_formulas.txt``, ``data/boilerplate.txt``), and
* every fingerprint whose *document frequency* is above ``max_df`` = max(``max_df_min``,
  ``max_df_frac`` × number of sections) — in batch mode the frequency over the whole input
  (all scopes together), in incremental mode the frequency in the index when it was last
  compacted (the set of such fingerprints is frozen between compactions).

The similarity of two sections is the exact Jaccard index |X'∩Y'| / |X'∪Y'| of those
filtered sets. A pair is reported iff it is ≥ ``threshold`` (compared exactly with integer
arithmetic) and both filtered sets have at least ``min_size`` fingerprints. Boilerplate can
therefore neither create a copy (it is not in the sets) nor hide one (it does not inflate the
union).

**Batch algorithm** (exact, AllPairs/PPJoin-style prefix filtering, vectorised with numpy):
fingerprints are ordered by (document frequency, value); a set of size s has required
overlap α = ⌈t·s⌉ and prefix length s − α + k (k = ``prefix_k``, default 3, capped at α);
any pair with Jaccard ≥ t shares at least min(k, α) fingerprints of those prefixes, so
candidates are the pairs sharing that many. Candidates pass a size filter
(t·max ≤ min) and a scope filter, then every candidate is verified by counting the exact
intersection (binary search in the globally sorted (section, rank) array). Recall is 1 on
the filtered sets by construction; precision is 1 by verification.

**Incremental index**: see :mod:`.index` (:class:`CopyIndex`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .lexicon import Lexicon, get_lexicon
from .shingles import (
    FP_BITS,
    Vocab,
    copy_segments,
    in_sorted,
    packed_keys,
    stop_fingerprints,
)

__all__ = [
    "CopyParams",
    "Pair",
    "find_copies",
    "find_copies_in_corpus",
    "jaccard",
]

DOC_BITS = 64 - FP_BITS  # 24: up to 16,777,215 sections in one batch
MAX_DOCS = (1 << DOC_BITS) - 1
_DOC_MASK = np.uint64(MAX_DOCS)
_DOC_SHIFT = np.uint64(DOC_BITS)


@dataclass(frozen=True)
class CopyParams:
    """Parameters of near-copy detection (see the module docstring for their meaning)."""

    threshold: float = 0.6
    max_df_frac: float = 0.001
    max_df_min: int = 50
    min_size: int = 3

    prefix_k: int = 3

    def fraction(self) -> Fraction:
        """The threshold as an exact fraction (e.g. 0.6 → 3/5)."""
        return Fraction(self.threshold).limit_denominator(10_000)

    def max_df(self, n_docs: int) -> int:
        """Largest document frequency a fingerprint may have to be kept."""
        return max(self.max_df_min, math.floor(self.max_df_frac * n_docs))


@dataclass(frozen=True)
class Pair:
    """A near-copy pair: positions or ids ``a`` < ``b`` in input order, and the Jaccard index."""

    a: Hashable
    b: Hashable
    similarity: float


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """Exact Jaccard index of two sorted unique fingerprint arrays (0.0 if both empty)."""
    if x.size == 0 and y.size == 0:
        return 0.0
    inter = np.intersect1d(x, y, assume_unique=True).size
    return inter / (x.size + y.size - inter)


# --------------------------------------------------------------------------------------------
# Batch
# --------------------------------------------------------------------------------------------


def _ceil_frac(n: np.ndarray, frac: Fraction) -> np.ndarray:
    num, den = frac.numerator, frac.denominator
    return -((-n * num) // den)


@dataclass
class _Sets:
    """Filtered sets in CSR form, each sorted by global rank (rarest first)."""

    key2: np.ndarray  # uint64 (doc << 32 | rank), sorted
    rank: np.ndarray  # int32 rank of each element
    doc: np.ndarray  # int32 doc of each element
    sizes: np.ndarray  # int64 per doc
    starts: np.ndarray  # int64 per doc


def _build_sets(
    holder: list[np.ndarray], n_docs: int, params: CopyParams, stop: np.ndarray
) -> _Sets:
    """From packed (fp << 24 | doc) keys: dedupe, DF filter, rank order, per-doc sort.

    ``holder`` is a one-element list whose array is consumed (so that it can be freed half
    way). Written for memory: the keys are sorted and shifted in place, document numbers and
    ranks are 32-bit, every temporary is dropped as soon as possible.
    """
    keys = holder.pop()
    keys.sort()
    if keys.size == 0:
        empty = np.empty(0, dtype=np.int32)
        z = np.zeros(n_docs, dtype=np.int64)
        return _Sets(np.empty(0, dtype=np.uint64), empty, empty, z, z.copy())
    keep = np.empty(keys.size, dtype=bool)  # first occurrence of (fp, doc)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    doc = (keys & _DOC_MASK).astype(np.int32)
    np.right_shift(keys, _DOC_SHIFT, out=keys)
    fp = keys
    new_group = np.empty(fp.size, dtype=bool)
    new_group[0] = True
    np.not_equal(fp[1:], fp[:-1], out=new_group[1:])
    gstart = np.flatnonzero(new_group)
    del new_group
    glen = np.diff(np.append(gstart, fp.size)).astype(np.int32)
    # Document frequency = run length minus the (rare) repeats of a (fp, doc) key.
    dup_pos = np.flatnonzero(~keep)
    df = glen.copy()
    if dup_pos.size:
        df -= np.bincount(
            np.searchsorted(gstart, dup_pos, side="right") - 1, minlength=glen.size
        ).astype(np.int32)
    del dup_pos
    keep_g = df <= params.max_df(n_docs)
    if stop.size:
        # the stop list is small: look its fingerprints up in the sorted element array
        pos = np.searchsorted(fp, stop)
        inside = pos < fp.size
        pos, found = pos[inside], stop[inside]
        pos = pos[fp[pos] == found]
        keep_g[np.searchsorted(gstart, pos, side="right") - 1] = False
    del gstart, fp, keys
    # Global order: (df, fp) ascending; fp ascending is the current order, so a stable sort
    # on df (radix sort for 16-bit keys) gives the rank without a 64-bit argsort.
    np.minimum(df, 65534, out=df)
    df[~keep_g] = 65535  # dropped groups sort last and get rank -1 below
    order = np.argsort(df.astype(np.uint16), kind="stable")
    del df
    rank_g = np.empty(order.size, dtype=np.int32)
    rank_g[order] = np.arange(order.size, dtype=np.int32)
    del order
    rank_g[~keep_g] = -1
    del keep_g
    elem_rank = np.repeat(rank_g, glen)
    del rank_g, glen
    keep &= elem_rank >= 0
    d = doc[keep]
    del doc
    r = elem_rank[keep]
    del elem_rank, keep
    key2 = d.astype(np.uint64)
    del d
    key2 <<= np.uint64(32)
    key2 |= r.astype(np.uint64)
    del r
    key2.sort()
    doc2 = (key2 >> np.uint64(32)).astype(np.int32)
    rank2 = (key2 & np.uint64(0xFFFFFFFF)).astype(np.int32)
    sizes = np.bincount(doc2, minlength=n_docs).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    return _Sets(key2, rank2, doc2, sizes, starts)


def _candidates(
    sets: _Sets, params: CopyParams, scope_codes: np.ndarray | None, k: int = 2
) -> np.ndarray:
    """Candidate pairs (a < b) packed as a << 24 | b, unique, after the filters.

    Prefix filter with a count requirement (the "k-prefix" generalisation): with
    α = ⌈t·s⌉ and k_s = min(k, α), the prefixes of length s − α + k_s of two sets with
    Jaccard ≥ t share at least min(k_a, k_b) fingerprints (the smallest fingerprints of their
    intersection in the global order are in both prefixes). Pairs that share fewer prefix
    fingerprints cannot reach the threshold; pairs failing the size filter (t·max ≤ min) or
    the scope filter are dropped too. The result still goes to exact verification.
    """
    frac = params.fraction()
    sizes = sets.sizes
    n_el = sets.doc.size
    alpha = _ceil_frac(sizes, frac)
    kset = np.minimum(k, alpha)
    plen = np.minimum(sizes - alpha + kset, sizes)
    plen[sizes < params.min_size] = 0
    # Prefix mask without per-element int64 temporaries: +1 at each set's start, −1 at the
    # end of its prefix, running sum (int8).
    sel = np.flatnonzero(plen > 0)
    ev = np.zeros(n_el + 1, dtype=np.int8)
    np.add.at(ev, sets.starts[sel], 1)
    np.add.at(ev, sets.starts[sel] + plen[sel], -1)
    in_prefix = np.cumsum(ev[:-1], dtype=np.int8).view(bool)
    del ev, sel
    key3 = sets.rank[in_prefix].astype(np.uint64)
    key3 <<= _DOC_SHIFT
    key3 |= sets.doc[in_prefix].astype(np.uint64)
    del in_prefix
    key3.sort()
    if key3.size < 2:
        return np.empty(0, dtype=np.uint64)
    # Keep only elements whose prefix fingerprint is shared with another set.
    same = key3[1:] ^ key3[:-1]
    same >>= _DOC_SHIFT
    same = same == 0
    shared = np.zeros(key3.size, dtype=bool)
    shared[:-1] |= same
    shared[1:] |= same
    del same
    key3 = key3[shared]
    del shared
    if key3.size == 0:
        return np.empty(0, dtype=np.uint64)
    d3 = (key3 & _DOC_MASK).astype(np.int32)
    key3 >>= _DOC_SHIFT  # now the rank
    bounds = np.flatnonzero(key3[1:] != key3[:-1]) + 1
    del key3
    gstart = np.concatenate(([0], bounds))
    glen = np.diff(np.append(gstart, d3.size))
    del bounds
    # Element e pairs with the elements after it in its group; documents are ascending
    # inside a group, so (d3[e], d3[later]) is already ordered a < b.
    npart = np.repeat(gstart + glen, glen)
    npart -= np.arange(d3.size, dtype=np.int64) + 1
    del gstart, glen
    elem = np.flatnonzero(npart)
    npart = npart[elem]
    out = []
    for lo, hi in _chunk_by_total(npart, 4_000_000):
        c = npart[lo:hi]
        left = np.repeat(elem[lo:hi], c)
        right = left + 1 + _ranges(c)
        a = d3[left]
        b = d3[right]
        del left, right
        sa, sb = sizes[a], sizes[b]
        ok = np.minimum(sa, sb) * frac.denominator >= np.maximum(sa, sb) * frac.numerator
        if scope_codes is not None:
            ok &= scope_codes[a] == scope_codes[b]
        pk = a[ok].astype(np.uint64)
        pk <<= _DOC_SHIFT
        pk |= b[ok].astype(np.uint64)
        out.append(pk)
    del elem, npart, d3
    if not out:
        return np.empty(0, dtype=np.uint64)
    pairs = np.concatenate(out) if len(out) > 1 else out[0]
    del out
    pairs.sort()
    if pairs.size == 0:
        return pairs
    first = np.empty(pairs.size, dtype=bool)
    first[0] = True
    np.not_equal(pairs[1:], pairs[:-1], out=first[1:])
    need_min = int(kset[sizes >= params.min_size].min()) if (sizes >= params.min_size).any() else 1
    if need_min >= 2:
        # a pair can only qualify if it occurs at least need_min times: test pairs[i + m - 1]
        m = need_min - 1
        enough = np.zeros(pairs.size, dtype=bool)
        enough[:-m] = pairs[m:] == pairs[:-m]
        first &= enough
        del enough
    starts = np.flatnonzero(first)
    del first
    uniq = pairs[starts]
    a = (uniq >> _DOC_SHIFT).astype(np.int64)
    b = (uniq & _DOC_MASK).astype(np.int64)
    need = np.minimum(kset[a], kset[b])
    # occurrences of each surviving pair (runs are short: at most k shared prefix entries
    # per pair are needed, so look ahead up to k − 1 positions)
    count = np.ones(uniq.size, dtype=np.int64)
    for off in range(1, int(need.max()) if need.size else 1):
        pos = starts + off
        ok = pos < pairs.size
        count[ok] += pairs[pos[ok]] == uniq[ok]
    return uniq[count >= need]


def _ranges(counts: np.ndarray) -> np.ndarray:
    """Concatenation of arange(c) for each c in ``counts``."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offs = np.repeat(ends - counts, counts)
    return np.arange(total, dtype=np.int64) - offs


def _chunk_by_total(counts: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Split indices of ``counts`` into runs whose sum is about ``budget``."""
    if counts.size == 0:
        return []
    cum = np.cumsum(counts)
    chunks = []
    lo = 0
    while lo < counts.size:
        base = cum[lo - 1] if lo else 0
        hi = int(np.searchsorted(cum, base + budget, side="right"))
        hi = max(hi, lo + 1)
        chunks.append((lo, hi))
        lo = hi
    return chunks


def _verify(sets: _Sets, cand: np.ndarray, params: CopyParams) -> tuple[np.ndarray, ...]:
    """Exact intersection sizes for candidate pairs; returns (a, b, inter, union) kept."""
    frac = params.fraction()
    a = (cand >> _DOC_SHIFT).astype(np.int64)
    b = (cand & _DOC_MASK).astype(np.int64)
    sizes, starts = sets.sizes, sets.starts
    # probe the elements of the smaller set into the larger one
    swap = sizes[b] > sizes[a]
    big = np.where(swap, b, a)
    small = np.where(swap, a, b)
    inter = np.zeros(cand.size, dtype=np.int64)
    for lo, hi in _chunk_by_total(sizes[small], 4_000_000):
        s = small[lo:hi]
        cnt = sizes[s]
        idx = np.repeat(starts[s], cnt) + _ranges(cnt)
        q = (np.repeat(big[lo:hi], cnt).astype(np.uint64) << np.uint64(32)) | sets.rank[idx].astype(
            np.uint64
        )
        p = np.searchsorted(sets.key2, q)
        p[p == sets.key2.size] = 0
        hit = sets.key2[p] == q
        inter[lo:hi] = np.bincount(np.repeat(np.arange(hi - lo), cnt)[hit], minlength=hi - lo)
    union = sizes[a] + sizes[b] - inter
    ok = inter * frac.denominator >= union * frac.numerator
    return a[ok], b[ok], inter[ok], union[ok]


def find_copies_in_corpus(
    tokens: np.ndarray,
    seg_len: np.ndarray,
    segs_per_doc: np.ndarray,
    *,
    params: CopyParams | None = None,
    scopes: Sequence[Hashable] | np.ndarray | None = None,
    stop: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch near-copy detection on token-hash arrays (the code path every caller uses).

    ``tokens``: flat uint64 token hashes; ``seg_len``: length of each segment;
    ``segs_per_doc``: number of segments of each section. Returns arrays (a, b, similarity)
    of section positions with a < b.
    """
    params = params or CopyParams()
    stop = stop_fingerprints() if stop is None else stop
    n_docs = int(segs_per_doc.shape[0])
    if n_docs > MAX_DOCS:
        raise ValueError(f"at most {MAX_DOCS} sections per batch")
    holder = [packed_keys(tokens, seg_len, segs_per_doc)]
    sets = _build_sets(holder, n_docs, params, stop)
    scope_codes = None
    if scopes is not None:
        _, scope_codes = np.unique(
            np.asarray(scopes, dtype=object).astype(str), return_inverse=True
        )
    cand = _candidates(sets, params, scope_codes, params.prefix_k)
    a, b, inter, union = _verify(sets, cand, params)
    return a, b, inter / np.maximum(union, 1)


def find_copies(
    texts: Sequence[str],
    ids: Sequence[Hashable] | None = None,
    scopes: Sequence[Hashable | None] | None = None,
    *,
    params: CopyParams | None = None,
    lex: Lexicon | None = None,
) -> list[Pair]:
    """Batch mode: every pair of ``texts`` with similarity ≥ ``params.threshold``.

    With ``scopes`` (cell, committee, year…), only pairs inside the same scope are compared
    (``None`` is a scope of its own); document frequencies are computed over all texts.
    Pairs come back once each, ``a`` before ``b`` in input order, sorted by similarity.
    """
    lex = lex or get_lexicon()
    vocab = Vocab()
    flat: list[int] = []
    seg_lens: list[int] = []
    spd: list[int] = []
    for text in texts:
        segs = copy_segments(text or "", lex=lex)
        for seg in segs:
            flat.extend(map(vocab.__getitem__, seg))
            seg_lens.append(len(seg))
        spd.append(len(segs))
    a, b, sim = find_copies_in_corpus(
        np.array(flat, dtype=np.uint64),
        np.array(seg_lens, dtype=np.int64),
        np.array(spd, dtype=np.int64),
        params=params,
        scopes=None if scopes is None else ["" if s is None else repr(s) for s in scopes],
    )
    ids = list(range(len(texts))) if ids is None else list(ids)
    pairs = [
        Pair(ids[int(x)], ids[int(y)], round(float(s), 4))
        for x, y, s in zip(a.tolist(), b.tolist(), sim.tolist(), strict=True)
    ]
    pairs.sort(key=lambda p: -p.similarity)
    return pairs


def filtered_sets_csr(
    tokens: np.ndarray,
    seg_len: np.ndarray,
    segs_per_doc: np.ndarray,
    *,
    params: CopyParams | None = None,
    stop: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Filtered fingerprint sets of many sections, sorted by value, in CSR form.

    Returns ``(doc_off, fps, frequent)``: section i is ``fps[doc_off[i]:doc_off[i+1]]``;
    ``frequent`` lists the fingerprints dropped for their document frequency. Used to build a
    :class:`CopyIndex` in bulk and, independently of the join, as the reference for exact
    Jaccard in the benchmark.
    """
    params = params or CopyParams()
    stop = stop_fingerprints() if stop is None else stop
    n_docs = int(np.asarray(segs_per_doc).shape[0])
    keys = packed_keys(tokens, seg_len, segs_per_doc)
    keys.sort()
    if keys.size:
        keep = np.empty(keys.size, dtype=bool)
        keep[0] = True
        np.not_equal(keys[1:], keys[:-1], out=keep[1:])
        keys = keys[keep]
        del keep
    # keys are sorted, so their fingerprints are too: distinct values and counts by runs
    # (np.unique would sort them again and hold a permutation as large as the input)
    fp = keys >> _DOC_SHIFT
    if fp.size:
        new_run = np.empty(fp.size, dtype=bool)
        new_run[0] = True
        np.not_equal(fp[1:], fp[:-1], out=new_run[1:])
        starts = np.flatnonzero(new_run)
        del new_run
        u = fp[starts]
        counts = np.diff(np.append(starts, fp.size))
        del starts
    else:
        u = fp
        counts = np.empty(0, dtype=np.int64)
    del fp
    frequent = u[counts > params.max_df(n_docs)]
    drop = np.repeat((counts > params.max_df(n_docs)) | in_sorted(u, stop), counts)
    del u, counts
    keys = keys[~drop]
    del drop
    # re-sort by (doc, fp): doc in the high 24 bits, fp in the low 40
    resorted = keys & _DOC_MASK
    resorted <<= np.uint64(FP_BITS)
    keys >>= _DOC_SHIFT
    resorted |= keys
    del keys
    resorted.sort()
    fps = resorted & np.uint64((1 << FP_BITS) - 1)
    resorted >>= np.uint64(FP_BITS)  # now the section numbers (< 2^24)
    sizes = np.bincount(resorted.view(np.int64), minlength=n_docs)
    del resorted
    doc_off = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    return doc_off, fps, frequent
