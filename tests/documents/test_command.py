"""``manage.py import_people``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lamtheo.org.models import Person
from tests.documents.helpers import person_row, workbook_bytes


@pytest.fixture
def sheet(tmp_path):
    def _write(rows) -> str:
        path = tmp_path / "danh-sach.xlsx"
        path.write_bytes(workbook_bytes(rows))
        return str(path)

    return _write


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_reports_and_writes_nothing(world, sheet):
    path = sheet([person_row(1, "Người Một"), person_row(2, "Người Hai")])
    out, _err = _run(path, "--user", "secretary", "--dry-run")
    assert "would create 2" in out
    assert not Person.objects.filter(full_name="Người Một").exists()


def test_import_writes_with_the_users_history(world, sheet):
    path = sheet([person_row(1, "Người Một")])
    out, _err = _run(path, "--user", "secretary")
    assert "1 people created" in out
    record = Person.objects.get(full_name="Người Một").history.get()
    assert record.history_user == world.user("secretary")
    assert record.history_change_reason == "Nhập từ tệp danh-sach.xlsx"


def test_problems_are_printed_by_row_and_nothing_is_written(world, sheet):
    path = sheet([person_row(1, "Người Một"), person_row(2, "Người Hai", "30/02/1990")])
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_people", path, "--user", "secretary", stderr=err)
    # «sheet «Danh sách», row 3, column C «Ngày sinh»: …» in the active language.
    assert " 3, " in err.getvalue()
    assert "C «Ngày sinh»" in err.getvalue()
    assert "30/02/1990" in err.getvalue()
    assert not Person.objects.filter(full_name="Người Một").exists()


def test_update_existing_and_unit_options(world, sheet):
    path = sheet([person_row(1, "Lê Văn Đồng Chí", "17/05/1980", position="Tổ trưởng")])
    with pytest.raises(CommandError):
        _run(path, "--user", "admin", "--unit", str(world.cell_b.pk))
    out, _err = _run(path, "--user", "admin", "--unit", str(world.cell_a.pk), "--update-existing")
    assert "1 updated" in out
    world.people.colleague.refresh_from_db()
    assert world.people.colleague.party_position == "Tổ trưởng"


def test_a_user_who_manages_nothing_is_refused(world, sheet):
    with pytest.raises(CommandError, match="manages no unit"):
        _run(sheet([person_row(1, "A")]), "--user", "member")
    with pytest.raises(CommandError, match="No user"):
        _run(sheet([person_row(1, "A")]), "--user", "nobody")
