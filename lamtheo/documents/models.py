"""Spreadsheet imports: one ``ImportJob`` per uploaded file, from the dry run to the result.

The job is itself the audit record of an import (who, which file and its SHA-256, when,
what was found, what was written), so it carries no separate history table; the people,
memberships and units it writes carry theirs, with the change reason «Nhập từ tệp …».
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lamtheo.org.models import Unit


def import_file_name(instance: ImportJob, filename: str) -> str:
    # The client's file name is kept in ``original_name`` only: the stored name is random,
    # so it can neither collide nor be guessed.
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    INVALID = "invalid", _("Errors found")
    CHECKED = "checked", _("Ready to import")
    QUEUED = "queued", _("Waiting to import")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


#: States in which a worker (or the request itself) is still working on the job.
IN_PROGRESS = frozenset({ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING})


class ImportPhase(models.TextChoices):
    READING = "reading", _("Reading the rows")
    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Writing the records")


class ImportJob(models.Model):
    """One uploaded spreadsheet of units and people, private to the user who uploaded it.

    ``report`` holds what the last check (or the import) found, as plain JSON: the counts,
    the row problems (as message codes with parameters, rendered in the reader's language
    when shown) and a preview of the first rows to be written.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("within unit"),
        help_text=_("Cells and units are looked up under this unit; empty: all you manage."),
    )
    file = models.FileField(_("file"), upload_to=import_file_name, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    update_existing = models.BooleanField(_("update people who already exist"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    phase = models.CharField(_("phase"), max_length=16, choices=ImportPhase.choices, blank=True)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in total"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.CHECKED
