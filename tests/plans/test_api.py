"""API tests: the same rules as the pages, through /api/v1/."""

from __future__ import annotations

from django.urls import reverse

from lamtheo.plans import services
from lamtheo.plans.models import Plan, PlanStatus
from lamtheo.plans.selectors import items_of
from tests.plans.conftest import D, draft, issued


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def _body(unit, **extra):
    body = {
        "unit": unit.pk,
        "kind": "study",
        "year": 2026,
        "title": "Kế hoạch học tập",
        "issue_date": "2026-01-20",
        "sections": [{"heading": "I. MỤC ĐÍCH", "text": "Nắm vững"}],
    }
    body.update(extra)
    return body


def test_api_creates_a_plan_with_sections_and_proposed_number(world, login):
    client = login(world.user("secretary"))
    response = _json(client, "post", reverse("api:plan-list"), _body(world.cell_a))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["symbol"] == "01-KH/CB" and data["symbol_display"] == "Số 01-KH/CB"
    assert data["status"] == "draft" and data["sections"][0]["heading"] == "I. MỤC ĐÍCH"


def test_api_refuses_a_date_before_the_superior_with_the_other_plan(world, login):
    superior = issued(world.commune, day=D(2026, 1, 22))
    client = login(world.user("secretary"))
    response = _json(
        client, "post", reverse("api:plan-list"), _body(world.cell_a, based_on=superior.pk)
    )
    assert response.status_code == 400
    data = response.json()
    assert superior.symbol in data["detail"] and "22/01/2026" in data["detail"]
    assert data["issue_date"]


def test_api_refuses_a_duplicate_number(world, login):
    draft(world.cell_a, day=D(2026, 1, 5), number=4)
    client = login(world.user("secretary"))
    response = _json(client, "post", reverse("api:plan-list"), _body(world.cell_a, number=4))
    assert response.status_code == 400 and "number" in response.json()


def test_api_state_symbol(world, login):
    client = login(world.user("admin"))
    response = _json(
        client,
        "post",
        reverse("api:plan-list"),
        _body(world.ubnd, kind="implementation", number=12),
    )
    assert response.json()["symbol_display"] == "Số: 12/KH-UBND"


def test_api_issued_plan_is_locked_and_corrected_by_a_new_version(cascade, login):
    w = cascade
    client = login(w.user("secretary"))
    url = reverse("api:plan-detail", args=[w.cell_plan.pk])
    response = _json(client, "patch", url, {"title": "Khác"})
    assert response.status_code == 400 and response.json()["code"] == "locked"
    response = _json(client, "post", reverse("api:plan-correct", args=[w.cell_plan.pk]), {})
    assert response.status_code == 400
    response = _json(
        client, "post", reverse("api:plan-correct", args=[w.cell_plan.pk]), {"reason": "Sửa"}
    )
    assert response.status_code == 201
    new = response.json()
    assert new["version"] == 2 and new["supersedes"] == w.cell_plan.pk
    response = _json(client, "post", reverse("api:plan-issue", args=[new["id"]]))
    assert response.status_code == 200 and response.json()["status"] == "issued"
    w.cell_plan.refresh_from_db()
    assert w.cell_plan.status == PlanStatus.SUPERSEDED


def test_api_refused_superior_date_change_lists_the_plans_below(cascade, login):
    w = cascade
    correction = services.create_correction(plan=w.commune_plan, by=None, reason="Sai ngày")
    client = login(w.user("oversight"))
    url = reverse("api:plan-detail", args=[correction.pk])
    assert _json(client, "patch", url, {"issue_date": "2026-01-30"}).status_code == 200
    response = _json(client, "post", reverse("api:plan-issue", args=[correction.pk]))
    assert response.status_code == 400
    data = response.json()
    assert any(w.cell_plan.symbol in d and "15/01/2026" in d for d in data["details"])


def test_api_acknowledge_is_idempotent_and_scoped(cascade, login):
    item = items_of(cascade.cell_plan).get(person=cascade.people.member)
    url = reverse("api:inbox-item-acknowledge", args=[item.pk])
    assert _json(login(cascade.user("other_member")), "post", url).status_code == 404
    client = login(cascade.user("member"))
    first = _json(client, "post", url).json()["acknowledged_at"]
    second = _json(client, "post", url).json()["acknowledged_at"]
    assert first and first == second
    inbox = client.get(reverse("api:inbox-item-list")).json()["results"]
    assert [i["plan"] for i in inbox] == [cascade.cell_plan.pk]


def test_api_member_sees_own_cell_plans_and_the_superior_only(cascade, login):
    other = issued(cascade.cell_b, day=D(2026, 1, 20))
    own_draft = draft(cascade.cell_a, day=D(2026, 1, 20), kind="implementation")
    client = login(cascade.user("member"))
    ids = {p["id"] for p in client.get(reverse("api:plan-list")).json()["results"]}
    assert ids == {cascade.cell_plan.pk, cascade.commune_plan.pk}
    assert client.get(reverse("api:plan-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:plan-detail", args=[own_draft.pk])).status_code == 404


def test_api_deployment_and_remind(cascade, login):
    client = login(cascade.user("secretary"))
    data = client.get(reverse("api:plan-deployment", args=[cascade.cell_plan.pk])).json()
    assert data["total"] == 3 and data["waiting_count"] == 3
    response = _json(client, "post", reverse("api:plan-remind", args=[cascade.cell_plan.pk]))
    assert response.json() == {"reminded": 3}


def test_api_follow_creates_a_draft_for_the_unit(world, login):
    superior = issued(world.commune, day=D(2026, 1, 10))
    client = login(world.user("secretary"))
    response = _json(
        client, "post", reverse("api:plan-follow", args=[superior.pk]), {"unit": world.cell_a.pk}
    )
    assert response.status_code == 201
    assert response.json()["based_on"] == superior.pk
    response = _json(
        client, "post", reverse("api:plan-follow", args=[superior.pk]), {"unit": world.cell_b.pk}
    )
    assert response.status_code == 404


def test_api_sections_of_an_issued_plan_are_locked(cascade, login):
    client = login(cascade.user("secretary"))
    section = cascade.cell_plan.sections.first()
    url = reverse("api:plan-section-detail", args=[section.pk])
    assert _json(client, "patch", url, {"text": "x"}).status_code == 400


def test_api_coverage_and_violations(cascade, login):
    Plan.objects.create(
        unit=cascade.cell_b,
        year=2026,
        kind="study",
        issuer_abbreviation="CB",
        number=9,
        numbering_period="2025-2030",
        issue_date=D(2026, 1, 2),
        title="Nhập",
        status=PlanStatus.ISSUED,
    )
    client = login(cascade.user("oversight"))
    tree = client.get(reverse("api:coverage-list"), {"year": 2026, "kind": "study"}).json()
    assert tree["unit"] == cascade.commune.pk
    assert (tree["issued"], tree["not_issued"]) == (3, 0)
    found = client.get(reverse("api:date-violation-list"), {"year": 2026}).json()
    assert len(found) == 1 and "09-KH/CB" in found[0]["message"]
    assert (
        client.get(reverse("api:coverage-list"), {"unit": cascade.province.pk}).status_code == 404
    )


def test_api_models_progress_and_results(cascade, login):
    client = login(cascade.user("secretary"))
    response = _json(
        client,
        "post",
        reverse("api:collective-model-list"),
        {
            "unit": cascade.cell_a.pk,
            "year": 2026,
            "name": "Tuyến đường hoa",
            "plan": cascade.cell_plan.pk,
            "people_in_charge": [cascade.people.secretary.pk],
            "targets": [{"description": "Trồng hoa", "target_value": "2", "unit_of_measure": "km"}],
        },
    )
    assert response.status_code == 201, response.json()
    model = response.json()
    target = model["targets"][0]["id"]
    response = _json(
        client,
        "post",
        reverse("api:model-progress-list"),
        {
            "model": model["id"],
            "target": target,
            "date": "2026-01-20",
            "note": "Trồng",
            "value": "0.5",
        },
    )
    assert response.status_code == 201, response.json()
    response = _json(
        client,
        "post",
        reverse("api:collective-model-results", args=[model["id"]]),
        {"period": "mid_year", "text": "Đạt 1 km", "values": {str(target): "1"}},
    )
    assert response.json()["targets"][0]["mid_year_value"] == "1.00"
    other = login(cascade.user("other_secretary"))
    url = reverse("api:collective-model-detail", args=[model["id"]])
    assert other.get(url).status_code == 404


def test_api_plan_coverage_is_for_the_plans_writers_like_the_page(cascade, login):
    # A member of cell A reads the commune's plan but must not see who else followed it
    # (cell B's plan numbers and dates): the page answers 404, so does the API.
    url = reverse("api:plan-coverage", args=[cascade.commune_plan.pk])
    page = reverse("plans:plan-deployment", args=[cascade.commune_plan.pk])
    member = login(cascade.user("member"))
    detail = reverse("api:plan-detail", args=[cascade.commune_plan.pk])
    assert member.get(detail).status_code == 200
    assert member.get(page).status_code == 404
    assert member.get(url).status_code == 404
    oversight = login(cascade.user("oversight"))
    rows = oversight.get(url).json()
    assert cascade.cell_plan.pk in {row["plan"] for row in rows}


def _model_body(world, people):
    return {
        "unit": world.cell_a.pk,
        "year": 2026,
        "name": "Tuyến đường hoa",
        "people_in_charge": people,
    }


def test_api_person_in_charge_outside_scope_is_refused_like_a_missing_id(world, login):
    # Cell A's secretary must not learn that cell B's member exists.
    client = login(world.user("secretary"))
    url = reverse("api:collective-model-list")
    outside = _json(client, "post", url, _model_body(world, [world.people.other_member.pk]))
    missing = _json(client, "post", url, _model_body(world, [999999]))
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == {
        "people_in_charge": [
            e.replace("999999", str(world.people.other_member.pk))
            for e in missing.json()["people_in_charge"]
        ]
    }
    ok = _json(client, "post", url, _model_body(world, [world.people.colleague.pk]))
    assert ok.status_code == 201, ok.json()


def test_api_progress_target_outside_scope_is_refused_like_a_missing_id(world, login):
    def model_of(unit):
        return services.register_model(
            unit=unit,
            year=2026,
            name="Mô hình",
            description="",
            plan=None,
            targets=[services.TargetData(description="Trồng hoa", target_value=2)],
            by=None,
        )

    mine, theirs = model_of(world.cell_a), model_of(world.cell_b)
    client = login(world.user("secretary"))
    url = reverse("api:model-progress-list")

    def post(target):
        body = {"model": mine.pk, "target": target, "date": "2026-01-20", "note": "Trồng"}
        return _json(client, "post", url, body)

    outside, missing = post(theirs.targets.get().pk), post(999999)
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == {
        "target": [
            e.replace("999999", str(theirs.targets.get().pk)) for e in missing.json()["target"]
        ]
    }
    assert post(mine.targets.get().pk).status_code == 201


def test_api_refuses_a_negative_progress_value_with_the_pages_message(world, login):
    model = services.register_model(
        unit=world.cell_a,
        year=2026,
        name="Giảm nghèo",
        by=None,
        targets=[services.TargetData(description="Số hộ thoát nghèo", target_value=10)],
    )
    client = login(world.user("secretary"))
    body = {
        "model": model.pk,
        "target": model.targets.get().pk,
        "date": "2026-03-02",
        "note": "Nhầm",
        "value": "-3",
    }
    response = _json(client, "post", reverse("api:model-progress-list"), body)
    assert response.status_code == 400
    assert "cannot be negative" in response.json()["value"][0]
    assert not model.progress_entries.exists()
    body["value"] = "3"
    response = _json(client, "post", reverse("api:model-progress-list"), body)
    assert response.status_code == 201 and response.json()["value"] == "3.00"
