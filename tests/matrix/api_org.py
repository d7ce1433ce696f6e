"""Permission matrix of the organisation API (``lamtheo.org.api``).

Out-of-scope objects: the province (read by administrators only) and the people of the other
cell. Writes answer 403 to personas who manage nothing (member, staff, oversight), 404 when
the object is outside a manager's scope, and 400 when the body names a unit outside it (an
unknown id, as for any missing object).
"""

from django.urls import reverse

from lamtheo.org.models import Sector
from tests.matrix import ALL, Case

API = {"anonymous": "api"}
JSON = {"anonymous": "api", "json": True}
ADMIN = frozenset({"admin"})
READS_COMMUNE = frozenset({"oversight", "admin"})
CELL_A = frozenset({"member", "secretary"}) | READS_COMMUNE
CELL_B = frozenset({"other_member", "other_secretary"}) | READS_COMMUNE


def _unit(w, name="cell_a"):
    return reverse("api:unit-detail", args=[getattr(w, name).pk])


def _person(w, name):
    return reverse("api:person-detail", args=[getattr(w.people, name).pk])


def _unit_body(w, **extra):
    return {"kind": "cell", "name": "Chi bộ ấp Đông Bình", "short_name": "CB Đông Bình", **extra}


def _person_body(w, **extra):
    return {
        "full_name": "Lê Văn Đồng Chí",
        "gender": "male",
        "party_position": "Phó bí thư",
        **extra,
    }


def _spare_sector(w):
    # Seeded by the org migrations and given to nobody in the world fixture.
    return reverse("api:sector-detail", args=[Sector.objects.get(code="khac").pk])


def _role(w):
    assignment = w.user("member").role_assignments.get()
    return reverse("api:role-assignment-detail", args=[assignment.pk])


CASES = [
    # Units ------------------------------------------------------------------------------
    Case("api:unit-list", lambda w: reverse("api:unit-list"), ALL, **API),
    Case("api:unit-detail", _unit, CELL_A, label="cell A", **API),
    Case(
        "api:unit-detail",
        lambda w: _unit(w, "province"),
        ADMIN,
        label="province, out of scope",
        **API,
    ),
    Case(
        "api:unit-list",
        lambda w: reverse("api:unit-list"),
        frozenset({"secretary", "admin"}),
        method="post",
        data=lambda w: {"kind": "party_group", "name": "Tổ đảng số 1", "parent": w.cell_a.pk},
        ok=frozenset({201}),
        denied=403,
        denied_status={"other_secretary": 400},
        label="party group under cell A",
        **JSON,
    ),
    Case(
        "api:unit-list",
        lambda w: reverse("api:unit-list"),
        ADMIN,
        method="post",
        data=lambda w: {"kind": "province_committee", "name": "Tỉnh ủy Mới"},
        ok=frozenset({201}),
        denied=403,
        label="top-level unit",
        **JSON,
    ),
    Case(
        "api:unit-detail",
        _unit,
        ADMIN,
        method="patch",
        data=lambda w: {"short_name": "CB Đông Bình"},
        denied_status={"member": 403, "secretary": 403, "oversight": 403},
        label="cell A (its parent's managers only)",
        **JSON,
    ),
    Case(
        "api:unit-detail",
        _unit,
        ADMIN,
        method="put",
        data=_unit_body,
        denied_status={"member": 403, "secretary": 403, "oversight": 403},
        label="cell A",
        **JSON,
    ),
    Case(
        "api:unit-detail",
        lambda w: _unit(w, "province"),
        ADMIN,
        method="patch",
        data=lambda w: {"place_name": "An Giang"},
        label="province, out of scope",
        **JSON,
    ),
    # People -----------------------------------------------------------------------------
    Case("api:person-list", lambda w: reverse("api:person-list"), ALL, **API),
    Case(
        "api:person-detail",
        lambda w: _person(w, "member"),
        CELL_A,
        label="member of cell A",
        **API,
    ),
    Case(
        "api:person-detail",
        lambda w: _person(w, "other_member"),
        CELL_B,
        label="member of cell B",
        **API,
    ),
    Case(
        "api:person-detail",
        lambda w: _person(w, "staff"),
        frozenset({"staff"}) | READS_COMMUNE,
        label="non-member staff",
        **API,
    ),
    Case(
        "api:person-list",
        lambda w: reverse("api:person-list"),
        frozenset({"secretary", "admin"}),
        method="post",
        data=lambda w: {
            "full_name": "Người Mới",
            "unit": w.cell_a.pk,
            "valid_from": "2026-01-05",
        },
        ok=frozenset({201}),
        denied=403,
        denied_status={"other_secretary": 400},
        label="into cell A",
        **JSON,
    ),
    Case(
        "api:person-detail",
        lambda w: _person(w, "colleague"),
        frozenset({"secretary", "admin"}),
        method="patch",
        data=lambda w: {"party_position": "Phó bí thư"},
        denied=403,
        denied_status={"other_secretary": 404},
        label="colleague in cell A",
        **JSON,
    ),
    Case(
        "api:person-detail",
        lambda w: _person(w, "colleague"),
        frozenset({"secretary", "admin"}),
        method="put",
        data=_person_body,
        denied=403,
        denied_status={"other_secretary": 404},
        label="colleague in cell A",
        **JSON,
    ),
    Case(
        "api:person-move",
        lambda w: reverse("api:person-move", args=[w.people.colleague.pk]),
        ADMIN,
        method="post",
        data=lambda w: {"cell": w.cell_b.pk, "date": "2026-02-01"},
        denied=403,
        # The secretary manages the person but not cell B, which is outside their scope.
        denied_status={"secretary": 400, "other_secretary": 404},
        label="cell A → cell B",
        **JSON,
    ),
    # Sectors ----------------------------------------------------------------------------
    Case("api:sector-list", lambda w: reverse("api:sector-list"), ALL, **API),
    Case("api:sector-detail", _spare_sector, ALL, **API),
    Case(
        "api:sector-list",
        lambda w: reverse("api:sector-list"),
        ADMIN,
        method="post",
        data=lambda w: {"code": "thuysan", "name": "Thủy sản", "order": 95},
        ok=frozenset({201}),
        denied=403,
        **JSON,
    ),
    Case(
        "api:sector-detail",
        _spare_sector,
        ADMIN,
        method="patch",
        data=lambda w: {"name": "Khác (ngành khác)"},
        denied=403,
        **JSON,
    ),
    Case(
        "api:sector-detail",
        _spare_sector,
        ADMIN,
        method="put",
        data=lambda w: {"code": "khac", "name": "Ngành khác", "order": 90},
        denied=403,
        **JSON,
    ),
    Case(
        "api:sector-detail",
        _spare_sector,
        ADMIN,
        method="delete",
        ok=frozenset({204}),
        denied=403,
        **JSON,
    ),
    # Role assignments and /me/ ----------------------------------------------------------
    Case("api:me-list", lambda w: reverse("api:me-list"), ALL, **API),
    Case(
        "api:role-assignment-list",
        lambda w: reverse("api:role-assignment-list"),
        ADMIN,
        denied=403,
        **API,
    ),
    Case("api:role-assignment-detail", _role, ADMIN, denied=403, **API),
    Case(
        "api:role-assignment-list",
        lambda w: reverse("api:role-assignment-list"),
        ADMIN,
        method="post",
        data=lambda w: {"user": w.user("member").pk, "role": "secretary", "unit": w.cell_a.pk},
        ok=frozenset({201}),
        denied=403,
        **JSON,
    ),
    Case(
        "api:role-assignment-detail",
        _role,
        ADMIN,
        method="patch",
        data=lambda w: {"valid_to": "2026-12-31"},
        denied=403,
        **JSON,
    ),
    Case(
        "api:role-assignment-detail",
        _role,
        ADMIN,
        method="put",
        data=lambda w: {
            "user": w.user("member").pk,
            "role": "member",
            "unit": w.cell_a.pk,
            "valid_from": "2020-01-01",
        },
        denied=403,
        **JSON,
    ),
    # Roles are ended (valid_to), never deleted: even an administrator gets 405.
    Case(
        "api:role-assignment-detail",
        _role,
        ADMIN,
        method="delete",
        ok=frozenset({405}),
        denied=403,
        **JSON,
    ),
]
