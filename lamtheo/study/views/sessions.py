"""Study sessions: list, create, edit, attendance entry, the expected list, close and reopen,
make-up sessions. One view per workflow step: GET shows or confirms, POST acts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods

from lamtheo.core.errors import DomainError
from lamtheo.org.scope import get_scope, people_for, units_for
from lamtheo.study import services
from lamtheo.study.forms import (
    AddPersonForm,
    MakeupForm,
    ReasonForm,
    SessionForm,
    add_domain_error,
)
from lamtheo.study.models import Attendance, AttendanceStatus, SessionStatus, StudySession
from lamtheo.study.selectors import (
    attendance_for,
    get_session_for_user,
    made_up_person_ids,
    makeup_candidates,
    reads_subtree,
    same_day_sessions,
    session_summary,
    session_units_for,
    sessions_for,
    study_plans_for,
    superior_paths_of,
)
from lamtheo.study.views.common import paginate, year_param

GET_POST = require_http_methods(["GET", "POST"])


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    year = year_param(request)
    visible = sessions_for(request.user)
    years = sorted(
        set(visible.order_by().values_list("programme_year__year", flat=True).distinct())
        | {timezone.localdate().year},
        reverse=True,
    )
    sessions = visible.filter(programme_year__year=year).annotate(
        n_expected=Count("attendances"),
        n_present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
        n_pending=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PENDING)),
    )
    units = units_for(request.user).filter(study_sessions__isnull=False).distinct()
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        sessions = sessions.filter(unit_id=int(unit_id))
    if scope.person_id:
        sessions = sessions.prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(person_id=scope.person_id),
                to_attr="my_rows",
            )
        )
    page = paginate(request, sessions.order_by("-date", "-start_time", "-id"))
    for session in page:
        session.my_row = session.my_rows[0] if getattr(session, "my_rows", None) else None
        session.shows_counts = reads_subtree(scope, session.unit)
    return render(
        request,
        "study/session_list.html",
        {
            "page": page,
            "year": year,
            "years": years,
            "units": units,
            "unit_id": unit_id,
            "can_create": session_units_for(request.user).exists(),
        },
    )


def _plans_for_units(units, year: int):
    from lamtheo.plans.models import Plan, PlanKind

    return (
        Plan.objects.issued()
        .filter(
            kind=PlanKind.STUDY,
            year__in=[year - 1, year, year + 1],
            unit__path__in=superior_paths_of(units),
        )
        .select_related("unit")
        .order_by("-year", "-unit__depth", "-issue_date")
    )


def _warn_same_day(request: HttpRequest, session: StudySession) -> None:
    """Saved, but say so when the unit already has a session that day: two sessions on one
    date are usually the same one planned twice (the other can then be moved or edited)."""
    others = same_day_sessions(session)
    if not others:
        return
    names = "; ".join(
        (f"{other.start_time:%H:%M} " if other.start_time else "")
        + "\u201c"
        + Truncator(other.topic).chars(60)
        + "\u201d"
        for other in others
    )
    messages.warning(
        request,
        ngettext(
            "%(unit)s already has another session on %(date)s: %(sessions)s. "
            "Check that the same session was not planned twice.",
            "%(unit)s already has %(count)s other sessions on %(date)s: %(sessions)s. "
            "Check that the same session was not planned twice.",
            len(others),
        )
        % {
            "unit": session.unit,
            "date": date_format(session.date, "SHORT_DATE_FORMAT"),
            "sessions": names,
            "count": len(others),
        },
    )


@login_required
@GET_POST
def session_create(request: HttpRequest) -> HttpResponse:
    units = session_units_for(request.user)
    unit_list = list(units)
    if not unit_list:
        # The page exists for everyone; planning sessions is just not theirs to do.
        raise PermissionDenied
    plans = _plans_for_units(unit_list, timezone.localdate().year)
    form = SessionForm(request.POST or None, units=units, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_study_session(
                unit=data["unit"],
                date=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                topic=data["topic"],
                plan=data["plan"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Session planned: %(count)s people expected.")
                % {"count": session.attendances.count()},
            )
            _warn_same_day(request, session)
            return redirect("study:session-detail", pk=session.pk)
    return render(request, "study/session_form.html", {"form": form, "session": None})


@login_required
@GET_POST
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, manage=True)
    plans = study_plans_for(session.unit, session.programme_year.year)
    if session.plan_id:
        from lamtheo.plans.models import Plan

        plans = plans | Plan.objects.filter(pk=session.plan_id)
    initial = {
        "date": session.date,
        "start_time": session.start_time,
        "place": session.place,
        "topic": session.topic,
        "plan": session.plan_id,
        "note": session.note,
    }
    form = SessionForm(request.POST or None, initial=initial, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_study_session(
                session=session,
                date=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                topic=data["topic"],
                plan=data["plan"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Session saved."))
            if data["date"] != initial["date"]:
                session.refresh_from_db()
                _warn_same_day(request, session)
            return redirect("study:session-detail", pk=session.pk)
    return render(request, "study/session_form.html", {"form": form, "session": session})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    scope = get_scope(request.user)
    supervises = reads_subtree(scope, session.unit)
    rows = list(attendance_for(request.user, session))
    root = session.makeup_of or session
    made_up = made_up_person_ids(root) if not session.is_makeup else set()
    for row in rows:
        row.made_up = row.person_id in made_up and row.is_absent
    my_row = next((r for r in rows if r.person_id == scope.person_id), None)
    manages = scope.manages_unit(session.unit)
    # The make-up button, on the original or on a make-up already held, while no other
    # make-up is planned (the service allows one planned make-up at a time).
    owed = (
        len(makeup_candidates(root))
        if manages
        and not root.is_planned
        and not session.is_planned
        and not root.makeups.filter(status=SessionStatus.PLANNED).exists()
        else 0
    )
    return render(
        request,
        "study/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "supervises": supervises,
            "summary": session_summary(session) if supervises else None,
            "manages": manages,
            "my_row": my_row,
            "makeups": list(session.makeups.all()) if not session.is_makeup else [],
            "owed": owed,
            "can_record": manages
            and not session.is_closed
            and session.date <= timezone.localdate(),
            "can_reflect": my_row is not None and session.date <= timezone.localdate(),
        },
    )


def _parse_sheet(
    request: HttpRequest, rows: list[Attendance], *, all_present: bool = False
) -> tuple[list[services.AttendanceEntry], dict[int, dict[str, str]]]:
    """The entries posted for the expected rows (rows left blank are skipped) and what the
    user typed, to re-render the sheet as it was."""
    entries: list[services.AttendanceEntry] = []
    posted: dict[int, dict[str, str]] = {}
    for row in rows:
        status_key, reason_key = f"status-{row.person_id}", f"reason-{row.person_id}"
        if status_key not in request.POST and reason_key not in request.POST and not all_present:
            continue
        status = request.POST.get(status_key, "")
        reason = request.POST.get(reason_key, "")
        if not status and all_present:
            status = AttendanceStatus.PRESENT
        posted[row.person_id] = {"status": status, "reason": reason}
        if status:
            entries.append(services.AttendanceEntry(row.person_id, status, reason))
    return entries, posted


@login_required
@GET_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet: one row per expected person, three big toggles, one POST.
    htmx posts a single row on change (partial save); the plain POST saves the sheet."""
    session = get_session_for_user(request.user, pk, manage=True)
    rows = list(session.attendances.select_related("person").order_by("person__sort_key", "id"))
    errors: dict = {}
    if request.method == "POST":
        entries, posted = _parse_sheet(
            request, rows, all_present=request.POST.get("action") == "all_present"
        )
        if request.htmx:
            return _save_row(request, session, entries)
        errors = services.attendance_errors(session, entries)
        if not errors:
            try:
                services.record_attendance(session=session, entries=entries, by=request.user)
            except DomainError as error:
                errors = {None: str(error.message)}
            else:
                # The total, not the changes: the rows were mostly saved already, one by one.
                recorded = session.attendances.exclude(status=AttendanceStatus.PENDING).count()
                messages.success(
                    request,
                    _("Attendance saved: %(recorded)s of %(expected)s people recorded.")
                    % {"recorded": recorded, "expected": len(rows)},
                )
                return redirect("study:session-detail", pk=session.pk)
        for row in rows:
            if row.person_id in posted:
                row.status = posted[row.person_id]["status"] or row.status
                row.reason = posted[row.person_id]["reason"]
    for row in rows:
        row.error = errors.get(row.person_id, "")
    return render(
        request,
        "study/session_attendance.html",
        {
            "session": session,
            "rows": rows,
            "sheet_error": errors.get(None, ""),
            "has_errors": bool(errors),
            "too_early": session.date > timezone.localdate(),
            # Short labels so three toggles fit a 360-px row; the long form is the title.
            "statuses": [
                (AttendanceStatus.PRESENT, _("Present"), _("Present"), "success", "check-lg"),
                (
                    AttendanceStatus.EXCUSED,
                    # Translators: short toggle label, «Có phép» (absent with reason).
                    pgettext("attendance toggle", "Excused"),
                    _("Absent with reason"),
                    "warning",
                    "chat-left-text",
                ),
                (
                    AttendanceStatus.ABSENT,
                    # Translators: short toggle label, «Không phép» (absent without reason).
                    pgettext("attendance toggle", "Unexcused"),
                    _("Absent without reason"),
                    "danger",
                    "x-lg",
                ),
            ],
        },
    )


def _save_row(
    request: HttpRequest, session: StudySession, entries: list[services.AttendanceEntry]
) -> HttpResponse:
    """Save the row htmx posted on change. «Absent with reason» waits, silently, for its
    reason: the toggle is tapped before the reason can be typed (the sheet's Save button
    still refuses an empty one)."""
    entries = [
        entry
        for entry in entries
        if not (entry.status == AttendanceStatus.EXCUSED and not entry.reason.strip())
    ]
    if not entries:
        return HttpResponse("")
    message, ok = "", True
    try:
        services.record_attendance(session=session, entries=entries, by=request.user)
        message = _("Saved")
    except DomainError as error:
        ok, message = False, str(error.message)
    return render(request, "study/partials/attendance_saved.html", {"ok": ok, "message": message})


@login_required
@GET_POST
def session_expected(request: HttpRequest, pk: int) -> HttpResponse:
    """The expected list: who is on it, and adding someone with a reason."""
    session = get_session_for_user(request.user, pk, manage=True)
    rows = list(session.attendances.select_related("person").order_by("person__sort_key"))
    people = people_for(request.user, manage=True).exclude(pk__in=[row.person_id for row in rows])
    form = AddPersonForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_expected_person(
                session=session,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("%(person)s added.") % {"person": form.cleaned_data["person"]}
            )
            return redirect("study:session-expected", pk=session.pk)
    return render(
        request, "study/session_expected.html", {"session": session, "rows": rows, "form": form}
    )


@login_required
@GET_POST
def session_expected_remove(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, manage=True)
    row = get_object_or_404(
        Attendance.objects.select_related("person"), pk=attendance_pk, session=session
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_expected_person(
                attendance=row, reason=form.cleaned_data["reason"], by=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(person)s removed.") % {"person": row.person})
            return redirect("study:session-expected", pk=session.pk)
    return render(
        request,
        "study/session_confirm.html",
        {
            "session": session,
            "form": form,
            "title": _("Remove %(person)s from the expected list") % {"person": row.person},
            "button": _("Remove"),
            "danger": True,
        },
    )


@login_required
@GET_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, manage=True)
    error = ""
    if request.method == "POST":
        try:
            services.close_session(session=session, by=request.user)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Session closed."))
            return redirect("study:session-detail", pk=session.pk)
    return render(
        request,
        "study/session_confirm.html",
        {
            "session": session,
            "title": _("Close this session"),
            "text": _("Once closed, the attendance can only be changed after reopening it."),
            "button": _("Close"),
            "error": error,
        },
    )


@login_required
@GET_POST
def session_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, manage=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_session(
                session=session, reason=form.cleaned_data["reason"], by=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Session reopened."))
            return redirect("study:session-detail", pk=session.pk)
    return render(
        request,
        "study/session_confirm.html",
        {
            "session": session,
            "form": form,
            "title": _("Reopen this session"),
            "button": _("Reopen"),
        },
    )


@login_required
@GET_POST
def session_makeup(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a make-up session for everyone still owing this one."""
    session = get_session_for_user(request.user, pk, manage=True)
    root = session.makeup_of or session
    owed_ids = makeup_candidates(root) if not root.is_planned else []
    owed = list(
        root.attendances.filter(person_id__in=owed_ids)
        .select_related("person")
        .order_by("person__sort_key")
    )
    form = MakeupForm(request.POST or None, initial={"place": root.place})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            makeup = services.create_makeup_session(
                original=root,
                date=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Make-up session planned for %(count)s people.")
                % {"count": makeup.attendances.count()},
            )
            return redirect("study:session-detail", pk=makeup.pk)
    return render(
        request, "study/session_makeup.html", {"session": root, "owed": owed, "form": form}
    )
