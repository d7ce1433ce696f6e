from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import NotFound

from lamtheo.org.models import Employment, PartyMembership, Person, Unit
from lamtheo.org.scope import get_scope
from lamtheo.org.selectors import with_counts
from lamtheo.programme.selectors import programme_year_for

#: Where the JSON API lives (lamtheo/urls.py): unknown paths below it answer in JSON.
API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: the HTML page, except under ``/api/``, where a client expects JSON.

    The body is what the API's own 404s carry (DRF's ``NotFound`` through the exception
    handler in ``lamtheo.core.authentication``): ``{"detail": "Không tìm thấy."}``, in the
    request's language. Django calls this only with ``DEBUG`` off; with it on, every unknown
    URL gets Django's technical page."""
    path = request.path_info
    if path == API_PREFIX.rstrip("/") or path.startswith(API_PREFIX):
        return JsonResponse(
            {"detail": str(NotFound.default_detail)},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for the load balancer and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db_ok = True
    except Exception:
        db_ok = False
    status = 200 if db_ok else 503
    return JsonResponse({"status": "ok" if db_ok else "error", "database": db_ok}, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Who you are, your cell or unit, the theme of the year that applies to you, the units
    you are responsible for, and what the workflow apps put here (``home_widgets``)."""
    scope = get_scope(request.user)
    today = timezone.localdate()
    person = Person.objects.filter(user=request.user).select_related("sector").first()
    membership = employment = None
    if person is not None:
        membership = (
            PartyMembership.objects.current(today)
            .filter(person=person)
            .select_related("cell")
            .first()
        )
        employment = (
            Employment.objects.current(today).filter(person=person).select_related("unit").first()
        )
    roles = request.user.role_assignments.current(today).select_related("unit")
    # Units the user answers for: the tops of their subtrees (every root for an admin).
    responsible = (
        Unit.objects.filter(depth=1)
        if scope.is_admin
        else Unit.objects.filter(path__in=scope.read_paths)
    )
    responsible_units = list(with_counts(responsible.active_on(today), today)[:20])
    own_unit = (
        (membership.cell if membership else None)
        or (employment.unit if employment else None)
        or (responsible_units[0] if responsible_units else None)
    )
    programme = programme_year_for(own_unit, today.year) if own_unit else None
    return render(
        request,
        "core/home.html",
        {
            "scope": scope,
            "person": person,
            "membership": membership,
            "employment": employment,
            "managed_units": [u for u in responsible_units if scope.manages_unit(u)],
            "responsible_units": responsible_units,
            "roles": roles,
            "programme": programme,
            "can_manage_roles": scope.is_admin or bool(scope.manage_paths),
            "widgets": home_widgets(request),
        },
    )


def home_widgets(request: HttpRequest) -> list[str]:
    """Templates that workflow apps contribute to the home page (inbox, to-do list…)."""
    from django.apps import apps

    names: list[str] = []
    for config in apps.get_app_configs():
        names += getattr(config, "home_widgets", [])
    return names
