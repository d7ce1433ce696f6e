"""Large imports run in a real background worker: the database backend's ``db_worker``, and
RQ on a real Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379/15)."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from lamtheo.documents.models import ImportJob, ImportStatus
from lamtheo.org.models import Person
from tests.documents.helpers import person_row, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
#: Transactional (the worker sees only committed rows, as in production); the data
#: migrations' rows are restored afterwards for the tests that follow.
real_worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sheet(n: int) -> bytes:
    return workbook_bytes([person_row(i, f"Người Nền Số {i}") for i in range(1, n + 1)])


def _upload(client, data: bytes):
    payload = {"file": SimpleUploadedFile("lon.xlsx", data, XLSX), "existing": "report"}
    response = client.post(reverse("documents:import-start"), payload)
    assert response.status_code == 302
    return ImportJob.objects.latest("id")


def _db_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@real_worker
def test_a_large_import_is_checked_and_imported_by_the_database_worker(world, login, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LAMTHEO_IMPORT_BACKGROUND_ROWS = 20
    client = login(world.user("secretary"))

    job = _upload(client, _sheet(40))
    assert job.status == ImportStatus.CHECKING  # handed to the worker, not done in the request
    assert job.task_id
    fragment = client.get(reverse("documents:import-status", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in fragment.content.decode()

    _db_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, job.report
    assert job.report["counts"]["people_create"] == 40
    assert Person.objects.filter(full_name__startswith="Người Nền").count() == 0

    client.post(reverse("documents:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    _db_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.report
    assert job.report["result"]["people_created"] == 40
    assert job.progress_done == job.progress_total
    people = Person.objects.filter(full_name__startswith="Người Nền")
    assert people.count() == 40
    assert people.first().history.get().history_user == world.user("secretary")

    result = DBTaskResult.objects.get(id=job.task_id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value["status"] == "done"
    assert result.return_value["result"]["people_created"] == 40
    # Once done, the polled fragment tells htmx to reload the page with the result.
    done = client.get(
        reverse("documents:import-status", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert done.headers["HX-Refresh"] == "true"


@real_worker
def test_a_large_sheet_with_errors_is_reported_by_the_worker(world, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LAMTHEO_IMPORT_BACKGROUND_ROWS = 20
    rows = [person_row(i, f"Người {i}") for i in range(1, 30)] + [person_row(30, "X", "1/1/99")]
    job = _upload(login(world.user("secretary")), workbook_bytes(rows))
    _db_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert [(p["row"], p["code"]) for p in job.report["problems"]] == [(31, "two_digit_year")]


def _redis_or_skip():
    import redis

    connection = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must be reachable in CI at {REDIS_TEST_URL}: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL} (set REDIS_TEST_URL): {exc}")
    return connection


@real_worker
def test_a_large_import_runs_on_rq_with_a_real_redis(world, login, settings):
    _redis_or_skip()
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.LAMTHEO_IMPORT_BACKGROUND_ROWS = 20
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    try:
        client = login(world.user("secretary"))
        job = _upload(client, _sheet(30))
        assert job.status == ImportStatus.CHECKING
        assert queue.count == 1

        def work() -> None:
            worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
            assert worker.work(burst=True)

        work()
        job.refresh_from_db()
        assert job.status == ImportStatus.CHECKED, job.report
        client.post(reverse("documents:import-confirm", args=[job.pk]))
        work()
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE, job.report
        assert Person.objects.filter(full_name__startswith="Người Nền").count() == 30

        from lamtheo.documents.tasks import run_import_job

        result = run_import_job.get_result(job.task_id)
        assert result.status == "SUCCESSFUL"
        assert result.return_value["status"] == "done"
    finally:
        queue.empty()
