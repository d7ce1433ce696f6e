"""Selector tests: which superior plans a unit still has to deploy."""

from __future__ import annotations

import pytest

from lamtheo.plans import services
from lamtheo.plans.models import PlanKind
from lamtheo.plans.selectors import superior_plans_to_deploy
from tests.plans.conftest import D, draft, issued

STUDY, IMPLEMENTATION = PlanKind.STUDY, PlanKind.IMPLEMENTATION


@pytest.fixture
def two_levels(world):
    """The province's and the commune's plans of both kinds for 2026."""
    w = world
    w.province_study = issued(w.province, day=D(2026, 1, 2), kind=STUDY)
    w.province_impl = issued(w.province, day=D(2026, 1, 3), kind=IMPLEMENTATION)
    w.commune_study = issued(w.commune, day=D(2026, 1, 10), kind=STUDY, based_on=w.province_study)
    w.commune_impl = issued(
        w.commune, day=D(2026, 1, 11), kind=IMPLEMENTATION, based_on=w.province_impl
    )
    return w


def _to_deploy(w, persona="secretary", unit=None):
    return superior_plans_to_deploy(w.user(persona), unit=unit or w.cell_a, year=2026)


def test_a_cell_deploys_the_communes_plans_not_the_provinces(two_levels):
    w = two_levels
    assert _to_deploy(w) == [w.commune_impl, w.commune_study]


def test_the_provinces_plan_is_offered_for_a_kind_the_commune_has_not_issued(world):
    province_impl = issued(world.province, day=D(2026, 1, 3), kind=IMPLEMENTATION)
    commune_study = issued(world.commune, day=D(2026, 1, 10), kind=STUDY)
    assert _to_deploy(world) == [province_impl, commune_study]


def test_deployed_plans_are_hidden_and_nothing_is_left_once_both_are_deployed(two_levels):
    w = two_levels
    issued(w.cell_a, day=D(2026, 1, 15), kind=STUDY, based_on=w.commune_study)
    assert _to_deploy(w) == [w.commune_impl]
    # A draft based on it is already on its way: no second «start from» shortcut.
    draft(w.cell_a, day=D(2026, 1, 16), kind=IMPLEMENTATION, based_on=w.commune_impl)
    assert _to_deploy(w) == []
    # Other cells still have theirs, and other years are not mixed in.
    assert _to_deploy(w, "other_secretary", w.cell_b) == [w.commune_impl, w.commune_study]
    assert superior_plans_to_deploy(w.user("secretary"), unit=w.cell_a, year=2025) == []


def test_a_plan_based_on_the_version_a_correction_replaced_counts_as_deployed(two_levels):
    w = two_levels
    issued(w.cell_a, day=D(2026, 1, 15), kind=STUDY, based_on=w.commune_study)
    correction = services.create_correction(plan=w.commune_study, by=None, reason="Sửa lỗi")
    services.issue_plan(plan=correction, by=None)
    assert _to_deploy(w) == [w.commune_impl]


def test_the_commune_deploys_the_provinces_plans(two_levels):
    w = two_levels
    w.commune_study.delete()  # not issued yet, say
    assert _to_deploy(w, "oversight", w.commune) == [w.province_study]


def test_to_deploy_takes_a_constant_number_of_queries(two_levels, django_assert_max_num_queries):
    w = two_levels
    for day in (5, 6, 7):
        issued(w.commune, day=D(2026, 1, 10 + day), kind=STUDY)
    _to_deploy(w)  # the scope is cached on the user after the first call
    with django_assert_max_num_queries(5):
        assert len(_to_deploy(w)) == 5
