"""Superior plans a writer must be able to open: the People's Committee beside a state unit
(its superior for staff plans), and in a merger year the commune's plan beside the plan of
the district it succeeded (which the cell's secretary cannot open)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from lamtheo.org.models import Role, SuccessionKind, UnitKind, UnitSuccession
from lamtheo.org.scope import get_scope
from lamtheo.plans.dates import PlanIndex
from lamtheo.plans.forms import PlanForm
from lamtheo.plans.models import Plan, PlanKind, PlanStatus
from lamtheo.plans.selectors import (
    plan_read_q,
    readable_plan_ids,
    superior_plan_choices,
    superior_plans_to_deploy,
)
from lamtheo.programme.models import Audience
from tests.factories import UserFactory, grant, make_staff, make_unit
from tests.plans.conftest import D, draft, issued

IMPLEMENTATION = PlanKind.IMPLEMENTATION


@pytest.fixture
def state_unit(world):
    """A public service unit (a school) under the commune committee, beside the commune's
    People's Committee: its secretary writes its plans, a teacher is staff there. The
    People's Committee has issued its implementation plan and has a draft; another commune's
    People's Committee has issued one too."""
    w = world
    w.school = make_unit(
        kind=UnitKind.PUBLIC_SERVICE_UNIT,
        name="Trường THCS Thoại Sơn",
        parent=w.commune,
        doc_abbreviation="THCS",
        place_name="Thoại Sơn",
    )
    w.school_writer = UserFactory(username="hieutruong")
    grant(w.school_writer, Role.SECRETARY, w.school)
    w.teacher = UserFactory(username="giaovien")
    make_staff(w.school, "Lê Thị Giáo Viên", user=w.teacher)
    grant(w.teacher, Role.MEMBER, w.school)
    w.ubnd_plan = issued(w.ubnd, day=D(2026, 1, 12), kind=IMPLEMENTATION)
    w.ubnd_draft = draft(w.ubnd, day=D(2026, 2, 1), kind=IMPLEMENTATION, title="Dự thảo UBND")
    other_commune = make_unit(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="Đảng ủy xã Vọng Thê",
        parent=w.province,
        doc_abbreviation="ĐU",
    )
    other_ubnd = make_unit(
        kind=UnitKind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân xã Vọng Thê",
        parent=other_commune,
        doc_abbreviation="UBND",
    )
    w.other_ubnd_plan = issued(other_ubnd, day=D(2026, 1, 13), kind=IMPLEMENTATION)
    return w


def _readable(user, plans):
    return readable_plan_ids(user, [p.pk for p in plans])


def test_a_state_units_writer_may_base_its_plan_on_the_peoples_committees_plan(state_unit):
    w = state_unit
    assert list(superior_plan_choices(unit=w.school, year=2026)) == [w.ubnd_plan]
    form = PlanForm(unit=w.school, user=w.school_writer, initial={"year": 2026})
    assert list(form.fields["based_on"].queryset) == [w.ubnd_plan]
    assert _readable(w.school_writer, [w.ubnd_plan]) == {w.ubnd_plan.pk}


def test_a_state_units_writer_is_asked_to_deploy_the_peoples_committees_plan(state_unit):
    w = state_unit
    to_deploy = superior_plans_to_deploy(w.school_writer, unit=w.school, year=2026)
    assert to_deploy == [w.ubnd_plan]
    issued(w.school, day=D(2026, 1, 20), kind=IMPLEMENTATION, based_on=w.ubnd_plan)
    assert superior_plans_to_deploy(w.school_writer, unit=w.school, year=2026) == []


def test_a_state_units_writer_still_does_not_read_drafts_or_other_communes_plans(state_unit):
    w = state_unit
    plans = [w.ubnd_draft, w.other_ubnd_plan]
    assert _readable(w.school_writer, plans) == set()
    assert _readable(w.teacher, [*plans, w.ubnd_plan]) == set()
    readable = Plan.objects.filter(plan_read_q(get_scope(w.school_writer)))
    assert set(readable) == {w.ubnd_plan}


def test_a_state_units_staff_reads_the_peoples_committees_plan_once_their_unit_follows_it(
    state_unit,
):
    w = state_unit
    issued(w.school, day=D(2026, 1, 20), kind=IMPLEMENTATION, based_on=w.ubnd_plan)
    assert _readable(w.teacher, [w.ubnd_plan, w.ubnd_draft, w.other_ubnd_plan]) == {w.ubnd_plan.pk}


def test_a_party_cells_writer_does_not_read_the_peoples_committees_plan(state_unit):
    w = state_unit
    assert _readable(w.user("secretary"), [w.ubnd_plan, w.other_ubnd_plan]) == set()


def test_a_state_units_writer_opens_the_peoples_committees_plan_page_and_api(state_unit, login):
    w = state_unit
    client = login(w.school_writer)
    for plan, status in ((w.ubnd_plan, 200), (w.ubnd_draft, 404), (w.other_ubnd_plan, 404)):
        assert client.get(reverse("plans:plan-detail", args=[plan.pk])).status_code == status
        assert client.get(reverse("api:plan-detail", args=[plan.pk])).status_code == status
    client = login(w.teacher)
    for plan in (w.ubnd_plan, w.ubnd_draft, w.other_ubnd_plan):
        assert client.get(reverse("plans:plan-detail", args=[plan.pk])).status_code == 404
        assert client.get(reverse("api:plan-detail", args=[plan.pk])).status_code == 404


def _based_on_options(text):
    select = re.search(r'<select name="based_on".*?</select>', text, re.S).group(0)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select)}


@freeze_time("2026-11-26 10:00:00+07:00")
def test_a_state_units_writer_sees_the_plan_in_the_deploy_card_and_the_form(state_unit, login):
    w = state_unit
    client = login(w.school_writer)
    text = client.get(reverse("plans:plan-list")).content.decode()
    assert reverse("plans:plan-follow", args=[w.ubnd_plan.pk]) in text
    assert "Nothing left to deploy" not in text
    url = reverse("plans:plan-create") + f"?unit={w.school.pk}&year=2026"
    assert _based_on_options(client.get(url).content.decode()) == {w.ubnd_plan.pk}
    # Starting from it gives the school a draft based on it.
    follow = reverse("plans:plan-follow", args=[w.ubnd_plan.pk])
    assert client.post(follow, {"unit": w.school.pk}).status_code == 302
    own = Plan.objects.get(unit=w.school)
    assert own.status == PlanStatus.DRAFT and own.based_on == w.ubnd_plan


@pytest.fixture
def merger_year(world):
    """A district committee (until 30/06/2025) succeeded by the commune; the district
    issued its study plan on 10/01/2025, the commune on 10/08/2025."""
    w = world
    w.district = make_unit(
        kind=UnitKind.DISTRICT_COMMITTEE,
        name="Huyện ủy Thoại Sơn",
        parent=w.province,
        doc_abbreviation="HU",
        valid_to=D(2025, 6, 30),
    )
    UnitSuccession.objects.create(
        predecessor=w.district,
        successor=w.commune,
        kind=SuccessionKind.MERGE,
        effective_on=D(2025, 7, 1),
    )
    w.district_plan = issued(w.district, day=D(2025, 1, 10), year=2025)
    w.commune_plan = issued(w.commune, day=D(2025, 8, 10), year=2025)
    return w


def test_in_a_merger_year_the_cell_deploys_the_communes_plan_it_can_open(merger_year):
    w = merger_year
    secretary = w.user("secretary")
    assert _readable(secretary, [w.district_plan, w.commune_plan]) == {w.commune_plan.pk}
    assert superior_plans_to_deploy(secretary, unit=w.cell_a, year=2025) == [w.commune_plan]
    issued(w.cell_a, day=D(2025, 8, 20), year=2025, based_on=w.commune_plan)
    assert superior_plans_to_deploy(secretary, unit=w.cell_a, year=2025) == []


def test_in_a_merger_year_the_date_rules_still_take_the_earliest_plan_of_the_level(
    merger_year,
):
    w = merger_year
    index = PlanIndex.load(root=w.cell_a, year=2025)
    args = {"unit": w.cell_a, "kind": PlanKind.STUDY, "year": 2025, "audience": Audience.PARTY}
    assert index.superior_plans(**args) == [w.district_plan, w.commune_plan]
    assert index.superior_of(**args) == w.district_plan
    # Whoever may open both is offered both (the nearest level holds both).
    assert superior_plans_to_deploy(w.user("admin"), unit=w.cell_a, year=2025) == [
        w.district_plan,
        w.commune_plan,
    ]
