"""Spreadsheet import: the pages need a unit to manage (403 otherwise); a job is private to
its uploader (404 for anyone else, administrators included)."""

from __future__ import annotations

import weakref

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lamtheo.documents.models import ImportJob, ImportStatus
from tests.documents.helpers import person_row, workbook_bytes
from tests.matrix import ALL, Case

IMPORTERS = frozenset({"secretary", "other_secretary", "admin"})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job(world) -> ImportJob:
    """A checked, clean upload of the secretary of cell A (made once per world)."""
    job = getattr(world, "_import_job", None)
    if job is None:
        import hashlib

        data = workbook_bytes([person_row(1, "Người Mới Nhập")])
        job = ImportJob(
            created_by=world.user("secretary"),
            original_name="danh-sach.xlsx",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            status=ImportStatus.CHECKED,
            row_count=1,
            report={"counts": {"people_create": 1}},
        )
        job.file.save("x.xlsx", ContentFile(data), save=False)
        job.save()
        # The stored upload lives under MEDIA_ROOT: remove it with the world.
        weakref.finalize(world, job.file.storage.delete, job.file.name)
        world._import_job = job
    return job


def _upload(world) -> dict:
    # A file with a bad date: checked (302 to its page) and refused, so nothing is kept.
    data = workbook_bytes([person_row(1, "Người Sai", "31/02/1980")])
    return {"file": SimpleUploadedFile("ds.xlsx", data, XLSX), "existing": "report"}


CASES = [
    Case(
        "documents:import-start", lambda w: reverse("documents:import-start"), IMPORTERS, denied=403
    ),
    Case(
        "documents:import-start",
        lambda w: reverse("documents:import-start"),
        IMPORTERS,
        method="post",
        data=_upload,
        ok=frozenset({302}),
        denied=403,
    ),
    Case(
        "documents:import-template",
        lambda w: reverse("documents:import-template"),
        IMPORTERS,
        denied=403,
    ),
    Case(
        "documents:import-detail",
        lambda w: reverse("documents:import-detail", args=[_job(w).pk]),
        frozenset({"secretary"}),
    ),
    Case(
        "documents:import-status",
        lambda w: reverse("documents:import-status", args=[_job(w).pk]),
        frozenset({"secretary"}),
    ),
    Case(
        "documents:import-confirm",
        lambda w: reverse("documents:import-confirm", args=[_job(w).pk]),
        frozenset({"secretary"}),
        method="post",
        ok=frozenset({302}),
    ),
    Case("api:import-job-list", lambda w: reverse("api:import-job-list"), ALL, anonymous="api"),
    Case(
        "api:import-job-detail",
        lambda w: reverse("api:import-job-detail", args=[_job(w).pk]),
        frozenset({"secretary"}),
        anonymous="api",
    ),
]
