"""History reasons are stored as stable codes and shown translated (``core.history``); free
text typed by people is shown as typed."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from lamtheo.core import history
from lamtheo.core.history import history_entries, reason_label, register_reasons
from lamtheo.plans import services
from lamtheo.plans.models import CollectiveModel, InboxItem, InboxKind, Plan
from tests.plans.conftest import D, draft, issued


def test_a_known_code_is_shown_translated_and_free_text_as_typed(monkeypatch):
    monkeypatch.setattr(history, "REASONS", dict(history.REASONS))
    register_reasons({"tested": translation.gettext_lazy("Created")})
    with translation.override("vi"):
        assert reason_label("created") == "Đã tạo"
        assert reason_label("tested") == "Đã tạo"
        assert reason_label("Sửa theo lý lịch") == "Sửa theo lý lịch"
        assert reason_label("") == ""
    with translation.override("en"):
        assert reason_label("created") == "Created"


def test_history_entries_show_the_label_of_the_stored_code(world):
    plan = issued(world.cell_a, day=D(2026, 1, 15))
    with translation.override("en"):
        reasons = [e.reason for e in history_entries(Plan.history.filter(id=plan.pk))]
    assert reasons == ["Issued", "Created"]


def test_plan_services_store_codes_that_are_registered(cascade):
    # Every reason a service stores in the ordinary life of a plan is a registered code.
    plans = [cascade.commune_plan, cascade.cell_plan]
    correction = services.create_correction(plan=cascade.cell_plan, by=None, reason="Bổ sung")
    services.issue_plan(plan=correction, by=None)
    services.remind(plan=cascade.commune_plan, by=None)
    model = services.register_model(
        unit=cascade.cell_a,
        year=2026,
        name="Mô hình",
        by=None,
        targets=[services.TargetData(description="Trồng hoa", target_value=2)],
    )
    services.record_results(model=model, period=services.MID_YEAR, text="Đạt", values={}, by=None)
    stored = {
        *Plan.history.filter(id__in=[p.pk for p in plans]).values_list(
            "history_change_reason", flat=True
        ),
        *InboxItem.history.values_list("history_change_reason", flat=True),
        *CollectiveModel.history.values_list("history_change_reason", flat=True),
    }
    free_text = {"Bổ sung"}  # the correction's reason, typed by a person
    with translation.override("en"):
        unlabelled = {r for r in stored - free_text if r and reason_label(r) == r}
    assert unlabelled == set()


def test_the_follow_item_closed_by_the_units_own_plan_keeps_no_plan_symbol_in_the_reason(
    cascade,
):
    item = InboxItem.objects.get(
        kind=InboxKind.FOLLOW_PLAN, unit=cascade.cell_a, object_id=cascade.commune_plan.pk
    )
    reason = item.history.first().history_change_reason
    assert cascade.cell_plan.symbol not in reason
    with translation.override("en"):
        assert reason_label(reason) != reason


def test_plan_page_history_shows_reasons_in_the_interface_language(world, login):
    plan = draft(world.cell_a, day=D(2026, 1, 15))
    client = login(world.user("secretary"))
    url = reverse("plans:plan-detail", args=[plan.pk])
    client.cookies["django_language"] = "vi"
    html = client.get(url).content.decode()
    assert "· Đã tạo" in html
    assert "· created" not in html
