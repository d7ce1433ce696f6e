"""Reads about study sessions, attendance and reflections, always through the user's scope.

A session is read by everyone who reads its unit (members of the cell included); the full
attendance list only by those who read the unit's subtree (secretary, committee, oversight):
a member sees their own row. Reflections are read by their author and by those who read
the unit's subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from lamtheo.org.models import CELL_KINDS, COMMITTEE_KINDS, STATE_KINDS, Unit, ancestor_paths
from lamtheo.org.scope import Scope, get_scope, path_q, unit_q
from lamtheo.programme.models import Audience
from lamtheo.study.models import (
    ABSENT_STATUSES,
    Attendance,
    AttendanceStatus,
    Reflection,
    SessionStatus,
    StudySession,
)


def reads_subtree(scope: Scope, unit: Unit) -> bool:
    """Whether the scope reads ``unit`` as a supervisor (its full lists), not only as a
    member of it."""
    return scope.is_admin or any(unit.path.startswith(p) for p in scope.read_paths)


# --- Sessions -----------------------------------------------------------------------------


def sessions_for(user: Any, *, manage: bool = False) -> QuerySet[StudySession]:
    """Sessions of the units the user reads (or manages)."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return StudySession.objects.none()
    return StudySession.objects.filter(unit_q(scope, manage=manage)).select_related(
        "unit", "programme_year", "plan", "makeup_of"
    )


def get_session_for_user(user: Any, pk: Any, *, manage: bool = False) -> StudySession:
    """The session if the user reads it (404 otherwise); with ``manage=True`` also require
    that they manage its unit (403: they can see it, but it is not theirs to change)."""
    try:
        session = sessions_for(user).get(pk=pk)
    except (StudySession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if manage and not get_scope(user).manages_unit(session.unit):
        raise PermissionDenied
    return session


def attendance_for(user: Any, session: StudySession) -> QuerySet[Attendance]:
    """The attendance rows of ``session`` the user may see: all of them for supervisors,
    their own row for a member."""
    scope = get_scope(user)
    rows = session.attendances.select_related("person", "recorded_by").order_by(
        "person__sort_key", "id"
    )
    if reads_subtree(scope, session.unit):
        return rows
    return rows.filter(person_id=scope.person_id) if scope.person_id else rows.none()


def same_day_sessions(session: StudySession) -> list[StudySession]:
    """The unit's other sessions on the day of ``session`` (make-ups included): most likely
    the same session planned twice. A warning, not a rule: two on one day can be right."""
    return list(
        StudySession.objects.filter(unit_id=session.unit_id, date=session.date)
        .exclude(pk=session.pk)
        .order_by("start_time", "id")
    )


def session_summary(session: StudySession) -> dict[str, int]:
    """Counts of one session's attendance (one query)."""
    data = session.attendances.aggregate(
        expected=Count("id"),
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
        absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
        pending=Count("id", filter=Q(status=AttendanceStatus.PENDING)),
    )
    return {key: value or 0 for key, value in data.items()}


def makeup_candidates(root: StudySession) -> list[int]:
    """People still owing ``root`` (an original session): absent from it and not present at
    any of its make-up sessions. Person ids, in name order."""
    made_up = Attendance.objects.filter(
        session__makeup_of=root, status=AttendanceStatus.PRESENT
    ).values("person_id")
    return list(
        root.attendances.filter(status__in=ABSENT_STATUSES)
        .exclude(person_id__in=made_up)
        .order_by("person__sort_key")
        .values_list("person_id", flat=True)
    )


def made_up_person_ids(root: StudySession) -> set[int]:
    """People absent from ``root`` who attended one of its make-up sessions."""
    return set(
        Attendance.objects.filter(
            session__makeup_of=root, status=AttendanceStatus.PRESENT
        ).values_list("person_id", flat=True)
    )


def superior_paths(unit: Unit) -> list[str]:
    """Tree paths of ``unit``, the units above it and, across a reorganisation, the units
    those continue (``UnitSuccession``: the district committee a commune committee replaced)
    with the units above them. Plans and themes of yesterday's tree still apply to the cells
    that carried on. Two queries at most."""
    step = Unit.steplen
    paths = [unit.path[: i * step] for i in range(1, unit.depth + 1)]
    predecessors = Unit.objects.filter(successions_out__successor__path__in=paths).only(
        "path", "depth"
    )
    for predecessor in predecessors:
        paths += [predecessor.path[: i * step] for i in range(1, predecessor.depth + 1)]
    return list(dict.fromkeys(paths))


def study_plans_for(unit: Unit, year: int) -> QuerySet:
    """Issued study plans a session of ``unit`` may deploy: the unit's own or those of the
    units above it (or above the units it continues), for ``year``."""
    from lamtheo.plans.models import Plan, PlanKind

    paths = superior_paths(unit)
    return (
        Plan.objects.issued()
        .filter(kind=PlanKind.STUDY, year=year, unit__path__in=paths)
        .select_related("unit")
        .order_by("-unit__depth", "-issue_date")
    )


def superior_paths_of(units: Iterable[Unit]) -> set[str]:
    """``superior_paths`` of many units at once (a committee may manage 60 cells): one
    query for the units they continue across a reorganisation."""
    paths: set[str] = set()
    for unit in units:
        paths.update(ancestor_paths(unit.path, include_self=True))
    for old in Unit.objects.filter(successions_out__successor__path__in=paths).only(
        "path", "depth"
    ):
        paths.update(ancestor_paths(old.path, include_self=True))
    return paths


def session_plans_for(user: Any) -> QuerySet:
    """Study plans the user may name for a session: those they read (the plans app's scope)
    and the issued ones above the units where they plan sessions (what the session page
    offers, a reorganised unit's predecessors included). Any other plan is unknown to them;
    ``services._check_plan`` decides whether a known one fits the session."""
    from lamtheo.plans.models import Plan, PlanKind
    from lamtheo.plans.selectors import plans_for

    readable = plans_for(user).filter(kind=PlanKind.STUDY)
    scope = get_scope(user)
    if not scope.is_authenticated or scope.is_admin:
        return readable
    paths = superior_paths_of(session_units_for(user).only("path", "depth"))
    above = Plan.objects.issued().filter(kind=PlanKind.STUDY, unit__path__in=paths)
    return Plan.objects.filter(
        Q(pk__in=readable.values("pk")) | Q(pk__in=above.values("pk"))
    ).select_related("unit")


def session_units_for(user: Any) -> QuerySet[Unit]:
    """Units where the user may plan study sessions: cells and state units they manage."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Unit.objects.none()
    kinds = [*CELL_KINDS, *STATE_KINDS]
    qs = Unit.objects.filter(kind__in=kinds)
    if not scope.is_admin:
        qs = qs.filter(path_q(scope.manage_paths))
    return qs


def upcoming_for_person(person_id: int | None, *, limit: int = 5) -> list[Attendance]:
    """The person's coming sessions (today onwards, not yet held)."""
    if person_id is None:
        return []
    return list(
        Attendance.objects.filter(
            person_id=person_id,
            session__status=SessionStatus.PLANNED,
            session__date__gte=timezone.localdate(),
        )
        .select_related("session", "session__unit")
        .order_by("session__date", "session__start_time")[:limit]
    )


def sessions_to_record(user: Any, *, limit: int = 10) -> list[StudySession]:
    """Sessions of units the user manages whose day has come but whose attendance is not
    recorded yet."""
    scope = get_scope(user)
    if not scope.is_admin and not scope.manage_paths:
        return []
    return list(
        sessions_for(user, manage=True)
        .filter(status=SessionStatus.PLANNED, date__lte=timezone.localdate())
        .order_by("date")[:limit]
    )


# --- Reflections --------------------------------------------------------------------------


def reflections_for(user: Any) -> QuerySet[Reflection]:
    """Reflections the user may read: their own, and those of the units whose subtree they
    read. Members of a cell do not read each other's."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Reflection.objects.none()
    qs = Reflection.objects.select_related(
        "person", "unit", "programme_year", "session", "assessed_by"
    )
    if scope.is_admin:
        return qs
    q = path_q(scope.read_paths, "unit__path")
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return qs.filter(q)


def get_reflection_for_user(user: Any, pk: Any, *, assess: bool = False) -> Reflection:
    """The reflection if the user reads it (404); with ``assess=True`` also require that they
    manage its unit (403)."""
    try:
        reflection = reflections_for(user).get(pk=pk)
    except (Reflection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if assess and not get_scope(user).manages_unit(reflection.unit):
        raise PermissionDenied
    return reflection


def people_without_reflection(user: Any, year: int, *, limit: int = 50) -> tuple[int, list]:
    """Current members (and non-member staff) of the cells and state units the user manages
    who have no reflection for ``year`` yet: how many, and the first ``limit`` by name.
    Three queries."""
    from lamtheo.org.models import Employment, PartyMembership, Person

    units = session_units_for(user)
    today = timezone.localdate()
    members = PartyMembership.objects.current(today)
    in_cells = members.filter(cell__in=units).values("person_id")
    staff = (
        Employment.objects.current(today)
        .filter(unit__in=units, unit__kind__in=list(STATE_KINDS))
        .exclude(person_id__in=members.values("person_id"))
        .values("person_id")
    )
    written = Reflection.objects.filter(programme_year__year=year).values("person_id")
    people = Person.objects.filter(Q(pk__in=in_cells) | Q(pk__in=staff)).exclude(pk__in=written)
    count = people.count()
    return count, list(people[:limit]) if count else []


# --- Statistics ---------------------------------------------------------------------------


@dataclass
class Counts:
    """Study figures of one unit (or a subtree) for one audience and year.

    ``expected`` counts the expected rows of original sessions (not make-ups). Each of them
    ends up in exactly one of ``present`` (at the first session), ``made_up`` (absent, then
    present at a make-up), ``excused`` / ``absent`` (still absent, with / without reason) or
    ``pending`` (not recorded yet).
    """

    expected: int = 0
    present: int = 0
    made_up: int = 0
    excused: int = 0
    absent: int = 0
    pending: int = 0
    sessions: int = 0
    sessions_held: int = 0
    makeups: int = 0
    reflections: int = 0
    reflections_assessed: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def attended(self) -> int:
        return self.present + self.made_up

    @property
    def still_absent(self) -> int:
        return self.excused + self.absent

    @property
    def recorded(self) -> int:
        return self.expected - self.pending

    @property
    def attendance_pct(self) -> float | None:
        """Share of the recorded people who studied (at the session or a make-up)."""
        if not self.recorded:
            return None
        return round(100 * self.attended / self.recorded, 1)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["attended"] = self.attended
        data["still_absent"] = self.still_absent
        data["attendance_pct"] = self.attendance_pct
        return data


@dataclass
class StatsRow:
    """One unit of the tree: its own figures and those of its whole subtree."""

    unit: Unit
    level: int
    own: dict[str, Counts] = field(default_factory=dict)
    total: dict[str, Counts] = field(default_factory=dict)
    #: A cell (or state unit with staff to teach) without any session this year.
    missing_session: bool = False
    cells_without_session: int = 0

    @property
    def members(self) -> Counts:
        return self.total[Audience.PARTY]

    @property
    def staff(self) -> Counts:
        return self.total[Audience.STATE]


def _empty() -> dict[str, Counts]:
    return {Audience.PARTY: Counts(), Audience.STATE: Counts()}


def study_stats(root: Unit, year: int) -> list[StatsRow]:
    """Study figures for ``root`` and every unit below it, in tree order, each row with its
    own figures and the sum over its subtree.

    Four queries whatever the size of the tree: the units, the attendance of original
    sessions grouped by unit, audience, status and «made up later», the sessions grouped the
    same way, and the reflections grouped by unit and audience. The roll-up runs in Python.
    """
    units = list(Unit.objects.within(root))
    rows = {
        u.path: StatsRow(unit=u, level=u.depth - root.depth, own=_empty(), total=_empty())
        for u in units
    }
    by_id = {u.id: rows[u.path] for u in units}
    in_tree = Q(session__unit__path__startswith=root.path)

    made_up = Exists(
        Attendance.objects.filter(
            session__makeup_of=OuterRef("session_id"),
            person_id=OuterRef("person_id"),
            status=AttendanceStatus.PRESENT,
        )
    )
    attendance = (
        Attendance.objects.filter(
            in_tree, session__makeup_of__isnull=True, session__programme_year__year=year
        )
        .annotate(made_up=made_up)
        .values("session__unit_id", "session__audience", "status", "made_up")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in attendance:
        counts = by_id[item["session__unit_id"]].own[item["session__audience"]]
        n = item["n"]
        counts.expected += n
        status = item["status"]
        if status == AttendanceStatus.PRESENT:
            counts.present += n
        elif status == AttendanceStatus.PENDING:
            counts.pending += n
        elif item["made_up"]:
            counts.made_up += n
        elif status == AttendanceStatus.EXCUSED:
            counts.excused += n
        else:
            counts.absent += n

    sessions = (
        StudySession.objects.filter(unit__path__startswith=root.path, programme_year__year=year)
        .annotate(
            is_makeup=ExpressionWrapper(Q(makeup_of__isnull=False), output_field=BooleanField())
        )
        .values("unit_id", "audience", "status", "is_makeup")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in sessions:
        counts = by_id[item["unit_id"]].own[item["audience"]]
        if item["is_makeup"]:
            counts.makeups += item["n"]
        else:
            counts.sessions += item["n"]
            if item["status"] != SessionStatus.PLANNED:
                counts.sessions_held += item["n"]

    reflections = (
        Reflection.objects.filter(unit__path__startswith=root.path, programme_year__year=year)
        .values("unit_id", "audience")
        .annotate(n=Count("id"), assessed=Count("id", filter=~Q(grade="")))
        .order_by()
    )
    for item in reflections:
        counts = by_id[item["unit_id"]].own[item["audience"]]
        counts.reflections += item["n"]
        counts.reflections_assessed += item["assessed"]

    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    step = Unit.steplen
    for unit in units:
        row = rows[unit.path]
        active = (unit.valid_from is None or unit.valid_from <= year_end) and (
            unit.valid_to is None or unit.valid_to >= year_start
        )
        row.missing_session = (
            active and unit.kind in CELL_KINDS and not row.own[Audience.PARTY].sessions
        )
        ancestors = [unit.path[: i * step] for i in range(root.depth, unit.depth + 1)]
        for path in ancestors:
            target = rows[path]
            for audience, counts in row.own.items():
                target.total[audience].add(counts)
            if row.missing_session:
                target.cells_without_session += 1

    def shown(row: StatsRow) -> bool:
        if row.unit.path == root.path:
            return True
        has_data = not (row.members.is_empty and row.staff.is_empty)
        return has_data or row.missing_session or row.unit.kind in COMMITTEE_KINDS

    return [row for row in (rows[u.path] for u in units) if shown(row)]


def stats_roots_for(user: Any) -> list[Unit]:
    """The units whose statistics the user may open: the tops of their read subtrees
    (secretary: their cell; oversight: the commune), every top unit for an admin."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return []
    if scope.is_admin:
        return list(Unit.objects.filter(depth=1))
    if not scope.read_paths:
        return []
    return list(Unit.objects.filter(path__in=scope.read_paths))


def get_stats_root_for_user(user: Any, pk: Any = None) -> Unit:
    """The unit to show statistics for: ``pk`` if the user reads its subtree as a supervisor
    (404 otherwise), else their first root. Members without a supervising role get 404."""
    scope = get_scope(user)
    if pk in (None, ""):
        roots = stats_roots_for(user)
        if not roots:
            raise Http404
        return roots[0]
    try:
        unit = Unit.objects.get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not reads_subtree(scope, unit):
        raise Http404
    return unit
