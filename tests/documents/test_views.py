"""The import pages: upload (dry run), preview, confirm, progress, template."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lamtheo.documents.models import ImportJob, ImportStatus
from lamtheo.org.models import PartyMembership, Person
from tests.documents.helpers import person_row, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, data: bytes, name: str = "danh-sach.xlsx", **fields):
    payload = {"file": SimpleUploadedFile(name, data, XLSX), "existing": "report", **fields}
    return client.post(reverse("documents:import-start"), payload)


@pytest.fixture
def secretary(world, login):
    return login(world.user("secretary"))


def test_upload_shows_a_preview_and_writes_nothing(world, secretary):
    before = Person.objects.count()
    response = _upload(secretary, workbook_bytes([person_row(1, "Người Mới Nhập")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:import-detail", args=[job.pk])
    assert job.status == ImportStatus.CHECKED
    assert job.file.name.startswith("imports/")
    assert default_storage.exists(job.file.name)
    assert len(job.sha256) == 64
    page = secretary.get(response["Location"])
    assert "Người Mới Nhập" in page.content.decode()
    assert reverse("documents:import-confirm", args=[job.pk]) in page.content.decode()
    assert Person.objects.count() == before


def test_problems_are_listed_by_row_and_the_file_is_not_kept(world, secretary):
    data = workbook_bytes(
        [person_row(1, "Người Một"), person_row(2, "Người Hai", "1/2/85"), person_row(3, "")]
    )
    response = _upload(secretary, data)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert job.report["problem_count"] == 2
    assert not job.file
    page = secretary.get(response["Location"]).content.decode()
    assert "1/2/85" in page
    assert "Row 3" in page or "Dòng 3" in page
    assert reverse("documents:import-confirm", args=[job.pk]) not in page


def test_confirm_imports_everything_with_the_uploader_in_the_history(world, secretary):
    _upload(secretary, workbook_bytes([person_row(1, "Người Một"), person_row(2, "Người Hai")]))
    job = ImportJob.objects.get()
    stored = job.file.name
    response = secretary.post(reverse("documents:import-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.report["result"]["people_created"] == 2
    assert not default_storage.exists(stored)  # personal data not kept once imported
    person = Person.objects.get(full_name="Người Một")
    assert person.history.get().history_user == world.user("secretary")
    assert PartyMembership.objects.get(person=person).cell == world.cell_a
    page = secretary.get(reverse("documents:import-detail", args=[job.pk]))
    assert page.status_code == 200


def test_confirm_without_a_clean_check_is_refused(world, secretary):
    data = workbook_bytes([person_row(1, "Người Một")])
    for status in (ImportStatus.CHECKING, ImportStatus.INVALID, ImportStatus.DONE):
        job = ImportJob(created_by=world.user("secretary"), original_name="x.xlsx", status=status)
        job.file.save("x.xlsx", ContentFile(data), save=False)
        job.sha256 = __import__("hashlib").sha256(data).hexdigest()
        job.save()
        response = secretary.post(reverse("documents:import-confirm", args=[job.pk]), follow=True)
        assert response.status_code == 200
        job.refresh_from_db()
        assert job.status == status
    assert not Person.objects.filter(full_name="Người Một").exists()


def test_confirming_twice_imports_once(world, secretary):
    _upload(secretary, workbook_bytes([person_row(1, "Người Một")]))
    job = ImportJob.objects.get()
    url = reverse("documents:import-confirm", args=[job.pk])
    secretary.post(url)
    secretary.post(url)
    assert Person.objects.filter(full_name="Người Một").count() == 1


def test_a_stored_file_changed_after_the_check_is_refused(world, secretary):
    _upload(secretary, workbook_bytes([person_row(1, "Người Một")]))
    job = ImportJob.objects.get()
    with default_storage.open(job.file.name, "wb") as handle:
        handle.write(workbook_bytes([person_row(1, "Người Một"), person_row(2, "Kẻ Chen Vào")]))
    secretary.post(reverse("documents:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Person.objects.filter(full_name__in=["Người Một", "Kẻ Chen Vào"]).exists()


def test_another_user_cannot_see_or_confirm_the_job(world, secretary, login):
    _upload(secretary, workbook_bytes([person_row(1, "Người Một")]))
    job = ImportJob.objects.get()
    other = login(world.user("admin"))
    assert other.get(reverse("documents:import-detail", args=[job.pk])).status_code == 404
    assert other.post(reverse("documents:import-confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_an_old_xls_file_gets_a_clear_message(world, secretary):
    response = _upload(secretary, b"\xd0\xcf\x11\xe0 old", name="ds.xls")
    assert response.status_code == 200
    assert ".xlsx" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_a_workbook_is_reported(world, secretary):
    _upload(secretary, b"not a zip at all", name="ds.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert job.report["problems"][0]["code"] == "unreadable"


def test_update_existing_option_is_passed_on(world, secretary):
    data = workbook_bytes([person_row(1, "Lê Văn Đồng Chí", "17/05/1980", position="Tổ trưởng")])
    _upload(secretary, data, existing="update")
    job = ImportJob.objects.get()
    assert job.update_existing
    assert job.status == ImportStatus.CHECKED
    assert job.report["counts"]["people_update"] == 1


def test_the_unit_choice_limits_the_lookup(world, login):
    client = login(world.user("admin"))
    _upload(client, workbook_bytes([person_row(1, "Người Một")]), unit=world.cell_b.pk)
    job = ImportJob.objects.get()
    assert job.unit == world.cell_b
    assert job.report["problems"][0]["code"] == "unknown_cell"


def test_a_secretary_cannot_choose_a_unit_they_do_not_manage(world, secretary):
    response = _upload(secretary, workbook_bytes([person_row(1, "A")]), unit=world.cell_b.pk)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors


def test_status_fragment_polls_while_in_progress_and_reloads_when_done(world, secretary):
    job = ImportJob.objects.create(
        created_by=world.user("secretary"),
        original_name="x.xlsx",
        status=ImportStatus.RUNNING,
        progress_done=250,
        progress_total=1000,
    )
    url = reverse("documents:import-status", args=[job.pk])
    fragment = secretary.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert "25%" in fragment.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    done = secretary.get(url, headers={"HX-Request": "true"})
    assert done.headers.get("HX-Refresh") == "true"


def test_template_is_a_workbook_with_the_columns_and_notes(world, secretary):
    response = secretary.get(reverse("documents:import-template"))
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Danh sách", "Đơn vị", "Hướng dẫn"]
    headers = [c.value for c in wb["Danh sách"][1]]
    assert headers[:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    notes = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Chi bộ ấp Đông Bình" in notes  # the cells the secretary may name


def test_the_template_as_downloaded_imports_nothing(world, secretary):
    template = secretary.get(reverse("documents:import-template")).content
    _upload(secretary, template)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert [p["code"] for p in job.report["problems"]] == ["empty"]


def test_the_template_filled_in_imports(world, secretary):
    wb = load_workbook(io.BytesIO(secretary.get(reverse("documents:import-template")).content))
    wb["Danh sách"].append(person_row(1, "Người Điền Mẫu")[:5])
    buffer = io.BytesIO()
    wb.save(buffer)
    _upload(secretary, buffer.getvalue())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED, job.report.get("problems")


def test_home_page_offers_the_import_to_those_who_manage_a_unit(world, login):
    assert (
        reverse("documents:import-start")
        in login(world.user("secretary")).get("/").content.decode()
    )
    assert (
        reverse("documents:import-start")
        not in login(world.user("member")).get("/").content.decode()
    )


def test_api_lists_only_ones_own_jobs(world, secretary, login):
    _upload(secretary, workbook_bytes([person_row(1, "Người Một", "1/1/80")]))
    mine = secretary.get(reverse("api:import-job-list")).json()
    assert mine["count"] == 1
    assert mine["results"][0]["problems"][0]["code"] == "two_digit_year"
    assert mine["results"][0]["problems"][0]["message"]
    other = login(world.user("other_secretary")).get(reverse("api:import-job-list")).json()
    assert other["count"] == 0


def test_import_jobs_are_listed_read_only_in_the_admin(world, login, secretary):
    _upload(secretary, workbook_bytes([person_row(1, "Người Một")]))
    user = world.user("admin")
    user.is_superuser = user.is_staff = True
    user.save()
    client = login(user)
    assert client.get(reverse("admin:documents_importjob_changelist")).status_code == 200
    assert client.get(reverse("admin:documents_importjob_add")).status_code == 403
