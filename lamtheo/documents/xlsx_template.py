"""The workbook secretaries start from: the people sheet with its headers and one example
row, the optional «Đơn vị» sheet, and a «Hướng dẫn» sheet explaining every column (with
the cells, units and sectors the user may name). Built at request time with openpyxl."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lamtheo.documents.importer.units import KIND_EXAMPLES
from lamtheo.documents.spreadsheet import PEOPLE_COLUMNS, UNIT_COLUMNS
from lamtheo.org.models import CELL_KINDS, STATE_KINDS, Sector

PEOPLE_SHEET = "Danh sách"
UNITS_SHEET = "Đơn vị"
NOTES_SHEET = "Hướng dẫn"
EXAMPLE = "Ví dụ"

_HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_DATE_KEYS = {"birth_date", "joined_on", "official_on", "since"}

_PEOPLE_EXAMPLE = {
    "stt": EXAMPLE,
    "full_name": "Nguyễn Văn A",
    "birth_date": "05/03/1980",
    "gender": "Nam",
    "cell": "Chi bộ ấp Đông Bình",
    "position": "Chi ủy viên",
    "sector": "Nông nghiệp",
    "joined_on": "19/05/2005",
    "official_on": "19/05/2006",
    "is_member": "Có",
    "workplace_unit": "",
    "since": "",
    "code": "",
    "note": "Xóa dòng ví dụ này hoặc để nguyên: dòng có STT «Ví dụ» không được nhập.",
}
_UNIT_EXAMPLE = {
    "stt": EXAMPLE,
    "name": "Chi bộ ấp Mới",
    "kind": "Chi bộ",
    "parent": "Đảng ủy xã Thoại Sơn",
    "short_name": "CB ấp Mới",
    "doc_abbreviation": "CB",
    "place_name": "Thoại Sơn",
    "code": "",
    "note": "",
}


def _notes() -> dict[str, str]:
    return {
        "stt": _("Row number. Optional. A row whose STT says «Ví dụ» is never imported."),
        "full_name": _("Required. Full name, e.g. Nguyễn Thị Hòa (any accent typing is fine)."),
        "birth_date": _("Required. dd/mm/yyyy, e.g. 05/03/1980; the year in four digits."),
        "gender": _("Nam or Nữ."),
        "cell": _("Party members: the name or the code of their party cell (see the list below)."),
        "position": _("Position, e.g. Bí thư chi bộ, Chi ủy viên."),
        "sector": _("Sector: its name or code (see the list below)."),
        "joined_on": _("Date of joining the Party, dd/mm/yyyy."),
        "official_on": _(
            "Date of becoming an official member, dd/mm/yyyy; blank with a joining date: "
            "probationary member."
        ),
        "is_member": _("Có (party member, the default) or Không (staff who are not members)."),
        "workplace_unit": _(
            "Staff who are not members (Đảng viên: Không): their state unit (name or code). "
            "For members: their workplace, as text."
        ),
        "since": _("In this cell (or unit) since, dd/mm/yyyy; blank: the day of the import."),
        "code": _(
            "The person's code in the member database, if any. A known code updates or "
            "reports that person."
        ),
        "note": _("Free notes; not imported."),
    }


def _unit_notes() -> dict[str, str]:
    return {
        "stt": _("Row number. Optional."),
        "name": _("Required. Full name of the unit, e.g. Chi bộ ấp Mới."),
        "kind": _("Required. One of: %(kinds)s.") % {"kinds": ", ".join(KIND_EXAMPLES)},
        "parent": _(
            "Required. The unit above: one you manage, or a unit on a row above in this sheet."
        ),
        "short_name": _("Short name, if any."),
        "doc_abbreviation": _("Abbreviation used in document numbers, e.g. CB."),
        "place_name": _("Place name of the date line, e.g. Thoại Sơn."),
        "code": _("The unit's code, if any."),
        "note": _("Free notes; not imported."),
    }


def build_template(*, units: list[Any] | None = None) -> bytes:
    """The template workbook; ``units`` (the user's managed units) are listed in the notes."""
    wb = Workbook()
    people = wb.active
    people.title = PEOPLE_SHEET
    _table(people, PEOPLE_COLUMNS, _PEOPLE_EXAMPLE)
    gender = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
    member = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    for validation, key in ((gender, "gender"), (member, "is_member")):
        letter = _letter(PEOPLE_COLUMNS, key)
        validation.add(f"{letter}2:{letter}5001")
        people.add_data_validation(validation)
    _table(wb.create_sheet(UNITS_SHEET), UNIT_COLUMNS, _UNIT_EXAMPLE)

    notes = wb.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 100
    notes.append([_("How to fill in this workbook")])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "One row per person on the sheet «%(sheet)s». Keep the header row; column order "
            "does not matter and common other headers (Họ tên, Ngày CT…) are understood."
        )
        % {"sheet": PEOPLE_SHEET},
        _(
            "The sheet «%(sheet)s» is optional: it creates units (for example a new cell) "
            "before the people are imported. Delete it or leave it empty if not needed."
        )
        % {"sheet": UNITS_SHEET},
        _(
            "Upload the file: you first see what would be imported and every problem, row "
            "by row; nothing is written until you confirm, and then all rows or none."
        ),
    ):
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=False)
    _notes_table(notes, PEOPLE_SHEET, PEOPLE_COLUMNS, _notes())
    _notes_table(notes, UNITS_SHEET, UNIT_COLUMNS, _unit_notes())
    if units:
        notes.append([])
        notes.append([_("Units you may name"), _("Kind — code")])
        notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
        for unit in units:
            if unit.kind in CELL_KINDS or unit.kind in STATE_KINDS:
                kind = unit.get_kind_display()
                notes.append([unit.name, f"{kind} — {unit.code}" if unit.code else kind])
    sectors = list(Sector.objects.order_by("order", "name"))
    if sectors:
        notes.append([])
        notes.append([_("Sectors"), _("Code")])
        notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
        for sector in sectors:
            notes.append([sector.name, sector.code])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _letter(columns: Any, key: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.key == key))


def _table(ws: Any, columns: Any, example: dict[str, str]) -> None:
    ws.append([c.label for c in columns])
    ws.append([example.get(c.key, "") for c in columns])
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index)
        header.fill, header.font = _HEADER_FILL, _HEADER_FONT
        header.alignment = Alignment(wrap_text=True, vertical="center")
        ws.cell(row=2, column=index).font = _EXAMPLE_FONT
        ws.column_dimensions[letter].width = max(12, min(40, len(column.label) + 8))
        if column.key in _DATE_KEYS or column.key == "code":
            # Text, so Excel keeps 05/03/1980 as typed instead of reading it as 3 May on a
            # computer set to US dates. A column style, not 500 formatted cells: those would
            # count as rows of the sheet.
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(row=2, column=index).number_format = "@"


def _notes_table(ws: Any, sheet: str, columns: Any, notes: dict[str, str]) -> None:
    ws.append([])
    ws.append([_("Sheet «%(sheet)s»") % {"sheet": sheet}])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for column in columns:
        required = " *" if column.required else ""
        ws.append([column.label + required, notes.get(column.key, "")])
        ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True)
