"""Checking and importing people (service layer, on the database)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.utils import timezone
from openpyxl import Workbook

from lamtheo.documents.importer import check_workbook, import_workbook
from lamtheo.documents.spreadsheet import read_workbook
from lamtheo.org.models import (
    Employment,
    MembershipStatus,
    PartyMembership,
    Person,
    Sector,
    Unit,
    UnitKind,
)
from tests.documents.helpers import HEADERS, person_row, workbook_bytes


def _parse(data: bytes):
    return read_workbook(io.BytesIO(data))


def _check(world, rows, persona="secretary", **kwargs):
    return check_workbook(_parse(workbook_bytes(rows)), user=world.user(persona), **kwargs)


def _import(world, data: bytes, persona="secretary", **kwargs):
    return import_workbook(
        _parse(data), user=world.user(persona), file_name="danh-sach.xlsx", **kwargs
    )


def _codes(plan):
    return [(p.row, p.column, p.code) for p in plan.problems]


def test_clean_sheet_creates_people_memberships_and_history(world):
    data = workbook_bytes(
        [
            person_row(1, "Nguyễn Văn An", joined="19/05/2005", official="19/05/2006", code="AG-1"),
            person_row(2, "Lê Thị Bình", "01-02-1990", gender="Nữ", joined="03/02/2020"),
        ]
    )
    plan, counts = _import(world, data)
    assert plan.ok, _codes(plan)
    assert counts["people_created"] == 2
    assert counts["memberships_created"] == 2
    an = Person.objects.get(full_name="Nguyễn Văn An")
    assert an.code == "AG-1"
    assert an.birth_date == dt.date(1980, 3, 5)
    membership = an.memberships.get()
    assert membership.cell == world.cell_a
    assert membership.status == MembershipStatus.OFFICIAL
    assert membership.valid_from == timezone.localdate()
    binh = Person.objects.get(full_name="Lê Thị Bình")
    assert binh.gender == "female"
    assert binh.memberships.get().status == MembershipStatus.PROBATIONARY
    record = an.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.user("secretary")
    assert record.history_change_reason == "Nhập từ tệp danh-sach.xlsx"
    assert membership.history.get().history_change_reason == "Nhập từ tệp danh-sach.xlsx"
    # The derived keys are set although bulk_create skipped save().
    keys = (an.sort_key, an.search_key)
    assert all(keys)
    an.save()
    an.refresh_from_db()
    assert (an.sort_key, an.search_key) == keys


def test_nfd_and_old_tone_placement_are_stored_as_nfc_new_tone(world):
    nfd = unicodedata.normalize("NFD", "Trần Thị Thuỷ")
    plan, _counts = _import(world, workbook_bytes([person_row(1, nfd), person_row(2, "Võ Hoà")]))
    assert plan.ok
    names = set(
        Person.history.filter(history_change_reason__startswith="Nhập").values_list(
            "full_name", flat=True
        )
    )
    assert names == {"Trần Thị Thủy", "Võ Hòa"}
    for name in names:
        assert unicodedata.is_normalized("NFC", name)


def test_cell_is_found_by_code_short_name_or_without_accents(world):
    Unit.objects.filter(pk=world.cell_a.pk).update(code="CB-DB")
    rows = [
        person_row(1, "Người Một", cell="CB-DB"),
        person_row(2, "Người Hai", cell="chi bo ap dong binh"),
        person_row(3, "Người Ba", cell="Ấp Đông Bình"),
        person_row(4, "Người Bốn", cell=unicodedata.normalize("NFD", "CHI BỘ ẤP ĐÔNG BÌNH")),
    ]
    plan = _check(world, rows)
    assert plan.ok, _codes(plan)
    assert {p.unit.unit for p in plan.people} == {world.cell_a}


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        (person_row(1, ""), "B", "missing_name"),
        (person_row(1, "Nguyễn Văn An", ""), "C", "missing_birth_date"),
        (person_row(1, "Nguyễn Văn An", "5/3/80"), "C", "two_digit_year"),
        (person_row(1, "Nguyễn Văn An", "30/02/1980"), "C", "no_such_date"),
        (person_row(1, "Nguyễn Văn An", "khoảng 1980"), "C", "not_a_date"),
        (person_row(1, "Nguyễn Văn An", gender="Ông"), "D", "bad_gender"),
        (person_row(1, "Nguyễn Văn An", cell=""), "E", "missing_cell"),
        (person_row(1, "Nguyễn Văn An", cell="Chi bộ ấp Không Có"), "E", "unknown_cell"),
        (person_row(1, "Nguyễn Văn An", cell="Ủy ban nhân dân xã Thoại Sơn"), "E", "not_a_cell"),
        (person_row(1, "Nguyễn Văn An", joined="01/01/1970"), "G", "joined_before_birth"),
        (
            person_row(1, "Nguyễn Văn An", joined="01/01/2010", official="01/01/2009"),
            "H",
            "official_before_joined",
        ),
        (person_row(1, "Nguyễn Văn An", member="Có lẽ"), "I", "bad_yes_no"),
        (person_row(1, "Nguyễn Văn An", member="Không", cell=""), "J", "missing_workplace_unit"),
        (
            person_row(
                1, "Nguyễn Văn An", member="Không", cell="", workplace="Chi bộ ấp Đông Bình"
            ),
            "J",
            "not_a_state_unit",
        ),
        (
            person_row(
                1, "Nguyễn Văn An", member="Không", workplace="Ủy ban nhân dân xã Thoại Sơn"
            ),
            "E",
            "cell_for_non_member",
        ),
        (person_row(1, "N" * 121), "B", "too_long"),
    ],
)
def test_each_kind_of_error_names_its_row_and_column(world, row, column, code):
    rows = [person_row(1, "Người Đúng"), row, person_row(3, "Người Cũng Đúng")]
    plan = _check(world, rows, persona="admin")
    assert _codes(plan) == [(3, column, code)]
    assert plan.problems[0].message  # renders with its parameters
    assert plan.people == []  # nothing planned from a file with problems


def test_a_cell_outside_the_users_units_is_an_unknown_cell(world):
    plan = _check(world, [person_row(1, "Nguyễn Văn An", cell="Chi bộ ấp Tây Bình")])
    assert _codes(plan) == [(2, "E", "unknown_cell")]
    # Its secretary may import into it.
    plan = _check(
        world,
        [person_row(1, "Nguyễn Văn An", cell="Chi bộ ấp Tây Bình")],
        persona="other_secretary",
    )
    assert plan.ok


def test_same_person_twice_in_the_sheet_is_reported_on_the_second_row(world):
    plan = _check(
        world,
        [
            person_row(1, "Nguyễn Văn An"),
            person_row(2, "Trần Văn Bé", code="X-9"),
            person_row(3, "NGUYỄN VĂN AN", "05-03-1980"),
            person_row(4, "Trần Văn Bé Hai", code="X-9"),
        ],
    )
    assert _codes(plan) == [
        (4, "B", "duplicate_in_sheet_name"),
        (5, "K", "duplicate_in_sheet_code"),
    ]
    assert plan.problems[0].params["other"] == "2"


def test_people_already_recorded_are_reported_by_default(world):
    Person.objects.filter(pk=world.people.colleague.pk).update(code="AG-7")
    plan = _check(
        world,
        [
            person_row(1, "Lê Văn Đồng Chí", "17/05/1980"),  # same name, birth, cell
            person_row(2, "Tên Khác", code="AG-7"),
            person_row(3, "Lê Văn Đồng Chí", "17/05/1980", cell="Chi bộ ấp Đông Bình", code=""),
        ],
    )
    assert [c for _r, _col, c in _codes(plan)] == [
        "exists_name",
        "exists_code",
        "duplicate_in_sheet_name",
    ]


def test_a_code_of_someone_outside_the_users_units_cannot_be_taken(world):
    Person.objects.filter(pk=world.people.other_member.pk).update(code="B-1")
    plan = _check(world, [person_row(1, "Ai Đó", code="B-1")])
    assert _codes(plan) == [(2, "K", "code_outside_scope")]


def test_update_existing_updates_records_and_keeps_what_a_blank_cell_leaves(world):
    colleague = world.people.colleague
    Person.objects.filter(pk=colleague.pk).update(party_position="Đảng viên", code="")
    data = workbook_bytes(
        [
            person_row(
                1,
                "Lê Văn Đồng Chí",
                "17/05/1980",
                position="Chi ủy viên",
                code="AG-8",
                joined="",
                official="01/01/2012",
                gender="",
            )
        ]
    )
    plan, counts = _import(world, data, update_existing=True)
    assert plan.ok, _codes(plan)
    assert counts["people_updated"] == 1 and counts["people_created"] == 0
    assert counts["memberships_created"] == 0 and counts["memberships_updated"] == 1
    colleague.refresh_from_db()
    assert colleague.party_position == "Chi ủy viên"
    assert colleague.code == "AG-8"
    assert colleague.gender == "male"  # blank cell: kept
    membership = colleague.memberships.get()
    assert membership.joined_on == dt.date(2010, 3, 3)  # blank cell: kept
    assert membership.official_on == dt.date(2012, 1, 1)
    assert colleague.history.first().history_type == "~"
    assert colleague.history.first().history_change_reason == "Nhập từ tệp danh-sach.xlsx"


def test_update_existing_refuses_to_move_someone_to_another_cell(world):
    Person.objects.filter(pk=world.people.colleague.pk).update(code="AG-9")
    world.users["admin"].is_superuser = True
    plan = _check(
        world,
        [person_row(1, "Lê Văn Đồng Chí", "17/05/1980", cell="Chi bộ ấp Tây Bình", code="AG-9")],
        persona="admin",
        update_existing=True,
    )
    assert _codes(plan) == [(2, "E", "in_other_cell")]


def test_staff_who_are_not_members_get_an_employment_in_their_state_unit(world):
    data = workbook_bytes(
        [
            person_row(
                1,
                "Phan Văn Công",
                member="Không",
                cell="",
                workplace="UBND xã Thoại Sơn",
                position="Công chức văn phòng",
            )
        ]
    )
    Unit.objects.filter(pk=world.ubnd.pk).update(short_name="UBND xã Thoại Sơn")
    plan, _counts = _import(world, data, persona="admin")
    assert plan.ok, _codes(plan)
    person = Person.objects.get(full_name="Phan Văn Công")
    employment = Employment.objects.get(person=person)
    assert employment.unit == world.ubnd
    assert employment.position == "Công chức văn phòng"
    assert person.government_position == "Công chức văn phòng"
    assert not PartyMembership.objects.filter(person=person).exists()


def test_sector_is_found_by_name_or_code(world):
    Sector.objects.create(code="y-te", name="Y tế")
    data = workbook_bytes(
        [
            [1, "Người Một", "01/01/1980", "Nam", "Chi bộ ấp Đông Bình", "Y TE"],
            [2, "Người Hai", "01/01/1981", "Nam", "Chi bộ ấp Đông Bình", "Thiên văn"],
        ],
        headers=["STT", "Họ tên", "Ngày sinh", "Giới tính", "Chi bộ", "Ngành/lĩnh vực"],
    )
    plan = check_workbook(_parse(data), user=world.user("secretary"))
    assert _codes(plan) == [(3, "F", "unknown_sector")]


def test_an_error_in_the_last_row_leaves_the_database_unchanged(world):
    rows = [person_row(i, f"Người Thứ {i}") for i in range(1, 50)]
    rows.append(person_row(50, "Người Cuối", "99/99/1999"))
    before = (Person.objects.count(), PartyMembership.objects.count(), Person.history.count())
    plan, counts = _import(world, workbook_bytes(rows))
    assert counts is None
    assert _codes(plan) == [(51, "C", "no_such_date")]
    after = (Person.objects.count(), PartyMembership.objects.count(), Person.history.count())
    assert after == before


def test_a_failure_while_writing_rolls_everything_back(world, monkeypatch):
    from lamtheo.documents import importer

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_update_membership", broken)
    Person.objects.filter(pk=world.people.colleague.pk).update(code="AG-1")
    rows = [
        person_row(1, "Người Mới"),
        person_row(2, "Lê Văn Đồng Chí", "17/05/1980", code="AG-1", official="01/01/2012"),
    ]
    before = Person.objects.count()
    with pytest.raises(RuntimeError):
        _import(world, workbook_bytes(rows), update_existing=True)
    assert Person.objects.count() == before


def test_units_sheet_creates_a_cell_that_the_people_rows_use(world):
    data = workbook_bytes(
        [person_row(1, "Người Ấp Mới", cell="Chi bộ ấp Mới")],
        units=[
            [1, "Chi bộ ấp Mới", "Chi bộ", "Đảng ủy xã Thoại Sơn", "CB-MOI"],
            [2, "Tổ đảng 1", "Tổ đảng", "CB-MOI", ""],
        ],
    )
    plan, counts = _import(world, data, persona="admin")
    assert plan.ok, _codes(plan)
    assert counts["units_created"] == 2
    cell = Unit.objects.get(code="CB-MOI")
    assert cell.kind == UnitKind.CELL
    assert Unit.objects.get_parent(cell) == world.commune
    assert cell.place_name == "Thoại Sơn"  # from the parent
    assert Unit.objects.get_parent(Unit.objects.get(name="Tổ đảng 1")) == cell
    assert PartyMembership.objects.get(person__full_name="Người Ấp Mới").cell == cell
    assert cell.history.get().history_change_reason == "Nhập từ tệp danh-sach.xlsx"


def test_units_sheet_errors_are_reported(world):
    data = workbook_bytes(
        [],
        units=[
            [1, "Chi bộ ấp Đông Bình", "Chi bộ", "Đảng ủy xã Thoại Sơn"],
            [2, "Chi bộ X", "Hội", "Đảng ủy xã Thoại Sơn"],
            [3, "Chi bộ Y", "Chi bộ", "Đảng ủy xã Khác"],
            [4, "Chi bộ Z", "Chi bộ", "Đảng ủy xã Thoại Sơn"],
            [5, "Chi bộ Z", "Chi bộ", "Đảng ủy xã Thoại Sơn"],
        ],
        unit_headers=["STT", "Tên đơn vị", "Loại", "Đơn vị cấp trên"],
    )
    plan = check_workbook(_parse(data), user=world.user("admin"))
    assert _codes(plan) == [
        (2, "B", "unit_exists"),
        (3, "C", "unknown_kind"),
        (4, "D", "unknown_parent"),
        (6, "B", "unit_duplicate_in_sheet"),
    ]


def test_a_secretary_cannot_create_units_outside_their_cell(world):
    data = workbook_bytes(
        [person_row(1, "Người Một")],
        units=[[1, "Chi bộ Mới", "Chi bộ", "Đảng ủy xã Thoại Sơn"]],
        unit_headers=["STT", "Tên đơn vị", "Loại", "Đơn vị cấp trên"],
    )
    plan = check_workbook(_parse(data), user=world.user("secretary"))
    assert _codes(plan) == [(2, "D", "unknown_parent")]


def test_within_limits_the_lookup_to_a_subtree(world):
    plan = _check(world, [person_row(1, "Người Một")], persona="admin", within=world.cell_b)
    assert _codes(plan) == [(2, "E", "unknown_cell")]


def _big_sheet(n: int, bad: dict[int, list]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(list(HEADERS))
    for i in range(1, n + 1):
        if i in bad:
            ws.append(bad[i])
            continue
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=i * 3)
        ws.append(
            person_row(
                i,
                f"Nguyễn Văn Số {i}",
                birth.strftime("%d/%m/%Y"),
                cell="Chi bộ ấp Đông Bình" if i % 2 else "Chi bộ ấp Tây Bình",
                joined="01/01/2010",
                official="01/01/2011",
                code=f"AG-{i:05d}",
            )
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_five_thousand_rows_with_three_bad_ones_give_exactly_three_messages(world):
    bad = {
        1200: person_row(1200, "Người Sai Ngày", "31/04/1980"),
        3001: person_row(3001, "Người Sai Chi Bộ", cell="Chi bộ không tồn tại"),
        5000: person_row(5000, "", "01/01/1980"),
    }
    data = _big_sheet(5000, bad)
    before = Person.objects.count()
    plan, counts = _import(world, data, persona="admin")
    assert counts is None
    assert _codes(plan) == [
        (1201, "C", "no_such_date"),
        (3002, "E", "unknown_cell"),
        (5001, "B", "missing_name"),
    ]
    assert Person.objects.count() == before


@pytest.mark.slow
def test_a_clean_five_thousand_row_sheet_imports_every_row_with_history(world):
    # Speed is measured by bench/import_bench.py, not asserted here.
    data = _big_sheet(5000, {})
    plan, counts = _import(world, data, persona="admin")
    assert plan.ok, _codes(plan)[:5]
    assert counts["people_created"] == 5000
    assert counts["memberships_created"] == 5000
    assert Person.history.filter(history_change_reason="Nhập từ tệp danh-sach.xlsx").count() == 5000


def test_an_unknown_column_is_reported_and_the_rows_are_still_checked(world):
    data = workbook_bytes(
        [[1, "Người Một", "1/1/80", "Chi bộ ấp Đông Bình", "Long Xuyên"]],
        headers=["STT", "Họ tên", "Ngày sinh", "Chi bộ", "Quê quán"],
    )
    plan = check_workbook(_parse(data), user=world.user("secretary"))
    assert _codes(plan) == [(1, "E", "unknown_column"), (2, "C", "two_digit_year")]


def test_a_missing_required_column_stops_the_row_checks(world):
    data = workbook_bytes(
        [[1, "Người Một", "Chi bộ ấp Đông Bình"]], headers=["STT", "Họ tên", "Chi bộ"]
    )
    plan = check_workbook(_parse(data), user=world.user("secretary"))
    assert _codes(plan) == [(1, "", "missing_column")]
