"""Target extraction: kinds, values, and numbers that are not targets."""

from __future__ import annotations

import pytest

from lamtheo.quality import extract_targets


def kinds(text: str) -> list[tuple[str, object]]:
    return [(t["kind"], t["value"]) for t in extract_targets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phụ đạo 5 HS yếu môn Toán", [("count", 5)]),
        ("Vận động bà con đóng góp 50 triệu đồng làm cầu", [("amount", 50)]),
        ("Nạo vét kênh Mương Khai dài 1,5 km", [("place", "Mương Khai"), ("amount", 1.5)]),
        ("Vận động 95% hộ dân tham gia BHYT", [("percent", 95)]),
        ("Vận động tất cả trẻ 6 tuổi trong ấp ra lớp", [("percent", 100)]),
        ("Không để em nào bỏ học", [("percent", 0)]),
        ("Số hóa 500 hồ sơ hộ tịch trước 31/12", [("count", 500), ("deadline", "--12-31")]),
        ("Làm mới cầu bê tông trước tháng 9", [("deadline", "--09")]),
        (
            "Khám sức khỏe cho 200 người cao tuổi trước quý III",
            [("count", 200), ("deadline", "Q3")],
        ),
        ("Vận động 40 hộ trồng hoa trước Tết", [("count", 40), ("deadline", "tet")]),
        ("Tiếp công dân vào thứ Năm hằng tuần", [("frequency", {"times": 1, "per": "week"})]),
        ("Họp dân mỗi quý một lần", [("frequency", {"times": 1, "per": "quarter"})]),
        (
            "Dự giờ đồng nghiệp 2 tiết mỗi tháng",
            [("count", 2), ("frequency", {"times": 1, "per": "month"})],
        ),
        ("Thăm đồng mỗi tuần 2 lần", [("frequency", {"times": 2, "per": "week"})]),
        ("Có mặt tại cơ quan trước 7 giờ", [("time", "07:00")]),
        ("Tuần tra từ 19h30 đến 22h", [("time", "19:30"), ("time", "22:00")]),
        ("Phun hóa chất diệt muỗi tại ổ dịch trong vòng 48 giờ", [("deadline", "PT48H")]),
    ],
)
def test_target_kinds_and_values(text: str, expected: list) -> None:
    got = kinds(text)
    for item in expected:
        assert item in got, (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện tốt Nghị quyết số 19-NQ/ĐU",
        "Thực hiện tốt Kết luận 14-KL/TW",
        "Thực hiện tốt 5 điều Bác Hồ dạy",
        "Phấn đấu 100% đạt danh hiệu tiên tiến",
        "Phụ đạo HS yếu lớp 8A3",
        "Vận động bà con ấp 2 trồng hoa",
        "Nhắc nhở tổ 7 treo cờ",
        "Hướng dẫn bà con gieo sạ giống IR 50404",
        "Tiêm vắc xin sởi - rubella cho trẻ",
        "Bồi dưỡng HS giỏi năm học 2024-2025",
        "Tuần tra ATGT vào giờ cao điểm",
        "Nhắc nhở các hộ treo cờ vào các ngày lễ",
        "Kiểm tra định kỳ sổ đầu bài",
    ],
)
def test_numbers_and_moments_that_are_not_targets(text: str) -> None:
    assert extract_targets(text) == []


def test_target_text_is_a_substring_of_the_display_text() -> None:
    text = "Vận động 95% hộ dân tham gia BHYT trước 30/6/2025"
    for t in extract_targets(text):
        assert t["text"] in text


def test_counts_carry_their_unit() -> None:
    (t,) = [
        x
        for x in extract_targets("Tặng 20 bộ sách giáo khoa cho học sinh nghèo")
        if x["kind"] == "count"
    ]
    assert t["value"] == 20 and t["unit"] == "bộ"
