"""Permission matrix of the organisation pages.

The rule for actions, applied to every page here and in ``tests/matrix/programme.py``:
**whoever may not take an action gets 404**, also when they can read the object (a member
opening the edit page of their own cell). Pages never answer 403: they neither leak what lies
outside the scope nor confirm which actions exist for someone else's role. So ``denied`` is
always the default 404 and no case needs ``denied_status``.

Who manages what in the ``world`` fixture: the secretaries manage their own cell (not the
commune above it, so they may add a party group to the cell but not rename the cell); the
oversight persona reads the whole commune and writes its programme years but manages nothing;
the administrator may do everything. Writes are POSTs with valid data; each one runs on a
fresh ``world``, so they may change it.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from lamtheo.org.models import MembershipStatus, PartyMembership, Person, Sector, Unit, UnitKind
from tests.factories import make_member, make_unit
from tests.matrix import ALL, Case

ADMIN = frozenset({"admin"})
READS_COMMUNE = frozenset({"oversight", "admin"})
MANAGES_CELL_A = frozenset({"secretary", "admin"})
#: Reads cell A through a role (its history, everyone's records).
RESPONSIBLE_CELL_A = frozenset({"secretary", "oversight", "admin"})
MANAGERS = frozenset({"secretary", "other_secretary", "admin"})
#: A write that worked redirects; a 200 would be the form again, with an error.
REDIRECT = frozenset({302})


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _group(w, name: str = "Tổ đảng số 1") -> Unit:
    """A party group inside cell A: a unit the cell's secretary may edit, close or merge."""
    found = Unit.objects.filter(name=name, path__startswith=w.cell_a.path).first()
    return found or make_unit(kind=UnitKind.PARTY_GROUP, name=name, parent=w.cell_a)


def _probationary(w) -> Person:
    person = Person.objects.filter(full_name="Ngô Thị Dự Bị").first()
    if person is None:
        person = make_member(w.cell_a, "Ngô Thị Dự Bị", since=dt.date(2025, 3, 1))
        PartyMembership.objects.filter(person=person).update(
            status=MembershipStatus.PROBATIONARY, joined_on=dt.date(2025, 3, 1)
        )
    return person


def _unit_data(name: str, kind: str = UnitKind.PARTY_GROUP) -> dict:
    return {"kind": kind, "name": name, "short_name": name, "valid_from": "01/01/2026"}


def _person_data(w) -> dict:
    return {
        "full_name": "Trương Văn Mới",
        "gender": "male",
        "birth_date": "17/05/1990",
        "sector": Sector.objects.get(code="ap").pk,
        "valid_from": _today(),
        "joined_on": "03/02/2020",
        "status": MembershipStatus.OFFICIAL,
        "official_on": "03/02/2021",
    }


CASES = [
    # Units ----------------------------------------------------------------------------------
    Case("org:unit-list", lambda w: reverse("org:unit-list"), ALL),
    Case(
        "org:unit-list",
        lambda w: reverse("org:unit-list") + f"?root={w.cell_a.pk}",
        frozenset({"member", "secretary"}) | READS_COMMUNE,
        label="branch of cell A",
    ),
    Case(
        "org:unit-detail",
        lambda w: reverse("org:unit-detail", args=[w.cell_a.pk]),
        frozenset({"member", "secretary"}) | READS_COMMUNE,
        label="cell A",
    ),
    Case(
        "org:unit-detail",
        lambda w: reverse("org:unit-detail", args=[w.cell_b.pk]),
        frozenset({"other_member", "other_secretary"}) | READS_COMMUNE,
        label="cell B",
    ),
    Case(
        "org:unit-detail",
        lambda w: reverse("org:unit-detail", args=[w.ubnd.pk]),
        frozenset({"staff"}) | READS_COMMUNE,
        label="People's Committee",
    ),
    Case("org:unit-add-root", lambda w: reverse("org:unit-add-root"), ADMIN),
    Case(
        "org:unit-add-root",
        lambda w: reverse("org:unit-add-root"),
        ADMIN,
        method="post",
        ok=REDIRECT,
        data=lambda w: _unit_data("Tỉnh ủy Kiên Giang", UnitKind.PROVINCE_COMMITTEE),
    ),
    Case("org:unit-add", lambda w: reverse("org:unit-add", args=[w.cell_a.pk]), MANAGES_CELL_A),
    Case(
        "org:unit-add",
        lambda w: reverse("org:unit-add", args=[w.cell_a.pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: _unit_data("Tổ đảng số 2"),
    ),
    Case(
        "org:unit-edit",
        lambda w: reverse("org:unit-edit", args=[w.cell_a.pk]),
        ADMIN,
        label="cell A (kept by the commune)",
    ),
    Case(
        "org:unit-edit",
        lambda w: reverse("org:unit-edit", args=[_group(w).pk]),
        MANAGES_CELL_A,
        label="party group of cell A",
    ),
    Case(
        "org:unit-edit",
        lambda w: reverse("org:unit-edit", args=[_group(w).pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {**_unit_data("Tổ đảng số 1 (ấp Đông Bình)"), "reason": "Đổi tên"},
    ),
    Case(
        "org:unit-close",
        lambda w: reverse("org:unit-close", args=[_group(w).pk]),
        MANAGES_CELL_A,
    ),
    Case(
        "org:unit-close",
        lambda w: reverse("org:unit-close", args=[_group(w).pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"on": _today()},
    ),
    Case(
        "org:unit-succession",
        lambda w: reverse("org:unit-succession", args=[_group(w).pk]),
        MANAGES_CELL_A,
    ),
    Case(
        "org:unit-succession",
        lambda w: reverse("org:unit-succession", args=[_group(w).pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {
            "kind": "rename",
            "effective_on": _today(),
            "successors": [_group(w, "Tổ đảng mới").pk],
        },
    ),
    Case(
        "org:unit-history",
        lambda w: reverse("org:unit-history", args=[w.cell_a.pk]),
        RESPONSIBLE_CELL_A,
    ),
    # People ---------------------------------------------------------------------------------
    Case("org:person-list", lambda w: reverse("org:person-list"), ALL),
    Case(
        "org:person-list",
        lambda w: reverse("org:person-list") + "?q=nguyen+van&kind=member",
        ALL,
        label="search",
    ),
    Case(
        "org:person-detail",
        lambda w: reverse("org:person-detail", args=[w.people.member.pk]),
        frozenset({"member", "secretary"}) | READS_COMMUNE,
        label="member of cell A",
    ),
    Case(
        "org:person-detail",
        lambda w: reverse("org:person-detail", args=[w.people.staff.pk]),
        frozenset({"staff"}) | READS_COMMUNE,
        label="non-member staff",
    ),
    Case("org:person-add", lambda w: reverse("org:person-add", args=[w.cell_a.pk]), MANAGES_CELL_A),
    Case(
        "org:person-add",
        lambda w: reverse("org:person-add", args=[w.cell_a.pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=_person_data,
    ),
    Case(
        "org:person-add",
        lambda w: reverse("org:person-add", args=[w.ubnd.pk]),
        ADMIN,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"full_name": "Lý Thị Viên Chức", "valid_from": _today()},
        label="staff of the People's Committee",
    ),
    Case(
        "org:person-edit",
        lambda w: reverse("org:person-edit", args=[w.people.member.pk]),
        MANAGES_CELL_A,
    ),
    Case(
        "org:person-edit",
        lambda w: reverse("org:person-edit", args=[w.people.member.pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"full_name": "Nguyễn Văn Đảng", "gender": "male", "workplace": "Ấp 3"},
    ),
    # The secretary manages no other cell to move anyone to: only the commune's managers can.
    Case(
        "org:person-move",
        lambda w: reverse("org:person-move", args=[w.people.colleague.pk]),
        ADMIN,
    ),
    Case(
        "org:person-move",
        lambda w: reverse("org:person-move", args=[w.people.colleague.pk]),
        ADMIN,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"to_cell": w.cell_b.pk, "on": _today()},
    ),
    Case(
        "org:person-official",
        lambda w: reverse("org:person-official", args=[_probationary(w).pk]),
        MANAGES_CELL_A,
    ),
    Case(
        "org:person-official",
        lambda w: reverse("org:person-official", args=[_probationary(w).pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"on": _today()},
    ),
    Case(
        "org:person-login",
        lambda w: reverse("org:person-login", args=[w.people.colleague.pk]),
        MANAGES_CELL_A,
    ),
    Case(
        "org:person-login",
        lambda w: reverse("org:person-login", args=[w.people.colleague.pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {
            "username": "levandongchi",
            "password": "Chi-bo-Dong-Binh-2026",
            "password2": "Chi-bo-Dong-Binh-2026",
        },
    ),
    Case(
        "org:person-history",
        lambda w: reverse("org:person-history", args=[w.people.member.pk]),
        RESPONSIBLE_CELL_A,
        label="member of cell A",
    ),
    Case(
        "org:person-history",
        lambda w: reverse("org:person-history", args=[w.people.staff.pk]),
        READS_COMMUNE,
        label="non-member staff (own record is not enough)",
    ),
    # Sectors --------------------------------------------------------------------------------
    Case("org:sector-list", lambda w: reverse("org:sector-list"), ADMIN),
    Case("org:sector-add", lambda w: reverse("org:sector-add"), ADMIN),
    Case(
        "org:sector-add",
        lambda w: reverse("org:sector-add"),
        ADMIN,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"code": "mattran", "name": "Mặt trận, đoàn thể", "order": 95},
    ),
    Case(
        "org:sector-edit",
        lambda w: reverse("org:sector-edit", args=[Sector.objects.get(code="khac").pk]),
        ADMIN,
    ),
    Case(
        "org:sector-edit",
        lambda w: reverse("org:sector-edit", args=[Sector.objects.get(code="khac").pk]),
        ADMIN,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"code": "khac", "name": "Lĩnh vực khác", "order": 100},
    ),
    # Roles ----------------------------------------------------------------------------------
    Case("org:role-list", lambda w: reverse("org:role-list"), MANAGERS),
    Case("org:role-grant", lambda w: reverse("org:role-grant", args=[w.cell_a.pk]), MANAGES_CELL_A),
    Case(
        "org:role-grant",
        lambda w: reverse("org:role-grant", args=[w.cell_a.pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {
            "user": w.user("member").pk,
            "role": "secretary",
            "valid_from": _today(),
        },
    ),
    Case(
        "org:role-end",
        lambda w: reverse("org:role-end", args=[w.user("member").role_assignments.get().pk]),
        MANAGES_CELL_A,
    ),
    Case(
        "org:role-end",
        lambda w: reverse("org:role-end", args=[w.user("member").role_assignments.get().pk]),
        MANAGES_CELL_A,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"on": _today()},
    ),
    Case(
        "org:role-end",
        lambda w: reverse("org:role-end", args=[w.user("oversight").role_assignments.get().pk]),
        ADMIN,
        method="post",
        ok=REDIRECT,
        data=lambda w: {"on": _today()},
        label="oversight role: administrators only",
    ),
]
