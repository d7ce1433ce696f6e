"""Every change to study sessions, attendance and reflections goes through one function here.

Each runs in a transaction, re-reads the row it changes under ``select_for_update`` (a
secretary on a phone and a deputy at the office may save the same session at once), records
who and when (the models keep a history; reasons go in ``_change_reason``) and raises one
``DomainError`` when a rule of the programme is broken. Pages and the API call the same
functions; permissions (who may call them) are checked by the caller through the scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lamtheo.core.errors import DomainError
from lamtheo.core.text import normalize_vi, normalize_vi_lines
from lamtheo.org.models import CELL_KINDS, STATE_KINDS, Employment, PartyMembership, Person, Unit
from lamtheo.org.scope import get_scope
from lamtheo.programme.models import Audience, ProgrammeYear
from lamtheo.programme.selectors import programme_year_for
from lamtheo.study.models import (
    ABSENT_STATUSES,
    MAX_REFLECTION_FILE_SIZE,
    REFLECTION_FILE_EXTENSIONS,
    Attendance,
    AttendanceStatus,
    Grade,
    Reflection,
    SessionStatus,
    StudySession,
)
from lamtheo.study.selectors import makeup_candidates, superior_paths

#: What a recorder may set (``pending`` is only the starting state).
RECORDABLE = frozenset(
    {AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT}
)


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- Who is expected -------------------------------------------------------------------


def audience_for_unit(unit: Unit) -> str:
    """Cells study with their party members; state units with their staff who are not party
    members (members study in their cell). Other units hold no study session of their own."""
    if unit.kind in CELL_KINDS:
        return Audience.PARTY
    if unit.kind in STATE_KINDS:
        return Audience.STATE
    raise DomainError(
        _("Study sessions are held by party cells and state units, not by «%(unit)s».")
        % {"unit": unit},
        field="unit",
    )


def expected_person_ids(*, unit: Unit, audience: str, day: dt.date) -> list[int]:
    """The people a session of ``unit`` on ``day`` expects: the cell's members on that day,
    or the unit's staff on that day who are not party members anywhere on that day."""
    if audience == Audience.PARTY:
        ids = PartyMembership.objects.current(day).filter(cell=unit).values_list("person_id")
    else:
        members = PartyMembership.objects.current(day).values("person_id")
        ids = (
            Employment.objects.current(day)
            .filter(unit=unit)
            .exclude(person_id__in=members)
            .values_list("person_id")
        )
    return sorted({pk for (pk,) in ids})


# --- Sessions -----------------------------------------------------------------------------


def _check_plan(plan: Any, *, unit: Unit, year: int, day: dt.date) -> None:
    """A session deploys an issued study plan of its own unit or of a unit above it, for
    the same year, and is never dated before that plan (BRIEF §3, date logic)."""
    from lamtheo.plans.models import PlanKind, PlanStatus

    if plan.kind != PlanKind.STUDY:
        raise DomainError(_("Choose a study plan, not an implementation plan."), field="plan")
    if plan.status != PlanStatus.ISSUED:
        raise DomainError(_("Only an issued plan can be deployed."), field="plan")
    if plan.unit.path not in superior_paths(unit):
        raise DomainError(
            _("The plan must be issued by this unit or a unit above it."), field="plan"
        )
    if plan.year != year:
        raise DomainError(
            _("The plan is for %(plan_year)s, the session for %(year)s.")
            % {"plan_year": plan.year, "year": year},
            field="plan",
        )
    if day < plan.issue_date:
        raise DomainError(
            _("A session cannot be dated before the plan it deploys (%(date)s).")
            % {"date": _day(plan.issue_date)},
            field="date",
        )


def _programme_year(unit: Unit, year: int) -> ProgrammeYear:
    """The programme year of ``unit``: issued above it or, for years before a
    reorganisation, above the units it continues (2020: the old district committee)."""
    programme_year = programme_year_for(unit, year)
    if programme_year is None:
        programme_year = (
            ProgrammeYear.objects.filter(year=year, issuer__path__in=superior_paths(unit))
            .order_by("-issuer__depth")
            .first()
        )
    if programme_year is None:
        raise DomainError(
            _("No programme year %(year)s applies to this unit yet: its theme must be set first.")
            % {"year": year},
            field="date",
        )
    return programme_year


@transaction.atomic
def create_study_session(
    *,
    unit: Unit,
    date: dt.date,
    by: Any,
    start_time: dt.time | None = None,
    place: str = "",
    topic: str = "",
    plan: Any = None,
    note: str = "",
) -> StudySession:
    """Plan a study session and freeze who is expected (the unit's members, or its
    non-member staff, on ``date``). ``topic`` defaults to the year's theme."""
    audience = audience_for_unit(unit)
    if not unit.is_active_on(date):
        raise DomainError(_("The unit does not exist on that date."), field="date")
    programme_year = _programme_year(unit, date.year)
    if plan is not None:
        _check_plan(plan, unit=unit, year=date.year, day=date)
    session = StudySession(
        unit=unit,
        programme_year=programme_year,
        plan=plan,
        audience=audience,
        date=date,
        start_time=start_time,
        place=normalize_vi(place),
        topic=normalize_vi(topic) or programme_year.theme_title[:500],
        note=normalize_vi_lines(note),
        created_by=by,
    )
    session._change_reason = "created"
    session.save()
    person_ids = expected_person_ids(unit=unit, audience=audience, day=date)
    _expect(session, person_ids, by=by)
    return session


def _expect(session: StudySession, person_ids: Iterable[int], *, by: Any) -> None:
    rows = [Attendance(session=session, person_id=pk) for pk in person_ids]
    if rows:
        bulk_create_with_history(
            rows, Attendance, default_user=by, default_change_reason="expected"
        )


def _lock(session: StudySession) -> StudySession:
    return (
        StudySession.objects.select_for_update(of=("self",))
        .select_related("unit", "programme_year")
        .get(pk=session.pk)
    )


def _not_closed(session: StudySession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise DomainError(
            _("This session is closed. Reopen it (with a reason) before changing it."),
            code="closed",
        )


@transaction.atomic
def update_study_session(
    *,
    session: StudySession,
    by: Any,
    date: dt.date,
    start_time: dt.time | None = None,
    place: str = "",
    topic: str = "",
    plan: Any = None,
    note: str = "",
) -> StudySession:
    """Change a session's details. The expected list stays as frozen at creation (edit it
    person by person); the date stays in the session's programme year."""
    session = _lock(session)
    _not_closed(session)
    year = session.programme_year.year
    if date.year != year:
        raise DomainError(
            _("The date must stay in %(year)s, the session's programme year.") % {"year": year},
            field="date",
        )
    if not session.is_planned and date > timezone.localdate():
        raise DomainError(
            _("Attendance is already recorded, so the session cannot move to a future date."),
            field="date",
        )
    if session.makeup_of_id is not None:
        original = session.makeup_of
        if date < original.date:
            raise DomainError(
                _("A make-up session cannot come before the session it makes up (%(date)s).")
                % {"date": _day(original.date)},
                field="date",
            )
    else:
        first_makeup = session.makeups.order_by("date").first()
        if first_makeup is not None and date > first_makeup.date:
            raise DomainError(
                _("A make-up session is already set for %(date)s; the session must come before it.")
                % {"date": _day(first_makeup.date)},
                field="date",
            )
    if plan is not None and plan.pk != session.plan_id:
        _check_plan(plan, unit=session.unit, year=year, day=date)
    elif plan is not None and date < plan.issue_date:
        # The same plan (maybe superseded since): only the date rule applies.
        raise DomainError(
            _("A session cannot be dated before the plan it deploys (%(date)s).")
            % {"date": _day(plan.issue_date)},
            field="date",
        )
    session.date = date
    session.start_time = start_time
    session.place = normalize_vi(place)
    session.topic = normalize_vi(topic) or session.programme_year.theme_title[:500]
    session.plan = plan
    session.note = normalize_vi_lines(note)
    session._change_reason = "edited"
    session.save()
    return session


@transaction.atomic
def create_makeup_session(
    *,
    original: StudySession,
    date: dt.date,
    by: Any,
    start_time: dt.time | None = None,
    place: str = "",
    topic: str = "",
    note: str = "",
) -> StudySession:
    """Plan a make-up session (học bù) for everyone still owing the original session: absent
    from it (with or without reason) and not present at an earlier make-up."""
    root = original.makeup_of if original.makeup_of_id else original
    root = _lock(root)
    if root.is_planned:
        raise DomainError(
            _("Record the attendance of the session before planning a make-up session.")
        )
    if root.makeups.filter(status=SessionStatus.PLANNED).exists():
        raise DomainError(
            _("A make-up session is already planned: record it before planning another one.")
        )
    if date < root.date:
        raise DomainError(
            _("A make-up session cannot come before the session it makes up (%(date)s).")
            % {"date": _day(root.date)},
            field="date",
        )
    if date.year != root.programme_year.year:
        raise DomainError(
            _("The date must stay in %(year)s, the session's programme year.")
            % {"year": root.programme_year.year},
            field="date",
        )
    owed = makeup_candidates(root)
    if not owed:
        raise DomainError(_("Nobody is left to make up this session."))
    session = StudySession(
        unit=root.unit,
        programme_year=root.programme_year,
        plan=root.plan,
        audience=root.audience,
        makeup_of=root,
        date=date,
        start_time=start_time,
        place=normalize_vi(place),
        topic=normalize_vi(topic) or root.topic,
        note=normalize_vi_lines(note),
        created_by=by,
    )
    session._change_reason = "make-up created"
    session.save()
    _expect(session, owed, by=by)
    return session


@transaction.atomic
def add_expected_person(
    *, session: StudySession, person: Person, reason: str, by: Any
) -> Attendance:
    """Add someone the frozen list missed (a member who moved in on the day, a guest)."""
    session = _lock(session)
    _not_closed(session)
    reason = normalize_vi(reason)
    if not reason:
        raise DomainError(_("Say why this person is added."), field="reason")
    if Attendance.objects.filter(session=session, person=person).exists():
        raise DomainError(
            _("%(person)s is already expected at this session.") % {"person": person},
            field="person",
        )
    row = Attendance(session=session, person=person, added_reason=reason[:255])
    row._change_reason = reason
    row.save()
    return row


@transaction.atomic
def remove_expected_person(*, attendance: Attendance, reason: str, by: Any) -> None:
    """Take someone off the expected list (they left the cell before the day, were counted
    twice…). The history keeps the row and the reason."""
    session = _lock(attendance.session)
    _not_closed(session)
    reason = normalize_vi(reason)
    if not reason:
        raise DomainError(_("Say why this person is removed."), field="reason")
    row = Attendance.objects.select_for_update(of=("self",)).get(pk=attendance.pk)
    row._change_reason = reason
    row.delete()


# --- Attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One line of an attendance sheet: a person and what happened."""

    person_id: int
    status: str
    reason: str = ""


def attendance_errors(
    session: StudySession, entries: list[AttendanceEntry]
) -> dict[int | None, str]:
    """Problems with an attendance sheet, keyed by person id (``None``: the sheet itself),
    so a page can show each next to its row. Empty when the sheet can be saved."""
    errors: dict[int | None, str] = {}
    if not entries:
        errors[None] = _("Nothing to record.")
        return errors
    expected = set(session.attendances.values_list("person_id", flat=True))
    seen: set[int] = set()
    for entry in entries:
        if entry.person_id in seen:
            errors[entry.person_id] = _("This person appears twice.")
        elif entry.person_id not in expected:
            errors[entry.person_id] = _("This person is not expected at this session.")
        elif entry.status not in RECORDABLE:
            errors[entry.person_id] = _("Choose present, absent with reason or absent.")
        elif entry.status == AttendanceStatus.EXCUSED and not entry.reason.strip():
            errors[entry.person_id] = _("Give the reason for the absence.")
        seen.add(entry.person_id)
    return errors


@transaction.atomic
def record_attendance(*, session: StudySession, entries: Iterable[AttendanceEntry], by: Any) -> int:
    """Record who came, for some or all of the expected people, in one go. The first
    recording marks the session held. Returns the number of rows that changed."""
    session = _lock(session)
    _not_closed(session)
    if session.date > timezone.localdate():
        raise DomainError(
            _("Attendance can only be recorded on or after the day of the session (%(date)s).")
            % {"date": _day(session.date)},
            field="date",
        )
    entries = list(entries)
    errors = attendance_errors(session, entries)
    if errors:
        first = next(iter(errors.values()))
        names = dict(
            Person.objects.filter(pk__in=[k for k in errors if k]).values_list("pk", "full_name")
        )
        details = [f"{names.get(k, k)}: {v}" if k else v for k, v in errors.items()]
        raise DomainError(first, field="entries", details=details)
    rows = {
        row.person_id: row
        for row in Attendance.objects.select_for_update(of=("self",)).filter(
            session=session, person_id__in=[e.person_id for e in entries]
        )
    }
    now = timezone.now()
    changed: list[Attendance] = []
    for entry in entries:
        row = rows[entry.person_id]
        reason = normalize_vi(entry.reason)[:255] if entry.status in ABSENT_STATUSES else ""
        if row.status == entry.status and row.reason == reason:
            continue
        row.status = entry.status
        row.reason = reason
        row.recorded_at = now
        row.recorded_by = by
        changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            Attendance,
            ["status", "reason", "recorded_at", "recorded_by"],
            default_user=by,
            default_change_reason="attendance recorded",
        )
    if session.is_planned:
        session.status = SessionStatus.HELD
        session._change_reason = "attendance recorded"
        session.save(update_fields=["status"])
    return len(changed)


@transaction.atomic
def close_session(*, session: StudySession, by: Any) -> StudySession:
    """Close a held session once everyone's attendance is recorded; changing it afterwards
    needs ``reopen_session`` with a reason."""
    session = _lock(session)
    if session.status != SessionStatus.HELD:
        raise DomainError(_("Only a held session with its attendance recorded can be closed."))
    pending = session.attendances.filter(status=AttendanceStatus.PENDING).count()
    if pending:
        raise DomainError(
            _("%(count)s people have no attendance recorded yet.") % {"count": pending},
            code="pending",
        )
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.closed_by = by
    session._change_reason = "closed"
    session.save()
    return session


@transaction.atomic
def reopen_session(*, session: StudySession, reason: str, by: Any) -> StudySession:
    session = _lock(session)
    if session.status != SessionStatus.CLOSED:
        raise DomainError(_("Only a closed session can be reopened."))
    reason = normalize_vi(reason)
    if not reason:
        raise DomainError(_("Say why the session is reopened."), field="reason")
    session.status = SessionStatus.HELD
    session.closed_at = None
    session.closed_by = None
    session._change_reason = reason
    session.save()
    return session


# --- Reflections -----------------------------------------------------------------------------


def reflection_unit_for(person: Person, day: dt.date) -> tuple[Unit, str]:
    """Where a person writes their reflection: their cell, or (staff who are not members)
    their state unit."""
    membership = (
        PartyMembership.objects.current(day).filter(person=person).select_related("cell").first()
    )
    if membership is not None:
        return membership.cell, Audience.PARTY
    employment = (
        Employment.objects.current(day).filter(person=person).select_related("unit").first()
    )
    if employment is not None and employment.unit.kind in STATE_KINDS:
        return employment.unit, Audience.STATE
    raise DomainError(_("This person belongs to no cell or state unit today."))


def can_write_reflection(user: Any, person: Person, unit: Unit) -> bool:
    """The person themself, or (proxy entry, BRIEF §8) a manager of their unit."""
    scope = get_scope(user)
    return scope.person_id == person.pk or scope.manages_unit(unit)


def check_reflection_file(file: UploadedFile | None) -> None:
    """A reflection file is a document or a photo (by its extension) of at most 10 MB; a web
    page or a program would be stored and served back to the secretary."""
    if not file:
        return
    name = file.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in REFLECTION_FILE_EXTENSIONS:
        raise DomainError(_("This kind of file is not accepted."), field="file")
    if file.size is None or file.size > MAX_REFLECTION_FILE_SIZE:
        raise DomainError(_("The file is larger than 10 MB."), field="file")


@transaction.atomic
def submit_reflection(
    *,
    person: Person,
    year: int,
    by: Any,
    text: str = "",
    file: UploadedFile | None = None,
    session: StudySession | None = None,
) -> Reflection:
    """Write (or rewrite) a reflection for the year, or for one session. It can be changed
    until the secretary assesses it; a «fail» assessment opens it again for a rewrite."""
    check_reflection_file(file)
    today = timezone.localdate()
    if session is not None:
        if not session.attendances.filter(person=person).exists():
            raise DomainError(_("This person was not expected at that session."), field="session")
        if session.date > today:
            raise DomainError(
                _("A reflection on a session can only be written after it."), field="session"
            )
        unit, audience, programme_year = session.unit, session.audience, session.programme_year
    else:
        unit, audience = reflection_unit_for(person, today)
        programme_year = _programme_year(unit, year)
    if not can_write_reflection(by, person, unit):
        raise DomainError(
            _("You may only write your own reflection."), field="person", code="forbidden"
        )
    text = normalize_vi_lines(text)
    existing = (
        Reflection.objects.select_for_update(of=("self",))
        .filter(person=person, programme_year=programme_year, session=session)
        .first()
    )
    if not text and not file and not (existing and existing.file):
        raise DomainError(_("Write the reflection or attach a file."), field="text")
    if existing is not None and existing.is_assessed and existing.grade != Grade.FAIL:
        raise DomainError(
            _("This reflection is already assessed and can no longer be changed."),
            code="assessed",
        )
    reflection = existing or Reflection(
        person=person, unit=unit, audience=audience, programme_year=programme_year, session=session
    )
    reflection.text = text
    if file:
        reflection.file = file
    reflection.submitted_at = timezone.now()
    reflection.entered_by = by
    if existing is not None and existing.is_assessed:
        # A rewrite after «fail» goes back to the secretary.
        reflection.grade = ""
        reflection.assessed_at = None
        reflection.assessed_by = None
        reflection._change_reason = "rewritten after assessment"
    else:
        reflection._change_reason = "submitted" if existing is None else "edited"
    reflection.save()
    return reflection


@transaction.atomic
def assess_reflection(
    *, reflection: Reflection, grade: str, by: Any, comment: str = ""
) -> Reflection:
    """The secretary's assessment: excellent, good, pass or fail (a fail needs a comment
    saying what to redo). Nobody assesses their own reflection."""
    reflection = Reflection.objects.select_for_update(of=("self",)).get(pk=reflection.pk)
    if grade not in Grade.values:
        raise DomainError(_("Choose an assessment."), field="grade")
    if get_scope(by).person_id == reflection.person_id:
        raise DomainError(_("You cannot assess your own reflection."), code="forbidden")
    comment = normalize_vi_lines(comment)
    if grade == Grade.FAIL and not comment:
        raise DomainError(_("Say what needs to be redone."), field="comment")
    reflection.grade = grade
    reflection.comment = comment
    reflection.assessed_at = timezone.now()
    reflection.assessed_by = by
    reflection._change_reason = "assessed"
    reflection.save()
    return reflection
