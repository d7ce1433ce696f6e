"""Benchmark of the spreadsheet import (docs/import.md has the figures).

Generates an N-row people sheet with openpyxl, then times each step on a throw-away
database: reading the workbook, checking it (the dry run), and the import itself (check again
+ write, all in one transaction); also a sheet with three bad rows.

    .venv/bin/python bench/import_bench.py                 # 5,000 rows, temporary SQLite
    .venv/bin/python bench/import_bench.py --rows 20000
    .venv/bin/python bench/import_bench.py --database-url postgres://postgres@127.0.0.1/bench

The database given with --database-url is migrated and written to: use a scratch one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Chi bộ",
    "Chức vụ",
    "Ngành/lĩnh vực",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Đảng viên",
    "Đơn vị công tác",
    "Mã",
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hòa", "Thủy", "Khoa", "Lan", "Mai", "Nam", "Sơn")


def make_sheet(rows: int, cells: list[str], *, bad: dict[int, list] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    ws.append(list(HEADERS))
    for i in range(1, rows + 1):
        if bad and i in bad:
            ws.append(bad[i])
            continue
        name = f"{FAMILY[i % 10]} {MIDDLE[i % 8]} {GIVEN[i % 11]} {i}"
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(i * 7) % 18000)
        member = i % 10 != 0
        ws.append(
            [
                i,
                name,
                birth.strftime("%d/%m/%Y"),
                "Nam" if i % 2 else "Nữ",
                cells[i % len(cells)] if member else "",
                "Đảng viên" if member else "Công chức",
                "",
                "19/05/2010" if member else "",
                "19/05/2011" if member else "",
                "Có" if member else "Không",
                "" if member else "UBND xã Bench",
                f"BENCH-{i:06d}",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--cells", type=int, default=40)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="lamtheo-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lamtheo.settings")
    os.environ["LAMTHEO_VAR_DIR"] = scratch.name
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "0"  # DEBUG keeps every SQL statement: not what production does
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from lamtheo.documents.importer import check_workbook, import_workbook
    from lamtheo.documents.spreadsheet import read_workbook
    from lamtheo.org.models import Person, Role, RoleAssignment, Unit, UnitKind

    call_command("migrate", verbosity=0)
    commune = Unit.objects.add_root(
        instance=Unit(kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng ủy xã Bench")
    )
    cells = []
    for n in range(args.cells):
        commune.refresh_from_db()
        cells.append(
            Unit.objects.add_child(
                commune, instance=Unit(kind=UnitKind.CELL, name=f"Chi bộ ấp Bench {n}")
            )
        )
    commune.refresh_from_db()
    Unit.objects.add_child(
        commune, instance=Unit(kind=UnitKind.PEOPLES_COMMITTEE, name="UBND xã Bench")
    )
    user = get_user_model().objects.create(username="bench-secretary")
    RoleAssignment.objects.create(user=user, role=Role.COMMITTEE, unit=commune)
    names = [c.name for c in cells]

    def timed(label: str, fn):  # type: ignore[no-untyped-def]
        # Wall-clock and CPU time of this process: on a busy machine the CPU time is the
        # steadier figure (the database's own work is in-process for SQLite, not PostgreSQL).
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"  {label:<38} {wall:6.2f} s wall {cpu:6.2f} s CPU")
        return result

    print(f"{connection.vendor}, {args.rows} rows, {args.cells} cells")
    bad = {
        args.rows // 4: [args.rows // 4, "Người Sai Ngày", "31/04/1980", "Nam", names[0]],
        args.rows // 2: [args.rows // 2, "Người Sai Chi Bộ", "01/01/1980", "Nam", "Không có"],
        args.rows: [args.rows, "", "01/01/1980", "Nam", names[0]],
    }
    broken = timed(
        "generate a sheet with 3 bad rows", lambda: make_sheet(args.rows, names, bad=bad)
    )
    parsed = timed("read it", lambda: read_workbook(io.BytesIO(broken)))
    plan, counts = timed(
        "import it (refused, nothing written)",
        lambda: import_workbook(parsed, user=user, file_name="bench-bad.xlsx"),
    )
    assert counts is None and Person.objects.count() == 0
    for problem in plan.problems:
        print(f"    {problem}")

    clean = timed("generate the clean sheet", lambda: make_sheet(args.rows, names))
    print(f"  {'sheet size':<38} {len(clean) / 1024:6.0f} KB")
    parsed = timed("read the workbook", lambda: read_workbook(io.BytesIO(clean)))
    plan = timed("check (the dry run)", lambda: check_workbook(parsed, user=user))
    assert plan.ok, [str(p) for p in plan.problems[:5]]
    _plan, counts = timed(
        "import (check again + write)",
        lambda: import_workbook(parsed, user=user, file_name="bench.xlsx"),
    )
    assert counts and counts["people_created"] == args.rows, counts
    print(f"  {'people now in the database':<38} {Person.objects.count():6d}")
    scratch.cleanup()


if __name__ == "__main__":
    main()
