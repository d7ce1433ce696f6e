"""Demo organisation (step 10 of ``seed_demo``): a province, its commune committees with their
party cells and state units, the people in them, and the seven demo accounts.

The shape, at the default 300 members::

    Tỉnh ủy An Giang (TU)                                   ← root, code DEMO_ROOT_CODE
      ├─ Ban Tuyên giáo và Dân vận Tỉnh ủy                  (advisory body)
      ├─ Huyện ủy Thoại Sơn                                 (historical, until 30/06/2025; merged into ↓)
      │    ├─ Ban Tuyên giáo Huyện ủy Thoại Sơn
      │    └─ Đảng ủy thị trấn Núi Sập                     (historical, until 30/06/2025)
      └─ Đảng ủy xã Thoại Sơn (ĐU, from 01/07/2025)
           ├─ Ban Xây dựng Đảng                             (advisory body)
           ├─ Chi bộ ấp Đông Bình … (10 hamlet cells, ≈17 members each)
           ├─ Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể, Chi bộ Cơ quan UBND, Công an, Quân sự,
           │  Trạm Y tế, Trường THCS (cells)
           ├─ Đảng bộ Trường THPT Thoại Sơn → Chi bộ Giáo viên Tổ Tự nhiên / Tổ Xã hội
           └─ Ủy ban nhân dân xã Thoại Sơn → Trường THCS, Trạm Y tế (state units, 40 staff)

``--members N`` keeps the shape: communes of about 1,500 members are added under the province
(«Thoại Sơn» stays first and holds the accounts), each with ≈17 members per hamlet cell.

Speed: the tree is built in memory with treebeard's own path helper (``Unit._get_path``) and
inserted with ``bulk_create``, as are people, memberships and employments (one history row
each), so 100,000 members load in a few minutes on SQLite (see docs/demo.md). Because
``bulk_create`` skips ``save()``, what ``Unit.save`` and ``Person.save`` compute is computed here
(``_unit``, ``Person.fill_derived_fields``); a test checks that saving a seeded row changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from random import Random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q

from lamtheo.core.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_ROOT_CODE,
    DemoAccount,
    DemoCell,
    DemoCommune,
    DemoContext,
    DemoFootprint,
    DemoStateUnit,
    demo_reset,
    demo_step,
    purge,
    purge_history,
)
from lamtheo.core.text import normalize_vi, vi_unit_sort_key
from lamtheo.org.models import (
    Employment,
    Gender,
    MembershipStatus,
    PartyMembership,
    Person,
    Role,
    RoleAssignment,
    Sector,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
)

MEMBERS_PER_COMMUNE = 1500
MEMBERS_PER_HAMLET_CELL = 17
#: Non-member staff per party member (40 for the default 300).
STAFF_RATIO = 40 / 300
MIN_MEMBERS = 100
#: The day the district level ended and the commune committees began (merge on 01/07/2025).
REORGANISED_ON = dt.date(2025, 7, 1)

#: Sector codes of the org app's data migration (0003_seed_sectors), created here too if
#: they are missing (an administrator may have deleted one).
SECTORS = (
    ("yte", "Y tế"),
    ("giaoduc", "Giáo dục"),
    ("ap", "Ấp/khóm"),
    ("hanhchinh", "Công chức hành chính"),
    ("canqs", "Công an/quân sự"),
    ("nongnghiep", "Nông nghiệp"),
    ("doanhnghiep", "Doanh nghiệp"),
    ("congtacdang", "Công tác Đảng"),
    ("khac", "Khác"),
)


@cache
def names() -> dict[str, Any]:
    path = Path(__file__).parent / "data" / "demo_names.json"
    return json.loads(path.read_text(encoding="utf-8"))


# --- Positions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class P:
    """What a person does: positions, sector, and constraints on who holds it."""

    party: str = ""
    gov: str = ""
    mass: str = ""
    sector: str | None = None  # None: the cell's sector
    workplace: str | None = None  # None: the cell's workplace; may use {hamlet}, {commune}
    gender: str | None = None
    born: tuple[int, int] | None = None


F, M = Gender.FEMALE, Gender.MALE


def _posts(entries: list[dict[str, Any]]) -> list[P]:
    posts: list[P] = []
    for entry in entries:
        fields = {k: tuple(v) if k == "born" else v for k, v in entry.items() if k != "weight"}
        posts += [P(**fields)] * entry.get("weight", 1)
    return posts


@cache
def people_data() -> dict[str, Any]:
    """Positions, sectors and profiles per kind (``data/demo_people.json``, described there)."""
    path = Path(__file__).parent / "data" / "demo_people.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        "positions": {
            kind: (_posts(v["leaders"]), _posts(v["once"]), _posts(v["pool"]))
            for kind, v in data["positions"].items()
        },
        "staff": {
            kind: (v["women"], _posts(v["once"]), _posts(v["pool"]))
            for kind, v in data["staff"].items()
        },
        "profiles": {
            kind: (v["women"], tuple(v["born"]), v["workplace"])
            for kind, v in data["profiles"].items()
        },
    }


# --- Sizes ---------------------------------------------------------------------------------------


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each at least
    ``minimum`` when the total allows it."""
    floor = min(minimum, total // max(len(weights), 1))
    rest = total - floor * len(weights)
    whole = sum(weights)
    shares = [rest * w / whole for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [floor + p for p in parts]


#: Cells besides the hamlets, per commune: kind, unit kind, name, sector, size at 300 members.
INSTITUTIONS = (
    ("party_office", UnitKind.CELL, "Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể xã {c}",
     "congtacdang", 12),
    ("peoples_committee", UnitKind.GRASSROOTS_CELL, "Chi bộ Cơ quan Ủy ban nhân dân xã {c}",
     "hanhchinh", 22),
    ("police", UnitKind.CELL, "Chi bộ Công an xã {c}", "canqs", 14),
    ("military", UnitKind.CELL, "Chi bộ Quân sự xã {c}", "canqs", 9),
    ("health", UnitKind.CELL, "Chi bộ Trạm Y tế xã {c}", "yte", 10),
    ("school", UnitKind.GRASSROOTS_CELL, "Chi bộ Trường THCS {c}", "giaoduc", 28),
    ("high_school_natural", UnitKind.CELL, "Chi bộ Giáo viên Tổ Tự nhiên Trường THPT {c}",
     "giaoduc", 19),
    ("high_school_social", UnitKind.CELL, "Chi bộ Giáo viên Tổ Xã hội Trường THPT {c}",
     "giaoduc", 18),
)  # fmt: skip
BASE_INSTITUTION_MEMBERS = sum(i[4] for i in INSTITUTIONS)


def commune_sizes(members: int, rng: Random) -> tuple[list[int], list[int]]:
    """Members of the institutional cells (in INSTITUTIONS order) and of the hamlet cells.
    Institutions grow with the commune up to 1.6× their size at 300 members; the rest live
    in hamlet cells of ≈17 members."""
    scale = min(max(members / 300, 0.5), 1.6)
    institutions = [max(4, round(i[4] * scale)) for i in INSTITUTIONS]
    in_hamlets = members - sum(institutions)
    count = max(3, round(in_hamlets / MEMBERS_PER_HAMLET_CELL))
    weights = [rng.uniform(0.65, 1.35) for _ in range(count)]
    return institutions, apportion(in_hamlets, weights, minimum=4)


def hamlet_names(count: int, rng: Random, *, home: bool) -> list[str]:
    data = names()
    combos = [
        f"{p} {s}" for p in data["hamlet_prefixes"] for s in data["hamlet_suffixes"] if p != s
    ]
    fixed = list(data["home_hamlets"]) if home else []
    pool = [c for c in combos if c not in fixed]
    rng.shuffle(pool)
    chosen = (fixed + pool)[:count]
    chosen += [f"Số {i}" for i in range(len(chosen) + 1, count + 1)]  # beyond ~180 hamlets
    return chosen


def commune_names(count: int) -> list[str]:
    """Commune names from the data file, numbered once the list runs out."""
    base = names()["communes"]
    return [
        base[i % len(base)] + (f" {i // len(base) + 1}" if i >= len(base) else "")
        for i in range(count)
    ]


# --- Building blocks -----------------------------------------------------------------------------


class TreeBuilder:
    """Units built in memory with treebeard's path scheme, inserted in one bulk insert.
    Children get consecutive steps under their parent, so ``numchild`` is simply counted."""

    def __init__(self) -> None:
        last_root = (
            Unit.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
        )
        self.next_root = Unit._str2int(last_root) + 1 if last_root else 1
        self.units: list[Unit] = []

    def add(self, parent: Unit | None, *, kind: str, name: str, **fields: Any) -> Unit:
        if parent is None:
            depth, step = 1, self.next_root
            self.next_root += 1
        else:
            parent.numchild += 1
            depth, step = parent.depth + 1, parent.numchild
        fields.setdefault("short_name", name)
        unit = _unit(
            Unit(
                path=Unit._get_path(parent.path if parent else None, depth, step),
                depth=depth,
                numchild=0,
                kind=kind,
                name=name,
                **fields,
            )
        )
        self.units.append(unit)
        return unit


def _unit(unit: Unit) -> Unit:
    """What ``Unit.save`` does before writing (``bulk_create`` does not call it)."""
    unit.name = normalize_vi(unit.name)
    unit.short_name = normalize_vi(unit.short_name)
    unit.place_name = normalize_vi(unit.place_name)
    unit.sort_key = vi_unit_sort_key(unit.name)
    return unit


def _person(person: Person) -> Person:
    """What ``Person.save`` does before writing."""
    person.fill_derived_fields()
    return person


class NameMaker:
    """Vietnamese names: family name by national weight, middle name by gender (sometimes
    two, «Thị Ngọc»), given name from ~150."""

    def __init__(self, rng: Random) -> None:
        data = names()
        self.rng = rng
        self.family = [n for n, _ in data["family_names"]]
        self.family_w = [w for _, w in data["family_names"]]
        self.middle = {g: [n for n, _ in data["middle_names"][g]] for g in (M, F)}
        self.middle_w = {g: [w for _, w in data["middle_names"][g]] for g in (M, F)}
        self.given = {g: data["given_names"][g] for g in (M, F)}

    def __call__(self, gender: str) -> str:
        rng = self.rng
        family = rng.choices(self.family, self.family_w)[0]
        middle = rng.choices(self.middle[gender], self.middle_w[gender])[0]
        given = rng.choice(self.given[gender])
        if given == middle:
            given = rng.choice(self.given[gender])
        if middle in ("Thị", "Văn") and rng.random() < (0.25 if gender == F else 0.08):
            second = rng.choice(self.middle[gender][1:])
            if second != given:
                middle = f"{middle} {second}"
        return f"{family} {middle} {given}"


def _day_between(rng: Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- The step ------------------------------------------------------------------------------------


@dataclass
class _CellPlan:
    demo: DemoCell
    size: int
    hamlet: str
    commune_name: str


class OrgBuilder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.name = NameMaker(ctx.rng)
        self.tree = TreeBuilder()
        self.plans: list[list[_CellPlan]] = []  # per commune
        self.staff_sizes: list[dict[str, int]] = []
        #: (unit path, index of the person in the cell or staff list) → username
        self.account_slots: dict[tuple[str, int], str] = {}

    # Units ----------------------------------------------------------------------------------

    def build_tree(self) -> None:
        ctx, tree = self.ctx, self.tree
        ctx.province = tree.add(
            None,
            kind=UnitKind.PROVINCE_COMMITTEE,
            name="Tỉnh ủy An Giang",
            doc_abbreviation="TU",
            place_name="An Giang",
            code=DEMO_ROOT_CODE,
        )
        ctx.province_advisory = tree.add(
            ctx.province,
            kind=UnitKind.ADVISORY_BODY,
            name="Ban Tuyên giáo và Dân vận Tỉnh ủy An Giang",
            short_name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
            doc_abbreviation="BTGDVTU",
            place_name="An Giang",
            valid_from=dt.date(2025, 3, 1),
        )
        ended = REORGANISED_ON - dt.timedelta(days=1)
        ctx.district = tree.add(
            ctx.province,
            kind=UnitKind.DISTRICT_COMMITTEE,
            name="Huyện ủy Thoại Sơn",
            doc_abbreviation="HU",
            place_name="Thoại Sơn",
            valid_to=ended,
        )
        tree.add(
            ctx.district,
            kind=UnitKind.ADVISORY_BODY,
            name="Ban Tuyên giáo Huyện ủy Thoại Sơn",
            doc_abbreviation="BTGHU",
            place_name="Thoại Sơn",
            valid_to=ended,
        )
        self.old_town = tree.add(
            ctx.district,
            kind=UnitKind.GRASSROOTS_COMMITTEE,
            name="Đảng ủy thị trấn Núi Sập",
            doc_abbreviation="ĐU",
            place_name="Núi Sập",
            valid_to=ended,
        )

        count = max(1, round(ctx.members / MEMBERS_PER_COMMUNE))
        members = apportion(ctx.members, [1.0] * count)
        staff = apportion(round(ctx.members * STAFF_RATIO), [1.0] * count)
        for i, name in enumerate(commune_names(count)):
            self.build_commune(i, name, members[i], staff[i])

    def build_commune(self, index: int, c: str, members: int, staff: int) -> None:
        ctx, tree, rng = self.ctx, self.tree, self.rng
        common = {"place_name": c, "valid_from": REORGANISED_ON}
        committee = tree.add(
            ctx.province,
            kind=UnitKind.COMMUNE_COMMITTEE,
            name=f"Đảng ủy xã {c}",
            doc_abbreviation="ĐU",
            **common,
        )
        advisory = tree.add(
            committee,
            kind=UnitKind.ADVISORY_BODY,
            name=f"Ban Xây dựng Đảng Đảng ủy xã {c}",
            short_name="Ban Xây dựng Đảng",
            doc_abbreviation="BXDĐ",
            **common,
        )
        commune = DemoCommune(committee=committee, advisory=advisory)
        ctx.communes.append(commune)

        institution_sizes, hamlet_sizes = commune_sizes(members, rng)
        plans: list[_CellPlan] = []
        for hamlet, size in zip(
            hamlet_names(len(hamlet_sizes), rng, home=index == 0), hamlet_sizes, strict=True
        ):
            unit = tree.add(
                committee, kind=UnitKind.CELL, name=f"Chi bộ ấp {hamlet}", doc_abbreviation="CB",
                place_name=c,
            )  # fmt: skip
            plans.append(_CellPlan(DemoCell(unit, "hamlet", "ap", committee), size, hamlet, c))

        high_school = None
        for (kind, unit_kind, template, sector, _), size in zip(
            INSTITUTIONS, institution_sizes, strict=True
        ):
            parent = committee
            if kind.startswith("high_school"):
                if high_school is None:
                    high_school = tree.add(
                        committee,
                        kind=UnitKind.GRASSROOTS_COMMITTEE,
                        name=f"Đảng bộ Trường THPT {c}",
                        doc_abbreviation="ĐU",
                        place_name=c,
                    )
                    commune.grassroots_committees.append(high_school)
                parent = high_school
            name = template.format(c=c)
            short = name.replace("Ủy ban nhân dân", "UBND").replace(f" Trường THPT {c}", "")
            unit = tree.add(
                parent, kind=unit_kind, name=name, short_name=short, doc_abbreviation="CB",
                place_name=c,
            )  # fmt: skip
            plans.append(_CellPlan(DemoCell(unit, kind, sector, committee), size, "", c))

        ubnd = tree.add(
            committee,
            kind=UnitKind.PEOPLES_COMMITTEE,
            name=f"Ủy ban nhân dân xã {c}",
            short_name=f"UBND xã {c}",
            doc_abbreviation="UBND",
            **common,
        )
        school = tree.add(
            ubnd,
            kind=UnitKind.PUBLIC_SERVICE_UNIT,
            name=f"Trường THCS {c}",
            doc_abbreviation="THCS",
            place_name=c,
        )
        health = tree.add(
            ubnd,
            kind=UnitKind.PUBLIC_SERVICE_UNIT,
            name=f"Trạm Y tế xã {c}",
            doc_abbreviation="TYT",
            place_name=c,
        )
        commune.state_units = [
            DemoStateUnit(ubnd, "peoples_committee", "hanhchinh", committee),
            DemoStateUnit(school, "school", "giaoduc", committee),
            DemoStateUnit(health, "health", "yte", committee),
        ]
        by_kind = {s.kind: s.unit for s in commune.state_units}
        for plan in plans:
            plan.demo.state_unit = by_kind.get(plan.demo.kind)
        commune.cells = [p.demo for p in plans]
        self.plans.append(plans)
        self.staff_sizes.append(
            dict(zip(by_kind, apportion(staff, [0.45, 0.35, 0.2], minimum=1), strict=True))
        )

    # People -------------------------------------------------------------------------------------

    def build_people(self) -> None:
        for index, commune in enumerate(self.ctx.communes):
            self.build_commune_people(index, commune)

    def build_commune_people(self, index: int, commune: DemoCommune) -> None:
        ctx, rng = self.ctx, self.rng
        people: list[Person] = []
        memberships: list[tuple[int, dict[str, Any]]] = []  # (index in people, fields)
        employments: list[tuple[int, dict[str, Any]]] = []
        cells = [p.demo.unit for p in self.plans[index]]
        account_people: dict[str, int] = {}

        for plan in self.plans[index]:
            kind = plan.demo.kind
            leaders, once, pool = people_data()["positions"][kind]
            women, born, workplace = people_data()["profiles"][kind]
            for i in range(plan.size):
                # ~5% probationary members, young, never among the leaders and posts.
                probationary = i >= 3 + len(once) and rng.random() < 0.055
                if i < 2 or (i == 2 and plan.size >= 9):
                    post = leaders[i]
                elif 3 <= i < 3 + len(once):
                    post = once[i - 3]
                elif probationary:
                    young = [p for p in pool if not p.born or p.born[1] >= 1990]
                    post = replace(rng.choice(young), born=(max(born[0], 1988), max(born[1], 1995)))
                else:
                    post = rng.choice(pool)
                person = self._make_person(
                    post, women, born, workplace, plan.demo.sector, plan.hamlet, plan.commune_name
                )
                username = self.account_slots.get((plan.demo.unit.path, i))
                if username:
                    account_people[username] = len(people)
                people.append(person)
                pos = len(people) - 1
                for fields in self._memberships(
                    person, plan.demo.unit, cells, probationary, mover=i >= 4
                ):
                    memberships.append((pos, fields))
                if plan.demo.state_unit is not None:
                    employments.append((pos, self._employment(person, plan.demo.state_unit)))

        non_members: list[int] = []
        for state in commune.state_units:
            women, once, pool = people_data()["staff"][state.kind]
            born = (1965, 2000)
            for i in range(self.staff_sizes[index][state.kind]):
                post = once[i] if i < len(once) else rng.choice(pool)
                person = self._make_person(post, women, born, state.unit.name, state.sector, "", "")
                username = self.account_slots.get((state.unit.path, i))
                if username:
                    account_people[username] = len(people)
                people.append(person)
                non_members.append(len(people) - 1)
                employments.append((len(people) - 1, self._employment(person, state.unit)))

        for username, pos in account_people.items():
            people[pos].user = ctx.accounts[username].user
        ctx.bulk_create(Person, people)
        for username, pos in account_people.items():
            ctx.accounts[username].person = people[pos]

        rows = [PartyMembership(person_id=people[pos].pk, **f) for pos, f in memberships]
        ctx.bulk_create(PartyMembership, rows)
        for row in rows:
            if row.valid_to is None:
                ctx.members_by_cell.setdefault(row.cell_id, []).append(row.person_id)
        rows = [Employment(person_id=people[pos].pk, **f) for pos, f in employments]
        ctx.bulk_create(Employment, rows)
        for row in rows:
            ctx.staff_by_unit.setdefault(row.unit_id, []).append(row.person_id)
        ctx.non_member_ids += [people[pos].pk for pos in non_members]

    def _make_person(
        self,
        post: P,
        women: float,
        born: tuple[int, int],
        workplace: str,
        sector: str,
        hamlet: str,
        commune: str,
    ) -> Person:
        rng = self.rng
        gender = post.gender or (F if rng.random() < women else M)
        first, last = post.born or born
        birth = _day_between(rng, dt.date(first, 1, 1), dt.date(last, 12, 31))
        place = (post.workplace or workplace).format(hamlet=hamlet, commune=commune)
        return _person(
            Person(
                full_name=self.name(gender),
                gender=gender,
                birth_date=birth,
                sector=self.ctx.sectors[post.sector or sector],
                party_position=post.party,
                government_position=post.gov,
                mass_org_position=post.mass,
                workplace=place,
            )
        )

    def _memberships(
        self, person: Person, cell: Unit, cells: list[Unit], probationary: bool, *, mover: bool
    ) -> list[dict[str, Any]]:
        """The person's memberships: one open row, and a closed one before it for the
        ~3% who moved here from another cell of the commune."""
        rng, today = self.rng, self.ctx.today
        if probationary:
            joined = today - dt.timedelta(days=rng.randint(30, 330))
            return [
                {
                    "cell": cell,
                    "joined_on": joined,
                    "official_on": None,
                    "status": MembershipStatus.PROBATIONARY,
                    "valid_from": joined,
                }
            ]
        birth = person.birth_date
        joined = _day_between(
            rng,
            _years_after(birth, 19),
            min(_years_after(birth, 42), today - dt.timedelta(days=400)),
        )
        official = _years_after(joined, 1)
        party = {"joined_on": joined, "official_on": official, "status": MembershipStatus.OFFICIAL}
        if mover and rng.random() < 0.03 and len(cells) > 1:
            moved = _day_between(
                rng, max(official, dt.date(2022, 1, 1)), today - dt.timedelta(days=30)
            )
            before = rng.choice([c for c in cells if c is not cell])
            return [
                {**party, "cell": before, "valid_from": joined,
                 "valid_to": moved - dt.timedelta(days=1)},
                {**party, "cell": cell, "valid_from": moved},
            ]  # fmt: skip
        since = joined
        if rng.random() > 0.55:  # came from a cell outside the demo: a later start here
            since = _day_between(rng, joined, today - dt.timedelta(days=60))
        return [{**party, "cell": cell, "valid_from": since}]

    def _employment(self, person: Person, unit: Unit) -> dict[str, Any]:
        start = max(_years_after(person.birth_date, 21), dt.date(1990, 1, 1))
        since = _day_between(self.rng, start, self.ctx.today - dt.timedelta(days=90))
        return {
            "unit": unit,
            "position": person.government_position or person.workplace,
            "valid_from": since,
        }

    # Accounts ----------------------------------------------------------------------------------

    def create_users(self) -> None:
        """The seven accounts (one password hash for all: hashing is slow on purpose)."""
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)
        for username, description in DEMO_ACCOUNTS.items():
            admin = username == "quantri"
            user = User.objects.create(
                username=username, password=password, is_staff=admin, is_superuser=admin
            )
            # person, unit and role are filled in by build_people and grant_roles.
            self.ctx.accounts[username] = DemoAccount(
                username=username,
                user=user,
                person=None,  # type: ignore[arg-type]
                unit=None,
                role="",
                description=description,
            )

    def place_accounts(self) -> None:
        """Which person of Thoại Sơn each account belongs to: (unit, index in its list)."""
        home = self.ctx.home_commune
        hamlet, school = home.cell("hamlet").unit.path, home.cell("school").unit.path
        self.account_slots = {
            (home.cell("party_office").unit.path, 3): "tuyengiao",  # Phó Trưởng Ban XDĐ
            (home.cell("peoples_committee").unit.path, 3): "quantri",  # Công chức Văn phòng
            (hamlet, 0): "bithu",  # Bí thư chi bộ ấp Đông Bình, Trưởng ấp
            (hamlet, 3): "dangvien",
            (school, 0): "bithu2",  # Bí thư chi bộ, Hiệu trưởng Trường THCS
            (school, 3): "dangvien2",
            (home.peoples_committee.path, 0): "congchuc",  # Công chức Tư pháp - Hộ tịch
        }

    def grant_roles(self) -> None:
        home = self.ctx.home_commune
        hamlet, school = home.cell("hamlet").unit, home.cell("school").unit
        grants = {
            "quantri": (Role.ADMIN, None),
            "tuyengiao": (Role.OVERSIGHT, home.committee),
            "bithu": (Role.SECRETARY, hamlet),
            "dangvien": (Role.MEMBER, hamlet),
            "bithu2": (Role.SECRETARY, school),
            "dangvien2": (Role.MEMBER, school),
            "congchuc": (Role.MEMBER, home.peoples_committee),
        }
        rows = []
        for username, (role, unit) in grants.items():
            account = self.ctx.accounts[username]
            account.role, account.unit = role, unit
            valid_from = dt.date(2020, 1, 1) if unit is None else REORGANISED_ON
            rows.append(
                RoleAssignment(user=account.user, unit=unit, role=role, valid_from=valid_from)
            )
        self.ctx.bulk_create(RoleAssignment, rows)


@demo_step(order=10)
def organisation(ctx: DemoContext) -> None:
    """Sectors, the unit tree, its history, people, accounts and roles."""
    if ctx.members < MIN_MEMBERS:
        raise ValueError(f"the demo needs at least {MIN_MEMBERS} members")
    for order, (code, name) in enumerate(SECTORS, start=1):
        ctx.sectors[code], _ = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "order": order * 10}
        )
    builder = OrgBuilder(ctx)
    builder.create_users()
    builder.build_tree()
    builder.place_accounts()
    ctx.bulk_create(Unit, builder.tree.units)
    ctx.log(f"{len(builder.tree.units)} units")
    ctx.bulk_create(
        UnitSuccession,
        [
            UnitSuccession(
                predecessor=predecessor,
                successor=ctx.home_commune.committee,
                kind=SuccessionKind.MERGE,
                effective_on=REORGANISED_ON,
                note="Sắp xếp đơn vị hành chính, kết thúc hoạt động cấp huyện từ 01/07/2025",
            )
            for predecessor in (ctx.district, builder.old_town)
        ],
    )
    builder.build_people()
    ctx.log(f"{sum(map(len, ctx.members_by_cell.values()))} members in cells")
    builder.grant_roles()


@demo_reset(order=10)
def remove_organisation(footprint: DemoFootprint) -> None:
    """Roles, successions, people (with their memberships and employments), units, users."""
    units, people, users = footprint.units, footprint.people, footprint.users
    purge(RoleAssignment.objects.filter(Q(unit__in=units) | Q(user__in=users)))
    purge(UnitSuccession.objects.filter(Q(predecessor__in=units) | Q(successor__in=units)))
    purge_history(PartyMembership.objects.filter(person__in=people))
    purge_history(Employment.objects.filter(person__in=people))
    purge(people)  # cascades to memberships and employments
    purge(units)
    purge(users)
