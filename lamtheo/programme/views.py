"""Pages of the programme years: list, detail, create, edit, copy, history and the editor
of the commitment forms. Reading follows ``selectors.years_for``; writing needs
``scope.plans_for_unit(issuer)`` (oversight, committee or secretary over the issuer, or an
administrator). Whoever may not write gets 404, as everywhere (see ``lamtheo.org.views``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lamtheo.core.errors import DomainError
from lamtheo.core.history import history_entries
from lamtheo.org.models import COMMITTEE_KINDS, Unit
from lamtheo.org.scope import get_scope, path_q
from lamtheo.programme import services
from lamtheo.programme.forms import (
    ContentFormSet,
    CopyYearForm,
    FormTemplateForm,
    ProgrammeYearForm,
)
from lamtheo.programme.models import Audience, FormContent, FormTemplate, ProgrammeYear
from lamtheo.programme.selectors import years_for

GET_POST = require_http_methods(["GET", "POST"])


def _issuers_for(user: Any) -> QuerySet[Unit]:
    """Committees over which the user writes plans and themes."""
    scope = get_scope(user)
    committees = Unit.objects.filter(kind__in=COMMITTEE_KINDS).active_on()
    if scope.is_admin:
        return committees
    return committees.filter(path_q(scope.plan_paths))


def _get_year(request: HttpRequest, pk: Any, *, write: bool = False) -> ProgrammeYear:
    year = get_object_or_404(years_for(request.user), pk=pk)
    if write and not get_scope(request.user).plans_for_unit(year.issuer):
        raise Http404
    return year


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programme/year_list.html",
        {
            "years": years_for(request.user),
            "can_add": _issuers_for(request.user).exists(),
        },
    )


@login_required
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    year = _get_year(request, pk)
    forms = {
        f.audience: f
        for f in year.forms.prefetch_related(
            Prefetch("contents", queryset=FormContent.objects.order_by("number"))
        )
    }
    can_write = get_scope(request.user).plans_for_unit(year.issuer)
    return render(
        request,
        "programme/year_detail.html",
        {
            "year": year,
            "party_form": forms.get(Audience.PARTY),
            "state_form": forms.get(Audience.STATE),
            "can_write": can_write,
        },
    )


@login_required
@GET_POST
def year_add(request: HttpRequest) -> HttpResponse:
    issuers = _issuers_for(request.user)
    if not issuers.exists():
        raise Http404
    form = ProgrammeYearForm(request.POST or None, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.year_fields().items() if v is not None}
            year = services.create_programme_year(
                issuer=form.cleaned_data["issuer"],
                year=form.cleaned_data["year"],
                by=request.user,
                **fields,
            )
            messages.success(request, _("Programme year created with the default forms."))
            return redirect("programme:year-detail", year.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "programme/year_form.html", {"form": form})


@login_required
@GET_POST
def year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    year = _get_year(request, pk, write=True)
    form = ProgrammeYearForm(request.POST or None, instance=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme_year(
                programme_year=year,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **form.year_fields(),
            )
            messages.success(request, _("Saved."))
            return redirect("programme:year-detail", year.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    year.refresh_from_db()
    return render(request, "programme/year_form.html", {"form": form, "year": year})


@login_required
@GET_POST
def year_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a year's theme, forms and calendar to another year of the same issuer."""
    source = _get_year(request, pk, write=True)
    form = CopyYearForm(request.POST or None, initial={"year": source.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            year = services.copy_programme_year(
                source=source, year=form.cleaned_data["year"], by=request.user
            )
            messages.success(
                request,
                _("Copied. Review the theme, the guiding document and the dates of %(year)s.")
                % {"year": year.year},
            )
            return redirect("programme:year-edit", year.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "programme/year_copy.html", {"source": source, "form": form})


@login_required
@require_POST
def year_default_forms(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the default forms a year lacks (a year created by an import, say)."""
    year = _get_year(request, pk, write=True)
    made = services.create_default_forms(programme_year=year, by=request.user)
    if made:
        messages.success(request, _("Default forms created."))
    return redirect("programme:year-detail", year.pk)


@login_required
def year_history(request: HttpRequest, pk: int) -> HttpResponse:
    year = _get_year(request, pk, write=True)
    form_ids = FormTemplate.history.filter(programme_year_id=year.pk).values("id")
    entries = history_entries(
        ProgrammeYear.history.filter(id=year.pk),
        FormTemplate.history.filter(programme_year_id=year.pk),
        FormContent.history.filter(form_id__in=form_ids),
    )
    return render(request, "programme/year_history.html", {"year": year, "entries": entries})


@login_required
@GET_POST
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor of one commitment form: its texts and its ordered contents."""
    form_template = get_object_or_404(
        FormTemplate.objects.select_related("programme_year__issuer").filter(
            programme_year__in=years_for(request.user)
        ),
        pk=pk,
    )
    year = form_template.programme_year
    if not get_scope(request.user).plans_for_unit(year.issuer):
        raise Http404
    contents = list(form_template.contents.order_by("number"))
    initial = [
        {"id": c.pk, "title": c.title, "prompt": c.prompt, "holds_tasks": c.holds_tasks}
        for c in contents
    ]
    data = request.POST if request.method == "POST" else None
    header_form = FormTemplateForm(data, instance=form_template)
    formset = ContentFormSet(data, initial=initial, prefix="contents")
    if request.method == "POST" and header_form.is_valid() and formset.is_valid():
        try:
            services.update_form(
                form=form_template,
                contents=formset.contents(),
                by=request.user,
                reason=header_form.cleaned_data["reason"],
                **{
                    k: header_form.cleaned_data[k]
                    for k in ("header", "title", "preamble", "closing")
                },
            )
            messages.success(request, _("Form saved."))
            return redirect("programme:year-detail", year.pk)
        except DomainError as exc:
            header_form.add_domain_error(exc)
    form_template.refresh_from_db()
    return render(
        request,
        "programme/form_edit.html",
        {"form_template": form_template, "year": year, "form": header_form, "formset": formset},
    )
