"""Workbooks built in the test, in the shape secretaries keep."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

HEADERS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Chi bộ",
    "Chức vụ",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Đảng viên",
    "Đơn vị công tác",
    "Mã",
)


def person_row(
    n: int,
    name: str,
    birth: Any = "05/03/1980",
    *,
    gender: str = "Nam",
    cell: str = "Chi bộ ấp Đông Bình",
    position: str = "",
    joined: Any = "",
    official: Any = "",
    member: str = "Có",
    workplace: str = "",
    code: str = "",
) -> list[Any]:
    return [n, name, birth, gender, cell, position, joined, official, member, workplace, code]


def workbook_bytes(
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    title_rows: Sequence[Sequence[Any]] = (),
    units: Iterable[Sequence[Any]] | None = None,
    unit_headers: Sequence[str] = ("STT", "Tên đơn vị", "Loại", "Đơn vị cấp trên", "Mã"),
    write_only: bool = False,
) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("Danh sách") if write_only else wb.active
    if not write_only:
        ws.title = "Danh sách"
    for row in title_rows:
        ws.append(list(row))
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    if units is not None:
        us = wb.create_sheet("Đơn vị")
        us.append(list(unit_headers))
        for row in units:
            us.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
