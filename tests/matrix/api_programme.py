"""Permission matrix of the programme-year API (``lamtheo.programme.api``).

Everyone in the commune reads the commune's programme year (themes come from above); a year
issued by another commune is out of scope for all but administrators. Writing needs the
right to write plans over the issuer (oversight of the commune, admin); cell secretaries
write plans for their cell only, so the commune is an unknown issuer to them (400).
"""

from django.urls import reverse

from lamtheo.org.models import UnitKind
from tests.factories import make_programme_year, make_unit
from tests.matrix import ALL, Case

API = {"anonymous": "api"}
JSON = {"anonymous": "api", "json": True}
ADMIN = frozenset({"admin"})
PLANNERS = frozenset({"oversight", "admin"})


def _other_commune_year(w):
    """A programme year of a second commune of the province (created once per world)."""
    if not hasattr(w, "other_commune_year"):
        other = make_unit(
            kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng ủy xã Vĩnh Trạch", parent=w.province
        )
        w.other_commune_year = make_programme_year(other, 2026)
    return w.other_commune_year


def _year(w):
    return reverse("api:programme-year-detail", args=[w.programme_year.pk])


def _other_year(w):
    return reverse("api:programme-year-detail", args=[_other_commune_year(w).pk])


def _body(w, **extra):
    return {
        "issuer": w.commune.pk,
        "year": 2026,
        "theme_title": "Chuyên đề năm 2026",
        "mid_year_date": "2026-06-30",
        "year_end_date": "2026-12-15",
        **extra,
    }


CASES = [
    Case("api:programme-year-list", lambda w: reverse("api:programme-year-list"), ALL, **API),
    Case("api:programme-year-detail", _year, ALL, label="own commune", **API),
    Case(
        "api:programme-year-detail",
        _other_year,
        ADMIN,
        label="another commune, out of scope",
        **API,
    ),
    Case(
        "api:programme-year-list",
        lambda w: reverse("api:programme-year-list"),
        PLANNERS,
        method="post",
        data=lambda w: _body(w, year=2027, mid_year_date="2027-06-30", year_end_date="2027-12-15"),
        ok=frozenset({201}),
        denied=403,
        denied_status={"secretary": 400, "other_secretary": 400},
        **JSON,
    ),
    Case(
        "api:programme-year-detail",
        _year,
        PLANNERS,
        method="patch",
        data=lambda w: {"theme_title": "Chuyên đề năm 2026 (sửa)"},
        denied=403,
        label="own commune",
        **JSON,
    ),
    Case(
        "api:programme-year-detail",
        _year,
        PLANNERS,
        method="put",
        data=_body,
        denied=403,
        label="own commune",
        **JSON,
    ),
    Case(
        "api:programme-year-detail",
        _other_year,
        ADMIN,
        method="patch",
        data=lambda w: {"theme_title": "Chuyên đề khác"},
        label="another commune, out of scope",
        **JSON,
    ),
    Case(
        "api:programme-year-copy",
        lambda w: reverse("api:programme-year-copy", args=[w.programme_year.pk]),
        PLANNERS,
        method="post",
        data=lambda w: {"year": 2027},
        ok=frozenset({201}),
        denied=403,
        label="own commune",
        **JSON,
    ),
    Case(
        "api:programme-year-copy",
        lambda w: reverse("api:programme-year-copy", args=[_other_commune_year(w).pk]),
        ADMIN,
        method="post",
        data=lambda w: {"year": 2027},
        ok=frozenset({201}),
        label="another commune, out of scope",
        **JSON,
    ),
]
