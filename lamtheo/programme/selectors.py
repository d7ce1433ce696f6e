"""Reads about programme years."""

from __future__ import annotations

from django.db.models import QuerySet

from lamtheo.org.models import Unit, ancestor_paths
from lamtheo.programme.models import ProgrammeYear


def programme_year_for(unit: Unit, year: int) -> ProgrammeYear | None:
    """The programme year that applies to ``unit``: the one issued by the nearest committee
    at or above it for ``year`` (a province's theme reaches all its communes)."""
    paths = ancestor_paths(unit.path, include_self=True)
    return (
        ProgrammeYear.objects.filter(year=year, issuer__path__in=paths)
        .select_related("issuer")
        .order_by("-issuer__depth")
        .first()
    )


def years_for(user) -> QuerySet[ProgrammeYear]:
    """Programme years the user can read: those issued by a unit in the scope or above a
    unit the user belongs to or reads (themes come from above)."""
    from django.db.models import Q

    from lamtheo.org.scope import get_scope

    scope = get_scope(user)
    if not scope.is_authenticated:
        return ProgrammeYear.objects.none()
    qs = ProgrammeYear.objects.select_related("issuer")
    if scope.is_admin:
        return qs
    prefixes: set[str] = set()
    for path in (*scope.read_paths, *scope.own_unit_paths):
        prefixes.update(ancestor_paths(path, include_self=True))
    q = Q(issuer__path__in=prefixes)
    for path in scope.read_paths:
        q |= Q(issuer__path__startswith=path)
    return qs.filter(q)
