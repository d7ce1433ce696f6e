"""Finding the units a sheet names, and checking the optional «Đơn vị» sheet."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from lamtheo.core.text import normalize_vi
from lamtheo.documents.messages import Problem
from lamtheo.documents.spreadsheet import ParsedSheet, SheetRow, header_key, text_value
from lamtheo.org.models import CELL_KINDS, STATE_KINDS, Unit, UnitKind

#: Words that name the kind of a cell rather than the cell itself: «Chi bộ ấp Đông Bình»,
#: «CB ấp Đông Bình» and «ấp Đông Bình» all mean the same cell.
_KIND_PREFIXES = ("chi bo co so ", "chi bo ", "cb ", "dang bo ", "dang uy ")


def name_key(text: str) -> str:
    """Exact comparison key of a name: the stored form, case-folded."""
    return normalize_vi(text).casefold()


def loose_key(text: str) -> str:
    """A looser key: no accents, case or punctuation, and no leading kind word."""
    key = header_key(text)
    for prefix in _KIND_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


@dataclass(eq=False)
class UnitRef:
    """A unit a row may point at: an existing one (``unit``) or one the «Đơn vị» sheet
    creates at ``row`` (``unit`` is filled in once it is written)."""

    name: str
    kind: str
    unit: Unit | None = None
    row: int | None = None
    code: str = ""
    parent: UnitRef | None = None

    @property
    def id(self) -> int | None:
        return self.unit.pk if self.unit is not None else None

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_state(self) -> bool:
        return self.kind in STATE_KINDS

    @property
    def kind_label(self) -> str:
        return str(UnitKind(self.kind).label) if self.kind in UnitKind.values else self.kind

    def describe(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class UnitIndex:
    """The units a user may import into, found by code, by name (or short name), or loosely
    (no accents, no «Chi bộ» in front) when nothing matches exactly."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.by_code: dict[str, list[UnitRef]] = defaultdict(list)
        self.by_name: dict[str, list[UnitRef]] = defaultdict(list)
        self.by_loose: dict[str, list[UnitRef]] = defaultdict(list)
        #: (parent path or planned parent, name key) → unit, to refuse a unit twice.
        self.children: dict[tuple[object, str], UnitRef] = {}
        self.refs: list[UnitRef] = []
        for unit in units:
            ref = UnitRef(name=unit.name, kind=unit.kind, unit=unit, code=unit.code)
            self.add(ref, short_name=unit.short_name)
            self.children[(unit.path[: -Unit.steplen], name_key(unit.name))] = ref

    def add(self, ref: UnitRef, *, short_name: str = "") -> None:
        self.refs.append(ref)
        if ref.code:
            self.by_code[ref.code.casefold()].append(ref)
        for text in {ref.name, short_name} - {""}:
            self.by_name[name_key(text)].append(ref)
            self.by_loose[loose_key(text)].append(ref)

    def find(self, text: str) -> list[UnitRef]:
        for table, key in (
            (self.by_code, text.casefold()),
            (self.by_name, name_key(text)),
            (self.by_loose, loose_key(text)),
        ):
            found = table.get(key)
            if found:
                return list(dict.fromkeys(found))
        return []

    def child_named(self, parent: UnitRef, name: str) -> UnitRef | None:
        parent_key: object = parent.unit.path if parent.unit is not None else id(parent)
        return self.children.get((parent_key, name_key(name)))

    def add_child(self, parent: UnitRef, ref: UnitRef, *, short_name: str = "") -> None:
        parent_key: object = parent.unit.path if parent.unit is not None else id(parent)
        self.children[(parent_key, name_key(ref.name))] = ref
        self.add(ref, short_name=short_name)


def resolve_unit(
    index: UnitIndex,
    sheet: ParsedSheet,
    row: SheetRow,
    key: str,
    text: str,
    *,
    want: str,
    problems: list[Problem],
) -> UnitRef | None:
    """The one unit of kind ``want`` ("cell" or "state") that ``text`` names, or ``None`` with
    a problem added (unknown, not of that kind, or ambiguous)."""
    found = index.find(text)
    fits = [r for r in found if (r.is_cell if want == "cell" else r.is_state)]
    if len(fits) == 1:
        return fits[0]
    if len(fits) > 1:
        problems.append(
            sheet.problem(
                row, key, "ambiguous_unit", candidates="; ".join(r.describe() for r in fits[:5])
            )
        )
    elif found:
        code = "not_a_cell" if want == "cell" else "not_a_state_unit"
        problems.append(sheet.problem(row, key, code, kind=found[0].kind_label))
    else:
        problems.append(
            sheet.problem(row, key, "unknown_cell" if want == "cell" else "unknown_unit")
        )
    return None


# ------------------------------------------------------------------------------------------
# The «Đơn vị» sheet
# ------------------------------------------------------------------------------------------

_KIND_WORDS: dict[str, str] = {
    "chi bo": UnitKind.CELL,
    "chi bo truc thuoc": UnitKind.CELL,
    "chi bo co so": UnitKind.GRASSROOTS_CELL,
    "dang uy co so": UnitKind.GRASSROOTS_COMMITTEE,
    "dang bo co so": UnitKind.GRASSROOTS_COMMITTEE,
    "dang uy bo phan": UnitKind.SUB_COMMITTEE,
    "dang bo bo phan": UnitKind.SUB_COMMITTEE,
    "dang uy xa": UnitKind.COMMUNE_COMMITTEE,
    "dang uy phuong": UnitKind.COMMUNE_COMMITTEE,
    "dang uy xa phuong": UnitKind.COMMUNE_COMMITTEE,
    "dang uy dac khu": UnitKind.COMMUNE_COMMITTEE,
    "huyen uy": UnitKind.DISTRICT_COMMITTEE,
    "tinh uy": UnitKind.PROVINCE_COMMITTEE,
    "thanh uy": UnitKind.PROVINCE_COMMITTEE,
    "to dang": UnitKind.PARTY_GROUP,
    "ban": UnitKind.ADVISORY_BODY,
    "ban tham muu": UnitKind.ADVISORY_BODY,
    "co quan tham muu": UnitKind.ADVISORY_BODY,
    "ubnd": UnitKind.PEOPLES_COMMITTEE,
    "uy ban nhan dan": UnitKind.PEOPLES_COMMITTEE,
    "co quan": UnitKind.AGENCY,
    "co quan nha nuoc": UnitKind.AGENCY,
    "co quan chuyen mon": UnitKind.AGENCY,
    "don vi su nghiep": UnitKind.PUBLIC_SERVICE_UNIT,
    "don vi su nghiep cong lap": UnitKind.PUBLIC_SERVICE_UNIT,
    "truong hoc": UnitKind.PUBLIC_SERVICE_UNIT,
    "tram y te": UnitKind.PUBLIC_SERVICE_UNIT,
}
for _value, _label in UnitKind.choices:
    _KIND_WORDS.setdefault(header_key(_value), _value)
    _KIND_WORDS.setdefault(header_key(str(_label)), _value)

#: The kind names shown in the template's notes and in messages.
KIND_EXAMPLES = (
    "Chi bộ",
    "Chi bộ cơ sở",
    "Đảng ủy cơ sở",
    "Đảng ủy bộ phận",
    "Tổ đảng",
    "Ban",
    "UBND",
    "Cơ quan",
    "Đơn vị sự nghiệp",
)


def kind_value(text: str) -> str | None:
    return _KIND_WORDS.get(header_key(text))


@dataclass
class UnitPlan:
    row: int
    ref: UnitRef
    parent: UnitRef
    short_name: str = ""
    doc_abbreviation: str = ""
    place_name: str = ""
    extra: dict[str, str] = field(default_factory=dict)


_UNIT_LIMITS = {
    "name": 255,
    "short_name": 120,
    "doc_abbreviation": 20,
    "place_name": 120,
    "code": 64,
}


def check_unit_sheet(
    sheet: ParsedSheet, index: UnitIndex, *, problems: list[Problem], today: dt.date
) -> list[UnitPlan]:
    """Plan the units of the «Đơn vị» sheet, in sheet order (a unit's parent is an existing
    unit the user manages or a unit on a row above), and add them to ``index`` so the
    people sheet can name them."""
    plans: list[UnitPlan] = []
    seen: dict[tuple[object, str], int] = {}
    for row in sheet.rows:
        found: list[Problem] = []
        texts = {k: text_value(row.values.get(k)) for k in _UNIT_LIMITS}
        kind_text = text_value(row.values.get("kind"))
        parent_text = text_value(row.values.get("parent"))
        for key, limit in _UNIT_LIMITS.items():
            if len(texts[key]) > limit:
                found.append(sheet.problem(row, key, "too_long", max=limit))
        if not texts["name"]:
            found.append(sheet.problem(row, "name", "missing_unit_name"))
        kind = None
        if not kind_text:
            found.append(sheet.problem(row, "kind", "missing_kind"))
        else:
            kind = kind_value(kind_text)
            if kind is None:
                found.append(
                    sheet.problem(row, "kind", "unknown_kind", known=", ".join(KIND_EXAMPLES))
                )
        parent = None
        if not parent_text:
            found.append(sheet.problem(row, "parent", "missing_parent"))
        else:
            candidates = index.find(parent_text)
            if len(candidates) == 1:
                parent = candidates[0]
            elif candidates:
                found.append(
                    sheet.problem(
                        row,
                        "parent",
                        "ambiguous_unit",
                        candidates="; ".join(r.describe() for r in candidates[:5]),
                    )
                )
            else:
                found.append(sheet.problem(row, "parent", "unknown_parent"))
        if parent is not None and texts["name"]:
            existing = index.child_named(parent, texts["name"])
            parent_key = (id(parent), name_key(texts["name"]))
            if parent_key in seen:
                found.append(
                    sheet.problem(row, "name", "unit_duplicate_in_sheet", other=seen[parent_key])
                )
            elif existing is not None:
                found.append(sheet.problem(row, "name", "unit_exists", parent=parent.name))
            seen.setdefault(parent_key, row.number)
        problems.extend(found)
        if found or parent is None or kind is None:
            continue
        ref = UnitRef(
            name=texts["name"], kind=kind, row=row.number, code=texts["code"], parent=parent
        )
        index.add_child(parent, ref, short_name=texts["short_name"])
        plans.append(
            UnitPlan(
                row=row.number,
                ref=ref,
                parent=parent,
                short_name=texts["short_name"],
                doc_abbreviation=texts["doc_abbreviation"],
                place_name=texts["place_name"],
            )
        )
    return plans
