"""Incremental near-copy index: one section at a time against a persistent index.

Every fingerprint of every indexed set is in an inverted index: a static part (numpy CSR
arrays: sorted fingerprints, posting offsets, postings, and each section's own fingerprints)
plus a dict *delta* for sections added since the last compaction; removals are tombstones.
A query probes only its |X| − ⌈t·|X|⌉ + 1 rarest fingerprints — exact for any probe order,
since a set sharing ⌈t·|X|⌉ fingerprints with X must share one of any |X| − ⌈t·|X|⌉ + 1 of
them — then size-filters and verifies the candidates exactly. See :mod:`.copies` for what the
similarity is computed on.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path

import numpy as np

from .copies import (
    _DOC_MASK,
    _DOC_SHIFT,
    MAX_DOCS,
    CopyParams,
    Pair,
    _ranges,
    filtered_sets_csr,
)
from .lexicon import Lexicon
from .shingles import fingerprint_set, in_sorted, stop_fingerprints

__all__ = ["CopyIndex"]


class CopyIndex:
    """Persistent index of sections for one-at-a-time near-copy checks.

    ``check(text)`` returns the indexed sections similar to ``text`` without adding it;
    ``add(id, text)`` indexes a section (replacing an earlier one with the same id);
    ``remove(id)`` drops it. Additions go to a small in-memory delta that is merged into the
    static numpy arrays when it grows past ``compact_every`` sections (or on :meth:`compact`,
    :meth:`save`). :meth:`save` / :meth:`load` write and read one ``.npz`` file.
    """

    def __init__(self, params: CopyParams | None = None, *, lex: Lexicon | None = None) -> None:
        self.params = params or CopyParams()
        self._lex = lex
        self._catalogue = stop_fingerprints()
        self._stop_df = np.empty(0, dtype=np.uint64)  # frozen at the last compaction
        self._stop = self._catalogue
        self.compact_every = 20_000
        # documents
        self._ids: list[Hashable] = []
        self._pos: dict[Hashable, int] = {}
        self._alive = np.zeros(0, dtype=bool)
        self._sizes = np.zeros(0, dtype=np.int64)
        # static part: per-doc fps (CSR) and inverted index (CSR)
        self._n_static = 0
        self._doc_off = np.zeros(1, dtype=np.int64)
        self._doc_fps = np.empty(0, dtype=np.uint64)
        self._keys = np.empty(0, dtype=np.uint64)
        self._post_off = np.zeros(1, dtype=np.int64)
        self._post = np.empty(0, dtype=np.int64)
        # delta part
        self._delta_docs: dict[int, np.ndarray] = {}
        self._delta_post: dict[int, list[int]] = {}

    # ---- public API ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    def fingerprints(self, text: str) -> np.ndarray:
        """Fingerprint set of ``text`` after removing the catalogue and frequent shingles."""
        fps = fingerprint_set(text or "", lex=self._lex)
        return self._filter(fps)

    def add(self, doc_id: Hashable, text: str) -> None:
        """Index one section (an existing section with the same id is replaced)."""
        self.add_fps(doc_id, self.fingerprints(text))

    def add_fps(self, doc_id: Hashable, fps: np.ndarray) -> None:
        """Index one already-filtered fingerprint set (sorted unique uint64)."""
        if doc_id in self._pos:
            self.remove(doc_id)
        internal = len(self._ids)
        self._ids.append(doc_id)
        self._pos[doc_id] = internal
        self._ensure_capacity(internal + 1)
        self._alive[internal] = True
        self._sizes[internal] = fps.size
        self._delta_docs[internal] = fps
        for f in fps.tolist():
            lst = self._delta_post.get(f)
            if lst is None:
                self._delta_post[f] = [internal]
            else:
                lst.append(internal)
        if len(self._delta_docs) >= self.compact_every:
            self.compact()

    def remove(self, doc_id: Hashable) -> bool:
        """Drop a section; returns False if it was not indexed. Space is reclaimed on compact."""
        internal = self._pos.pop(doc_id, None)
        if internal is None:
            return False
        self._alive[internal] = False
        fps = self._delta_docs.pop(internal, None)
        if fps is not None:
            for f in fps.tolist():
                lst = self._delta_post.get(f)
                if lst is not None:
                    lst.remove(internal)
                    if not lst:
                        del self._delta_post[f]
        return True

    def check(self, text: str, *, exclude: Hashable | None = None) -> list[Pair]:
        """Indexed sections whose similarity with ``text`` is ≥ the threshold (not added).

        Pairs have ``a`` = ``exclude`` (the id of the checked section, if given) and ``b`` =
        the indexed section; ``exclude`` itself is never reported.
        """
        return self.check_fps(self.fingerprints(text), exclude=exclude)

    def check_and_add(self, doc_id: Hashable, text: str) -> list[Pair]:
        """Check a new section against the index, then add it."""
        fps = self.fingerprints(text)
        found = self.check_fps(fps, exclude=doc_id)
        self.add_fps(doc_id, fps)
        return found

    def check_fps(self, x: np.ndarray, *, exclude: Hashable | None = None) -> list[Pair]:
        """Same as :meth:`check` for an already-filtered sorted fingerprint set."""
        p = self.params
        size = int(x.size)
        if size < p.min_size or not self._pos:
            return []
        frac = p.fraction()
        num, den = frac.numerator, frac.denominator
        alpha = -((-size * num) // den)
        plen = size - alpha + 1
        df = self._df(x)
        probe = x[np.argsort(df, kind="stable")[:plen]]
        cand = self._postings(probe)
        if cand.size == 0:
            return []
        cand = cand[self._alive[cand]]
        if exclude is not None and exclude in self._pos:
            cand = cand[cand != self._pos[exclude]]
        sz = self._sizes[cand]
        lo_s, hi_s = np.minimum(sz, size), np.maximum(sz, size)
        cand = cand[(lo_s * den >= hi_s * num) & (sz >= p.min_size)]
        if cand.size == 0:
            return []
        inter = self._intersections(cand, x)
        union = self._sizes[cand] + size - inter
        ok = inter * den >= union * num
        out = [
            Pair(exclude, self._ids[int(c)], round(float(i / u), 4))
            for c, i, u in zip(
                cand[ok].tolist(), inter[ok].tolist(), union[ok].tolist(), strict=True
            )
        ]
        out.sort(key=lambda q: -q.similarity)
        return out

    def bulk_load(self, ids: Sequence[Hashable], fp_sets: Iterable[np.ndarray]) -> None:
        """Index many filtered fingerprint sets at once (fast path for large imports)."""
        for doc_id, fps in zip(ids, fp_sets, strict=True):
            internal = len(self._ids)
            if doc_id in self._pos:
                self.remove(doc_id)
            self._ids.append(doc_id)
            self._pos[doc_id] = internal
            self._delta_docs[internal] = fps
        self._ensure_capacity(len(self._ids))
        for internal, fps in self._delta_docs.items():
            self._alive[internal] = True
            self._sizes[internal] = fps.size
        self._delta_post.clear()
        self.compact()

    @classmethod
    def from_corpus(
        cls,
        ids: Sequence[Hashable],
        tokens: np.ndarray,
        seg_len: np.ndarray,
        segs_per_doc: np.ndarray,
        *,
        params: CopyParams | None = None,
    ) -> CopyIndex:
        """Build an index of many sections at once from token-hash arrays (bulk import).

        Frequencies are computed over these sections, exactly as in batch mode.
        """
        index = cls(params)
        doc_off, fps, frequent = filtered_sets_csr(
            tokens, seg_len, segs_per_doc, params=index.params, stop=index._catalogue
        )
        index.bulk_load_csr(ids, doc_off, fps, frequent=frequent)
        return index

    @classmethod
    def from_texts(
        cls, ids: Sequence[Hashable], texts: Sequence[str], *, params: CopyParams | None = None
    ) -> CopyIndex:
        """Build an index of many sections at once from their texts."""
        from .shingles import texts_to_corpus

        tokens, seg_len, spd = texts_to_corpus(texts)
        return cls.from_corpus(ids, tokens, seg_len, spd, params=params)

    def bulk_load_csr(
        self,
        ids: Sequence[Hashable],
        doc_off: np.ndarray,
        fps: np.ndarray,
        *,
        frequent: np.ndarray | None = None,
    ) -> None:
        """Replace the content by filtered CSR sets (``fps[doc_off[i]:doc_off[i+1]]`` sorted);
        ``frequent`` are the fingerprints dropped for their frequency (kept out of queries)."""
        self.__init__(self.params, lex=self._lex)  # type: ignore[misc]
        if frequent is not None:
            self._stop_df = np.asarray(frequent, dtype=np.uint64)
            self._stop = np.union1d(self._catalogue, self._stop_df)
        self._ids = list(ids)
        self._pos = {d: i for i, d in enumerate(self._ids)}
        n = len(self._ids)
        self._alive = np.ones(n, dtype=bool)
        self._doc_off = np.asarray(doc_off, dtype=np.int64)
        self._doc_fps = np.asarray(fps, dtype=np.uint64)
        self._sizes = np.diff(self._doc_off)
        self._n_static = n
        self._rebuild_inverted()

    def compact(self) -> None:
        """Merge the delta into the static arrays, purge removed sections, refresh stop list."""
        n_static = self._n_static
        static_sizes = np.diff(self._doc_off)
        alive_static = self._alive[:n_static]
        # static part, vectorised: drop the fingerprints of removed sections
        fps_static = self._doc_fps[np.repeat(alive_static, static_sizes)]
        sizes_static = static_sizes[alive_static]
        new_ids = [self._ids[i] for i in np.flatnonzero(alive_static).tolist()]
        delta_idx = [i for i in sorted(self._delta_docs) if self._alive[i]]
        parts = [fps_static] + [self._delta_docs[i] for i in delta_idx]
        lens = np.concatenate(
            (sizes_static, np.array([self._delta_docs[i].size for i in delta_idx], dtype=np.int64))
        ).astype(np.int64)
        new_ids += [self._ids[i] for i in delta_idx]
        self._doc_fps = np.concatenate(parts) if len(parts) > 1 else parts[0]
        self._doc_off = np.concatenate(([0], np.cumsum(lens))).astype(np.int64)
        self._ids = new_ids
        self._pos = {d: i for i, d in enumerate(new_ids)}
        self._alive = np.ones(len(new_ids), dtype=bool)
        self._delta_docs = {}
        self._delta_post = {}
        self._n_static = len(new_ids)
        self._sizes = lens
        self._refresh_stop()
        self._rebuild_inverted()

    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (a ``.npz`` file; ids must be JSON-serialisable)."""
        self.compact()
        meta = {
            "version": 1,
            "params": {
                "threshold": self.params.threshold,
                "max_df_frac": self.params.max_df_frac,
                "max_df_min": self.params.max_df_min,
                "min_size": self.params.min_size,
                "prefix_k": self.params.prefix_k,
            },
            "ids": self._ids,
        }
        with open(path, "wb") as fh:
            np.savez(
                fh,
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                doc_off=self._doc_off,
                doc_fps=self._doc_fps,
                stop_df=self._stop_df,
            )

    @classmethod
    def load(cls, path: str | Path, *, lex: Lexicon | None = None) -> CopyIndex:
        """Read an index written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            index = cls(CopyParams(**meta["params"]), lex=lex)
            index._ids = list(meta["ids"])
            index._pos = {d: i for i, d in enumerate(index._ids)}
            index._doc_off = data["doc_off"]
            index._doc_fps = data["doc_fps"]
            index._stop_df = data["stop_df"]
        index._stop = np.union1d(index._catalogue, index._stop_df)
        index._n_static = len(index._ids)
        index._alive = np.ones(index._n_static, dtype=bool)
        index._sizes = np.diff(index._doc_off)
        index._rebuild_inverted()
        return index

    # ---- internals -------------------------------------------------------------------------

    def _ensure_capacity(self, n: int) -> None:
        """Grow the per-section arrays geometrically (amortised O(1) additions)."""
        if n <= self._alive.size:
            return
        cap = max(n, 2 * self._alive.size, 64)
        alive = np.zeros(cap, dtype=bool)
        alive[: self._alive.size] = self._alive
        sizes = np.zeros(cap, dtype=np.int64)
        sizes[: self._sizes.size] = self._sizes
        self._alive, self._sizes = alive, sizes

    def _filter(self, fps: np.ndarray) -> np.ndarray:
        if fps.size and self._stop.size:
            fps = fps[~in_sorted(fps, self._stop)]
        return fps

    def _refresh_stop(self) -> None:
        """Recompute frequent fingerprints; drop them from the stored sets."""
        if self._doc_fps.size == 0:
            return
        cap = self.params.max_df(self._n_static)
        u, counts = np.unique(self._doc_fps, return_counts=True)
        frequent = u[counts > cap]
        if frequent.size == 0 and self._stop_df.size == 0:
            return
        self._stop_df = np.union1d(self._stop_df, frequent)
        self._stop = np.union1d(self._catalogue, self._stop_df)
        if frequent.size:
            keep = ~in_sorted(self._doc_fps, frequent)
            doc_of = np.repeat(np.arange(self._n_static), np.diff(self._doc_off))
            lens = np.bincount(doc_of[keep], minlength=self._n_static)
            self._doc_fps = self._doc_fps[keep]
            self._doc_off = np.concatenate(([0], np.cumsum(lens))).astype(np.int64)
            self._sizes = lens.astype(np.int64)

    def _rebuild_inverted(self) -> None:
        n = self._n_static
        lens = np.diff(self._doc_off)
        if self._doc_fps.size == 0:
            self._keys = np.empty(0, dtype=np.uint64)
            self._post_off = np.zeros(1, dtype=np.int64)
            self._post = np.empty(0, dtype=np.int64)
            return
        if n > MAX_DOCS:
            raise ValueError("index too large for the packed layout")
        packed = self._doc_fps << _DOC_SHIFT
        packed |= np.repeat(np.arange(n, dtype=np.uint64), lens)
        packed.sort()
        fp = packed >> _DOC_SHIFT
        packed &= _DOC_MASK  # in place: section numbers (< 2^24), viewed as int64
        self._post = packed.view(np.int64)
        del packed
        bounds = np.flatnonzero(fp[1:] != fp[:-1]) + 1
        starts = np.concatenate(([0], bounds))
        self._keys = fp[starts]
        self._post_off = np.concatenate((starts, [fp.size])).astype(np.int64)

    def _df(self, x: np.ndarray) -> np.ndarray:
        df = np.zeros(x.size, dtype=np.int64)
        if self._keys.size:
            pos = np.searchsorted(self._keys, x)
            pos[pos == self._keys.size] = 0
            hit = self._keys[pos] == x
            df[hit] = self._post_off[pos[hit] + 1] - self._post_off[pos[hit]]
        if self._delta_post:
            get = self._delta_post.get
            df += np.fromiter((len(get(f, ())) for f in x.tolist()), dtype=np.int64, count=x.size)
        return df

    def _postings(self, probe: np.ndarray) -> np.ndarray:
        parts = []
        if self._keys.size:
            pos = np.searchsorted(self._keys, probe)
            pos[pos == self._keys.size] = 0
            hit = np.flatnonzero(self._keys[pos] == probe)
            if hit.size:
                lo = self._post_off[pos[hit]]
                hi = self._post_off[pos[hit] + 1]
                cnt = hi - lo
                parts.append(self._post[np.repeat(lo, cnt) + _ranges(cnt)])
        if self._delta_post:
            get = self._delta_post.get
            extra = [d for f in probe.tolist() for d in get(f, ())]
            if extra:
                parts.append(np.array(extra, dtype=np.int64))
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(parts)) if len(parts) > 1 else np.unique(parts[0])

    def _intersections(self, cand: np.ndarray, x: np.ndarray) -> np.ndarray:
        inter = np.zeros(cand.size, dtype=np.int64)
        static = cand < self._n_static
        si = np.flatnonzero(static)
        if si.size:
            c = cand[si]
            lo = self._doc_off[c]
            cnt = self._doc_off[c + 1] - lo
            elems = self._doc_fps[np.repeat(lo, cnt) + _ranges(cnt)]
            hit = in_sorted(elems, x)
            inter[si] = np.bincount(np.repeat(np.arange(si.size), cnt)[hit], minlength=si.size)
        for k in np.flatnonzero(~static).tolist():
            y = self._delta_docs[int(cand[k])]
            inter[k] = int(in_sorted(y, x).sum())
        return inter
