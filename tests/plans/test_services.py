"""Service tests: numbering, date rules, locking and versions, delivery, models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lamtheo.core.errors import DomainError
from lamtheo.org.models import PartyMembership, UnitKind
from lamtheo.plans import services
from lamtheo.plans.models import InboxItem, InboxKind, PlanKind, PlanStatus
from lamtheo.plans.selectors import deployment_of, items_of
from lamtheo.programme.models import Audience
from tests.factories import PersonFactory, make_member, make_unit
from tests.plans.conftest import D, draft, issued

# --- numbering ------------------------------------------------------------------------


def test_first_plan_of_a_unit_gets_number_one_and_the_next_gets_two(world):
    first = draft(world.cell_a, day=D(2026, 1, 5))
    second = draft(world.cell_a, day=D(2026, 1, 6), kind=PlanKind.IMPLEMENTATION)
    assert (first.number, second.number) == (1, 2)


def test_party_symbol_has_number_type_slash_abbreviation(world):
    plan = draft(world.cell_a, day=D(2026, 1, 5), number=5)
    assert plan.symbol == "05-KH/CB"
    assert plan.symbol_display == "Số 05-KH/CB"
    assert plan.doc_format == "party"
    assert plan.term_label == "2025-2030"


def test_state_symbol_has_colon_and_slash_before_type(world):
    plan = draft(world.ubnd, day=D(2026, 1, 5), kind=PlanKind.IMPLEMENTATION, number=12)
    assert plan.symbol == "12/KH-UBND"
    assert plan.symbol_display == "Số: 12/KH-UBND"
    assert plan.audience == Audience.STATE
    assert plan.numbering_period == "2026"


def test_duplicate_number_in_the_same_series_is_refused_with_the_other_plan(world):
    draft(world.cell_a, day=D(2026, 1, 5), number=3, title="Kế hoạch A")
    with pytest.raises(DomainError) as err:
        draft(world.cell_a, day=D(2026, 1, 6), number=3)
    assert err.value.field == "number"
    assert "03-KH/CB" in str(err.value) and "05/01/2026" in str(err.value)
    assert "4" in str(err.value)


def test_numbers_run_per_document_type_and_per_term(world):
    draft(world.cell_a, day=D(2026, 1, 5), number=1)
    other_type = draft(world.cell_a, day=D(2026, 1, 5), number=1, doc_type="CTr")
    other_term = draft(world.cell_a, day=D(2026, 1, 5), number=1, term_label="2020-2025")
    assert other_type.symbol == "01-CTr/CB"
    assert other_term.number == 1


def test_state_numbers_restart_each_calendar_year(world):
    draft(world.ubnd, day=D(2025, 12, 20), year=2026, kind=PlanKind.IMPLEMENTATION)
    plan = draft(world.ubnd, day=D(2026, 1, 3), kind=PlanKind.IMPLEMENTATION)
    assert plan.number == 1


def test_numbers_are_per_unit(world):
    draft(world.cell_a, day=D(2026, 1, 5))
    assert draft(world.cell_b, day=D(2026, 1, 5)).number == 1


# --- date rules -----------------------------------------------------------------------


def test_plan_dated_before_the_plan_it_is_based_on_is_refused(world):
    commune_plan = issued(world.commune, day=D(2026, 1, 10))
    with pytest.raises(DomainError) as err:
        draft(world.cell_a, day=D(2026, 1, 9), based_on=commune_plan)
    message = str(err.value)
    assert err.value.field == "issue_date"
    assert commune_plan.symbol in message and "10/01/2026" in message and "09/01/2026" in message


def test_plan_dated_before_the_superior_units_plan_of_the_same_kind_is_refused(world):
    commune_plan = issued(world.commune, day=D(2026, 1, 10))
    with pytest.raises(DomainError) as err:
        draft(world.cell_a, day=D(2026, 1, 8))  # not even based on it
    assert commune_plan.symbol in str(err.value)
    assert "superior" in str(err.value)


def test_plan_of_another_kind_or_year_is_not_compared(world):
    issued(world.commune, day=D(2026, 1, 10), kind=PlanKind.IMPLEMENTATION)
    issued(world.commune, day=D(2025, 3, 1), year=2025)
    assert draft(world.cell_a, day=D(2025, 2, 1)).pk


def test_superior_is_the_nearest_ancestor_that_has_issued_such_a_plan(world):
    province_plan = issued(world.province, day=D(2026, 1, 6))
    with pytest.raises(DomainError) as err:
        draft(world.cell_a, day=D(2026, 1, 5))
    assert province_plan.symbol in str(err.value)
    issued(world.commune, day=D(2026, 1, 7))
    with pytest.raises(DomainError) as err:
        draft(world.cell_a, day=D(2026, 1, 6))
    assert "ĐU" in str(err.value)


def test_state_unit_plan_follows_the_peoples_committee_beside_it(world):
    school = make_unit(
        kind=UnitKind.PUBLIC_SERVICE_UNIT,
        name="Trường THCS Thoại Sơn",
        parent=world.commune,
        doc_abbreviation="THCS",
    )
    kind = PlanKind.IMPLEMENTATION
    issued(world.commune, day=D(2026, 1, 10), kind=kind)
    ubnd_plan = issued(world.ubnd, day=D(2026, 1, 20), kind=kind)
    with pytest.raises(DomainError) as err:
        draft(school, day=D(2026, 1, 15), kind=kind)
    assert ubnd_plan.symbol in str(err.value)
    assert draft(school, day=D(2026, 1, 20), kind=kind, based_on=ubnd_plan).symbol.endswith(
        "/KH-THCS"
    )


def test_ubnd_plan_is_not_dated_before_the_committees_plan(world):
    kind = PlanKind.IMPLEMENTATION
    commune_plan = issued(world.commune, day=D(2026, 1, 10), kind=kind)
    with pytest.raises(DomainError) as err:
        draft(world.ubnd, day=D(2026, 1, 9), kind=kind)
    assert commune_plan.symbol in str(err.value)


def test_based_on_must_be_a_plan_of_a_unit_above(world):
    other = issued(world.cell_b, day=D(2026, 1, 10))
    with pytest.raises(DomainError) as err:
        draft(world.cell_a, day=D(2026, 1, 11), based_on=other)
    assert err.value.field == "based_on"


def test_correcting_a_superior_plan_to_a_date_after_plans_below_is_refused_listing_them(cascade):
    w = cascade
    correction = services.create_correction(plan=w.commune_plan, by=None, reason="Sai ngày")
    services.update_plan(plan=correction, by=None, issue_date=D(2026, 1, 20))
    with pytest.raises(DomainError) as err:
        services.issue_plan(plan=correction, by=None)
    message = str(err.value)
    assert w.cell_plan.symbol in message and "15/01/2026" in message
    assert "Chi bộ ấp Đông Bình" in message
    assert err.value.details and w.cell_plan.symbol in err.value.details[0]
    w.commune_plan.refresh_from_db()
    assert w.commune_plan.status == PlanStatus.ISSUED


def test_correcting_a_superior_plan_to_an_earlier_date_is_allowed(cascade):
    w = cascade
    correction = services.create_correction(plan=w.commune_plan, by=None, reason="Sai ngày")
    services.update_plan(plan=correction, by=None, issue_date=D(2026, 1, 8))
    services.issue_plan(plan=correction, by=None)
    w.commune_plan.refresh_from_db()
    assert w.commune_plan.status == PlanStatus.SUPERSEDED


def test_admin_date_change_that_would_invalidate_plans_below_is_refused(cascade):
    w = cascade
    with pytest.raises(DomainError) as err:
        services.change_issue_date(plan=w.commune_plan, new_date=D(2026, 2, 1), by=None, reason="x")
    assert w.cell_plan.symbol in str(err.value)
    services.change_issue_date(plan=w.commune_plan, new_date=D(2026, 1, 12), by=None, reason="x")
    w.commune_plan.refresh_from_db()
    assert w.commune_plan.issue_date == D(2026, 1, 12)


def test_date_change_also_protects_subordinate_plans_not_based_on_it(world):
    commune_plan = issued(world.commune, day=D(2026, 1, 10))
    loose = issued(world.cell_b, day=D(2026, 1, 12))
    with pytest.raises(DomainError) as err:
        services.change_issue_date(plan=commune_plan, new_date=D(2026, 1, 13), by=None, reason="x")
    assert loose.symbol in str(err.value) and "Tây Bình" in str(err.value)


# --- locking and versions -------------------------------------------------------------


def test_issued_plan_cannot_be_edited(cascade):
    with pytest.raises(DomainError) as err:
        services.update_plan(plan=cascade.cell_plan, by=None, title="Khác")
    assert err.value.code == "locked"


def test_issued_plan_cannot_be_deleted(cascade):
    with pytest.raises(DomainError):
        services.delete_draft(plan=cascade.cell_plan, by=None)


def test_correction_needs_a_reason(cascade):
    with pytest.raises(DomainError) as err:
        services.create_correction(plan=cascade.cell_plan, by=None, reason="  ")
    assert err.value.field == "correction_reason"


def test_correction_is_a_new_version_that_supersedes_the_issued_one(cascade):
    old = cascade.cell_plan
    correction = services.create_correction(plan=old, by=None, reason="Bổ sung nội dung")
    assert (correction.version, correction.number, correction.supersedes) == (2, old.number, old)
    assert correction.status == PlanStatus.DRAFT
    assert [s.heading for s in correction.sections.all()] == [s.heading for s in old.sections.all()]
    services.update_plan(plan=correction, by=None, title="Kế hoạch (sửa đổi)")
    services.issue_plan(plan=correction, by=None)
    old.refresh_from_db()
    correction.refresh_from_db()
    assert old.status == PlanStatus.SUPERSEDED and old.superseded_at
    assert correction.status == PlanStatus.ISSUED
    assert "Bổ sung nội dung" in old.history.first().history_change_reason


def test_correction_sections_are_copied_with_their_history(cascade):
    secretary = cascade.user("secretary")
    correction = services.create_correction(
        plan=cascade.cell_plan, by=secretary, reason="Bổ sung nội dung"
    )
    sections = list(correction.sections.all())
    assert len(sections) == 2
    for section in sections:
        record = section.history.get()
        assert record.history_type == "+"
        assert record.history_user == secretary
        assert record.history_change_reason == "Bổ sung nội dung"


def test_only_one_correction_draft_at_a_time(cascade):
    services.create_correction(plan=cascade.cell_plan, by=None, reason="a")
    with pytest.raises(DomainError):
        services.create_correction(plan=cascade.cell_plan, by=None, reason="b")


def test_issuing_needs_a_section(world):
    plan = draft(world.cell_a, day=D(2026, 1, 5), sections=[])
    with pytest.raises(DomainError) as err:
        services.issue_plan(plan=plan, by=None)
    assert err.value.field == "sections"


def test_issuing_twice_is_refused(cascade):
    with pytest.raises(DomainError):
        services.issue_plan(plan=cascade.cell_plan, by=None)


def test_start_from_superior_copies_sections_and_proposes_number_and_date(world):
    superior = issued(world.commune, day=D(2026, 1, 10))
    draft(world.cell_a, day=D(2026, 1, 11), kind=PlanKind.IMPLEMENTATION)
    plan = services.start_from_superior(
        superior=superior, unit=world.cell_a, by=None, today=D(2026, 1, 2)
    )
    assert plan.based_on == superior and plan.status == PlanStatus.DRAFT
    assert plan.issue_date == D(2026, 1, 10)  # never before the superior's
    assert plan.number == 2 and plan.issuer_abbreviation == "CB"
    assert plan.sections.count() == superior.sections.count()
    later = services.start_from_superior(
        superior=superior, unit=world.cell_b, by=None, today=D(2026, 2, 2)
    )
    assert later.issue_date == D(2026, 2, 2)


# --- delivery -------------------------------------------------------------------------


def test_issuing_a_cell_plan_delivers_it_to_current_members_only(world):
    gone = make_member(world.cell_a, "Người Đã Chuyển", since=D(2015, 1, 1))
    PartyMembership.objects.filter(person=gone).update(valid_to=D(2020, 1, 1))
    plan = issued(world.cell_a, day=D(2026, 1, 5))
    people = set(items_of(plan).values_list("person__full_name", flat=True))
    assert "Nguyễn Văn Đảng" in people and "Lê Văn Đồng Chí" in people
    assert "Người Đã Chuyển" not in people and "Phạm Văn Khác" not in people
    assert len(people) == 3


def test_delivery_is_idempotent(world):
    plan = issued(world.cell_a, day=D(2026, 1, 5))
    before = InboxItem.objects.count()
    assert services.deliver_plan(plan=plan) == 0
    assert InboxItem.objects.count() == before


def test_acknowledging_works_once(world):
    plan = issued(world.cell_a, day=D(2026, 1, 5))
    item = items_of(plan).get(person=world.people.member)
    first = services.acknowledge(item=item, by=world.user("member"))
    again = services.acknowledge(item=item, by=world.user("secretary"))
    assert first.acknowledged_at == again.acknowledged_at
    assert again.acknowledged_by == world.user("member")
    status = deployment_of(plan)
    assert (status.total, len(status.acknowledged), len(status.waiting)) == (3, 1, 2)


def test_committee_plan_goes_to_subordinate_units_not_to_the_advisory_body(world):
    plan = issued(world.commune, day=D(2026, 1, 5), kind=PlanKind.IMPLEMENTATION)
    units = set(items_of(plan).values_list("unit__name", flat=True))
    assert units == {"Chi bộ ấp Đông Bình", "Chi bộ ấp Tây Bình", "Ủy ban nhân dân xã Thoại Sơn"}
    assert not items_of(plan).filter(person__isnull=False).exists()


def test_study_plan_of_the_committee_does_not_ask_state_units_for_their_own(world):
    plan = issued(world.commune, day=D(2026, 1, 5))
    assert not items_of(plan).filter(unit=world.ubnd).exists()


def test_issuing_the_units_own_plan_completes_the_follow_item(cascade):
    w = cascade
    item = items_of(w.commune_plan).get(unit=w.cell_a)
    assert item.kind == InboxKind.FOLLOW_PLAN and item.completed_at is not None
    assert items_of(w.commune_plan).get(unit=w.cell_b).completed_at is None


def test_state_unit_plan_goes_to_its_current_staff(world):
    plan = issued(world.ubnd, day=D(2026, 1, 5), kind=PlanKind.IMPLEMENTATION)
    assert list(items_of(plan).values_list("person__full_name", flat=True)) == [
        "Huỳnh Thị Công Chức"
    ]


def test_remind_counts_only_those_who_have_not_read(world):
    plan = issued(world.cell_a, day=D(2026, 1, 5))
    services.acknowledge(item=items_of(plan).get(person=world.people.member), by=None)
    assert services.remind(plan=plan, by=None) == 2
    assert items_of(plan).filter(reminder_count=1).count() == 2


def test_superseded_version_leaves_the_inbox_and_the_new_one_is_delivered(cascade):
    old = cascade.cell_plan
    correction = services.create_correction(plan=old, by=None, reason="Bổ sung")
    services.issue_plan(plan=correction, by=None)
    assert not items_of(old).filter(completed_at__isnull=True, acknowledged_at__isnull=True)
    assert items_of(correction).count() == 3


# --- collective models ----------------------------------------------------------------


def test_register_model_with_targets_progress_and_results(cascade):
    w = cascade
    model = services.register_model(
        unit=w.cell_a,
        year=2026,
        name="Tuyến đường hoa ấp Đông Bình",
        by=None,
        plan=w.cell_plan,
        people=[w.people.secretary],
        targets=[
            {"description": "Trồng hoa", "target_value": Decimal("2"), "unit_of_measure": "km"}
        ],
    )
    target = model.targets.get()
    entry = services.add_progress(
        model=model,
        date=D(2026, 3, 1),
        note="Trồng 500 m",
        value=Decimal("0.5"),
        target=target,
        by=None,
    )
    assert entry.pk
    services.record_results(
        model=model,
        period=services.MID_YEAR,
        text="Đạt 50%",
        values={target.pk: Decimal("1")},
        by=None,
    )
    target.refresh_from_db()
    model.refresh_from_db()
    assert target.mid_year_value == Decimal("1") and model.mid_year_result == "Đạt 50%"


def test_model_people_in_charge_must_belong_to_the_unit(world):
    with pytest.raises(DomainError) as err:
        services.register_model(
            unit=world.cell_a,
            year=2026,
            name="Mô hình",
            by=None,
            people=[world.people.other_member],
        )
    assert err.value.field == "people_in_charge"


def test_progress_value_needs_a_target_and_a_past_date(world):
    model = services.register_model(unit=world.cell_a, year=2026, name="Mô hình", by=None)
    with pytest.raises(DomainError):
        services.add_progress(model=model, date=D(2026, 1, 1), note="x", value=Decimal(1), by=None)
    future = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(DomainError):
        services.add_progress(model=model, date=future, note="x", by=None)


def test_unused_person_factory_is_importable():
    assert PersonFactory


def test_progress_value_cannot_be_negative(world):
    model = services.register_model(
        unit=world.cell_a,
        year=2026,
        name="Mô hình",
        by=None,
        targets=[{"description": "Số hộ thoát nghèo", "target_value": Decimal("10")}],
    )
    with pytest.raises(DomainError) as err:
        services.add_progress(
            model=model,
            date=D(2026, 3, 1),
            note="Nhầm",
            value=Decimal("-3"),
            target=model.targets.get(),
            by=None,
        )
    assert err.value.field == "value" and "cannot be negative" in str(err.value.message)
    assert not model.progress_entries.exists()
    zero = services.add_progress(
        model=model,
        date=D(2026, 3, 1),
        note="Chưa có",
        value=0,
        target=model.targets.get(),
        by=None,
    )
    assert zero.value == 0
