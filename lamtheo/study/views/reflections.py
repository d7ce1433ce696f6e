"""Reflections (bài thu hoạch): members write their own; the secretary assesses those of the
unit (and may type one for a member who asks, BRIEF §8)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lamtheo.core.errors import DomainError
from lamtheo.org.models import Person
from lamtheo.org.scope import get_person_for_user, get_scope
from lamtheo.study import services
from lamtheo.study.forms import AssessForm, ReflectionForm, add_domain_error
from lamtheo.study.models import Grade, Reflection, StudySession
from lamtheo.study.selectors import (
    get_reflection_for_user,
    people_without_reflection,
    reflections_for,
)
from lamtheo.study.views.common import paginate, year_param

GET_POST = require_http_methods(["GET", "POST"])


@login_required
def reflection_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    year = year_param(request)
    reflections = reflections_for(request.user).filter(programme_year__year=year)
    todo = request.GET.get("todo") == "1"
    if todo:
        reflections = reflections.filter(grade="")
    mine = (
        reflections_for(request.user)
        .filter(programme_year__year=year, person_id=scope.person_id, session__isnull=True)
        .first()
        if scope.person_id
        else None
    )
    missing_count, missing = (
        people_without_reflection(request.user, year)
        if scope.is_admin or scope.manage_paths
        else (0, [])
    )
    return render(
        request,
        "study/reflection_list.html",
        {
            "missing_count": missing_count,
            "missing": missing,
            "page": paginate(request, reflections),
            "year": year,
            "todo": todo,
            "mine": mine,
            "can_write": scope.person_id is not None,
            "supervises": scope.is_admin or bool(scope.read_paths),
        },
    )


def _author(request: HttpRequest) -> Person:
    """Whose reflection is written: the user's own, or (``?person=``) a person of a unit
    the user manages."""
    person_id = request.GET.get("person")
    if person_id:
        return get_person_for_user(request.user, person_id, manage=True)
    scope = get_scope(request.user)
    if scope.person_id is None:
        raise Http404
    return Person.objects.get(pk=scope.person_id)


@login_required
@GET_POST
def reflection_write(request: HttpRequest) -> HttpResponse:
    person = _author(request)
    year = year_param(request)
    today = timezone.localdate()
    sessions = (
        StudySession.objects.filter(
            attendances__person=person, programme_year__year=year, date__lte=today
        )
        .select_related("unit")
        .order_by("date")
    )
    session_id = request.POST.get("session") or request.GET.get("session") or None
    existing = (
        Reflection.objects.filter(
            person=person, programme_year__year=year, session_id=session_id
        ).first()
        if session_id is None or str(session_id).isdigit()
        else None
    )
    if existing is not None and existing.is_assessed and existing.grade != Grade.FAIL:
        messages.info(request, _("This reflection is already assessed."))
        return redirect("study:reflection-detail", pk=existing.pk)
    initial = {"text": existing.text if existing else "", "session": session_id}
    form = ReflectionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        sessions=sessions if sessions.exists() else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.submit_reflection(
                person=person,
                year=year,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
                session=form.cleaned_data.get("session"),
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Reflection submitted."))
            return redirect("study:reflection-detail", pk=reflection.pk)
    return render(
        request,
        "study/reflection_form.html",
        {
            "form": form,
            "person": person,
            "year": year,
            "existing": existing,
            "proxy": person.pk != get_scope(request.user).person_id,
        },
    )


@login_required
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request.user, pk)
    scope = get_scope(request.user)
    own = reflection.person_id == scope.person_id
    return render(
        request,
        "study/reflection_detail.html",
        {
            "reflection": reflection,
            "own": own,
            "can_edit": (own or scope.manages_unit(reflection.unit))
            and (not reflection.is_assessed or reflection.grade == Grade.FAIL),
            "can_assess": scope.manages_unit(reflection.unit) and not own,
        },
    )


@login_required
@GET_POST
def reflection_assess(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request.user, pk, assess=True)
    form = AssessForm(
        request.POST or None,
        initial={"grade": reflection.grade or None, "comment": reflection.comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_reflection(
                reflection=reflection,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("study:reflection-list")
    return render(request, "study/reflection_assess.html", {"reflection": reflection, "form": form})


@login_required
def reflection_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The attached file, served through the scope (never from a public media URL). Files
    are small (10 MB at most), so they are read whole rather than streamed: the handle is
    closed before the response leaves."""
    reflection = get_reflection_for_user(request.user, pk)
    if not reflection.file:
        raise Http404
    try:
        with reflection.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    name = reflection.file_basename
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
