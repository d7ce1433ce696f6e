"""Service tests: sessions, the frozen expected list, attendance rules, make-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from simple_history.utils import get_history_model_for_model

from lamtheo.core.errors import DomainError
from lamtheo.org.models import PartyMembership
from lamtheo.plans.models import Plan, PlanKind, PlanStatus
from lamtheo.study import services
from lamtheo.study.models import Attendance, AttendanceStatus, SessionStatus, StudySession
from lamtheo.study.selectors import makeup_candidates
from lamtheo.study.services import AttendanceEntry
from tests.factories import make_member, make_staff
from tests.study.conftest import SESSION_DAY


def _expected(session: StudySession) -> set:
    return set(session.attendances.values_list("person__full_name", flat=True))


def make_plan(unit, *, issue_date, kind=PlanKind.STUDY, status=PlanStatus.ISSUED, year=2026):
    return Plan.objects.create(
        unit=unit,
        year=year,
        kind=kind,
        issuer_abbreviation=unit.doc_abbreviation or "CB",
        number=1 if status != PlanStatus.DRAFT else None,
        issue_date=issue_date,
        title="Kế hoạch học tập chuyên đề",
        status=status,
    )


# --- Expected attendees ------------------------------------------------------------------


def test_expected_attendees_are_the_cells_members_on_the_session_date(world, session_a):
    assert _expected(session_a) == {"Nguyễn Văn Đảng", "Trần Thị Bí Thư", "Lê Văn Đồng Chí"}
    assert session_a.topic == world.programme_year.theme_title
    assert session_a.status == SessionStatus.PLANNED
    assert session_a.audience == "party"


def test_member_who_moved_to_another_cell_before_the_date_is_not_expected(world, today):
    mover = make_member(world.cell_a, "Hồ Văn Chuyển", since=dt.date(2020, 1, 1))
    membership = PartyMembership.objects.get(person=mover)
    membership.valid_to = dt.date(2026, 3, 1)
    membership.save()
    PartyMembership.objects.create(person=mover, cell=world.cell_b, valid_from=dt.date(2026, 3, 2))
    session_a = services.create_study_session(
        unit=world.cell_a, date=SESSION_DAY, by=world.user("secretary")
    )
    session_b = services.create_study_session(
        unit=world.cell_b, date=SESSION_DAY, by=world.user("other_secretary")
    )
    assert "Hồ Văn Chuyển" not in _expected(session_a)
    assert "Hồ Văn Chuyển" in _expected(session_b)


def test_member_who_joined_after_the_date_is_not_expected(world, today):
    make_member(world.cell_a, "Đinh Thị Mới", since=dt.date(2026, 3, 11))
    session = services.create_study_session(
        unit=world.cell_a, date=SESSION_DAY, by=world.user("secretary")
    )
    assert "Đinh Thị Mới" not in _expected(session)


def test_expected_list_stays_frozen_when_membership_changes_later(world, session_a, today):
    make_member(world.cell_a, "Đinh Thị Mới", since=dt.date(2026, 3, 1))
    assert "Đinh Thị Mới" not in _expected(session_a)


def test_state_unit_session_expects_only_staff_who_are_not_party_members(world, today):
    member_staff = make_staff(world.ubnd, "Lý Văn Đảng Viên")
    PartyMembership.objects.create(
        person=member_staff, cell=world.cell_a, valid_from=dt.date(2019, 1, 1)
    )
    session = services.create_study_session(
        unit=world.ubnd, date=SESSION_DAY, by=world.user("admin")
    )
    assert session.audience == "state"
    assert _expected(session) == {"Huỳnh Thị Công Chức"}


def test_committee_cannot_hold_a_session_of_its_own(world, today):
    with pytest.raises(DomainError):
        services.create_study_session(unit=world.commune, date=SESSION_DAY, by=world.user("admin"))


def test_session_needs_a_programme_year(world, today):
    with pytest.raises(DomainError) as error:
        services.create_study_session(
            unit=world.cell_a, date=dt.date(2025, 5, 1), by=world.user("secretary")
        )
    assert error.value.field == "date"


def test_add_and_remove_expected_person_need_a_reason_and_leave_history(world, session_a):
    guest = world.people.other_member
    with pytest.raises(DomainError):
        services.add_expected_person(session=session_a, person=guest, reason=" ", by=None)
    row = services.add_expected_person(
        session=session_a, person=guest, reason="Học ghép", by=world.user("secretary")
    )
    assert row.added_reason == "Học ghép"
    with pytest.raises(DomainError):
        services.add_expected_person(session=session_a, person=guest, reason="lần nữa", by=None)
    services.remove_expected_person(attendance=row, reason="Nhầm người", by=None)
    assert not session_a.attendances.filter(person=guest).exists()
    history = get_history_model_for_model(Attendance).objects.filter(person_id=guest.pk)
    assert history.filter(history_type="-", history_change_reason="Nhầm người").exists()


# --- Plans and dates ---------------------------------------------------------------------------


def test_session_cannot_be_dated_before_the_study_plan_it_deploys(world, today):
    plan = make_plan(world.commune, issue_date=dt.date(2026, 3, 12))
    with pytest.raises(DomainError) as error:
        services.create_study_session(unit=world.cell_a, date=SESSION_DAY, by=None, plan=plan)
    assert error.value.field == "date"
    session = services.create_study_session(
        unit=world.cell_a, date=dt.date(2026, 3, 12), by=None, plan=plan
    )
    assert session.plan == plan


@pytest.mark.parametrize(
    "kind,status,unit_name",
    [
        (PlanKind.IMPLEMENTATION, PlanStatus.ISSUED, "commune"),
        (PlanKind.STUDY, PlanStatus.DRAFT, "commune"),
        (PlanKind.STUDY, PlanStatus.ISSUED, "cell_b"),
    ],
)
def test_session_refuses_a_plan_that_is_not_an_issued_study_plan_from_above(
    world, today, kind, status, unit_name
):
    plan = make_plan(
        getattr(world, unit_name), issue_date=dt.date(2026, 1, 5), kind=kind, status=status
    )
    with pytest.raises(DomainError) as error:
        services.create_study_session(unit=world.cell_a, date=SESSION_DAY, by=None, plan=plan)
    assert error.value.field == "plan"


def test_update_keeps_date_in_the_programme_year(world, session_a):
    with pytest.raises(DomainError):
        services.update_study_session(session=session_a, by=None, date=dt.date(2027, 1, 5))
    services.update_study_session(
        session=session_a, by=None, date=dt.date(2026, 3, 11), place="Nhà văn hóa", topic=""
    )
    session_a.refresh_from_db()
    assert session_a.place == "Nhà văn hóa"
    assert session_a.topic == world.programme_year.theme_title


# --- Attendance ----------------------------------------------------------------------------


def test_recording_attendance_marks_the_session_held(world, held_session_a):
    rows = {a.person_id: a for a in held_session_a.attendances.all()}
    p = world.people
    assert held_session_a.status == SessionStatus.HELD
    assert rows[p.member.pk].status == AttendanceStatus.PRESENT
    assert rows[p.colleague.pk].reason == "ốm"
    assert rows[p.secretary.pk].recorded_by == world.user("secretary")


def test_excused_absence_requires_a_reason(world, session_a):
    with pytest.raises(DomainError) as error:
        services.record_attendance(
            session=session_a,
            entries=[AttendanceEntry(world.people.colleague.pk, "excused", "  ")],
            by=None,
        )
    assert error.value.field == "entries"
    assert session_a.attendances.filter(status=AttendanceStatus.PENDING).count() == 3


def test_attendance_of_someone_not_expected_is_refused(world, session_a):
    with pytest.raises(DomainError):
        services.record_attendance(
            session=session_a,
            entries=[
                AttendanceEntry(world.people.member.pk, "present"),
                AttendanceEntry(world.people.other_member.pk, "present"),
            ],
            by=None,
        )
    assert not session_a.attendances.exclude(status=AttendanceStatus.PENDING).exists()


def test_unknown_status_is_refused(world, session_a):
    with pytest.raises(DomainError):
        services.record_attendance(
            session=session_a, entries=[AttendanceEntry(world.people.member.pk, "pending")], by=None
        )


def test_attendance_cannot_be_recorded_before_the_session_day(world, today):
    session = services.create_study_session(unit=world.cell_a, date=dt.date(2026, 3, 25), by=None)
    with pytest.raises(DomainError) as error:
        services.record_attendance(
            session=session, entries=[AttendanceEntry(world.people.member.pk, "present")], by=None
        )
    assert error.value.field == "date"


def test_presence_clears_an_old_reason(world, held_session_a):
    services.record_attendance(
        session=held_session_a,
        entries=[AttendanceEntry(world.people.colleague.pk, "present", "ốm")],
        by=None,
    )
    row = held_session_a.attendances.get(person=world.people.colleague)
    assert (row.status, row.reason) == ("present", "")


def test_closed_session_needs_reopening_with_a_reason_before_changes(world, held_session_a):
    services.record_attendance(
        session=held_session_a,
        entries=[AttendanceEntry(world.people.secretary.pk, "present")],
        by=None,
    )
    services.close_session(session=held_session_a, by=world.user("secretary"))
    with pytest.raises(DomainError) as error:
        services.record_attendance(
            session=held_session_a,
            entries=[AttendanceEntry(world.people.member.pk, "absent")],
            by=None,
        )
    assert error.value.code == "closed"
    with pytest.raises(DomainError):
        services.reopen_session(session=held_session_a, reason="", by=None)
    services.reopen_session(session=held_session_a, reason="Ghi nhầm", by=None)
    held_session_a.refresh_from_db()
    assert held_session_a.status == SessionStatus.HELD
    assert held_session_a.history.first().history_change_reason == "Ghi nhầm"


def test_session_with_unrecorded_people_cannot_be_closed(world, session_a):
    services.record_attendance(
        session=session_a, entries=[AttendanceEntry(world.people.member.pk, "present")], by=None
    )
    with pytest.raises(DomainError) as error:
        services.close_session(session=session_a, by=None)
    assert error.value.code == "pending"


# --- Make-up sessions ------------------------------------------------------------------------


def test_makeup_expects_exactly_the_absentees(world, held_session_a):
    makeup = services.create_makeup_session(
        original=held_session_a, date=dt.date(2026, 3, 17), by=None
    )
    assert makeup.makeup_of == held_session_a
    assert makeup.topic == held_session_a.topic
    assert _expected(makeup) == {"Lê Văn Đồng Chí", "Trần Thị Bí Thư"}


def test_second_makeup_expects_those_still_absent(world, held_session_a):
    first = services.create_makeup_session(
        original=held_session_a, date=dt.date(2026, 3, 17), by=None
    )
    with pytest.raises(DomainError):
        services.create_makeup_session(original=held_session_a, date=dt.date(2026, 3, 18), by=None)
    services.record_attendance(
        session=first,
        entries=[
            AttendanceEntry(world.people.colleague.pk, "present"),
            AttendanceEntry(world.people.secretary.pk, "excused", "đi công tác"),
        ],
        by=None,
    )
    # Asking from the make-up still makes up the original session.
    second = services.create_makeup_session(original=first, date=dt.date(2026, 3, 19), by=None)
    assert second.makeup_of == held_session_a
    assert _expected(second) == {"Trần Thị Bí Thư"}
    assert makeup_candidates(held_session_a) == [world.people.secretary.pk]


def test_makeup_needs_a_held_session_absentees_and_a_later_date(world, session_a, today):
    with pytest.raises(DomainError):
        services.create_makeup_session(original=session_a, date=dt.date(2026, 3, 17), by=None)
    services.record_attendance(
        session=session_a,
        entries=[
            AttendanceEntry(p.pk, "present")
            for p in (world.people.member, world.people.secretary, world.people.colleague)
        ],
        by=None,
    )
    with pytest.raises(DomainError):
        services.create_makeup_session(original=session_a, date=dt.date(2026, 3, 17), by=None)


def test_makeup_cannot_precede_the_original(world, held_session_a):
    with pytest.raises(DomainError) as error:
        services.create_makeup_session(original=held_session_a, date=dt.date(2026, 3, 9), by=None)
    assert error.value.field == "date"


def test_original_cannot_move_after_its_makeup(world, held_session_a):
    services.create_makeup_session(original=held_session_a, date=dt.date(2026, 3, 12), by=None)
    with pytest.raises(DomainError):
        services.update_study_session(session=held_session_a, by=None, date=dt.date(2026, 3, 13))
