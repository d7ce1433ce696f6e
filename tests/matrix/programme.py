"""Permission matrix of the programme-year pages (rule: see ``tests/matrix/org.py``).

The world's programme year is issued by the commune: everyone in the commune reads it (a
theme comes from above), only the oversight persona (who writes plans and themes for the
commune) and the administrator edit, copy it or see its history. A secretary writes plans for
their cell, which is not a committee, so cannot create a programme year either.
"""

from __future__ import annotations

from django.urls import reverse

from lamtheo.programme.models import Audience
from lamtheo.programme.services import create_default_forms
from tests.matrix import ALL, Case

WRITERS = frozenset({"oversight", "admin"})
REDIRECT = frozenset({302})


def _party_form(w):
    year = w.programme_year
    if not year.forms.exists():
        create_default_forms(programme_year=year, by=None)
    return year.forms.get(audience=Audience.PARTY)


def _form_data(w) -> dict:
    """The party form with its contents reordered (6 first) and a seventh added."""
    form = _party_form(w)
    contents = list(form.contents.order_by("number"))
    data = {
        "header": form.header,
        "title": form.title,
        "preamble": form.preamble,
        "closing": form.closing,
        "contents-TOTAL_FORMS": len(contents) + 1,
        "contents-INITIAL_FORMS": len(contents),
        "contents-MIN_NUM_FORMS": 0,
        "contents-MAX_NUM_FORMS": 1000,
    }
    order = [6, 1, 2, 3, 4, 5]
    for i, c in enumerate(contents):
        data[f"contents-{i}-id"] = c.pk
        data[f"contents-{i}-title"] = c.title
        data[f"contents-{i}-prompt"] = c.prompt
        data[f"contents-{i}-ORDER"] = order[i]
        if c.holds_tasks:
            data[f"contents-{i}-holds_tasks"] = "on"
    n = len(contents)
    data[f"contents-{n}-title"] = "Về tác phong, lề lối làm việc"
    data[f"contents-{n}-ORDER"] = n + 1
    return data


def _year_data(w) -> dict:
    return {
        "issuer": w.commune.pk,
        "year": 2027,
        "theme_title": "Chuyên đề năm 2027",
        "monthly_review_day": 5,
    }


CASES = [
    Case("programme:year-list", lambda w: reverse("programme:year-list"), ALL),
    Case(
        "programme:year-detail",
        lambda w: reverse("programme:year-detail", args=[w.programme_year.pk]),
        ALL,
    ),
    Case("programme:year-add", lambda w: reverse("programme:year-add"), WRITERS),
    Case(
        "programme:year-add",
        lambda w: reverse("programme:year-add"),
        WRITERS,
        method="post",
        data=_year_data,
        ok=REDIRECT,
    ),
    Case(
        "programme:year-edit",
        lambda w: reverse("programme:year-edit", args=[w.programme_year.pk]),
        WRITERS,
    ),
    Case(
        "programme:year-edit",
        lambda w: reverse("programme:year-edit", args=[w.programme_year.pk]),
        WRITERS,
        method="post",
        data=lambda w: {
            "theme_title": "Chuyên đề năm 2026 (sửa)",
            "monthly_review_day": 10,
            "mid_year_date": "30/06/2026",
            "year_end_date": "15/12/2026",
            "reason": "Theo hướng dẫn mới",
        },
        ok=REDIRECT,
    ),
    Case(
        "programme:year-copy",
        lambda w: reverse("programme:year-copy", args=[w.programme_year.pk]),
        WRITERS,
    ),
    Case(
        "programme:year-copy",
        lambda w: reverse("programme:year-copy", args=[w.programme_year.pk]),
        WRITERS,
        method="post",
        data=lambda w: {"year": 2027},
        ok=REDIRECT,
    ),
    Case(
        "programme:year-default-forms",
        lambda w: reverse("programme:year-default-forms", args=[w.programme_year.pk]),
        WRITERS,
        method="post",
        ok=REDIRECT,
    ),
    Case(
        "programme:year-history",
        lambda w: reverse("programme:year-history", args=[w.programme_year.pk]),
        WRITERS,
    ),
    Case(
        "programme:form-edit",
        lambda w: reverse("programme:form-edit", args=[_party_form(w).pk]),
        WRITERS,
    ),
    Case(
        "programme:form-edit",
        lambda w: reverse("programme:form-edit", args=[_party_form(w).pk]),
        WRITERS,
        method="post",
        data=_form_data,
        ok=REDIRECT,
    ),
]
