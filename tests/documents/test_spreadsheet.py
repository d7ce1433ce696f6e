"""Reading workbooks: header matching, values, row numbers (no database)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from openpyxl import Workbook

from lamtheo.documents.spreadsheet import (
    PEOPLE_COLUMNS,
    BadValue,
    _synonym_table,
    date_value,
    gender_value,
    header_key,
    read_workbook,
    text_value,
    yes_no_value,
)
from tests.documents.helpers import HEADERS, person_row, workbook_bytes

TODAY = dt.date(2026, 3, 1)
SYNONYMS = _synonym_table(PEOPLE_COLUMNS)


def _read(data: bytes):
    return read_workbook(io.BytesIO(data))


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Họ và tên", "full_name"),
        ("Họ tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("  họ   và  tên ", "full_name"),
        ("Ho va ten", "full_name"),
        (unicodedata.normalize("NFD", "Họ và tên"), "full_name"),
        ("Họ và tên (*)", "full_name"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("Ngày vào đảng", "joined_on"),
        ("Ngày vào Đảng", "joined_on"),
        ("Ngày CT", "official_on"),
        ("Ngày chính thức", "official_on"),
        ("Giới tính (Nam/Nữ)", "gender"),
        ("Nam/Nữ", "gender"),
        ("Ngành/lĩnh vực", "sector"),
        ("Ngành, lĩnh vực", "sector"),
        ("Đơn vị công tác", "workplace_unit"),
        ("Đảng viên (Có/Không)", "is_member"),
        ("Mã đảng viên", "code"),
        ("Chi bộ", "cell"),
        ("STT", "stt"),
    ],
)
def test_headers_match_whatever_the_case_accents_spacing_or_synonym(header, key):
    assert SYNONYMS.get(header_key(header)) == key


def test_header_row_is_found_below_a_title_block_and_row_numbers_stay_excel_ones():
    data = workbook_bytes(
        [person_row(1, "Nguyễn Văn An"), person_row(2, "Lê Thị Bình")],
        title_rows=[["ĐẢNG BỘ XÃ THOẠI SƠN"], ["DANH SÁCH ĐẢNG VIÊN"], []],
    )
    sheet = _read(data).people
    assert sheet.header_row == 4
    assert [r.number for r in sheet.rows] == [5, 6]
    assert not sheet.problems


def test_blank_rows_and_the_example_row_are_skipped():
    data = workbook_bytes(
        [
            ["Ví dụ", "Nguyễn Văn A", "05/03/1980"],
            [],
            [None, None, None],
            [1, "Lê Thị Bình", "01/01/1990"],
        ]
    )
    sheet = _read(data).people
    assert [r.number for r in sheet.rows] == [5]


def test_unknown_duplicate_and_missing_columns_are_reported_with_their_letter():
    data = workbook_bytes(
        [[1, "Nguyễn Văn An", "x", "y"]],
        headers=["STT", "Họ tên", "Quê quán", "Tên"],
    )
    problems = _read(data).people.problems
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"unknown_column", "duplicate_column", "missing_column"}
    assert by_code["unknown_column"].column == "C"
    assert by_code["unknown_column"].value == "Quê quán"
    assert by_code["duplicate_column"].column == "D"
    assert by_code["duplicate_column"].params["first"] == "B"
    assert by_code["missing_column"].params["label"] == "Ngày sinh"
    assert "Quê quán" in by_code["unknown_column"].message


def test_a_sheet_without_a_header_row_says_which_columns_it_needs():
    data = workbook_bytes([[1, 2, 3]], headers=["a", "b", "c"])
    problems = _read(data).people.problems
    assert [p.code for p in problems] == ["no_header"]
    assert "Họ và tên" in problems[0].message


def test_units_sheet_is_read_and_notes_sheet_ignored():
    wb = Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active.append(["anything", "at all"])
    people = wb.create_sheet("DS")
    people.append(list(HEADERS))
    people.append(person_row(1, "Nguyễn Văn An"))
    units = wb.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Loại", "Đơn vị cấp trên"])
    units.append(["Chi bộ ấp Mới", "Chi bộ", "Đảng ủy xã Thoại Sơn"])
    buffer = io.BytesIO()
    wb.save(buffer)
    parsed = _read(buffer.getvalue())
    assert parsed.people.title == "DS"
    assert parsed.units.rows[0].values["name"] == "Chi bộ ấp Mới"
    assert parsed.row_count == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/03/1980", dt.date(1980, 3, 5)),
        ("5/3/1980", dt.date(1980, 3, 5)),
        ("05-03-1980", dt.date(1980, 3, 5)),
        ("05.03.1980", dt.date(1980, 3, 5)),
        (" 05/03/1980 ", dt.date(1980, 3, 5)),
        ("1980-03-05", dt.date(1980, 3, 5)),
        (dt.datetime(1980, 3, 5, 0, 0), dt.date(1980, 3, 5)),
        (dt.date(1980, 3, 5), dt.date(1980, 3, 5)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_are_read_from_text_and_excel_date_cells(value, expected):
    assert date_value(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("05/03/80", "two_digit_year"),
        ("5-3-80", "two_digit_year"),
        ("31/02/1980", "no_such_date"),
        ("1980", "not_a_date"),
        (1980, "not_a_date"),
        ("03/05/1980 ngày", "not_a_date"),
        ("01/01/2030", "date_in_future"),
        ("01/01/1700", "date_too_early"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(value, code):
    with pytest.raises(BadValue) as caught:
        date_value(value, today=TODAY)
    assert caught.value.code == code


def test_excel_date_cells_survive_a_round_trip_through_openpyxl():
    data = workbook_bytes([person_row(1, "Nguyễn Văn An", dt.datetime(1975, 4, 30))])
    row = _read(data).people.rows[0]
    assert date_value(row.values["birth_date"], today=TODAY) == dt.date(1975, 4, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Nam", "male"), ("nam", "male"), ("NỮ", "female"), ("Nu", "female"), ("", ""), (None, "")],
)
def test_gender_reads_nam_and_nu(value, expected):
    assert gender_value(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Có", True), ("co", True), ("x", True), ("Không", False), ("KHÔNG", False), (None, None)],
)
def test_member_column_reads_co_and_khong(value, expected):
    assert yes_no_value(value) == expected


def test_text_is_stored_in_one_form_whatever_the_input():
    nfd_old_tone = unicodedata.normalize("NFD", "Nguyễn  Thị Hoà ")
    assert text_value(nfd_old_tone) == "Nguyễn Thị Hòa"
    assert text_value("Lê Thuỷ") == "Lê Thủy"
    assert text_value(1234.0) == "1234"
