"""Checking the people sheet: one plan per good row, one problem per thing wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lamtheo.documents.importer.units import UnitIndex, UnitRef, name_key, resolve_unit
from lamtheo.documents.messages import Problem
from lamtheo.documents.spreadsheet import (
    BadValue,
    ParsedSheet,
    SheetRow,
    date_value,
    display_value,
    gender_value,
    header_key,
    text_value,
    yes_no_value,
)
from lamtheo.org.models import (
    Employment,
    MembershipStatus,
    PartyMembership,
    Person,
    Sector,
)

#: Field lengths of the models, checked here so a long cell is a row message, not a crash.
MAX_NAME, MAX_POSITION, MAX_CODE, MAX_WORKPLACE = 120, 200, 64, 255
#: Query parameters per ``__in`` lookup: well under SQLite's and PostgreSQL's limits.
CHUNK = 900


@dataclass
class PersonPlan:
    """What one good row will write. ``action`` is "create" or "update" (``person`` is then
    the record to update, and ``membership``/``employment`` the current one to update)."""

    row: int
    full_name: str
    birth_date: dt.date
    gender: str
    code: str
    position: str
    sector: Sector | None
    is_member: bool
    unit: UnitRef
    workplace: str
    joined_on: dt.date | None
    official_on: dt.date | None
    since: dt.date | None
    action: str = "create"
    person: Person | None = None
    membership: PartyMembership | None = None
    employment: Employment | None = None
    source: SheetRow | None = None
    #: Whether the sheet has a «Ngày chính thức» column: only then does a blank date there
    #: mean a probationary member.
    official_known: bool = True

    @property
    def key(self) -> tuple[str, dt.date]:
        return name_key(self.full_name), self.birth_date

    @property
    def status(self) -> str:
        # Joined but not yet official: a probationary member (đảng viên dự bị).
        if self.joined_on and not self.official_on and self.official_known:
            return MembershipStatus.PROBATIONARY
        return MembershipStatus.OFFICIAL

    def preview(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "full_name": self.full_name,
            "birth_date": display_value(self.birth_date),
            "gender": self.gender,
            "is_member": self.is_member,
            "unit": self.unit.name,
            "new_unit": self.unit.unit is None,
            "position": self.position,
            "sector": self.sector.name if self.sector else "",
            "joined_on": display_value(self.joined_on),
            "official_on": display_value(self.official_on),
            "code": self.code,
        }


class SectorIndex:
    def __init__(self, sectors: Iterable[Sector]) -> None:
        self.sectors = list(sectors)
        self.table: dict[str, Sector] = {}
        for sector in self.sectors:
            for key in (sector.code.casefold(), name_key(sector.name)):
                self.table.setdefault(key, sector)
        for sector in self.sectors:
            for key in (header_key(sector.code), header_key(sector.name)):
                self.table.setdefault(key, sector)

    def find(self, text: str) -> Sector | None:
        return (
            self.table.get(text.casefold())
            or self.table.get(name_key(text))
            or self.table.get(header_key(text))
        )

    def known(self) -> str:
        return ", ".join(s.name for s in self.sectors[:20])


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def check_people_sheet(
    sheet: ParsedSheet,
    index: UnitIndex,
    *,
    manageable_people: QuerySet[Person],
    update_existing: bool,
    today: dt.date,
    problems: list[Problem],
) -> list[PersonPlan]:
    """Plan the people of ``sheet``; a row with any problem is left out of the plan.

    Duplicates: two rows with the same code, or the same full name and date of birth, are
    one person; a row whose code, or whose name and date of birth in the same cell (or state
    unit), is already recorded is reported, or planned as an update with
    ``update_existing``. ``manageable_people`` are the people the user may change.
    """
    sectors = SectorIndex(Sector.objects.all())
    if "cell" not in sheet.columns and any(
        _yes_no_or_none(r.values.get("is_member")) is not False for r in sheet.rows
    ):
        # Party members need their cell: one message for the column, not one per row.
        problems.append(
            Problem(
                code="missing_column",
                sheet=sheet.title,
                row=sheet.header_row,
                params={"label": "Chi bộ"},
            )
        )
    plans: list[PersonPlan] = []
    by_key: dict[tuple[str, dt.date], int] = {}
    by_code: dict[str, int] = {}
    for row in sheet.rows:
        found: list[Problem] = []
        plan = _check_row(sheet, row, index, sectors, today=today, found=found)
        name = text_value(row.values.get("full_name"))
        birth = _quiet_date(row.values.get("birth_date"), today)
        code = text_value(row.values.get("code"))
        if code and code.casefold() in by_code:
            found.append(
                sheet.problem(
                    row, "code", "duplicate_in_sheet_code", other=by_code[code.casefold()]
                )
            )
        elif name and birth and (name_key(name), birth) in by_key:
            found.append(
                sheet.problem(
                    row,
                    "full_name",
                    "duplicate_in_sheet_name",
                    other=by_key[(name_key(name), birth)],
                )
            )
        if code:
            by_code.setdefault(code.casefold(), row.number)
        if name and birth:
            by_key.setdefault((name_key(name), birth), row.number)
        problems.extend(found)
        if plan is not None and not found:
            plans.append(plan)
    return _match_existing(
        sheet,
        plans,
        manageable_people=manageable_people,
        update_existing=update_existing,
        today=today,
        problems=problems,
    )


def _yes_no_or_none(value: Any) -> bool | None:
    try:
        return yes_no_value(value)
    except BadValue:
        return None


def _quiet_date(value: Any, today: dt.date) -> dt.date | None:
    try:
        return date_value(value, today=today)
    except BadValue:
        return None


def _check_row(
    sheet: ParsedSheet,
    row: SheetRow,
    index: UnitIndex,
    sectors: SectorIndex,
    *,
    today: dt.date,
    found: list[Problem],
) -> PersonPlan | None:
    values = row.values

    def date(key: str) -> dt.date | None:
        try:
            return date_value(values.get(key), today=today)
        except BadValue as exc:
            found.append(sheet.problem(row, key, exc.code, **exc.params))
            return None

    def text(key: str, limit: int) -> str:
        value = text_value(values.get(key))
        if len(value) > limit:
            found.append(sheet.problem(row, key, "too_long", max=limit))
        return value

    full_name = text("full_name", MAX_NAME)
    if not full_name:
        found.append(sheet.problem(row, "full_name", "missing_name"))
    birth_date = date("birth_date")
    if birth_date is None and not _has(values.get("birth_date")):
        found.append(sheet.problem(row, "birth_date", "missing_birth_date"))
    try:
        gender = gender_value(values.get("gender"))
    except BadValue as exc:
        found.append(sheet.problem(row, "gender", exc.code))
        gender = ""
    try:
        is_member = yes_no_value(values.get("is_member"))
    except BadValue as exc:
        found.append(sheet.problem(row, "is_member", exc.code))
        is_member = None
    # A sheet without the «Đảng viên» column (or a blank cell) lists party members.
    member = is_member is not False
    cell_text = text_value(values.get("cell"))
    workplace = text("workplace_unit", MAX_WORKPLACE)
    unit: UnitRef | None = None
    if is_member is None and found and found[-1].code == "bad_yes_no":
        pass  # which unit to expect is unknown; the yes/no message says enough
    elif member:
        if cell_text:
            unit = resolve_unit(index, sheet, row, "cell", cell_text, want="cell", problems=found)
        elif "cell" in sheet.columns:
            found.append(sheet.problem(row, "cell", "missing_cell"))
    else:
        if cell_text:
            found.append(sheet.problem(row, "cell", "cell_for_non_member"))
        if not workplace:
            found.append(sheet.problem(row, "workplace_unit", "missing_workplace_unit"))
        else:
            unit = resolve_unit(
                index, sheet, row, "workplace_unit", workplace, want="state", problems=found
            )
    position = text("position", MAX_POSITION)
    code = text("code", MAX_CODE)
    sector = None
    sector_text = text_value(values.get("sector"))
    if sector_text:
        sector = sectors.find(sector_text)
        if sector is None:
            found.append(sheet.problem(row, "sector", "unknown_sector", known=sectors.known()))
    joined_on = date("joined_on")
    official_on = date("official_on")
    since = date("since")
    if joined_on and birth_date and joined_on < birth_date:
        found.append(sheet.problem(row, "joined_on", "joined_before_birth", birth=birth_date))
    if official_on and joined_on and official_on < joined_on:
        found.append(sheet.problem(row, "official_on", "official_before_joined", joined=joined_on))
    if found or unit is None or birth_date is None:
        return None
    return PersonPlan(
        row=row.number,
        full_name=full_name,
        birth_date=birth_date,
        gender=gender,
        code=code,
        position=position,
        sector=sector,
        is_member=member,
        unit=unit,
        workplace=unit.name if not member else workplace,
        joined_on=joined_on if member else None,
        official_on=official_on if member else None,
        since=since,
        source=row,
        official_known="official_on" in sheet.columns,
    )


def _has(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _match_existing(
    sheet: ParsedSheet,
    plans: list[PersonPlan],
    *,
    manageable_people: QuerySet[Person],
    update_existing: bool,
    today: dt.date,
    problems: list[Problem],
) -> list[PersonPlan]:
    """Find the planned people already recorded, with a constant number of queries."""
    codes = {p.code for p in plans if p.code}
    coded: dict[str, Person] = {}
    for chunk in _chunks(codes):
        for person in Person.objects.filter(code__in=chunk).order_by("id"):
            coded.setdefault(person.code.casefold(), person)
    manageable: set[int] = set()
    for chunk in _chunks(p.id for p in coded.values()):
        manageable |= set(manageable_people.filter(pk__in=chunk).values_list("id", flat=True))

    cell_ids = {p.unit.id for p in plans if p.is_member and p.unit.id}
    unit_ids = {p.unit.id for p in plans if not p.is_member and p.unit.id}
    members: dict[tuple[int, str, dt.date | None], PartyMembership] = {}
    for chunk in _chunks(cell_ids):
        for m in (
            PartyMembership.objects.current(today)
            .filter(cell_id__in=chunk)
            .select_related("person")
        ):
            members[(m.cell_id, name_key(m.person.full_name), m.person.birth_date)] = m
    staff: dict[tuple[int, str, dt.date | None], Employment] = {}
    for chunk in _chunks(unit_ids):
        for e in (
            Employment.objects.current(today).filter(unit_id__in=chunk).select_related("person")
        ):
            staff[(e.unit_id, name_key(e.person.full_name), e.person.birth_date)] = e

    matches: dict[int, tuple[Person, str]] = {}
    kept: list[PersonPlan] = []
    for plan in plans:
        person, how = None, ""
        if plan.code and plan.code.casefold() in coded:
            person, how = coded[plan.code.casefold()], "code"
            if person.id not in manageable:
                problems.append(_problem(sheet, plan, "code", "code_outside_scope"))
                continue
        else:
            key = (plan.unit.id, *plan.key)
            found = members.get(key) if plan.is_member else staff.get(key)
            if plan.unit.id is not None and found is not None:
                person, how = found.person, "name"
        if person is None:
            kept.append(plan)
            continue
        matches[plan.row] = (person, how)
        kept.append(plan)

    # The current membership and employments of the people matched, for updates.
    matched_ids = {person.id for person, _how in matches.values()}
    current_membership: dict[int, PartyMembership] = {}
    employments: dict[tuple[int, int], Employment] = {}
    if update_existing:
        for chunk in _chunks(matched_ids):
            for m in (
                PartyMembership.objects.current(today)
                .filter(person_id__in=chunk)
                .select_related("cell")
            ):
                current_membership[m.person_id] = m
            for e in Employment.objects.current(today).filter(person_id__in=chunk):
                employments.setdefault((e.person_id, e.unit_id), e)

    result: list[PersonPlan] = []
    first_row_of: dict[int, int] = {}
    for plan in kept:
        if plan.row not in matches:
            result.append(plan)
            continue
        person, how = matches[plan.row]
        if not update_existing:
            if how == "code":
                problems.append(
                    _problem(
                        sheet,
                        plan,
                        "code",
                        "exists_code",
                        name=person.full_name,
                        person_code=plan.code,
                    )
                )
            else:
                problems.append(
                    _problem(
                        sheet,
                        plan,
                        "full_name",
                        "exists_name",
                        name=person.full_name,
                        birth=display_value(person.birth_date),
                        unit=plan.unit.name,
                    )
                )
            continue
        if person.id in first_row_of:
            # Two rows (say one by code, one by name) would update the same record.
            problems.append(
                _problem(
                    sheet,
                    plan,
                    "full_name",
                    "same_record",
                    name=person.full_name,
                    other=first_row_of[person.id],
                )
            )
            continue
        first_row_of[person.id] = plan.row
        membership = current_membership.get(person.id)
        if plan.is_member:
            if membership is not None and membership.cell_id != plan.unit.id:
                problems.append(
                    _problem(
                        sheet,
                        plan,
                        "cell",
                        "in_other_cell",
                        name=person.full_name,
                        unit=membership.cell.name,
                    )
                )
                continue
            plan.membership = membership
        else:
            if membership is not None:
                problems.append(
                    _problem(
                        sheet,
                        plan,
                        "is_member",
                        "member_not_staff",
                        name=person.full_name,
                        unit=membership.cell.name,
                    )
                )
                continue
            plan.employment = employments.get((person.id, plan.unit.id or 0))
        plan.action = "update"
        plan.person = person
        result.append(plan)
    return result


def _problem(sheet: ParsedSheet, plan: PersonPlan, key: str, code: str, **params: Any) -> Problem:
    return sheet.problem(plan.source, key, code, **params)
