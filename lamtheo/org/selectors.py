"""Reads about units and people that several pages need. Everything starts from the user's
scope (``lamtheo.org.scope``), so nothing outside it is ever counted or listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lamtheo.org.models import (
    CELL_KINDS,
    STATE_KINDS,
    Employment,
    PartyMembership,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitSuccession,
)
from lamtheo.org.scope import Scope, get_scope, path_q, people_for, units_for
from lamtheo.quality.normalize import fold

# --------------------------------------------------------------------------------------------
# Who may do what (on top of the scope): the rules the pages and services share.
# --------------------------------------------------------------------------------------------


def responsible_for_unit(scope: Scope, unit: Unit) -> bool:
    """Reads the unit through a role (secretary, committee, oversight) or as admin, not
    merely as one of its members: the people who may see its history and everyone's files."""
    return scope.is_admin or any(unit.path.startswith(p) for p in scope.read_paths)


def can_edit_unit(scope: Scope, unit: Unit) -> bool:
    """A unit's own header (name, kind, validity) is kept by whoever manages the unit above
    it: a cell does not rename or close itself. Root units: administrators only."""
    if scope.is_admin:
        return True
    parent_path = unit.path[: -Unit.steplen]
    return bool(parent_path) and any(parent_path.startswith(p) for p in scope.manage_paths)


def editable_units(user: Any) -> QuerySet[Unit]:
    """Units whose header the user may edit (see ``can_edit_unit``): strictly below a
    managed unit."""
    scope = get_scope(user)
    if scope.is_admin:
        return Unit.objects.all()
    if not scope.manage_paths:
        return Unit.objects.none()
    q = Q(pk__in=[])
    for p in scope.manage_paths:
        q |= Q(path__startswith=p, depth__gt=len(p) // Unit.steplen)
    return Unit.objects.filter(q)


def grantable_roles(scope: Scope, unit: Unit | None) -> list[str]:
    """Roles the user may grant (or end) over ``unit``: managers hand out member and
    secretary roles inside their subtree; committee, oversight and admin come from an
    administrator."""
    if scope.is_admin:
        return list(Role.values)
    if unit is not None and scope.manages_unit(unit):
        return [Role.MEMBER, Role.SECRETARY]
    return []


def person_responsible(scope: Scope, person: Person) -> bool:
    """The user reads ``person`` through a role (has or had a cell or unit in a read
    subtree), as history pages require; reading one's own record is not enough."""
    if scope.is_admin:
        return True
    if not scope.read_paths:
        return False
    in_cells = PartyMembership.objects.filter(path_q(scope.read_paths, "cell__path"))
    in_units = Employment.objects.filter(path_q(scope.read_paths, "unit__path"))
    return in_cells.filter(person=person).exists() or in_units.filter(person=person).exists()


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


def with_counts(units: QuerySet[Unit], day: dt.date | None = None) -> QuerySet[Unit]:
    """``units`` annotated with ``n_members`` and ``n_staff`` (current, on ``day``)."""
    day = day or timezone.localdate()
    members = (
        PartyMembership.objects.current(day)
        .filter(cell=OuterRef("pk"))
        .order_by()
        .values("cell")
        .annotate(n=Count("id"))
        .values("n")
    )
    staff = (
        Employment.objects.current(day)
        .filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    return units.annotate(
        n_members=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        n_staff=Coalesce(Subquery(staff, output_field=IntegerField()), 0),
    )


#: Above this many units the tree page stops at the deepest level that still fits and
#: links the deeper branches to pages of their own (a province has thousands of cells).
TREE_PAGE_LIMIT = 400


def depth_that_fits(units: QuerySet[Unit], limit: int = TREE_PAGE_LIMIT) -> int | None:
    """The deepest tree level such that ``units`` down to it number at most ``limit`` (at
    least the top level), or None when they all fit. One query."""
    per_depth = dict(
        units.order_by().values_list("depth").annotate(n=Count("id")).values_list("depth", "n")
    )
    if sum(per_depth.values()) <= limit:
        return None
    shown, cut = 0, None
    for depth in sorted(per_depth):
        if cut is not None and shown + per_depth[depth] > limit:
            break
        shown += per_depth[depth]
        cut = depth
    return cut


@dataclass
class TreeItem:
    unit: Unit
    #: Depth below the first unit shown on its branch (0 for the roots of the page).
    level: int
    has_children: bool = False
    #: How many open branches close before this item (for a flat template loop).
    close_before: range = field(default_factory=lambda: range(0))
    active: bool = True
    #: Sub-units exist but are left to a page of their own (``?root=<pk>``).
    cut: bool = False


@dataclass
class UnitTree:
    items: list[TreeItem]
    #: Branches still open after the last item.
    closing: range
    #: The deepest level shown when the tree was cut to fit, else None.
    cut_depth: int | None = None


def unit_tree(
    user: Any,
    *,
    root: Unit | None = None,
    include_closed: bool = True,
    day: dt.date | None = None,
    limit: int = TREE_PAGE_LIMIT,
) -> UnitTree:
    """The units ``user`` reads (under ``root`` if given) as a flat list of ``TreeItem`` in
    tree order, for a template that nests lists in a plain loop. A unit whose parent is not
    readable becomes a root of the page. When there are more than ``limit`` units, only the
    levels that fit are listed and deeper branches are marked ``cut``. Two queries."""
    day = day or timezone.localdate()
    units = units_for(user)
    if root is not None:
        units = units.within(root)
    if not include_closed:
        units = units.active_on(day)
    cut_depth = depth_that_fits(units, limit)
    if cut_depth is not None:
        units = units.filter(depth__lte=cut_depth)
    units = list(with_counts(units, day))
    items: list[TreeItem] = []
    branches: list[str] = []  # paths of the open branches, outermost first
    for i, unit in enumerate(units):
        closes = 0
        while branches and not unit.path.startswith(branches[-1]):
            branches.pop()
            closes += 1
        has_children = i + 1 < len(units) and units[i + 1].path.startswith(unit.path)
        items.append(
            TreeItem(
                unit=unit,
                level=len(branches),
                has_children=has_children,
                close_before=range(closes),
                active=unit.is_active_on(day),
                cut=unit.depth == cut_depth and unit.numchild > 0,
            )
        )
        if has_children:
            branches.append(unit.path)
    return UnitTree(items=items, closing=range(len(branches)), cut_depth=cut_depth)


def breadcrumb(unit: Unit) -> list[Unit]:
    """The unit's ancestors, top first (one query)."""
    paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path), Unit.steplen)]
    return list(Unit.objects.filter(path__in=paths)) if paths else []


def current_members(unit: Unit, day: dt.date | None = None) -> QuerySet[PartyMembership]:
    """Current members of a cell, in Vietnamese name order."""
    return (
        PartyMembership.objects.current(day)
        .filter(cell=unit)
        .select_related("person", "person__sector")
        .order_by("person__sort_key", "person_id")
    )


def current_staff(unit: Unit, day: dt.date | None = None) -> QuerySet[Employment]:
    return (
        Employment.objects.current(day)
        .filter(unit=unit)
        .select_related("person", "person__sector")
        .order_by("person__sort_key", "person_id")
    )


def successions(unit: Unit) -> tuple[list[UnitSuccession], list[UnitSuccession]]:
    """(links to predecessors, links to successors) of ``unit``."""
    links = list(
        UnitSuccession.objects.filter(Q(predecessor=unit) | Q(successor=unit))
        .select_related("predecessor", "successor")
        .order_by("effective_on", "id")
    )
    return [s for s in links if s.successor_id == unit.id], [
        s for s in links if s.predecessor_id == unit.id
    ]


def roles_over(unit: Unit, day: dt.date | None = None) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.current(day)
        .filter(unit=unit)
        .select_related("user", "user__person")
        .order_by("role", "user__username")
    )


def cells_for(user: Any, *, manage: bool = True) -> QuerySet[Unit]:
    """Active party cells the user manages (or reads): where a member can be placed."""
    return units_for(user, manage=manage).filter(kind__in=CELL_KINDS).active_on()


def state_units_for(user: Any, *, manage: bool = True) -> QuerySet[Unit]:
    return units_for(user, manage=manage).filter(kind__in=STATE_KINDS).active_on()


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


class PersonKind:
    MEMBER = "member"
    STAFF = "staff"


def search_people(
    user: Any,
    *,
    q: str = "",
    unit: Unit | None = None,
    sector_id: int | None = None,
    kind: str = "",
    day: dt.date | None = None,
) -> QuerySet[Person]:
    """People the user reads, filtered: ``q`` matches the name or code with or without
    accents («nguyen van» finds «Nguyễn Văn»); ``unit`` keeps those currently in it or below
    it; ``kind`` is ``member`` (current party members) or ``staff`` (staff who are not
    members). Each person carries ``current_memberships`` and ``current_employments``."""
    day = day or timezone.localdate()
    qs = people_for(user).select_related("sector", "user")
    q = q.strip()
    if q:
        qs = qs.filter(Q(search_key__contains=fold(q)) | Q(full_name__icontains=q))
    memberships = PartyMembership.objects.current(day).filter(person=OuterRef("pk"))
    employments = Employment.objects.current(day).filter(person=OuterRef("pk"))
    if unit is not None:
        qs = qs.filter(
            Exists(memberships.filter(cell__path__startswith=unit.path))
            | Exists(employments.filter(unit__path__startswith=unit.path))
        )
    if sector_id:
        qs = qs.filter(sector_id=sector_id)
    if kind == PersonKind.MEMBER:
        qs = qs.filter(Exists(memberships))
    elif kind == PersonKind.STAFF:
        qs = qs.filter(Exists(employments)).exclude(Exists(memberships))
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=PartyMembership.objects.current(day).select_related("cell"),
            to_attr="current_memberships",
        ),
        Prefetch(
            "employments",
            queryset=Employment.objects.current(day).select_related("unit"),
            to_attr="current_employments",
        ),
    )


def open_membership(person: Person) -> PartyMembership | None:
    return (
        PartyMembership.objects.filter(person=person, valid_to__isnull=True)
        .select_related("cell")
        .first()
    )


def person_history(person: Person) -> tuple[list[PartyMembership], list[Employment]]:
    """All memberships and employments of ``person``, newest first."""
    memberships = list(
        PartyMembership.objects.filter(person=person)
        .select_related("cell")
        .order_by("-valid_from", "-id")
    )
    employments = list(
        Employment.objects.filter(person=person)
        .select_related("unit")
        .order_by("-valid_from", "-id")
    )
    return memberships, employments
