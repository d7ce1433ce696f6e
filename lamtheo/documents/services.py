"""The import workflow: upload (and check), confirm, run; each step one function.

upload ─▶ CHECKING ─▶ INVALID (problems listed; nothing more to do)
                  └─▶ CHECKED ─confirm─▶ QUEUED ─worker─▶ RUNNING ─▶ DONE | INVALID | FAILED
                                      └─(small sheet: in the request)──┘

A sheet of more than ``LAMTHEO_IMPORT_BACKGROUND_ROWS`` rows (default 500) is checked and
imported by a background worker; a smaller one in the request itself. The file stays on the
server (``MEDIA_ROOT/imports/``) with its SHA-256: confirming reads that file again, checks
its digest and checks every row again inside the transaction that writes, so nothing the
browser sends at confirmation is trusted. Files are deleted once they can no longer be
imported (errors found, imported, failed) and after ``IMPORT_FILE_RETENTION_DAYS`` anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lamtheo.core.errors import DomainError
from lamtheo.core.tasks import enqueue_on_commit
from lamtheo.documents.importer import check_workbook, import_workbook
from lamtheo.documents.messages import Problem
from lamtheo.documents.models import ImportJob, ImportPhase, ImportStatus
from lamtheo.documents.spreadsheet import (
    NOTES_SHEET_TITLES,
    ParsedWorkbook,
    UnreadableWorkbook,
    header_key,
    open_workbook,
    read_workbook,
)
from lamtheo.org.models import Unit
from lamtheo.org.scope import get_scope

logger = logging.getLogger(__name__)

#: Largest upload accepted (a 5,000-row sheet is about 250 KB).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: Problems kept in a job's report (a broken file can have one per cell).
MAX_PROBLEMS = 1000
IMPORT_FILE_RETENTION_DAYS = 7


def background_threshold() -> int:
    """Sheets with more rows than this are checked and imported by the background worker."""
    return int(getattr(settings, "LAMTHEO_IMPORT_BACKGROUND_ROWS", 500))


def start_import(
    *,
    user: Any,
    upload: UploadedFile,
    within: Unit | None = None,
    update_existing: bool = False,
) -> ImportJob:
    """Keep ``upload`` under MEDIA_ROOT/imports/ with its SHA-256 and check it (the dry run):
    in the request for a small sheet, in the background for a large one."""
    scope = get_scope(user)
    if not (scope.is_admin or scope.manage_paths):
        raise DomainError(_("Only the secretary or committee of a unit may import into it."))
    if within is not None and not scope.manages_unit(within):
        raise DomainError(_("You do not manage this unit."), field="unit")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("The file is too large (at most 10 MB)."), field="file")
    purge_old_files()
    digest = hashlib.sha256()
    content = io.BytesIO()
    for chunk in upload.chunks():
        digest.update(chunk)
        content.write(chunk)
    job = ImportJob(
        created_by=user,
        unit=within,
        original_name=os.path.basename(upload.name or "import.xlsx")[:255],
        sha256=digest.hexdigest(),
        size=content.tell(),
        update_existing=update_existing,
        status=ImportStatus.CHECKING,
        phase=ImportPhase.READING,
    )
    job.file.save("import.xlsx", ContentFile(content.getvalue()), save=False)
    try:
        rows = _count_rows(content)
    except UnreadableWorkbook:
        job.save()
        _finish(job, ImportStatus.INVALID, problems=[Problem(code="unreadable")])
        return job
    job.progress_total = rows
    with transaction.atomic():
        job.save()
        if rows > background_threshold():
            _enqueue(job)
            return job
    run_job(job.pk, reraise=False)
    job.refresh_from_db()
    return job


def confirm_import(*, job: ImportJob, by: Any) -> ImportJob:
    """Import a checked file: only its uploader, only once, only while its stored file is
    the one that was checked. A small sheet is written before this returns; a large one
    is handed to the worker."""
    if by.pk != job.created_by_id:
        raise DomainError(_("Only the person who uploaded the file may import it."))
    with transaction.atomic():
        # Locked, so a double click (or two tabs) cannot import the same file twice.
        job = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
        if job.status != ImportStatus.CHECKED:
            raise DomainError(
                _("Only a file that was checked without errors can be imported."),
                code="not_checked",
            )
        try:
            stored_file_bytes(job)
        except DomainError as exc:
            broken: DomainError | None = exc
        else:
            broken = None
            job.confirmed_at = timezone.now()
            job.progress_done = 0
            background = job.row_count > background_threshold()
            job.status = ImportStatus.QUEUED if background else ImportStatus.RUNNING
            job.phase = ImportPhase.READING
            job.save()
            if background:
                _enqueue(job)
    if broken is not None:
        _finish(job, ImportStatus.FAILED, problems=[Problem(code="file_changed")])
        raise broken
    if job.status == ImportStatus.RUNNING:
        run_job(job.pk, reraise=False)
        job.refresh_from_db()
    return job


def run_job(job_id: int, *, reraise: bool = True) -> ImportJob:
    """Do what the job is waiting for: check a CHECKING job, import a QUEUED (or, in the
    request, RUNNING) one. Safe to call twice: a job in any other state is left alone."""
    job = ImportJob.objects.select_related("created_by", "unit").get(pk=job_id)
    try:
        if job.status == ImportStatus.CHECKING:
            _run_check(job)
        elif job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            # Claim the job: only one worker moves it out of QUEUED.
            if job.status == ImportStatus.QUEUED:
                claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
                    status=ImportStatus.RUNNING
                )
                if not claimed:
                    return job
                job.status = ImportStatus.RUNNING
            _run_import(job)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, problems=[Problem(code="unexpected")])
        if reraise:
            raise
    return job


def stored_file_bytes(job: ImportJob) -> bytes:
    """The stored upload, if it still has the digest it had when uploaded."""
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    except (ValueError, OSError):
        raise DomainError(
            _("The uploaded file is no longer on the server: upload it again."), code="no_file"
        ) from None
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise DomainError(
            _("The stored file has changed since it was checked: upload it again."),
            code="file_changed",
        )
    return data


def purge_old_files(*, days: int = IMPORT_FILE_RETENTION_DAYS) -> int:
    """Delete stored uploads older than ``days`` (they hold personal data)."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    purged = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""):
        _delete_file(job)
        purged += 1
    return purged


# ------------------------------------------------------------------------------------------


def _count_rows(content: io.BytesIO) -> int:
    content.seek(0)
    workbook = open_workbook(content)
    try:
        # The used range of the sheets that are read (not the notes): cheap, no row is parsed.
        return sum(
            ws.max_row or 0
            for ws in workbook.worksheets
            if header_key(ws.title) not in NOTES_SHEET_TITLES
        )
    finally:
        workbook.close()


def _enqueue(job: ImportJob) -> None:
    from lamtheo.documents.tasks import run_import_job

    def remember(result: Any) -> None:
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    def failed(exc: Exception) -> None:
        _finish(job, ImportStatus.FAILED, problems=[Problem(code="unexpected")])

    enqueue_on_commit(run_import_job, job.pk, on_enqueued=remember, on_error=failed)


def _progress(job: ImportJob, phase: str) -> Any:
    def report(done: int, total: int) -> None:
        job.phase, job.progress_done, job.progress_total = phase, done, total
        ImportJob.objects.filter(pk=job.pk).update(
            phase=phase, progress_done=done, progress_total=total
        )

    return report


def _read(job: ImportJob) -> ParsedWorkbook | None:
    try:
        data = stored_file_bytes(job)
    except DomainError:
        _finish(job, ImportStatus.FAILED, problems=[Problem(code="file_changed")])
        return None
    try:
        return read_workbook(io.BytesIO(data), progress=_progress(job, ImportPhase.READING))
    except UnreadableWorkbook:
        _finish(job, ImportStatus.INVALID, problems=[Problem(code="unreadable")])
        return None


def _run_check(job: ImportJob) -> None:
    parsed = _read(job)
    if parsed is None:
        return
    _progress(job, ImportPhase.CHECKING)(job.progress_total, job.progress_total)
    plan = check_workbook(
        parsed, user=job.created_by, within=job.unit, update_existing=job.update_existing
    )
    job.row_count = parsed.row_count
    job.checked_at = timezone.now()
    job.report = {"counts": plan.counts(), "preview": plan.preview()}
    if plan.ok:
        job.status = ImportStatus.CHECKED
        job.phase = ""
        job.save()
    else:
        _finish(job, ImportStatus.INVALID, problems=plan.problems)


def _run_import(job: ImportJob) -> None:
    parsed = _read(job)
    if parsed is None:
        return
    _progress(job, ImportPhase.WRITING)(job.progress_total, job.progress_total)
    plan, counts = import_workbook(
        parsed,
        user=job.created_by,
        within=job.unit,
        update_existing=job.update_existing,
        file_name=job.original_name,
    )
    if counts is None:
        # Something changed since the check (someone added one of these people meanwhile):
        # nothing was written; the new problems say what.
        _finish(job, ImportStatus.INVALID, problems=plan.problems)
        return
    job.report = {**job.report, "counts": plan.counts(), "result": counts}
    _finish(job, ImportStatus.DONE)


def _finish(job: ImportJob, status: str, *, problems: list[Problem] | None = None) -> None:
    job.status = status
    job.phase = ""
    job.finished_at = timezone.now()
    if problems is not None:
        job.report = {
            **job.report,
            "problems": [p.as_dict() for p in problems[:MAX_PROBLEMS]],
            "problem_count": len(problems),
            "preview": {},
        }
    _delete_file(job, save=False)
    job.save()


def _delete_file(job: ImportJob, *, save: bool = True) -> None:
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("Could not delete %s", job.file.name, exc_info=True)
        job.file = ""
    if save and job.pk:
        ImportJob.objects.filter(pk=job.pk).update(file="")
