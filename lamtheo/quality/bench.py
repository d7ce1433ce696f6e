"""Benchmark of near-copy detection and classification (``python -m lamtheo.quality bench``).

One run, one JSON object:

* **data** — ``sections`` synthetic sections (:mod:`.synth`), 2 % of them planted copies.
  Up to 200,000 sections (or with ``text_path="yes"``) every section is rendered to
  Vietnamese text and goes through the full text path (copy keys → token hashes); above
  that the sections are fed as token-hash arrays, i.e. the same detection code from the
  token hashes on (``find_copies_in_corpus``) without the per-text Python step, whose speed is
  reported separately (``text_path.sections_per_s``).
* **batch** — run in a fresh process that loads the token arrays from disk and calls
  ``find_copies_in_corpus``: wall and CPU seconds, sections/s, peak RSS of that process
  (``getrusage``; it includes the input arrays and the interpreter), pairs reported.
* **quality** — recall on the planted pairs whose *exact* Jaccard on the filtered sets is ≥
  the threshold, and precision of all reported pairs against exact Jaccard (reference sets
  computed separately by :func:`.copies.filtered_sets_csr`).
* **incremental** — index of all sections built in bulk, then ``queries`` one-at-a-time
  checks of texts (half noisy copies of indexed sections, half new sections): median, p95
  latency of ``CopyIndex.check(text)`` (text processing included) and of ``check_fps``.
* **baseline** — datasketch ``MinHashLSH`` (128 permutations, same threshold) on the same
  filtered sets, plus exact verification of its candidates; same figures; and the ratio.
* **classify** — items/s of :func:`.classify.classify` on one core, separately for task lines,
  whole paragraphs (development items grouped, and synthetic sections) and a typing simulation.

The machine is shared: CPU seconds are reported next to wall seconds, and the load average
at start and end.
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .copies import CopyParams, filtered_sets_csr, find_copies_in_corpus
from .index import CopyIndex
from .shingles import stop_fingerprints, texts_to_corpus
from .synth import Synth

__all__ = ["run"]


def _rss_mb() -> float:
    """Peak RSS of this process in MB.

    Linux keeps ``ru_maxrss`` across fork and exec, so a spawned child reports its parent's
    peak if that was higher; ``VmHWM`` belongs to the process's own address space. Both are
    read and the own one is used when available.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return _maxrss_mb()


def _maxrss_mb() -> float:
    """``getrusage(RUSAGE_SELF).ru_maxrss`` in MB (may include a parent's peak, see above)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _exact(doc_off: np.ndarray, fps: np.ndarray, a: int, b: int) -> tuple[int, int]:
    x = fps[doc_off[a] : doc_off[a + 1]]
    y = fps[doc_off[b] : doc_off[b + 1]]
    inter = int(np.intersect1d(x, y, assume_unique=True).size)
    return inter, int(x.size + y.size - inter)


def _ok(inter: int, union: int, params: CopyParams) -> bool:
    f = params.fraction()
    return union > 0 and inter * f.denominator >= union * f.numerator


def run(
    *,
    sections: int = 100_000,
    baseline: bool = True,
    seed: int = 0,
    threshold: float = 0.6,
    queries: int = 1000,
    text_path: str = "auto",
    copy_rate: float = 0.02,
    classify_runs: int = 5,
) -> dict:
    """Run the benchmark and return the figures as a JSON-friendly dict."""
    params = CopyParams(threshold=threshold)
    out: dict = {
        "sections": sections,
        "seed": seed,
        "threshold": threshold,
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }
    stop = stop_fingerprints()
    synth = Synth(seed)
    t0, c0 = time.perf_counter(), time.process_time()
    corpus = synth.generate(sections, copy_rate=copy_rate)
    out["generate_s"] = round(time.perf_counter() - t0, 2)
    out["generate_cpu_s"] = round(time.process_time() - c0, 2)
    out["tokens"] = int(corpus.tokens.size)
    out["planted_copies"] = len(corpus.copy_of)
    _mark(out, "generated")

    # Incremental queries, rendered now (token ids are freed afterwards).
    rng = np.random.default_rng(seed + 1)
    q_copy_src = rng.integers(0, sections, size=queries // 2)
    query_texts: list[str] = []
    query_src: list[int] = []
    for src in q_copy_src.tolist():
        ids, segs = corpus.doc_tokens(src)
        pieces = []
        pos = 0
        for sl in segs.tolist():
            pieces.append(ids[pos : pos + sl].copy())
            pos += sl
        new = synth._perturb(pieces)
        query_texts.append(
            synth.render(np.concatenate(new), np.array([p.size for p in new]), noisy=True)
        )
        query_src.append(src)
    fresh = Synth(seed + 99).generate(queries - len(query_texts), copy_rate=0.0)
    for d in range(fresh.n_docs):
        ids, segs = fresh.doc_tokens(d)
        query_texts.append(synth.render(ids, segs))
        query_src.append(-1)
    del fresh

    use_text = text_path == "yes" or (text_path == "auto" and sections <= 200_000)
    if use_text:
        t0 = time.perf_counter()
        texts = []
        seg_end = np.cumsum(corpus.segs_per_doc)
        tok_end = np.cumsum(corpus.seg_len)
        for d in range(corpus.n_docs):
            s0 = int(seg_end[d - 1]) if d else 0
            s1 = int(seg_end[d])
            t_0 = int(tok_end[s0 - 1]) if s0 else 0
            t_1 = int(tok_end[s1 - 1])
            texts.append(
                synth.render(
                    corpus.tok_ids[t_0:t_1], corpus.seg_len[s0:s1], noisy=d in corpus.copy_of
                )
            )
        out["render_s"] = round(time.perf_counter() - t0, 2)
        t0, c0 = time.perf_counter(), time.process_time()
        tokens, seg_len, spd = texts_to_corpus(texts)
        tp_wall, tp_cpu = time.perf_counter() - t0, time.process_time() - c0
        out["text_path"] = {
            "used_for_batch": True,
            "wall_s": round(tp_wall, 2),
            "cpu_s": round(tp_cpu, 2),
            "sections_per_s": round(sections / tp_wall),
            "sections_per_cpu_s": round(sections / tp_cpu),
        }
        del texts
    else:
        tokens, seg_len, spd = corpus.tokens, corpus.seg_len, corpus.segs_per_doc
        sample = min(20_000, sections)
        texts = []
        seg_end = np.cumsum(corpus.segs_per_doc[:sample])
        tok_end = np.cumsum(corpus.seg_len[: int(seg_end[-1])])
        for d in range(sample):
            s0 = int(seg_end[d - 1]) if d else 0
            s1 = int(seg_end[d])
            t_0 = int(tok_end[s0 - 1]) if s0 else 0
            t_1 = int(tok_end[s1 - 1])
            texts.append(synth.render(corpus.tok_ids[t_0:t_1], corpus.seg_len[s0:s1]))
        t0, c0 = time.perf_counter(), time.process_time()
        texts_to_corpus(texts)
        tp_wall, tp_cpu = time.perf_counter() - t0, time.process_time() - c0
        out["text_path"] = {
            "used_for_batch": False,
            "note": "batch fed with token-hash arrays; text path measured on a sample",
            "sample": sample,
            "sections_per_s": round(sample / tp_wall),
            "sections_per_cpu_s": round(sample / tp_cpu),
        }
        del texts
    corpus.tok_ids = np.empty(0, dtype=np.int32)
    groups = corpus.groups
    del corpus
    gc.collect()
    _mark(out, "text_path_done")

    # ---- batch (in a fresh process: its peak RSS is the detection's own) ------------------
    with tempfile.TemporaryDirectory(prefix="lamtheo-bench-") as tmp:
        for name, arr in (("tokens", tokens), ("seg_len", seg_len), ("spd", spd)):
            np.save(os.path.join(tmp, name + ".npy"), arr)
        input_mb = round((tokens.nbytes + seg_len.nbytes + spd.nbytes) / 2**20, 1)
        del tokens, seg_len, spd
        gc.collect()
        _mark(out, "before_batch")
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=_batch_child, args=(tmp, threshold, queue))
        proc.start()
        metrics = queue.get()
        proc.join()
        a = np.load(os.path.join(tmp, "a.npy"))
        b = np.load(os.path.join(tmp, "b.npy"))
        sim = np.load(os.path.join(tmp, "sim.npy"))
        tokens = np.load(os.path.join(tmp, "tokens.npy"))
        seg_len = np.load(os.path.join(tmp, "seg_len.npy"))
        spd = np.load(os.path.join(tmp, "spd.npy"))
    wall, cpu = metrics["wall_s"], metrics["cpu_s"]
    _mark(out, "batch_done_input_reloaded")
    out["batch"] = {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "sections_per_s": round(sections / wall),
        "sections_per_cpu_s": round(sections / cpu),
        "pairs_reported": int(a.size),
        "peak_rss_mb": metrics["peak_rss_mb"],
        "rss_mb_after_loading_input": metrics["rss_mb_loaded"],
        "input_mb": input_mb,
        "note": "separate process: loads the token arrays, then runs find_copies_in_corpus",
    }

    # ---- reference sets and quality -------------------------------------------------------
    doc_off, fps, frequent = filtered_sets_csr(tokens, seg_len, spd, params=params, stop=stop)
    del tokens, seg_len, spd
    gc.collect()
    truth = set()
    _mark(out, "reference_sets")
    planted_pairs = 0
    for g in groups:
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                planted_pairs += 1
                x, y = min(g[i], g[j]), max(g[i], g[j])
                sx = doc_off[x + 1] - doc_off[x]
                sy = doc_off[y + 1] - doc_off[y]
                if sx < params.min_size or sy < params.min_size:
                    continue
                inter, union = _exact(doc_off, fps, x, y)
                if _ok(inter, union, params):
                    truth.add((x, y))
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    correct = 0
    max_err = 0.0
    sim_of = dict(zip(zip(a.tolist(), b.tolist(), strict=True), sim.tolist(), strict=True))
    for (x, y), s in sim_of.items():
        inter, union = _exact(doc_off, fps, x, y)
        if _ok(inter, union, params):
            correct += 1
        max_err = max(max_err, abs(s - inter / union))
    out["quality"] = {
        "planted_pairs": planted_pairs,
        "planted_pairs_at_or_above_threshold": len(truth),
        "recall": round(len(truth & found) / len(truth), 5) if truth else None,
        "precision": round(correct / len(found), 5) if found else None,
        "reported_not_planted": len(found - truth),
        "max_similarity_error": max_err,
    }

    # ---- incremental --------------------------------------------------------------------
    t0 = time.perf_counter()
    index = CopyIndex(params)
    index.bulk_load_csr(range(sections), doc_off, fps, frequent=frequent)
    build_s = time.perf_counter() - t0
    _mark(out, "index_built")
    lat_text, lat_fps, cpu_text, hits_copy, exp_copy = [], [], [], 0, 0
    query_fps: list[np.ndarray] = []
    query_expect: list[int] = []  # source section expected to be found, or -1
    for text, src in zip(query_texts, query_src, strict=True):
        t1, c1 = time.perf_counter(), time.process_time()
        res = index.check(text)
        lat_text.append(time.perf_counter() - t1)
        cpu_text.append(time.process_time() - c1)
        x = index.fingerprints(text)
        query_fps.append(x)
        query_expect.append(-1)
        t1 = time.perf_counter()
        index.check_fps(x)
        lat_fps.append(time.perf_counter() - t1)
        if src >= 0:
            y = fps[doc_off[src] : doc_off[src + 1]]
            inter = int(np.intersect1d(x, y, assume_unique=True).size)
            union = x.size + y.size - inter
            if (
                x.size >= params.min_size
                and y.size >= params.min_size
                and _ok(inter, union, params)
            ):
                exp_copy += 1
                hits_copy += any(p.b == src for p in res)
                query_expect[-1] = src
    lat_add = []
    for i, text in enumerate(query_texts[:200]):
        t1 = time.perf_counter()
        index.check_and_add(("q", i), text)
        lat_add.append(time.perf_counter() - t1)
    t1 = time.perf_counter()
    for i in range(200):
        index.remove(("q", i))
    remove_ms = (time.perf_counter() - t1) / 200 * 1000
    _mark(out, "queries_done")
    out["incremental"] = {
        "index_sections": sections,
        "bulk_build_s": round(build_s, 2),
        "queries": len(query_texts),
        "median_ms_check_text": round(statistics.median(lat_text) * 1000, 3),
        "p95_ms_check_text": round(float(np.percentile(lat_text, 95)) * 1000, 3),
        "median_cpu_ms_check_text": round(statistics.median(cpu_text) * 1000, 3),
        "p95_cpu_ms_check_text": round(float(np.percentile(cpu_text, 95)) * 1000, 3),
        "median_ms_check_fps": round(statistics.median(lat_fps) * 1000, 3),
        "p95_ms_check_fps": round(float(np.percentile(lat_fps, 95)) * 1000, 3),
        "median_ms_check_and_add": round(statistics.median(lat_add) * 1000, 3),
        "mean_ms_remove": round(remove_ms, 4),
        "copy_queries_at_or_above_threshold": exp_copy,
        "recall": round(hits_copy / exp_copy, 5) if exp_copy else None,
        "peak_rss_mb_process": _rss_mb(),
    }
    del index
    gc.collect()

    # ---- baseline -----------------------------------------------------------------------
    if baseline:
        out["baseline"] = _datasketch(doc_off, fps, params, truth, query_fps, query_expect)
        out["speedup_vs_datasketch"] = round(out["baseline"]["wall_s"] / out["batch"]["wall_s"], 1)
        out["speedup_vs_datasketch_cpu"] = round(
            out["baseline"]["cpu_s"] / out["batch"]["cpu_s"], 1
        )

    out["classify"] = _classify_isolated(classify_runs)
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    out["peak_rss_mb_process"] = _rss_mb()
    out["ru_maxrss_mb_process"] = _maxrss_mb()
    return out


def _mark(out: dict, stage: str) -> None:
    """Record the current and peak RSS of this process after ``stage``."""
    out.setdefault("rss_mb_by_stage", {})[stage] = {
        "current": _current_rss_mb(),
        "peak": _rss_mb(),
    }


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except OSError:  # not Linux
        return _rss_mb()


def _call_into(queue, fn: Callable[..., object], args: tuple, kwargs: dict) -> None:
    queue.put(fn(*args, **kwargs))  # runs in a spawned process


def in_fresh_process(fn: Callable[..., object], *args: object, **kwargs: object):
    """``fn(*args, **kwargs)`` run in a freshly spawned interpreter (``fn`` must be a
    module-level function), so that time and peak-memory figures do not mix."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_call_into, args=(queue, fn, args, kwargs))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def _classify_isolated(runs: int) -> dict:
    """:func:`_classify_speed` in a fresh process, so that its figures do not depend on what
    the benchmark process holds by then (the index, the datasketch baseline)."""
    return in_fresh_process(_classify_speed, runs)


def _batch_child(tmp: str, threshold: float, queue) -> None:  # runs in a spawned process
    tokens = np.load(os.path.join(tmp, "tokens.npy"))
    seg_len = np.load(os.path.join(tmp, "seg_len.npy"))
    spd = np.load(os.path.join(tmp, "spd.npy"))
    stop = stop_fingerprints()
    loaded = _current_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    a, b, sim = find_copies_in_corpus(
        tokens, seg_len, spd, params=CopyParams(threshold=threshold), stop=stop
    )
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.save(os.path.join(tmp, "a.npy"), a)
    np.save(os.path.join(tmp, "b.npy"), b)
    np.save(os.path.join(tmp, "sim.npy"), sim)
    queue.put({"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": _rss_mb(), "rss_mb_loaded": loaded})


def _datasketch(
    doc_off: np.ndarray,
    fps: np.ndarray,
    params: CopyParams,
    truth: set,
    query_fps: list[np.ndarray],
    query_expect: list[int],
) -> dict:
    """datasketch MinHashLSH on the same filtered sets, candidates verified exactly; then the
    same incremental queries (MinHash of the query set, LSH query, exact verification)."""
    from datasketch import MinHash, MinHashLSH

    n = doc_off.size - 1
    lows = (fps & np.uint64(0xFFFFFFFF)).astype(np.int64)
    tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=params.threshold, num_perm=128)
    sets = [lows[doc_off[i] : doc_off[i + 1]].tolist() for i in range(n)]
    mhs = MinHash.bulk(sets, num_perm=128, hashfunc=int)
    with lsh.insertion_session() as session:
        for i, m in enumerate(mhs):
            session.insert(i, m, check_duplication=False)
    found = set()
    candidates = 0
    for i, m in enumerate(mhs):
        if len(sets[i]) < params.min_size:
            continue
        for j in lsh.query(m):
            if j <= i or len(sets[j]) < params.min_size:
                continue
            candidates += 1
            inter, union = _exact(doc_off, fps, i, j)
            if _ok(inter, union, params):
                found.add((i, j))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    lat, hits, expected = [], 0, 0
    for x, src in zip(query_fps, query_expect, strict=True):
        t1 = time.perf_counter()
        m = MinHash(num_perm=128, hashfunc=int)
        m.update_batch((x & np.uint64(0xFFFFFFFF)).astype(np.int64).tolist())
        res = []
        if x.size >= params.min_size:
            for j in lsh.query(m):
                y = fps[doc_off[j] : doc_off[j + 1]]
                inter = int(np.intersect1d(x, y, assume_unique=True).size)
                if y.size >= params.min_size and _ok(inter, x.size + y.size - inter, params):
                    res.append(j)
        lat.append(time.perf_counter() - t1)
        if src >= 0:
            expected += 1
            hits += src in res
    return {
        "incremental_median_ms_check_fps": round(statistics.median(lat) * 1000, 3),
        "incremental_recall": round(hits / expected, 5) if expected else None,
        "method": "datasketch MinHashLSH(num_perm=128) + exact verification",
        "lsh_bands_rows": [lsh.b, lsh.r],
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "sections_per_s": round(n / wall),
        "candidates": candidates,
        "pairs_reported": len(found),
        "recall": round(len(truth & found) / len(truth), 5) if truth else None,
        "precision": 1.0 if found else None,
        "peak_traced_mb": round(peak / 2**20, 1),
    }


def _classify_workloads(seed: int = 3) -> dict[str, list[str]]:
    """Texts for the classification benchmark: task lines, paragraphs, typing prefixes.

    * ``lines`` — the development items (task lines, ~13 words);
    * ``dev_paragraphs`` — the development items grouped at random into numbered, run-on or
      bulleted paragraphs of ≥ 75 words (~85 words);
    * ``synth_paragraphs`` — synthetic sections of :mod:`.synth` (40–150 words, ~100);
    * ``typing`` — every word-by-word prefix of 50 synthetic paragraphs, in order, as a form
      re-checks the text while a person types.
    """
    import random

    path = Path(__file__).resolve().parents[2] / "tests" / "quality" / "data" / "dev_items.jsonl"
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            lines = [json.loads(line)["text"] for line in fh if line.strip()]
    else:  # installed without the tests: a few representative items
        lines = [
            "Hoàn thành tốt chức trách nhiệm vụ được giao",
            "Phụ đạo 5 HS yếu môn Toán lớp 8A3 vào chiều thứ Năm hằng tuần",
            "Vận động 95% hộ dân tham gia BHYT trước 30/6/2025",
        ]
    rng = random.Random(seed)
    paragraphs: list[str] = []
    for _ in range(3):
        items = lines[:]
        rng.shuffle(items)
        cur: list[str] = []
        words = 0
        for text in items:
            cur.append(text.rstrip(". "))
            words += len(text.split())
            if words >= 75:
                style = rng.randrange(4)
                if style == 0:
                    paragraphs.append("\n".join(f"{k + 1}. {x}." for k, x in enumerate(cur)))
                elif style == 1:
                    paragraphs.append("; ".join(cur) + ".")
                elif style == 2:
                    paragraphs.append(". ".join(cur) + ".")
                else:
                    paragraphs.append("\n".join(f"- {x}" for x in cur))
                cur, words = [], 0
    synth = Synth(seed)
    corpus = synth.generate(300, copy_rate=0.0)
    synthetic = []
    for d in range(corpus.n_docs):
        ids, segs = corpus.doc_tokens(d)
        synthetic.append(synth.render(ids, segs))
    typing = []
    for text in synthetic[:50]:
        cuts = [i for i, ch in enumerate(text) if ch == " "] + [len(text)]
        typing.extend(text[:i] for i in cuts)
    return {
        "lines": lines,
        "dev_paragraphs": paragraphs,
        "synth_paragraphs": synthetic,
        "typing": typing,
    }


def _front_half(text: str) -> None:
    """What :func:`.classify.classify` does before its rules run (see ``_classify_speed``)."""
    from .classify import _formula_match, _prepare
    from .lexicon import get_lexicon
    from .normalize import Tokens, canonical, segment_texts

    lex = get_lexicon()
    for chunk in segment_texts(canonical(text)):
        tk = Tokens(chunk)
        if tk.rows:
            _formula_match(_prepare(chunk, tk, lex, True), lex)


def _classify_speed(runs: int = 5) -> dict:
    """Items per second of ``classify()`` on one core, per kind of text (median of ``runs``).

    Lines and paragraphs are measured *cold*: the per-segment caches are cleared before every
    item, so each item is analysed in full. ``typing`` keeps the caches, as a form does when
    it re-checks the text after each word (only the edited segment is analysed again).
    """
    import importlib

    cl = importlib.import_module(".classify", __package__)

    clear = getattr(cl, "clear_caches", lambda: None)
    workloads = _classify_workloads()
    for texts in workloads.values():  # warm the lexicon and the token-shape memo
        for t in texts[:300]:
            cl.classify(t)
    result: dict = {"runs": runs}
    jobs: list[tuple[str, list[str], Callable[[str], object]]] = [
        (name, texts, cl.classify) for name, texts in workloads.items()
    ]
    # The same paragraphs through the front half of the pipeline only (normalisation,
    # segments, tokens, keys, vocabulary phrases, formula bigrams; none of the rules): the
    # floor that any rule set on this design pays, measured in the same run.
    jobs.append(("dev_paragraphs_front_half", workloads["dev_paragraphs"], _front_half))
    for name, texts, fn in jobs:
        cpu_s, wall_s = [], []
        for _ in range(runs):
            clear()
            t0, c0 = time.perf_counter(), time.process_time()
            if name == "typing":
                for t in texts:
                    fn(t)
            else:
                for t in texts:
                    clear()
                    fn(t)
            wall_s.append(time.perf_counter() - t0)
            cpu_s.append(time.process_time() - c0)
        result[name] = {
            "items": len(texts),
            "mean_words": round(sum(len(t.split()) for t in texts) / len(texts), 1),
            "items_per_cpu_s": round(len(texts) / statistics.median(cpu_s)),
            "items_per_s": round(len(texts) / statistics.median(wall_s)),
            "median_cpu_s": round(statistics.median(cpu_s), 4),
            "median_wall_s": round(statistics.median(wall_s), 4),
        }
    front, full = result["dev_paragraphs_front_half"], result["dev_paragraphs"]
    front["share_of_full_classify"] = round(front["median_cpu_s"] / full["median_cpu_s"], 3)
    return result
