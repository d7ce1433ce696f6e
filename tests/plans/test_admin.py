"""The admin's date fix obeys the same rules (rule c for issued plans)."""

from __future__ import annotations

from lamtheo.plans.admin import PlanAdminForm
from tests.plans.conftest import D


def _data(plan, **changes):
    form = PlanAdminForm(instance=plan)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        data[name] = value if value is not None else ""
    data.update(changes)
    return data


def test_admin_date_change_of_a_superior_plan_is_refused_listing_plans_below(cascade):
    plan = cascade.commune_plan
    form = PlanAdminForm(_data(plan, issue_date="2026-02-01"), instance=plan)
    assert not form.is_valid()
    assert cascade.cell_plan.symbol in str(form.errors["issue_date"])


def test_admin_date_change_within_the_rules_is_accepted(cascade):
    plan = cascade.commune_plan
    form = PlanAdminForm(_data(plan, issue_date=D(2026, 1, 12).isoformat()), instance=plan)
    assert form.is_valid(), form.errors
