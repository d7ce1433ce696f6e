"""The admin's date fix obeys the same rules (rule c for issued plans), and the admin
cannot otherwise unlock an issued plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lamtheo.plans.admin import PlanAdminForm
from lamtheo.plans.models import Plan, PlanStatus
from tests.factories import UserFactory
from tests.plans.conftest import D, draft, issued


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


# --- The admin client cannot unlock an issued plan -------------------------------------


@pytest.fixture
def root_client(client):
    # The «admin» persona is not a superuser; the Django admin is for superusers only.
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _posted(response) -> dict:
    """The change form's data as the browser would send it back unchanged."""
    data: dict = {}

    def add(form) -> None:
        for name, bound in form.fields.items():
            key = form.add_prefix(name)
            value = form.initial.get(name, bound.initial)
            if value is None or name in getattr(form, "_readonly", ()):
                continue
            if hasattr(value, "pk"):
                value = value.pk
            data[key] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, "")
        for form in formset.initial_forms:
            add(form)
    return data


def _change_url(plan) -> str:
    return reverse("admin:plans_plan_change", args=[plan.pk])


def test_admin_cannot_change_add_or_delete_sections_of_an_issued_plan(world, root_client):
    plan = issued(world.cell_a, day=D(2026, 1, 15))
    before = list(plan.sections.values_list("id", "heading", "text"))
    response = root_client.get(_change_url(plan))
    data = _posted(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-heading"] = "Changed heading"
    data[f"{prefix}-1-DELETE"] = "on"
    data[f"{prefix}-TOTAL_FORMS"] = len(before) + 1
    data[f"{prefix}-{len(before)}-heading"] = "An added section"
    data[f"{prefix}-{len(before)}-order"] = 9
    data[f"{prefix}-{len(before)}-plan"] = plan.pk
    root_client.post(_change_url(plan), data)
    assert list(plan.sections.values_list("id", "heading", "text")) == before


def test_admin_can_still_edit_the_sections_of_a_draft(world, root_client):
    plan = draft(world.cell_a, day=D(2026, 1, 15))
    response = root_client.get(_change_url(plan))
    data = _posted(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-heading"] = "Changed heading"
    response = root_client.post(_change_url(plan), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert plan.sections.filter(heading="Changed heading").exists()


def test_admin_cannot_issue_a_draft_by_setting_its_status(world, root_client):
    plan = draft(world.cell_a, day=D(2026, 1, 15))
    data = _posted(root_client.get(_change_url(plan)))
    data.update(status=PlanStatus.ISSUED, version=5, correction_reason="x")
    response = root_client.post(_change_url(plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.correction_reason) == (PlanStatus.DRAFT, 1, "")
    assert plan.issued_at is None


def test_admin_cannot_delete_an_issued_plan_but_can_delete_a_draft(world, root_client):
    plan = issued(world.cell_a, day=D(2026, 1, 15))
    url = reverse("admin:plans_plan_delete", args=[plan.pk])
    assert root_client.get(url).status_code == 403
    assert root_client.post(url, {"post": "yes"}).status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()
    other = draft(world.cell_b, day=D(2026, 1, 15))
    url = reverse("admin:plans_plan_delete", args=[other.pk])
    assert root_client.post(url, {"post": "yes"}).status_code == 302
    assert not Plan.objects.filter(pk=other.pk).exists()


def test_admin_bulk_delete_action_spares_issued_plans(world, root_client):
    plan = issued(world.cell_a, day=D(2026, 1, 15))
    url = reverse("admin:plans_plan_changelist")
    data = {"action": "delete_selected", "_selected_action": [plan.pk], "post": "yes"}
    root_client.post(url, data)
    assert Plan.objects.filter(pk=plan.pk).exists()
