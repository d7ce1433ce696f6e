"""What the importer says about a file: one :class:`Problem` per thing wrong, stored as a code
with parameters and rendered in the reader's language when shown (so a report kept in an
``ImportJob`` reads in Vietnamese once the catalogue is filled, whoever checked it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Any] = {
    # The file and its sheets.
    "unreadable": _(
        "The file cannot be read as an Excel workbook (.xlsx). If it is an old .xls file, "
        "open it in Excel and save it as «Excel Workbook (.xlsx)»."
    ),
    "file_changed": _("The stored file has changed or disappeared since it was checked."),
    "no_people_sheet": _("The workbook has no sheet with the list of people."),
    "no_header": _(
        "No row of column names was found at the top of the sheet. The table needs a header "
        "row with at least %(columns)s."
    ),
    "unknown_column": _(
        "Unknown column «%(value)s». Rename it to one of %(known)s, or delete the column."
    ),
    "duplicate_column": _(
        "Column «%(value)s» repeats column %(first)s («%(label)s»): keep only one of them."
    ),
    "missing_column": _("The required column «%(label)s» is missing."),
    "empty": _("The sheet has no rows to import."),
    # Values.
    "missing_name": _("The full name is missing."),
    "missing_birth_date": _("The date of birth is missing."),
    "missing_cell": _("The party cell is missing: a party member belongs to a cell."),
    "missing_workplace_unit": _(
        "The unit is missing: for someone who is not a party member, write their state unit "
        "in the column «Đơn vị công tác»."
    ),
    "cell_for_non_member": _(
        "The row says this person is not a party member but names a party cell: clear one "
        "of the two."
    ),
    "too_long": _("Too long: at most %(max)s characters."),
    "not_a_date": _("«%(value)s» is not a date: write it as dd/mm/yyyy, for example 05/03/1980."),
    "two_digit_year": _(
        "«%(value)s» has a two-digit year: write the year in full, for example 05/03/1980."
    ),
    "no_such_date": _("«%(value)s» is not a real date."),
    "date_too_early": _("«%(value)s» is too early to be right."),
    "date_in_future": _("«%(value)s» is in the future."),
    "official_before_joined": _(
        "The date of becoming an official member (%(value)s) is before the date of joining "
        "the Party (%(joined)s)."
    ),
    "joined_before_birth": _(
        "The date of joining the Party (%(value)s) is before the date of birth (%(birth)s)."
    ),
    "bad_gender": _("«%(value)s» is not a gender: write Nam or Nữ."),
    "bad_yes_no": _("«%(value)s»: write Có or Không."),
    "unknown_cell": _(
        "No party cell «%(value)s» among the units you manage: check the name, or write the "
        "cell's code."
    ),
    "not_a_cell": _("«%(value)s» is not a party cell (it is: %(kind)s)."),
    "unknown_unit": _("No state unit «%(value)s» among the units you manage."),
    "not_a_state_unit": _(
        "«%(value)s» is not a state unit (it is: %(kind)s). Write the People's Committee, "
        "agency or public service unit where the person works."
    ),
    "ambiguous_unit": _("«%(value)s» matches several units (%(candidates)s): write its code."),
    "unknown_sector": _("Unknown sector «%(value)s». Known sectors: %(known)s."),
    "duplicate_in_sheet_name": _(
        "The same person as row %(other)s (same full name and date of birth)."
    ),
    "duplicate_in_sheet_code": _("The same person as row %(other)s (same code)."),
    "exists_code": _(
        "%(name)s (code %(person_code)s) is already recorded. To update the record, choose «update "
        "people who already exist»."
    ),
    "exists_name": _(
        "%(name)s, born %(birth)s, is already recorded in %(unit)s. To update the record, "
        "choose «update people who already exist»."
    ),
    "same_record": _(
        "This row and row %(other)s would both update the record of %(name)s: keep one."
    ),
    "code_outside_scope": _(
        "The code «%(value)s» belongs to a person outside the units you manage."
    ),
    "in_other_cell": _(
        "%(name)s is a member of another cell (%(unit)s): record the move on their page "
        "rather than by import."
    ),
    "member_not_staff": _(
        "%(name)s is a party member (%(unit)s) but the row says «Không» in «Đảng viên»."
    ),
    # The «Đơn vị» sheet.
    "missing_unit_name": _("The name of the unit is missing."),
    "missing_kind": _("The kind of unit is missing."),
    "missing_parent": _("The unit above is missing."),
    "unknown_kind": _("Unknown kind of unit «%(value)s». Known kinds: %(known)s."),
    "unknown_parent": _(
        "No unit «%(value)s» among the units you manage or in the rows above on this sheet."
    ),
    "unit_exists": _("A unit «%(value)s» already exists under %(parent)s."),
    "unit_duplicate_in_sheet": _("The same unit as row %(other)s."),
    # Anything else.
    "unexpected": _("The import stopped on an unexpected error; nothing was written."),
}


@dataclass
class Problem:
    """One thing wrong with the file: where (sheet, Excel row, column letter and its header as
    written in the file), the value found, and what is wrong (``code`` + ``params``)."""

    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""
    value: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code, MESSAGES["unexpected"])
        values = {"value": self.value, "header": self.header, **self.params}
        try:
            return str(template) % values
        except (KeyError, ValueError, TypeError):
            return str(template)

    @property
    def where(self) -> str:
        """«C5»-style cell reference, or the row or column alone."""
        if self.row is None:
            return self.column
        return f"{self.column}{self.row}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(str(_("sheet «%(sheet)s»") % {"sheet": self.sheet}))
        if self.row is not None:
            parts.append(str(_("row %(row)s") % {"row": self.row}))
        if self.column:
            column = self.column + (f" «{self.header}»" if self.header else "")
            parts.append(str(_("column %(column)s") % {"column": column}))
        prefix = ", ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message
