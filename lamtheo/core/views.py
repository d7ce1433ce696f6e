from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lamtheo.org.models import PartyMembership, Person
from lamtheo.org.scope import get_scope, units_for
from lamtheo.programme.selectors import programme_year_for


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
    scope = get_scope(request.user)
    person = Person.objects.filter(user=request.user).select_related("sector").first()
    membership = None
    if person is not None:
        membership = (
            PartyMembership.objects.current().filter(person=person).select_related("cell").first()
        )
    managed = units_for(request.user, manage=True).filter(depth__lte=4)[:20]
    roles = request.user.role_assignments.current().select_related("unit")
    own_unit = membership.cell if membership else None
    year = timezone.localdate().year
    programme = programme_year_for(own_unit, year) if own_unit else None
    return render(
        request,
        "core/home.html",
        {
            "scope": scope,
            "person": person,
            "membership": membership,
            "managed_units": managed,
            "roles": roles,
            "programme": programme,
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
