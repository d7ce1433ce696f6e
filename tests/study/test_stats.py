"""Statistics: figures per unit rolled up the tree, exact on a small tree, and a query count
that does not grow with the tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lamtheo.org.models import UnitKind
from lamtheo.study import services
from lamtheo.study.selectors import study_stats
from lamtheo.study.services import AttendanceEntry
from tests.factories import make_member, make_programme_year, make_staff, make_unit
from tests.study.conftest import SESSION_DAY


@pytest.fixture
def figures(world, held_session_a):
    """Cell A: member present, colleague excused then present at the make-up, secretary absent
    without reason and excused at the make-up. Cell B: planned, nothing recorded. UBND: the
    non-member staff present. Cell C: no session. Two reflections in cell A, one assessed."""
    p = world.people
    makeup = services.create_makeup_session(
        original=held_session_a, date=dt.date(2026, 3, 15), by=None
    )
    services.record_attendance(
        session=makeup,
        entries=[
            AttendanceEntry(p.colleague.pk, "present"),
            AttendanceEntry(p.secretary.pk, "excused", "đi công tác"),
        ],
        by=None,
    )
    services.create_study_session(unit=world.cell_b, date=SESSION_DAY, by=None)
    ubnd = services.create_study_session(unit=world.ubnd, date=SESSION_DAY, by=None)
    services.record_attendance(
        session=ubnd, entries=[AttendanceEntry(p.staff.pk, "present")], by=None
    )
    cell_c = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp Trung Bình", parent=world.commune)
    make_member(cell_c, "Tô Văn Chưa Học")
    mine = services.submit_reflection(
        person=p.member, year=2026, text="Thu hoạch", by=world.user("member")
    )
    services.assess_reflection(reflection=mine, grade="good", by=world.user("secretary"))
    services.submit_reflection(
        person=p.colleague, year=2026, text="Thu hoạch", by=world.user("secretary")
    )
    # Another year must not leak into 2026.
    make_programme_year(world.commune, 2025)
    old = services.create_study_session(unit=world.cell_a, date=dt.date(2025, 4, 1), by=None)
    services.record_attendance(
        session=old, entries=[AttendanceEntry(p.member.pk, "absent")], by=None
    )
    return {"cell_c": cell_c}


def _rows(root, year=2026):
    return {row.unit.name: row for row in study_stats(root, year)}


def test_cell_figures_count_make_ups_and_still_absent(world, figures):
    a = _rows(world.commune)["Chi bộ ấp Đông Bình"].members
    assert (a.expected, a.present, a.made_up, a.excused, a.absent, a.pending) == (3, 1, 1, 0, 1, 0)
    assert a.attendance_pct == 66.7
    assert (a.sessions, a.sessions_held, a.makeups) == (1, 1, 1)
    assert (a.reflections, a.reflections_assessed) == (2, 1)


def test_commune_rolls_up_its_cells_with_members_and_staff_apart(world, figures):
    rows = _rows(world.commune)
    commune = rows["Đảng ủy xã Thoại Sơn"]
    m = commune.members
    assert (m.expected, m.present, m.made_up, m.excused, m.absent, m.pending) == (6, 1, 1, 0, 1, 3)
    assert m.attendance_pct == 66.7  # 2 of the 3 recorded
    assert (m.sessions, m.sessions_held, m.makeups) == (2, 1, 1)
    assert (m.reflections, m.reflections_assessed) == (2, 1)
    s = commune.staff
    assert (s.expected, s.present, s.attendance_pct) == (1, 1, 100.0)
    assert rows["Chi bộ ấp Tây Bình"].members.pending == 3
    assert rows["Chi bộ ấp Trung Bình"].missing_session
    assert commune.cells_without_session == 1
    # The province above sums the same figures.
    assert _rows(world.province)["Tỉnh ủy An Giang"].members.expected == 6


def test_year_filter_keeps_other_years_apart(world, figures):
    old = _rows(world.commune, 2025)["Chi bộ ấp Đông Bình"].members
    assert (old.expected, old.absent, old.attendance_pct) == (3, 1, 0.0)


def test_stats_query_count_does_not_grow_with_the_tree(world, figures):
    with CaptureQueriesContext(connection) as small:
        study_stats(world.commune, 2026)
    for i in range(6):
        cell = make_unit(kind=UnitKind.CELL, name=f"Chi bộ ấp Mới {i}", parent=world.commune)
        people = [make_member(cell, f"Đảng Viên Mới {i}-{j}") for j in range(4)]
        session = services.create_study_session(unit=cell, date=SESSION_DAY, by=None)
        services.record_attendance(
            session=session,
            entries=[AttendanceEntry(person.pk, "present") for person in people],
            by=None,
        )
        make_staff(world.ubnd, f"Nhân Viên Mới {i}")
    with CaptureQueriesContext(connection) as large:
        rows = study_stats(world.commune, 2026)
    assert len(large) == len(small) <= 5
    assert rows[0].members.expected == 6 + 24


def test_stats_page_shows_the_commune_to_oversight(world, figures, login):
    response = login(world.user("oversight")).get(reverse("study:stats"), {"year": 2026})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chi bộ ấp Trung Bình" in text
    assert "Ủy ban nhân dân xã Thoại Sơn" in text


def test_secretary_sees_only_their_cell_in_stats(world, figures, login):
    client = login(world.user("secretary"))
    response = client.get(reverse("study:stats"), {"year": 2026})
    assert response.context["root"] == world.cell_a
    assert [row.unit for row in response.context["rows"]] == [world.cell_a]
    assert client.get(reverse("study:stats"), {"unit": world.commune.pk}).status_code == 404


def test_stats_api_returns_the_rolled_up_tree(world, figures, login):
    client = login(world.user("oversight"))
    response = client.get(reverse("api:study-stats-list"), {"year": 2026})
    assert response.status_code == 200
    top = response.json()[0]
    assert top["unit"] == world.commune.pk
    assert top["members"]["expected"] == 6
    assert top["members"]["attended"] == 2
    assert top["staff"]["attendance_pct"] == 100.0
    assert top["cells_without_session"] == 1


def test_members_get_404_on_stats(world, login):
    for persona in ("member", "staff"):
        client = login(world.user(persona))
        assert client.get(reverse("study:stats")).status_code == 404
        assert client.get(reverse("api:study-stats-list")).status_code == 404
