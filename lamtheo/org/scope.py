"""The one permissions module: what a user may read and manage.

Every page and API endpoint fetches objects *through* these functions, so an object
outside the user's scope answers 404 (it is never shown as forbidden: its existence is not
leaked). A scope is worked out once per request and cached on the user object.

Roles (see ``RoleAssignment``):
- member: their own person record, and their own cell/unit (read);
- secretary and committee: read and manage the subtree of their unit;
- oversight: read the subtree of their committee; write plans and themes there;
- admin (or a superuser): everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lamtheo.org.models import Employment, PartyMembership, Person, Role, RoleAssignment, Unit


@dataclass(frozen=True)
class Scope:
    """What one user can reach, as tree-path prefixes (treebeard materialised paths)."""

    user_id: int | None
    is_admin: bool = False
    person_id: int | None = None
    #: Subtrees the user may read in full (secretary, committee, oversight).
    read_paths: tuple[str, ...] = ()
    #: Subtrees where the user manages people, sessions and records (secretary, committee).
    manage_paths: tuple[str, ...] = ()
    #: Subtrees where the user writes plans and themes (secretary, committee, oversight).
    plan_paths: tuple[str, ...] = ()
    #: Units the user belongs to as a member or staff (read: the unit itself, not below).
    own_unit_ids: frozenset[int] = field(default_factory=frozenset)
    #: Their paths (to let a member see issued plans of the units above their own).
    own_unit_paths: tuple[str, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def reads_unit(self, unit: Unit) -> bool:
        return self.is_admin or unit.id in self.own_unit_ids or _under(unit.path, self.read_paths)

    def manages_unit(self, unit: Unit) -> bool:
        return self.is_admin or _under(unit.path, self.manage_paths)

    def plans_for_unit(self, unit: Unit) -> bool:
        return self.is_admin or _under(unit.path, self.plan_paths)

    def is_ancestor_of_own_unit(self, unit: Unit) -> bool:
        return any(path.startswith(unit.path) for path in self.own_unit_paths)


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another one of the set."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


ANONYMOUS = Scope(user_id=None)


def get_scope(user: Any, *, day: dt.date | None = None) -> Scope:
    """The user's scope today (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_lamtheo_scope", None)
    if cached is not None and day is None:
        return cached
    day = day or timezone.localdate()
    assignments = list(RoleAssignment.objects.current(day).filter(user=user).select_related("unit"))
    roles = frozenset(a.role for a in assignments)
    is_admin = bool(user.is_superuser) or Role.ADMIN in roles
    read: set[str] = set()
    manage: set[str] = set()
    plan: set[str] = set()
    for a in assignments:
        if a.unit is None:
            continue
        if a.role in (Role.SECRETARY, Role.COMMITTEE):
            read.add(a.unit.path)
            manage.add(a.unit.path)
            plan.add(a.unit.path)
        elif a.role == Role.OVERSIGHT:
            read.add(a.unit.path)
            plan.add(a.unit.path)
    person = Person.objects.filter(user=user).only("id").first()
    own_units: list[Unit] = []
    if person is not None:
        own_units += [
            m.cell
            for m in PartyMembership.objects.current(day)
            .filter(person=person)
            .select_related("cell")
        ]
        own_units += [
            e.unit
            for e in Employment.objects.current(day).filter(person=person).select_related("unit")
        ]
    own_units += [a.unit for a in assignments if a.role == Role.MEMBER and a.unit is not None]
    scope = Scope(
        user_id=user.pk,
        is_admin=is_admin,
        person_id=person.id if person else None,
        read_paths=_minimal(read),
        manage_paths=_minimal(manage),
        plan_paths=_minimal(plan),
        own_unit_ids=frozenset(u.id for u in own_units),
        own_unit_paths=tuple(sorted({u.path for u in own_units})),
        roles=roles,
    )
    if day == timezone.localdate():
        user._lamtheo_scope = scope
    return scope


def path_q(prefixes: tuple[str, ...], field: str = "path") -> Q:
    """``Q`` matching rows whose ``field`` (a tree path) lies in one of the subtrees.
    Matches nothing when ``prefixes`` is empty."""
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))


def unit_q(scope: Scope, unit_field: str = "unit", *, manage: bool = False) -> Q:
    """``Q`` for objects attached to a unit through ``unit_field``: those the scope reads
    (or manages, with ``manage=True``). For use by every app's selectors."""
    if scope.is_admin:
        return Q()
    if manage:
        return path_q(scope.manage_paths, f"{unit_field}__path")
    q = path_q(scope.read_paths, f"{unit_field}__path")
    if scope.own_unit_ids:
        q |= Q(**{f"{unit_field}__in": scope.own_unit_ids})
    return q


def units_for(user: Any, *, manage: bool = False) -> QuerySet[Unit]:
    """Units the user may read (or manage)."""
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Unit.objects.none()
    if scope.is_admin:
        return Unit.objects.all()
    if manage:
        return Unit.objects.filter(path_q(scope.manage_paths))
    q = path_q(scope.read_paths)
    if scope.own_unit_ids:
        q |= Q(id__in=scope.own_unit_ids)
    return Unit.objects.filter(q)


def people_for(user: Any, *, manage: bool = False) -> QuerySet[Person]:
    """People the user may read (or manage).

    Reading: those with a membership or an employment, current or past, in a unit of the
    scope (a new secretary reaches the history), and the user themself.
    Managing: only those who belong to the subtree *now*; someone who moved to another cell
    is managed there. A person who belongs nowhere now (left, retired) stays with the
    subtree they last belonged to, so their records can still be kept.
    """
    scope = get_scope(user)
    if not scope.is_authenticated:
        return Person.objects.none()
    if scope.is_admin:
        return Person.objects.all()
    paths = scope.manage_paths if manage else scope.read_paths
    if not paths:
        if manage or not scope.person_id:
            return Person.objects.none()
        return Person.objects.filter(pk=scope.person_id)
    # «pk IN (subquery)» rather than EXISTS: the planner starts from the (indexed) memberships
    # of the subtree instead of scanning every person (100k people: 2.2 s → 0.13 s).
    memberships = PartyMembership.objects.filter(path_q(paths, "cell__path"))
    employments = Employment.objects.filter(path_q(paths, "unit__path"))
    if manage:
        today = timezone.localdate()
        belongs_nowhere = ~Q(
            pk__in=PartyMembership.objects.current(today).values("person_id")
        ) & ~Q(pk__in=Employment.objects.current(today).values("person_id"))
        q = (
            Q(pk__in=memberships.current(today).values("person_id"))
            | Q(pk__in=employments.current(today).values("person_id"))
            | (
                (
                    Q(pk__in=memberships.values("person_id"))
                    | Q(pk__in=employments.values("person_id"))
                )
                & belongs_nowhere
            )
        )
    else:
        q = Q(pk__in=memberships.values("person_id")) | Q(pk__in=employments.values("person_id"))
        if scope.person_id:
            q |= Q(pk=scope.person_id)
    return Person.objects.filter(q)


def get_unit_for_user(user: Any, pk: Any, *, manage: bool = False) -> Unit:
    try:
        return units_for(user, manage=manage).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_person_for_user(user: Any, pk: Any, *, manage: bool = False) -> Person:
    try:
        return people_for(user, manage=manage).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
