"""Helpers for the plans tests: plans created and issued through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lamtheo.plans import services
from lamtheo.plans.models import Plan, PlanKind

D = dt.date


@pytest.fixture(autouse=True)
def _english(settings):
    """The texts these tests check are the English msgids; the interface language is
    Vietnamese and its catalogue is filled by the translator. A test about the Vietnamese
    interface asks for it (``translation.override("vi")``, or the ``django_language`` cookie)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def draft(unit, *, day: dt.date, kind: str = PlanKind.STUDY, year: int = 2026, **fields) -> Plan:
    fields.setdefault("title", f"Kế hoạch học tập chuyên đề năm {year}")
    fields.setdefault(
        "sections",
        [("I. MỤC ĐÍCH, YÊU CẦU", "Nắm vững chuyên đề."), ("II. NỘI DUNG", "Học tập.")],
    )
    return services.create_plan(
        unit=unit, kind=kind, year=year, issue_date=day, by=fields.pop("by", None), **fields
    )


def issued(unit, *, day: dt.date, kind: str = PlanKind.STUDY, year: int = 2026, **fields) -> Plan:
    plan = draft(unit, day=day, kind=kind, year=year, **fields)
    return services.issue_plan(plan=plan, by=None)


@pytest.fixture
def cascade(world):
    """The commune's study plan (10/01/2026) and cell A's plan based on it (15/01/2026)."""
    commune_plan = issued(world.commune, day=D(2026, 1, 10))
    cell_plan = issued(world.cell_a, day=D(2026, 1, 15), based_on=commune_plan)
    world.commune_plan = commune_plan
    world.cell_plan = cell_plan
    return world
