"""Near-copy detection: robustness, boilerplate, scopes, exactness, incremental index."""

from __future__ import annotations

import itertools
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamtheo.quality import CopyIndex, CopyParams, find_copies
from lamtheo.quality.copies import find_copies_in_corpus, jaccard
from lamtheo.quality.shingles import copy_segments, fingerprint_set, stop_fingerprints

BASE = (
    "1. Phụ đạo 5 HS yếu môn Toán lớp 8A3 vào chiều thứ Năm hằng tuần tại phòng học số 2.\n"
    "2. Vận động ông Nguyễn Văn An và các hộ dân ấp Phú Hoà tham gia BHYT hộ gia đình.\n"
    "3. Kiểm tra vở ghi của học sinh lớp chủ nhiệm mỗi tuần một lần, nhắc nhở các em "
    "giữ gìn sách vở sạch đẹp.\n"
    "4. Thăm nhà 3 em có hoàn cảnh khó khăn, tặng dụng cụ học tập trước ngày khai giảng."
)
# Reordered tasks, other names and numbers, no diacritics, other numbering and punctuation.
COPY = (
    "- Tham nha 4 em co hoan canh kho khan, tang dung cu hoc tap truoc ngay khai giang\n"
    "- Kiem tra vo ghi cua hoc sinh lop chu nhiem moi tuan mot lan; nhac nho cac em giu gin "
    "sach vo sach dep\n"
    "- Van dong ba Le Thi Be va cac ho dan ap Tan Thanh tham gia bao hiem y te ho gia dinh\n"
    "- Phu dao 7 hoc sinh yeu mon Toan lop 9A1 vao chieu thu Nam hang tuan tai phong hoc so 5"
)
SAME_TOPIC = (
    "Bồi dưỡng đội tuyển học sinh giỏi môn Toán khối 9 để dự thi cấp huyện; dạy thêm buổi "
    "chiều cho các em yếu môn Toán không thu tiền; làm đồ dùng dạy học bằng vật liệu tái "
    "chế; dự giờ, góp ý cho giáo viên mới trong tổ chuyên môn."
)
GENERIC = (
    "Luôn nêu cao tinh thần trách nhiệm trong thực hiện nhiệm vụ. Đổi mới phương thức công tác "
    "và lề lối làm việc. Tích cực học tập nâng cao trình độ và năng lực công tác. Hoàn thành "
    "tốt chức trách nhiệm vụ được giao."
)


def test_copy_keys_ignore_diacritics_tones_names_numbers_and_numbering() -> None:
    a = copy_segments("2) Vận động ông Nguyễn Văn An ở ấp Phú Hoà tham gia BHYT")
    b = copy_segments("- Van dong ong Le Thi Be o ap Tan Thanh tham gia bao hiem y te")
    c = copy_segments(
        unicodedata.normalize("NFD", "Vận động ông Trần Tư ở ấp Phú Hòa tham gia BHYT")
    )
    assert a == b == c


def test_reordered_renamed_unaccented_copy_is_found() -> None:
    pairs = find_copies([BASE, COPY, SAME_TOPIC], ids=["a", "b", "c"])
    assert [(p.a, p.b) for p in pairs] == [("a", "b")]
    assert pairs[0].similarity >= 0.8


def test_same_topic_written_independently_is_not_a_copy() -> None:
    assert find_copies([BASE, SAME_TOPIC]) == []


def test_boilerplate_does_not_create_a_copy() -> None:
    prompt = "Về thực hiện chức trách, nhiệm vụ được giao: "
    a = prompt + GENERIC + " Phụ đạo 5 HS yếu môn Toán lớp 8A3 vào thứ Năm hằng tuần."
    b = prompt + GENERIC + " Vận động bà con ấp Đông Bình trồng hoa trên tuyến đường liên ấp."
    assert find_copies([a, b]) == []


def test_boilerplate_does_not_hide_a_copy() -> None:
    a = GENERIC + " " + BASE
    b = COPY + ". " + GENERIC.replace(". ", "\n")
    assert len(find_copies([a, b])) == 1
    # without the catalogue filter the shared generic text would not matter either way
    assert find_copies([a, b])[0].similarity >= 0.8


def test_text_only_of_generic_formulas_has_no_shingles_left() -> None:
    fps = fingerprint_set(GENERIC)
    stop = stop_fingerprints()
    assert np.isin(fps, stop).all()


def test_frequent_shingles_are_dropped_by_document_frequency() -> None:
    shared = "Tham gia vệ sinh khu phố vào sáng chủ nhật cùng đoàn viên thanh niên của xã nhà."
    texts = [
        shared + f" Nội dung riêng số {i}: " + " ".join(f"từ{i}x{k}" for k in range(6))
        for i in range(30)
    ]
    assert find_copies(texts, params=CopyParams(max_df_min=5, max_df_frac=0.0)) == []
    assert len(find_copies(texts, params=CopyParams(max_df_min=100))) == 30 * 29 // 2


def test_scopes_restrict_pairs() -> None:
    texts = [BASE, COPY, BASE]
    pairs = find_copies(texts, ids=["x", "y", "z"], scopes=["cell-1", "cell-2", "cell-1"])
    assert [(p.a, p.b) for p in pairs] == [("x", "z")]


def test_threshold_is_configurable_and_inclusive() -> None:
    pairs = find_copies([BASE, COPY], params=CopyParams(threshold=0.99))
    sim = find_copies([BASE, COPY], params=CopyParams(threshold=0.1))[0].similarity
    assert (sim >= 0.99) == bool(pairs)
    assert find_copies([BASE, COPY], params=CopyParams(threshold=sim))  # exactly at threshold


def _brute_force(sets: list[np.ndarray], t: float, min_size: int) -> set[tuple[int, int]]:
    out = set()
    for i, j in itertools.combinations(range(len(sets)), 2):
        if (
            sets[i].size >= min_size
            and sets[j].size >= min_size
            and jaccard(sets[i], sets[j]) >= t - 1e-12
        ):
            out.add((i, j))
    return out


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=9), min_size=1, max_size=4),
        min_size=2,
        max_size=14,
    ),
    st.sampled_from([0.3, 0.5, 0.6, 0.8]),
    st.sampled_from([1, 2, 3, 5]),
)
def test_batch_equals_brute_force_exact_jaccard(
    docs: list[list[list[int]]], t: float, k: int
) -> None:
    """Prefix filtering (any k) loses nothing and verification keeps only true pairs."""
    vocab = np.array(
        [(k * 0x9E3779B97F4A7C15 + 12345) % (1 << 64) for k in range(13)], dtype=np.uint64
    )
    tokens = np.array([vocab[w] for d in docs for seg in d for w in seg], dtype=np.uint64)
    seg_len = np.array([len(seg) for d in docs for seg in d], dtype=np.int64)
    spd = np.array([len(d) for d in docs], dtype=np.int64)
    params = CopyParams(threshold=t, max_df_min=10_000, min_size=1, prefix_k=k)
    empty = np.empty(0, dtype=np.uint64)
    a, b, sim = find_copies_in_corpus(tokens, seg_len, spd, params=params, stop=empty)
    got = set(zip(a.tolist(), b.tolist(), strict=True))
    # reference: fingerprint sets doc by doc
    from lamtheo.quality.shingles import shingle_fps

    sets = []
    for d in docs:
        toks = np.array([vocab[w] for seg in d for w in seg], dtype=np.uint64)
        sets.append(np.unique(shingle_fps(toks, np.array([len(s) for s in d]))))
    assert got == _brute_force(sets, t, 1)
    for x, y, s in zip(a.tolist(), b.tolist(), sim.tolist(), strict=True):
        assert s == pytest.approx(jaccard(sets[x], sets[y]))


# ---- incremental index ---------------------------------------------------------------------


def test_index_check_add_remove() -> None:
    ix = CopyIndex()
    ix.add("a", BASE)
    ix.add("c", SAME_TOPIC)
    found = ix.check(COPY, exclude="b")
    assert [(p.a, p.b) for p in found] == [("b", "a")]
    assert ix.remove("a") is True
    assert ix.check(COPY) == []
    assert ix.remove("a") is False
    assert len(ix) == 1


def test_index_check_and_add_reports_against_earlier_sections() -> None:
    ix = CopyIndex()
    assert ix.check_and_add("a", BASE) == []
    assert [p.b for p in ix.check_and_add("b", COPY)] == ["a"]
    assert "b" in ix


def test_index_readding_an_id_replaces_the_section() -> None:
    ix = CopyIndex()
    ix.add("a", BASE)
    ix.add("a", SAME_TOPIC)
    assert ix.check(COPY) == []
    assert len(ix) == 1


def test_index_save_and_load_round_trip(tmp_path) -> None:
    ix = CopyIndex(CopyParams(threshold=0.5))
    ix.add("a", BASE)
    ix.add(7, SAME_TOPIC)
    path = tmp_path / "copies.npz"
    ix.save(path)
    loaded = CopyIndex.load(path)
    assert loaded.params.threshold == 0.5
    assert [p.b for p in loaded.check(COPY)] == ["a"]
    assert 7 in loaded
    loaded.add("b", COPY)  # still usable after loading
    assert {p.b for p in loaded.check(BASE)} == {"a", "b"}


def test_index_compaction_keeps_results() -> None:
    ix = CopyIndex()
    ix.compact_every = 2
    for i, text in enumerate([BASE, SAME_TOPIC, GENERIC + " Trồng hoa ven đường ấp Đông Bình"]):
        ix.add(i, text)
    ix.remove(1)
    ix.compact()
    assert [p.b for p in ix.check(COPY)] == [0]
    assert len(ix) == 2


def test_index_agrees_with_batch_on_synthetic_data() -> None:
    from lamtheo.quality.synth import Synth

    synth = Synth(3)
    corpus = synth.generate(400, copy_rate=0.1)
    texts = []
    for d in range(corpus.n_docs):
        ids, segs = corpus.doc_tokens(d)
        texts.append(synth.render(ids, segs, noisy=d in corpus.copy_of))
    params = CopyParams(max_df_min=10_000)
    batch = {(p.a, p.b) for p in find_copies(texts, params=params)}
    assert batch  # planted copies are found
    ix = CopyIndex(params)
    inc = set()
    for i, text in enumerate(texts):
        for p in ix.check_and_add(i, text):
            inc.add((min(i, p.b), max(i, p.b)))
    assert inc == batch


def test_empty_inputs_are_harmless(tmp_path) -> None:
    assert find_copies([]) == []
    assert find_copies(["", "  ", "abc"]) == []
    ix = CopyIndex()
    assert ix.check("abc def ghi jkl") == []
    ix.add(1, "")
    assert ix.check("") == []
    ix.save(tmp_path / "e.npz")
    assert len(CopyIndex.load(tmp_path / "e.npz")) == 1


def test_index_from_texts_matches_batch() -> None:
    texts = [BASE, SAME_TOPIC, COPY]
    ix = CopyIndex.from_texts(["a", "c", "b"], texts)
    assert [p.b for p in ix.check(COPY, exclude="b")] == ["a"]


def test_index_bulk_load_of_fingerprint_sets() -> None:
    ix = CopyIndex()
    ix.add("z", GENERIC + " Trồng hoa ven đường ấp Đông Bình")
    ix.bulk_load(["a", "c"], [ix.fingerprints(BASE), ix.fingerprints(SAME_TOPIC)])
    assert len(ix) == 3
    assert [p.b for p in ix.check(COPY)] == ["a"]
