"""Background tasks of the documents app (Django's Tasks API; see docs/tasks.md)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_import_job(job_id: int) -> dict[str, Any]:
    """Check or import a large spreadsheet (see ``services.run_job``). The job row carries
    the progress and the outcome; the return value repeats the outcome for the backend's
    own records."""
    from lamtheo.documents.services import run_job

    job = run_job(job_id)
    return {
        "job": job.pk,
        "status": job.status,
        "result": job.report.get("result", {}),
        "problem_count": job.report.get("problem_count", 0),
    }
