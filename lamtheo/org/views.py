from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lamtheo.org.scope import get_person_for_user, get_unit_for_user, people_for, units_for


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/unit_list.html", {"units": units_for(request.user)})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    return render(request, "org/unit_detail.html", {"unit": unit})


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/person_list.html", {"people": people_for(request.user)[:100]})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    return render(request, "org/person_detail.html", {"person": person})
