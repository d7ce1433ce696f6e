"""Shared fixtures: a small organisation tree and the personas every permission test uses.

Tỉnh ủy An Giang (province)
  └─ Đảng ủy xã Thoại Sơn (commune committee)      ← «oversight» (tuyengiao), «committee»
       ├─ Ban Xây dựng Đảng (advisory body)
       ├─ Chi bộ ấp Đông Bình (cell A)              ← «secretary» (bithu), «member» (dangvien)
       ├─ Chi bộ ấp Tây Bình (cell B)               ← «other_secretary», «other_member»
       └─ UBND xã Thoại Sơn (People's Committee)    ← «staff» (congchuc), non-member
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from lamtheo.org.models import Role, UnitKind
from tests.factories import (
    UserFactory,
    grant,
    make_member,
    make_programme_year,
    make_staff,
    make_unit,
)

PERSONAS = (
    "anonymous",
    "member",
    "secretary",
    "other_member",
    "other_secretary",
    "oversight",
    "staff",
    "admin",
)


@dataclass
class World:
    province: object
    commune: object
    advisory: object
    cell_a: object
    cell_b: object
    ubnd: object
    users: dict
    people: SimpleNamespace
    programme_year: object

    def user(self, persona: str):
        return self.users.get(persona)


@pytest.fixture
def world(db) -> World:
    province = make_unit(
        kind=UnitKind.PROVINCE_COMMITTEE,
        name="Tỉnh ủy An Giang",
        doc_abbreviation="TU",
        place_name="An Giang",
    )
    commune = make_unit(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="Đảng ủy xã Thoại Sơn",
        parent=province,
        doc_abbreviation="ĐU",
        place_name="Thoại Sơn",
    )
    advisory = make_unit(
        kind=UnitKind.ADVISORY_BODY,
        name="Ban Xây dựng Đảng Đảng ủy xã Thoại Sơn",
        parent=commune,
        doc_abbreviation="BXDĐ",
        place_name="Thoại Sơn",
    )
    cell_a = make_unit(
        kind=UnitKind.CELL,
        name="Chi bộ ấp Đông Bình",
        parent=commune,
        doc_abbreviation="CB",
        place_name="Thoại Sơn",
    )
    cell_b = make_unit(
        kind=UnitKind.CELL,
        name="Chi bộ ấp Tây Bình",
        parent=commune,
        doc_abbreviation="CB",
        place_name="Thoại Sơn",
    )
    ubnd = make_unit(
        kind=UnitKind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân xã Thoại Sơn",
        parent=commune,
        doc_abbreviation="UBND",
        place_name="Thoại Sơn",
    )

    users = {name: UserFactory(username=name) for name in PERSONAS if name != "anonymous"}
    users["anonymous"] = None
    users["admin"].is_superuser = False
    users["admin"].save()
    people = SimpleNamespace(
        member=make_member(cell_a, "Nguyễn Văn Đảng", user=users["member"]),
        secretary=make_member(cell_a, "Trần Thị Bí Thư", user=users["secretary"]),
        colleague=make_member(cell_a, "Lê Văn Đồng Chí"),
        other_member=make_member(cell_b, "Phạm Văn Khác", user=users["other_member"]),
        other_secretary=make_member(cell_b, "Võ Thị Bí Thư Hai", user=users["other_secretary"]),
        staff=make_staff(ubnd, "Huỳnh Thị Công Chức", user=users["staff"]),
        oversight=make_member(cell_b, "Đặng Văn Tuyên Giáo", user=users["oversight"]),
    )
    grant(users["member"], Role.MEMBER, cell_a)
    grant(users["secretary"], Role.SECRETARY, cell_a)
    grant(users["other_member"], Role.MEMBER, cell_b)
    grant(users["other_secretary"], Role.SECRETARY, cell_b)
    grant(users["oversight"], Role.OVERSIGHT, commune)
    grant(users["staff"], Role.MEMBER, ubnd)
    grant(users["admin"], Role.ADMIN, None)
    programme_year = make_programme_year(commune, 2026)
    return World(province, commune, advisory, cell_a, cell_b, ubnd, users, people, programme_year)


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in (None stays anonymous) and returns it."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _no_axes_lockouts(settings):
    # Log-in throttling has its own tests; elsewhere it would only make tests order-dependent.
    settings.AXES_ENABLED = os.environ.get("AXES_ENABLED_IN_TESTS", "0") == "1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
