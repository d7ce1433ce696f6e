"""Import of units and people from a secretary's workbook: check, then write all or nothing.

:func:`check_workbook` turns a parsed workbook into an :class:`ImportPlan` (what would be
written, and every problem found) without writing anything; :func:`import_workbook` checks
again inside one transaction and writes only when nothing is wrong. Both work from the
user's scope: cells and units are looked up among the units the user manages, and only
people the user manages can be matched and updated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lamtheo.documents.importer.people import PersonPlan, check_people_sheet
from lamtheo.documents.importer.units import UnitIndex, UnitPlan, UnitRef, check_unit_sheet
from lamtheo.documents.messages import Problem
from lamtheo.documents.spreadsheet import ParsedSheet, ParsedWorkbook
from lamtheo.org.models import Employment, PartyMembership, Person, Unit
from lamtheo.org.scope import people_for, units_for

__all__ = [
    "CHANGE_REASON",
    "ImportPlan",
    "Problem",
    "check_workbook",
    "import_workbook",
]

#: The reason stored on every history record an import writes. Stored data, kept in the
#: language of the records (like document texts), not in the reader's interface language.
CHANGE_REASON = "Nhập từ tệp {name}"
#: Rows per INSERT/UPDATE statement.
BATCH_SIZE = 500
#: Rows kept in a job's report to show as the preview table.
PREVIEW_LIMIT = 300


@dataclass
class ImportPlan:
    """What an import would write, and what is wrong with the file (nothing is written
    unless ``problems`` is empty)."""

    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "units_create": len(self.units),
            "people_create": sum(p.action == "create" for p in self.people),
            "people_update": sum(p.action == "update" for p in self.people),
            "members": sum(p.is_member for p in self.people),
            "staff": sum(not p.is_member for p in self.people),
        }

    def preview(self, limit: int = PREVIEW_LIMIT) -> dict[str, list[dict[str, Any]]]:
        return {
            "units": [
                {
                    "row": u.row,
                    "name": u.ref.name,
                    "kind": u.ref.kind_label,
                    "parent": u.parent.name,
                    "code": u.ref.code,
                }
                for u in self.units[:limit]
            ],
            "people": [p.preview() for p in self.people[:limit]],
        }


def import_index(user: Any, within: Unit | None) -> UnitIndex:
    """The units ``user`` may import into (under ``within`` when given)."""
    units = units_for(user, manage=True)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    return UnitIndex(
        units.only("id", "name", "short_name", "code", "kind", "path", "depth").order_by("path")
    )


def check_workbook(
    parsed: ParsedWorkbook,
    *,
    user: Any,
    within: Unit | None = None,
    update_existing: bool = False,
    today: dt.date | None = None,
) -> ImportPlan:
    """Check ``parsed`` as ``user`` would import it, writing nothing."""
    today = today or timezone.localdate()
    plan = ImportPlan(problems=list(parsed.problems), rows=parsed.row_count)
    index = import_index(user, within)
    if parsed.units is not None:
        plan.problems += parsed.units.problems
        if _readable(parsed.units):
            plan.units = check_unit_sheet(parsed.units, index, problems=plan.problems, today=today)
    people = parsed.people
    if people is not None:
        plan.problems += people.problems
        if _readable(people):
            if not people.rows and not plan.units:
                plan.problems.append(Problem(code="empty", sheet=people.title))
            plan.people = check_people_sheet(
                people,
                index,
                manageable_people=people_for(user, manage=True),
                update_existing=update_existing,
                today=today,
                problems=plan.problems,
            )
    plan.problems.sort(key=lambda p: (p.sheet != getattr(parsed.units, "title", None), p.row or 0))
    if plan.problems:
        # Nothing is written from a file with problems: no preview of half a file either.
        plan.units, plan.people = [], []
    return plan


def _readable(sheet: ParsedSheet) -> bool:
    """Whether the rows can be checked: an unknown or doubled column is reported but the
    rows are still checked, so the secretary sees every problem at once; a missing
    required column (or no header at all) leaves nothing to check them against."""
    return bool(sheet.columns) and not any(
        p.code in ("missing_column", "no_header") for p in sheet.problems
    )


def import_workbook(
    parsed: ParsedWorkbook,
    *,
    user: Any,
    file_name: str,
    within: Unit | None = None,
    update_existing: bool = False,
    today: dt.date | None = None,
) -> tuple[ImportPlan, dict[str, int] | None]:
    """Check ``parsed`` again and, when nothing is wrong, write it in one transaction.

    Returns the plan and the counts written (``None`` when the plan had problems: then
    nothing at all was written)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _serialise_imports()
        plan = check_workbook(
            parsed, user=user, within=within, update_existing=update_existing, today=today
        )
        if not plan.ok:
            return plan, None
        counts = _write(plan, user=user, reason=CHANGE_REASON.format(name=file_name), today=today)
    return plan, counts


#: Key of the PostgreSQL advisory lock held by an import while it checks and writes.
IMPORT_LOCK_KEY = 0x4C54494D  # "LTIM"


def _serialise_imports() -> None:
    """Let one import at a time check and write, so two imports of the same people cannot
    both pass the duplicate check. SQLite needs nothing: its transactions here start
    IMMEDIATE, so writers already take turns. Imports are rare; waiting is cheap."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _write(plan: ImportPlan, *, user: Any, reason: str, today: dt.date) -> dict[str, int]:
    history = {"default_user": user, "default_change_reason": reason}
    counts = {
        "units_created": 0,
        "people_created": 0,
        "people_updated": 0,
        "people_unchanged": 0,
        "memberships_created": 0,
        "memberships_updated": 0,
        "employments_created": 0,
        "employments_updated": 0,
    }
    for unit_plan in plan.units:
        _create_unit(unit_plan, user=user, reason=reason)
        counts["units_created"] += 1

    creates = [p for p in plan.people if p.action == "create"]
    new_people = [
        Person(
            full_name=p.full_name,
            gender=p.gender,
            birth_date=p.birth_date,
            sector=p.sector,
            code=p.code,
            party_position=p.position if p.is_member else "",
            government_position="" if p.is_member else p.position,
            workplace=p.workplace,
        )
        for p in creates
    ]
    # bulk_create skips save(): fill_derived_fields() does what save() would (stored name
    # form, sort and search keys); bulk_create_with_history writes the history rows.
    for person in new_people:
        person.fill_derived_fields()
    new_people = bulk_create_with_history(new_people, Person, batch_size=BATCH_SIZE, **history)
    counts["people_created"] = len(new_people)
    for p, person in zip(creates, new_people, strict=True):
        p.person = person

    new_memberships: list[PartyMembership] = []
    new_employments: list[Employment] = []
    changed_people: list[Person] = []
    changed_memberships: list[PartyMembership] = []
    changed_employments: list[Employment] = []
    for p in plan.people:
        assert p.person is not None
        if p.action == "update":
            if _update_person(p.person, p):
                changed_people.append(p.person)
            else:
                counts["people_unchanged"] += 1
        if p.is_member:
            if p.membership is None:
                new_memberships.append(
                    PartyMembership(
                        person_id=p.person.pk,
                        cell_id=_unit(p.unit).pk,
                        joined_on=p.joined_on,
                        official_on=p.official_on,
                        status=p.status,
                        valid_from=p.since or today,
                    )
                )
            elif _update_membership(p.membership, p):
                changed_memberships.append(p.membership)
        elif p.employment is None:
            new_employments.append(
                Employment(
                    person_id=p.person.pk,
                    unit_id=_unit(p.unit).pk,
                    position=p.position,
                    valid_from=p.since or today,
                )
            )
        elif p.position and p.employment.position != p.position:
            p.employment.position = p.position
            changed_employments.append(p.employment)

    for objs, model, key in (
        (new_memberships, PartyMembership, "memberships_created"),
        (new_employments, Employment, "employments_created"),
    ):
        if objs:
            counts[key] = len(
                bulk_create_with_history(objs, model, batch_size=BATCH_SIZE, **history)
            )
    for objs, model, fields, key in (
        (changed_people, Person, PERSON_FIELDS, "people_updated"),
        (changed_memberships, PartyMembership, MEMBERSHIP_FIELDS, "memberships_updated"),
        (changed_employments, Employment, ["position"], "employments_updated"),
    ):
        if objs:
            bulk_update_with_history(objs, model, fields, batch_size=BATCH_SIZE, **history)
            counts[key] = len(objs)
    return counts


PERSON_FIELDS = [
    "full_name",
    "sort_key",
    "search_key",
    "birth_date",
    "gender",
    "sector",
    "code",
    "party_position",
    "government_position",
    "workplace",
]
MEMBERSHIP_FIELDS = ["joined_on", "official_on", "status"]


def _update_person(person: Person, p: PersonPlan) -> bool:
    """Apply the row to ``person``; a blank cell never erases what is recorded."""
    before = [getattr(person, f if f != "sector" else "sector_id") for f in PERSON_FIELDS]
    person.full_name = p.full_name
    person.birth_date = p.birth_date
    if p.gender:
        person.gender = p.gender
    if p.sector is not None:
        person.sector = p.sector
    if p.code:
        person.code = p.code
    if p.position:
        if p.is_member:
            person.party_position = p.position
        else:
            person.government_position = p.position
    if p.workplace:
        person.workplace = p.workplace
    person.fill_derived_fields()
    after = [getattr(person, f if f != "sector" else "sector_id") for f in PERSON_FIELDS]
    return before != after


def _update_membership(membership: PartyMembership, p: PersonPlan) -> bool:
    before = (membership.joined_on, membership.official_on, membership.status)
    if p.joined_on:
        membership.joined_on = p.joined_on
    if p.official_on:
        membership.official_on = p.official_on
        membership.status = "official"
    return before != (membership.joined_on, membership.official_on, membership.status)


def _unit(ref: UnitRef) -> Unit:
    assert ref.unit is not None, "units of the «Đơn vị» sheet are written first"
    return ref.unit


def _create_unit(unit_plan: UnitPlan, *, user: Any, reason: str) -> None:
    # Re-read the parent: each add_child changes its child count and the next free path.
    parent = Unit.objects.get(pk=_unit(unit_plan.parent).pk)
    ref = unit_plan.ref
    unit = Unit(
        kind=ref.kind,
        name=ref.name,
        short_name=unit_plan.short_name,
        doc_abbreviation=unit_plan.doc_abbreviation,
        place_name=unit_plan.place_name or parent.place_name,
        code=ref.code,
    )
    unit._change_reason = reason
    unit._history_user = user
    ref.unit = Unit.objects.add_child(parent, instance=unit)
