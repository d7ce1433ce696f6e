"""Classification of content-3 items: clear cases, the hard cases of the issue, reasons."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamtheo.quality import (
    GENERIC,
    SPECIFIC_NO_TARGET,
    SPECIFIC_WITH_TARGET,
    classify,
    extract_targets,
)
from lamtheo.quality.normalize import fold

G, N, T = GENERIC, SPECIFIC_NO_TARGET, SPECIFIC_WITH_TARGET


@pytest.mark.parametrize(
    "text",
    [
        "Luôn nêu cao tinh thần trách nhiệm trong thực hiện nhiệm vụ",
        "Đổi mới phương thức công tác và lề lối làm việc",
        "Chấp hành và bảo vệ, tuyên truyền, vận động cán bộ, đảng viên, gia đình và nhân dân "
        "thực hiện đường lối, quan điểm, chủ trương, nghị quyết của Đảng, chính sách, pháp luật "
        "của Nhà nước",
        "Tích cực học tập nâng cao trình độ và năng lực công tác",
        "Hoàn thành tốt chức trách nhiệm vụ được giao",
    ],
)
def test_the_five_formulas_of_the_source_article_are_generic(text: str) -> None:
    res = classify(text)
    assert res.label == G
    assert any("chung chung" in r for r in res.reasons)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # numbers that are not targets
        ("Thực hiện tốt Nghị quyết số 19-NQ/ĐU", G),
        ("Thực hiện tốt Kết luận 14-KL/TW", G),
        ("Thực hiện tốt 5 điều Bác Hồ dạy", G),
        ("Phấn đấu 100% đạt danh hiệu tiên tiến", G),
        ("Phấn đấu đạt danh hiệu lao động tiên tiến năm học 2024-2025", G),
        ("Phụ đạo HS yếu môn Toán lớp 8A3", N),
        ("Vận động bà con ấp 2 tham gia BHYT", N),
        ("Họp tổ 7 để nhắc nhở các hộ treo cờ", N),
        ("Hướng dẫn bà con gieo sạ giống IR 50404", N),
        ("Tiêm vắc xin sởi - rubella cho trẻ trong ấp", N),
        # vague goals and abstract objects
        ("Làm tốt công tác tuyên truyền ATGT", G),
        ("Tăng cường kiểm tra, giám sát", G),
        # a recurring moment without a time is not a target
        ("Tuần tra ATGT vào giờ cao điểm", N),
        ("Nhắc nhở các hộ treo cờ vào các ngày lễ", N),
        ("Định kỳ báo cáo kết quả thực hiện", G),
        # short items can be specific
        ("Kiểm tra sổ đầu bài mỗi thứ Sáu", T),
        ("Nạo vét kênh Ông Cò", T),
        # all-or-none of a concrete group
        ("Vận động tất cả trẻ 6 tuổi trong ấp ra lớp", T),
        ("Không để em nào bỏ học", T),
        # a generic clause plus one concrete task
        ("Hoàn thành tốt chức trách nhiệm vụ được giao, trong đó phụ đạo 5 HS yếu môn Toán", T),
        ("Luôn nêu cao tinh thần trách nhiệm; hướng dẫn người dân làm thủ tục khai sinh", N),
    ],
)
def test_hard_cases_of_the_issue(text: str, label: str) -> None:
    assert classify(text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("van dong ba con tham gia BHYT", N),
        ("kiem tra so dau bai moi thu Sau", T),
        ("nao vet kenh Ong Co", T),
        ("hoan thanh tot chuc trach nhiem vu duoc giao", G),
        ("phu dao 4 hs yeu mon toan moi tuan 2 buoi", T),
    ],
)
def test_text_without_diacritics_is_read_like_its_accented_twin(text: str, label: str) -> None:
    assert classify(text).label == label


def test_old_tone_placement_and_nfd_do_not_change_the_result() -> None:
    import unicodedata

    a = classify("Hòa giải thành 10 vụ tranh chấp đất đai")
    b = classify(unicodedata.normalize("NFD", "Hoà giải thành 10 vụ tranh chấp đất đai"))
    assert a.label == b.label == T
    assert a.targets == b.targets


def test_a_paragraph_is_as_specific_as_its_most_specific_task() -> None:
    text = (
        "1. Thực hiện tốt nhiệm vụ giảng dạy.\n"
        "2. Phụ đạo 4 HS yếu môn Toán lớp 8A3 vào thứ Năm hằng tuần.\n"
        "3. Không ngừng học tập nâng cao trình độ."
    )
    res = classify(text)
    assert res.label == T
    kinds = {t["kind"] for t in res.targets}
    assert {"count", "frequency"} <= kinds
    assert any("chung chung" in r for r in res.reasons)  # the generic parts are pointed out


def test_target_in_a_generic_clause_does_not_make_the_item_specific() -> None:
    res = classify("Phấn đấu 100% đảng viên đạt danh hiệu hoàn thành tốt nhiệm vụ; hằng tuần")
    assert res.label == G


def test_reasons_are_in_vietnamese_and_actionable() -> None:
    res = classify("Tăng cường kiểm tra, giám sát", sector="giao_duc")
    text = " ".join(res.reasons)
    assert "chung chung" in text
    assert "cụ thể" in text
    assert "Ví dụ" in text  # a sector example the secretary can show
    res = classify("Phụ đạo HS yếu môn Toán lớp 8A3")
    assert any("Chưa có chỉ tiêu" in r for r in res.reasons)
    assert any("8A3" in r and "không phải chỉ tiêu" in r for r in res.reasons)


def test_document_numbers_are_explained() -> None:
    res = classify("Thực hiện tốt Nghị quyết số 19-NQ/ĐU")
    assert any("19-NQ/ĐU" in r for r in res.reasons)


def test_score_ranges_follow_the_label() -> None:
    for text, lo, hi in [
        ("Hoàn thành tốt nhiệm vụ được giao", 0.0, 0.34),
        ("Phụ đạo HS yếu môn Toán", 0.34, 0.67),
        ("Phụ đạo 5 HS yếu môn Toán mỗi tuần 2 buổi", 0.67, 1.0),
    ]:
        assert lo <= classify(text).score <= hi


def test_empty_text_is_generic_with_a_reason() -> None:
    res = classify("   ")
    assert res.label == G and res.reasons


def test_prompt_only_is_not_a_task() -> None:
    res = classify("Về thực hiện chức trách, nhiệm vụ được giao:")
    assert res.label == G


def test_as_dict_has_the_cli_fields() -> None:
    d = classify("Kiểm tra sổ đầu bài mỗi thứ Sáu").as_dict()
    assert set(d) == {"label", "score", "reasons", "targets"}


def test_extract_targets_returns_structured_data() -> None:
    targets = extract_targets("Vận động 95% hộ dân tham gia BHYT trước 30/6/2025")
    assert {"kind": "percent", "text": "95% hộ dân", "value": 95} in targets
    assert {"kind": "deadline", "text": "trước 30/6/2025", "value": "2025-06-30"} in targets


def test_a_paragraph_ending_in_a_none_of_group_target_is_read() -> None:
    # «không để … nào» as the last words used to stop the classifier with an IndexError.
    result = classify("Tuyên truyền phòng chống đuối nước; không để học sinh nào")
    assert result.label == T
    assert {"kind": "percent", "text": "không để học sinh nào", "value": 0} in result.targets


def _phrase_pool() -> list[str]:
    """Words the rules react to: vocabulary, target words, numbers, codes, punctuation."""
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "lamtheo" / "quality" / "data"
    vocab = json.loads((data / "vocabulary.json").read_text(encoding="utf-8"))
    tdata = json.loads((data / "targets.json").read_text(encoding="utf-8"))
    pool = list(vocab.get("abbreviations", {}))
    for sector in [vocab.get("common", {}), *vocab.get("sectors", {}).values()]:
        for kind in ("actions", "objects", "action_objects"):
            pool += sector.get(kind, [])[:15]
    for values in tdata.values():
        if isinstance(values, list):
            pool += [v for v in values if isinstance(v, str)][:15]
        elif isinstance(values, dict):
            pool += list(values)[:15]
    return [
        *sorted(set(pool)),
        "5", "30/6/2025", "7h30", "19-NQ/ĐU", "100", "%", "nào", "mỗi", "lần", "Ông Cò",
        ",", ";", ":", "(", ")", "–", ".", "\n", "1.", "a)", "-", "hằng", "tuần", "thứ",
    ]  # fmt: skip


_POOL = _phrase_pool()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_POOL), max_size=30), st.booleans())
def test_any_mix_of_trigger_words_is_classified_without_error(words: list[str], bare: bool) -> None:
    text = " ".join(words)
    if bare:  # typed without accents
        text = fold(text)
    result = classify(text)
    assert result.label in (G, N, T)
    assert 0.0 <= result.score <= 1.0
    assert result.reasons
    for target in result.targets:
        assert target["kind"] in {
            "count",
            "percent",
            "deadline",
            "frequency",
            "amount",
            "place",
            "time",
        }
