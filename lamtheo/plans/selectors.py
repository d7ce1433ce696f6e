"""Reads about plans, inbox items and collective models, always through the user's scope
(``lamtheo.org.scope``): an object outside it is a 404.

Who reads which plan:
- a member (or staff) reads the issued plans of their own unit, and the issued plans of
  units above theirs that their unit's plans are based on;
- whoever writes plans somewhere (secretary, committee, oversight) reads every plan there,
  drafts included, and the issued plans of the units above (the superiors they follow);
  for a state unit, also those of the People's Committees directly under a unit above (the
  People's Committee beside it under the same committee is its superior);
- whoever reads a subtree (secretary, committee, oversight) reads its issued plans.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lamtheo.org.models import (
    CELL_KINDS,
    COMMITTEE_KINDS,
    STATE_KINDS,
    Employment,
    PartyMembership,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    UnitSuccession,
    ancestor_paths,
)
from lamtheo.org.scope import Scope, get_scope, path_q, unit_q
from lamtheo.plans.dates import PlanIndex, load_corrections
from lamtheo.plans.models import (
    CollectiveModel,
    InboxItem,
    InboxKind,
    ModelTarget,
    Plan,
    PlanAttachment,
    PlanKind,
    PlanStatus,
)
from lamtheo.programme.models import Audience, ProgrammeYear

PUBLISHED = (PlanStatus.ISSUED, PlanStatus.SUPERSEDED)

#: Which unit kinds are expected to issue each kind of plan (coverage, deployment).
#: State units issue an implementation plan for their non-member staff (the article's
#: step 2); they deploy the study plan without writing their own.
EXPECTED_ISSUERS: dict[str, frozenset[str]] = {
    PlanKind.STUDY: CELL_KINDS | COMMITTEE_KINDS,
    PlanKind.IMPLEMENTATION: CELL_KINDS | COMMITTEE_KINDS | STATE_KINDS,
}


def _ancestor_prefixes(paths: tuple[str, ...]) -> set[str]:
    return {a for p in paths for a in ancestor_paths(p)}


def _peoples_committees_beside_q(plan_paths: tuple[str, ...]) -> Q:
    """``Q`` over ``Plan``: plans of the People's Committees sitting directly under an
    ancestor of a *state* unit among ``plan_paths`` (the superiors of its staff plans, as
    ``dates._region_q`` and ``superior_plan_choices`` have it). Whether a path is a state
    unit is asked in the same SQL query (``EXISTS``)."""
    q = Q(pk__in=[])
    for path in plan_paths:
        ancestors = ancestor_paths(path)
        if not ancestors:
            continue
        shape = reduce(
            or_,
            (
                Q(unit__path__startswith=a, unit__depth=len(a) // Unit.steplen + 1)
                for a in ancestors
            ),
        )
        q |= Q(Exists(Unit.objects.filter(path=path, kind__in=STATE_KINDS))) & shape
    return Q(unit__kind=UnitKind.PEOPLES_COMMITTEE) & q


def plan_read_q(scope: Scope) -> Q:
    """``Q`` over ``Plan`` for what the scope may read."""
    if scope.is_admin:
        return Q()
    published = Q(status__in=PUBLISHED)
    q = published & unit_q(scope)
    q |= path_q(scope.plan_paths, "unit__path")
    if scope.plan_paths:
        q |= published & Q(unit__path__in=_ancestor_prefixes(scope.plan_paths))
        q |= published & _peoples_committees_beside_q(scope.plan_paths)
    if scope.own_unit_ids:
        followed = Plan.objects.filter(
            unit__in=scope.own_unit_ids, status__in=PUBLISHED, based_on__isnull=False
        ).values("based_on")
        q |= published & Q(pk__in=followed)
    return q


def plans_for(user: Any) -> QuerySet[Plan]:
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(plan_read_q(scope)).select_related(
        "unit", "based_on", "based_on__unit", "programme_year"
    )


def readable_plan_ids(user: Any, ids: Iterable[int | None]) -> set[int]:
    """Which of these plans the user may open (one query): a page links only those and
    shows the others as plain text, rather than a link to a 404."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return set()
    return set(plans_for(user).filter(pk__in=wanted).values_list("pk", flat=True))


def get_plan_for_user(user: Any, pk: Any, *, write: bool = False) -> Plan:
    """The plan, if the user reads it (``write``: if they may write plans of its unit)."""
    try:
        plan = plans_for(user).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not get_scope(user).plans_for_unit(plan.unit):
        raise Http404
    return plan


def plan_units_for(user: Any) -> QuerySet[Unit]:
    """Units the user writes plans for."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Unit.objects.none()
    if scope.is_admin:
        return Unit.objects.all()
    return Unit.objects.filter(path_q(scope.plan_paths))


def get_plan_unit_for_user(user: Any, pk: Any) -> Unit:
    try:
        return plan_units_for(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def superior_plan_choices(
    *, unit: Unit, year: int | None = None, statuses: tuple[str, ...] = (PlanStatus.ISSUED,)
) -> QuerySet[Plan]:
    """Issued plans a unit's plan may be based on: those of the units above it (and of the
    People's Committee beside it, for a state unit)."""
    ancestors = ancestor_paths(unit.path)
    q = Q(unit__path__in=ancestors)
    if unit.is_state and unit.depth > 1:
        parent_path = unit.path[: -Unit.steplen]
        q |= Q(
            unit__path__startswith=parent_path,
            unit__depth=unit.depth,
            unit__kind=UnitKind.PEOPLES_COMMITTEE,
        ) & ~Q(unit=unit)
    # Before the 01/07/2025 merges, a commune's cells followed the district committee (and
    # the town committee) that the commune committee succeeded.
    predecessors = UnitSuccession.objects.filter(successor__path__in=ancestors).values(
        "predecessor"
    )
    q |= Q(unit__in=predecessors)
    qs = Plan.objects.filter(q, status__in=statuses).select_related("unit")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-unit__depth", "kind", "-issue_date")


def superior_plans_to_deploy(user: Any, *, unit: Unit, year: int) -> list[Plan]:
    """The plans from above that ``unit`` still has to deploy in ``year`` (the «start from
    the superior's plan» shortcuts of the plan list).

    For each kind of plan the unit is expected to issue: the issued plans of that kind and
    year, among those the user can open, of its *nearest* superior level that has one
    (``dates.PlanIndex.superior_plans``, the rule of docs/plans.md; not the province's when
    the commune has issued its own): the ancestor and the units it succeeded, or for a state
    unit the People's Committees beside it. Less those already deployed (the unit has a
    draft or plan based on it, or on an earlier version of it; or it has issued its own
    plan of that kind, which completes the follow item). A handful of queries whatever the
    tree.
    """
    index = PlanIndex.load(root=unit, year=year)
    audience = _own_audience(unit)
    own = list(
        Plan.objects.filter(unit=unit, year=year)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("based_on")
    )
    issued_kinds = {p.kind for p in own if p.status == PlanStatus.ISSUED}
    corrections = load_corrections(p.based_on for p in own if p.based_on)
    followed: set[int] = set()
    for p in own:
        based_on = p.based_on
        for _generation in range(20):
            if based_on is None:
                break
            followed.add(based_on.pk)
            based_on = corrections.get(based_on.pk)
    kinds = [
        kind
        for kind in PlanKind.values
        if unit.kind in EXPECTED_ISSUERS[kind] and kind not in issued_kinds
    ]
    # Readability is applied before the level is chosen: in a merger year the earliest plan
    # may be the predecessor district's, which the user cannot open, beside the commune's.
    candidates = [
        p
        for kind in kinds
        for level in index.superior_levels(unit=unit, kind=kind, year=year, audience=audience)
        for p in level
    ]
    readable = readable_plan_ids(user, [p.pk for p in candidates])
    found: list[Plan] = []
    for kind in kinds:
        level = index.superior_plans(
            unit=unit, kind=kind, year=year, audience=audience, accept=lambda p: p.pk in readable
        )
        found += [p for p in level if p.pk not in followed]
    return sorted(found, key=lambda p: (p.kind, p.issue_date, p.pk))


def follow_units_for(user: Any, superior: Plan) -> QuerySet[Unit]:
    """Units the user writes plans for that may base a plan on ``superior``: those below
    its unit (and, for a People's Committee's plan, the state units beside it)."""
    unit = superior.unit
    q = Q(path__startswith=unit.path) & ~Q(pk=unit.pk)
    if unit.kind == UnitKind.PEOPLES_COMMITTEE and unit.depth > 1:
        q |= Q(
            path__startswith=unit.path[: -Unit.steplen],
            depth=unit.depth,
            kind__in=STATE_KINDS,
        ) & ~Q(pk=unit.pk)
    return plan_units_for(user).filter(q).order_by("depth", "path")


def _inbox_q(user: Any) -> Q:
    scope = get_scope(user)
    q = Q(person_id=scope.person_id) if scope.person_id else Q(pk__in=[])
    # Items addressed to a unit reach the users who hold a secretary or committee role on
    # that very unit (not every manager of a subtree above it).
    unit_ids = list(
        RoleAssignment.objects.current()
        .filter(user=user, role__in=[Role.SECRETARY, Role.COMMITTEE], unit__isnull=False)
        .values_list("unit_id", flat=True)
    )
    if unit_ids:
        q |= Q(unit_id__in=unit_ids)
    return q


def inbox_for(user: Any) -> QuerySet[InboxItem]:
    """The user's inbox: items addressed to their person, and to the units they lead."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return InboxItem.objects.none()
    return (
        InboxItem.objects.filter(_inbox_q(user))
        .select_related("person", "unit", "content_type")
        .prefetch_related(
            GenericPrefetch("subject", [Plan.objects.select_related("unit", "based_on")])
        )
    )


def open_items(items: QuerySet[InboxItem]) -> QuerySet[InboxItem]:
    return items.filter(
        Q(kind=InboxKind.READ_PLAN, acknowledged_at__isnull=True, completed_at__isnull=True)
        | (~Q(kind=InboxKind.READ_PLAN) & Q(completed_at__isnull=True))
    )


def get_inbox_item_for_user(user: Any, pk: Any) -> InboxItem:
    """An inbox item the user may act on: their own, or (proxy, for members without a
    phone) one addressed to a person of a unit they manage."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        raise Http404
    q = _inbox_q(user)
    if scope.is_admin:
        q = Q()
    elif scope.manage_paths:
        in_cells = PartyMembership.objects.current().filter(
            path_q(scope.manage_paths, "cell__path"), person=OuterRef("person")
        )
        in_units = Employment.objects.current().filter(
            path_q(scope.manage_paths, "unit__path"), person=OuterRef("person")
        )
        q |= Q(Exists(in_cells)) | Q(Exists(in_units))
        q |= path_q(scope.manage_paths, "unit__path")
    try:
        return InboxItem.objects.filter(q).select_related("person", "unit").get(pk=pk)
    except (InboxItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def items_of(obj: Any) -> QuerySet[InboxItem]:
    """Inbox items delivered for ``obj`` (a plan; later a commitment, a report…)."""
    return InboxItem.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    )


@dataclass
class Deployment:
    """Who has read a plan and who has not (read items), and which units have followed it
    with their own plan (follow items)."""

    total: int
    acknowledged: list[InboxItem]
    waiting: list[InboxItem]
    units_done: list[InboxItem]
    units_waiting: list[InboxItem]
    last_reminded: dt.datetime | None


def deployment_of(plan: Plan) -> Deployment:
    items = list(items_of(plan).select_related("person", "unit", "acknowledged_by"))
    reads = [i for i in items if i.kind == InboxKind.READ_PLAN]
    follows = [i for i in items if i.kind == InboxKind.FOLLOW_PLAN]
    reminded = [i.reminded_at for i in items if i.reminded_at]
    return Deployment(
        total=len(reads),
        acknowledged=sorted(
            (i for i in reads if i.acknowledged_at), key=lambda i: i.person.sort_key
        ),
        waiting=sorted(
            (i for i in reads if not i.acknowledged_at), key=lambda i: i.person.sort_key
        ),
        units_done=[i for i in follows if i.completed_at],
        units_waiting=[i for i in follows if not i.completed_at],
        last_reminded=max(reminded) if reminded else None,
    )


def attachments_for(user: Any) -> QuerySet[PlanAttachment]:
    scope = get_scope(user)
    if not scope.is_authenticated:
        return PlanAttachment.objects.none()
    return PlanAttachment.objects.filter(
        plan__in=Plan.objects.filter(plan_read_q(scope))
    ).select_related("plan", "plan__unit")


# --- collective models ----------------------------------------------------------------


def models_for(user: Any, *, manage: bool = False) -> QuerySet[CollectiveModel]:
    """Collective models of the units the user reads (members read their own unit's)."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return CollectiveModel.objects.none()
    return (
        CollectiveModel.objects.filter(unit_q(scope, manage=manage))
        .select_related("unit", "plan", "plan__unit")
        .prefetch_related("targets", "people_in_charge")
    )


def readable_model_ids(user: Any, ids: Iterable[int | None]) -> set[int]:
    """Which of these collective models the user may open (one query; see
    ``readable_plan_ids``)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return set()
    readable = models_for(user).prefetch_related(None).filter(pk__in=wanted)
    return set(readable.values_list("pk", flat=True))


def targets_for(user: Any, *, manage: bool = False) -> QuerySet[ModelTarget]:
    """Targets of the collective models the user reads (or manages)."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return ModelTarget.objects.none()
    return ModelTarget.objects.filter(unit_q(scope, "model__unit", manage=manage))


def get_model_for_user(user: Any, pk: Any, *, manage: bool = False) -> CollectiveModel:
    try:
        return models_for(user, manage=manage).get(pk=pk)
    except (CollectiveModel.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- structure: who follows whom ------------------------------------------------------


def active_in_year(qs: QuerySet[Unit], year: int) -> QuerySet[Unit]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )


def _own_audience(unit: Unit) -> str:
    return Audience.STATE if unit.is_state else Audience.PARTY


def _structural_superior(
    unit: Unit, *, expected: dict[str, Unit], pcs_under: dict[str, list[str]]
) -> str | None:
    """Path of the expected issuer a unit follows: the nearest one above it (for a state
    unit, a People's Committee beside an ancestor level comes first)."""
    step = Unit.steplen
    for i in range(len(unit.path) - step, 0, -step):
        ancestor = unit.path[:i]
        if unit.is_state:
            beside = [p for p in pcs_under.get(ancestor, ()) if p != unit.path and p in expected]
            beside = [p for p in beside if not unit.path.startswith(p)]
            if beside:
                return min(beside)
        if ancestor in expected:
            return ancestor
    return None


def followers_of(plan: Plan, *, units: list[Unit] | None = None) -> list[Unit]:
    """The units expected to issue their own plan based on ``plan``: the nearest expected
    issuers below its unit (for a People's Committee, the state units beside it too)."""
    region = plan.unit
    if plan.unit.kind == UnitKind.PEOPLES_COMMITTEE and plan.unit.depth > 1:
        region = Unit.objects.get(path=plan.unit.path[: -Unit.steplen])
    if units is None:
        units = list(active_in_year(Unit.objects.within(region), plan.year))
    kinds = EXPECTED_ISSUERS[plan.kind]
    expected = {u.path: u for u in units if u.kind in kinds}
    expected.setdefault(plan.unit.path, plan.unit)
    pcs_under: dict[str, list[str]] = defaultdict(list)
    for u in units:
        if u.kind == UnitKind.PEOPLES_COMMITTEE:
            pcs_under[u.path[: -Unit.steplen]].append(u.path)
    found = []
    for u in units:
        if u.pk == plan.unit.pk or u.path not in expected:
            continue
        if plan.audience == Audience.STATE and not u.is_state:
            continue
        if _structural_superior(u, expected=expected, pcs_under=pcs_under) == plan.unit.path:
            found.append(u)
    return found


# --- coverage -------------------------------------------------------------------------


class Status:
    ISSUED = "issued"
    NOT_ISSUED = "not_issued"
    LATE = "late"
    NOT_EXPECTED = "not_expected"


@dataclass
class CoverageNode:
    """One unit of the coverage tree. Counts roll up the whole subtree (the unit included):
    ``issued`` units with an issued plan, ``not_issued`` units expected to and without one,
    ``late`` those of either kind past the deadline (no plan yet, or issued after it)."""

    unit: Unit
    expected: bool
    plan: Plan | None = None
    deadline: dt.date | None = None
    status: str = Status.NOT_EXPECTED
    is_late: bool = False
    children: list[CoverageNode] = field(default_factory=list)
    issued: int = 0
    not_issued: int = 0
    late: int = 0

    @property
    def expected_count(self) -> int:
        return self.issued + self.not_issued


def _deadline(programme: ProgrammeYear | None, kind: str) -> dt.date | None:
    if programme is None:
        return None
    if kind == PlanKind.STUDY:
        return programme.plan_deadline or programme.study_deadline
    return programme.plan_deadline


def coverage_tree(
    *, root: Unit, year: int, kind: str, today: dt.date | None = None
) -> CoverageNode:
    """Which units of ``root``'s subtree have issued their plan of ``kind`` for ``year``.

    Three queries whatever the size of the tree (units, plans, programme years); the
    roll-up is done in Python.
    """
    today = today or timezone.localdate()
    units = list(active_in_year(Unit.objects.within(root), year))
    plans = (
        Plan.objects.filter(
            unit__path__startswith=root.path, year=year, kind=kind, status=PlanStatus.ISSUED
        )
        .select_related("based_on")
        .order_by("issue_date", "id")
    )
    first_plan: dict[int, Plan] = {}
    for plan in plans:
        first_plan.setdefault(plan.unit_id, plan)
    ancestors = ancestor_paths(root.path)
    programmes = {
        p.issuer.path: p
        for p in ProgrammeYear.objects.filter(year=year)
        .filter(Q(issuer__path__in=ancestors) | Q(issuer__path__startswith=root.path))
        .select_related("issuer")
    }
    kinds = EXPECTED_ISSUERS[kind]
    nodes: dict[str, CoverageNode] = {}
    top: CoverageNode | None = None
    for unit in units:  # ordered by path: parents come before children
        programme = None
        for i in range(len(unit.path), 0, -Unit.steplen):
            programme = programmes.get(unit.path[:i])
            if programme:
                break
        if programme is None:
            for path in reversed(ancestors):
                if path in programmes:
                    programme = programmes[path]
                    break
        node = CoverageNode(unit=unit, expected=unit.kind in kinds)
        node.deadline = _deadline(programme, kind)
        node.plan = first_plan.get(unit.pk)
        if node.plan is not None:
            node.status = Status.ISSUED
            node.is_late = bool(node.deadline and node.plan.issue_date > node.deadline)
        elif node.expected:
            node.is_late = bool(node.deadline and today > node.deadline)
            node.status = Status.LATE if node.is_late else Status.NOT_ISSUED
        nodes[unit.path] = node
        parent = nodes.get(unit.path[: -Unit.steplen])
        if parent is not None:
            parent.children.append(node)
        elif top is None:
            top = node
    for path in sorted(nodes, key=len, reverse=True):  # leaves first
        node = nodes[path]
        node.issued += node.status == Status.ISSUED
        node.not_issued += node.status in (Status.NOT_ISSUED, Status.LATE)
        node.late += node.is_late
        parent = nodes.get(path[: -Unit.steplen])
        if parent is not None:
            parent.issued += node.issued
            parent.not_issued += node.not_issued
            parent.late += node.late
    assert top is not None
    return top


def coverage_roots(user: Any) -> QuerySet[Unit]:
    """Top units of the subtrees the user oversees (reads in full)."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Unit.objects.none()
    if scope.is_admin:
        return Unit.objects.filter(depth=1)
    return Unit.objects.filter(path__in=scope.read_paths)


def get_coverage_root_for_user(user: Any, pk: Any) -> Unit:
    scope = get_scope(user)
    qs = Unit.objects.all() if scope.is_admin else Unit.objects.filter(path_q(scope.read_paths))
    if not scope.is_authenticated:
        raise Http404
    try:
        return qs.get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class FollowerRow:
    unit: Unit
    plan: Plan | None
    based_on_this: bool
    is_late: bool


def plan_coverage(plan: Plan, *, today: dt.date | None = None) -> list[FollowerRow]:
    """For one plan: each unit expected to follow it, and the plan it issued (if any)."""
    today = today or timezone.localdate()
    followers = followers_of(plan)
    chain = {plan.pk}
    chain |= set(plan.corrections.values_list("pk", flat=True))
    if plan.supersedes_id:
        chain.add(plan.supersedes_id)
    issued = Plan.objects.filter(
        unit__in=followers, year=plan.year, kind=plan.kind, status=PlanStatus.ISSUED
    ).order_by("issue_date", "id")
    by_unit: dict[int, Plan] = {}
    for p in issued:
        if p.unit_id not in by_unit or p.based_on_id in chain:
            by_unit[p.unit_id] = p
    deadline = _deadline(plan.programme_year, plan.kind)
    rows = []
    for unit in followers:
        own = by_unit.get(unit.pk)
        late = bool(deadline and (own.issue_date > deadline if own else today > deadline))
        rows.append(
            FollowerRow(
                unit=unit,
                plan=own,
                based_on_this=bool(own and own.based_on_id in chain),
                is_late=late,
            )
        )
    return rows


def unread_counts(plan_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each plan: (read items, acknowledged) in one query."""
    ct = ContentType.objects.get_for_model(Plan)
    rows = (
        InboxItem.objects.filter(content_type=ct, object_id__in=plan_ids, kind=InboxKind.READ_PLAN)
        .values("object_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False)))
    )
    return {r["object_id"]: (r["total"], r["done"]) for r in rows}
