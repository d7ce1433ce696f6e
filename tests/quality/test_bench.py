"""Smoke test of the benchmark and of the synthetic generator (no timing assertions)."""

from __future__ import annotations

import numpy as np

from lamtheo.quality.bench import run
from lamtheo.quality.shingles import texts_to_corpus
from lamtheo.quality.synth import Synth


def test_synthetic_sections_have_realistic_lengths_and_planted_copies() -> None:
    synth = Synth(5)
    corpus = synth.generate(500, copy_rate=0.1)
    per_doc = np.add.reduceat(
        corpus.seg_len, np.concatenate(([0], np.cumsum(corpus.segs_per_doc)[:-1]))
    )
    base = per_doc[: 500 - len(corpus.copy_of)]
    assert base.min() >= 40 and base.max() <= 150
    assert len(corpus.copy_of) == 50
    text = synth.render(*corpus.doc_tokens(0))
    assert 40 <= len(text.split()) <= 200


def test_rendered_text_gives_back_the_generated_tokens() -> None:
    synth = Synth(6)
    corpus = synth.generate(50, copy_rate=0.0)
    texts = [synth.render(*corpus.doc_tokens(d)) for d in range(50)]
    tokens, seg_len, _spd = texts_to_corpus(texts)
    assert np.array_equal(tokens, corpus.tokens)
    assert np.array_equal(seg_len, corpus.seg_len)


def test_bench_run_reports_the_figures() -> None:
    res = run(sections=1500, baseline=True, seed=2, queries=40, classify_runs=1)
    assert res["quality"]["recall"] == 1.0
    assert res["quality"]["precision"] == 1.0
    assert res["incremental"]["recall"] in (1.0, None)
    assert res["baseline"]["precision"] in (1.0, None)
    for key in ("batch", "incremental", "classify", "text_path", "rss_mb_by_stage"):
        assert key in res
    for kind in ("lines", "dev_paragraphs", "synth_paragraphs", "typing"):
        assert res["classify"][kind]["items_per_cpu_s"] > 0
    assert res["classify"]["dev_paragraphs"]["mean_words"] > 60
