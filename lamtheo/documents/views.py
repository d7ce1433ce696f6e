"""Pages of the spreadsheet import: upload (the dry run), the preview with its row messages,
confirmation, progress, and the template to start from. Jobs are private to their uploader:
anyone else gets 404; the import pages need a unit to manage (403 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from lamtheo.core.errors import DomainError
from lamtheo.core.tasks import TaskResultStatus, task_status
from lamtheo.documents.forms import ImportUploadForm
from lamtheo.documents.messages import Problem
from lamtheo.documents.models import ImportJob, ImportStatus
from lamtheo.documents.services import confirm_import, start_import
from lamtheo.documents.spreadsheet import PEOPLE_COLUMNS
from lamtheo.documents.xlsx_template import build_template
from lamtheo.org.scope import get_scope, units_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(request: HttpRequest) -> None:
    scope = get_scope(request.user)
    if not (scope.is_admin or scope.manage_paths):
        raise PermissionDenied(_("Only the secretary or committee of a unit can import."))


def _get_job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related("unit"), pk=pk, created_by=request.user
    )


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(
                user=request.user,
                upload=form.cleaned_data["file"],
                within=form.cleaned_data["unit"],
                update_existing=form.cleaned_data["existing"] == "update",
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            return redirect("documents:import-detail", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(
        request,
        "documents/import_start.html",
        {"form": form, "recent": recent, "columns": PEOPLE_COLUMNS},
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    report = job.report or {}
    problems = [Problem.from_dict(p) for p in report.get("problems", [])]
    preview = report.get("preview") or {}
    return render(
        request,
        "documents/import_detail.html",
        {
            "job": job,
            "problems": problems,
            "problem_count": report.get("problem_count", len(problems)),
            "counts": report.get("counts", {}),
            "result": report.get("result", {}),
            "preview_people": preview.get("people", []),
            "preview_units": preview.get("units", []),
            "several_sheets": len({p.sheet for p in problems if p.sheet}) > 1,
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    try:
        job = confirm_import(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if job.status == ImportStatus.DONE:
            messages.success(request, _("The file was imported."))
    return redirect("documents:import-detail", pk=job.pk)


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls every 2 s (htmx); once the job is no longer
    in progress an htmx request gets the whole page reloaded to show the outcome."""
    job = _get_job(request, pk)
    worker_failed = False
    if job.in_progress and job.task_id:
        from lamtheo.documents.tasks import run_import_job

        worker_failed = task_status(run_import_job, job.task_id) == TaskResultStatus.FAILED
    if request.htmx and not job.in_progress:
        return HttpResponseClientRefresh()
    return render(
        request,
        "documents/_import_status.html",
        {"job": job, "worker_failed": worker_failed},
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    units = list(units_for(request.user, manage=True).order_by("path")[:1000])
    response = HttpResponse(build_template(units=units), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-danh-sach.xlsx"'
    return response
