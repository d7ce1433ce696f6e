"""API of study sessions: the same rules as the pages, DomainError → 400."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lamtheo.org.models import SuccessionKind, Unit, UnitKind, UnitSuccession
from lamtheo.plans.models import PlanStatus
from lamtheo.study.models import StudySession
from tests.factories import make_unit
from tests.study.test_services import make_plan


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_creates_a_session_with_the_expected_list(world, login, today):
    client = login(world.user("secretary"))
    response = _post(
        client,
        reverse("api:study-session-list"),
        {"unit": world.cell_a.pk, "date": "2026-03-10", "place": "Hội trường"},
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["year"], data["status"], data["audience"]) == (2026, "planned", "party")
    assert data["topic"] == world.programme_year.theme_title
    assert StudySession.objects.get().attendances.count() == 3


def test_api_refuses_a_session_for_a_committee(world, login):
    response = _post(
        login(world.user("admin")),
        reverse("api:study-session-list"),
        {"unit": world.commune.pk, "date": "2026-03-10"},
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_api_bulk_records_attendance(world, login, session_a):
    p = world.people
    client = login(world.user("secretary"))
    url = reverse("api:study-session-attendance", args=[session_a.pk])
    response = _post(
        client,
        url,
        {
            "entries": [
                {"person": p.member.pk, "status": "present"},
                {"person": p.colleague.pk, "status": "excused", "reason": "ốm"},
                {"person": p.secretary.pk, "status": "absent"},
            ]
        },
    )
    assert response.status_code == 200
    statuses = {row["person"]: row["status"] for row in response.json()}
    assert statuses == {p.member.pk: "present", p.colleague.pk: "excused", p.secretary.pk: "absent"}
    session_a.refresh_from_db()
    assert session_a.status == "held"


def test_api_attendance_errors_are_400_and_save_nothing(world, login, session_a):
    p = world.people
    client = login(world.user("secretary"))
    url = reverse("api:study-session-attendance", args=[session_a.pk])
    no_reason = _post(client, url, {"entries": [{"person": p.colleague.pk, "status": "excused"}]})
    assert no_reason.status_code == 400
    assert no_reason.json()["details"]
    stranger = _post(client, url, {"entries": [{"person": p.other_member.pk, "status": "present"}]})
    assert stranger.status_code == 400
    pending = _post(client, url, {"entries": [{"person": p.member.pk, "status": "pending"}]})
    assert pending.status_code == 400
    assert not session_a.attendances.exclude(status="pending").exists()


def test_api_future_session_refuses_attendance(world, login, today):
    client = login(world.user("secretary"))
    created = _post(
        client, reverse("api:study-session-list"), {"unit": world.cell_a.pk, "date": "2026-03-25"}
    ).json()
    response = _post(
        client,
        reverse("api:study-session-attendance", args=[created["id"]]),
        {"entries": [{"person": world.people.member.pk, "status": "present"}]},
    )
    assert response.status_code == 400
    assert "date" in response.json()


def test_api_member_reads_only_their_own_attendance_row(world, login, held_session_a):
    client = login(world.user("member"))
    rows = client.get(reverse("api:study-session-attendance", args=[held_session_a.pk])).json()
    assert [row["person"] for row in rows] == [world.people.member.pk]
    oversight = login(world.user("oversight"))
    assert (
        len(oversight.get(reverse("api:study-session-attendance", args=[held_session_a.pk])).json())
        == 3
    )


def test_api_member_cannot_record_attendance(world, login, session_a):
    response = _post(
        login(world.user("member")),
        reverse("api:study-session-attendance", args=[session_a.pk]),
        {"entries": [{"person": world.people.member.pk, "status": "present"}]},
    )
    assert response.status_code == 403


def test_api_list_is_scoped(world, login, held_session_a):
    from lamtheo.study import services

    services.create_study_session(unit=world.cell_b, date=dt.date(2026, 3, 11), by=None)
    ids = lambda persona: {  # noqa: E731
        s["unit"]
        for s in login(world.user(persona)).get(reverse("api:study-session-list")).json()["results"]
    }
    assert ids("member") == {world.cell_a.pk}
    assert ids("other_member") == {world.cell_b.pk}
    assert ids("oversight") == {world.cell_a.pk, world.cell_b.pk}
    assert ids("staff") == set()


def test_api_make_up_close_and_reopen(world, login, held_session_a):
    client = login(world.user("secretary"))
    pk = held_session_a.pk
    makeup = _post(client, reverse("api:study-session-makeup", args=[pk]), {"date": "2026-03-17"})
    assert makeup.status_code == 201
    assert makeup.json()["makeup_of"] == pk
    again = _post(client, reverse("api:study-session-makeup", args=[pk]), {"date": "2026-03-18"})
    assert again.status_code == 400  # one planned make-up at a time
    close = _post(client, reverse("api:study-session-close", args=[pk]), {})
    assert close.status_code == 200 and close.json()["status"] == "closed"
    reopen = _post(client, reverse("api:study-session-reopen", args=[pk]), {"reason": ""})
    assert reopen.status_code == 400
    reopen = _post(client, reverse("api:study-session-reopen", args=[pk]), {"reason": "Ghi nhầm"})
    assert reopen.json()["status"] == "held"


def test_api_patch_keeps_unit_and_checks_dates(world, login, session_a):
    client = login(world.user("secretary"))
    url = reverse("api:study-session-detail", args=[session_a.pk])
    response = client.patch(
        url, {"unit": world.cell_b.pk, "place": "Ấp"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["unit"] == world.cell_a.pk
    response = client.patch(url, {"date": "2027-01-05"}, content_type="application/json")
    assert response.status_code == 400


def test_api_another_cells_draft_plan_looks_like_a_missing_one(world, login, today):
    """Sending the id of a plan one may not read gives the same error as a made-up id: the
    answer does not tell that the draft exists (nor that it is a draft)."""
    draft = make_plan(world.cell_b, issue_date=dt.date(2026, 3, 1), status=PlanStatus.DRAFT)
    client = login(world.user("secretary"))
    url = reverse("api:study-session-list")
    session = {"unit": world.cell_a.pk, "date": "2026-03-10"}
    foreign = _post(client, url, {**session, "plan": draft.pk})
    missing = _post(client, url, {**session, "plan": draft.pk + 1000})
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["plan"] == [
        m.replace(str(draft.pk + 1000), str(draft.pk)) for m in missing.json()["plan"]
    ]
    assert not StudySession.objects.exists()


def test_api_session_deploys_the_communes_issued_plan(world, login, today):
    plan = make_plan(world.commune, issue_date=dt.date(2026, 3, 1))
    response = _post(
        login(world.user("secretary")),
        reverse("api:study-session-list"),
        {"unit": world.cell_a.pk, "date": "2026-03-10", "plan": plan.pk},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["plan"] == plan.pk


def test_api_session_deploys_the_plan_of_the_district_its_commune_replaced(world, login, today):
    """The page offers the plans of a reorganised unit's predecessors; so does the API, though
    the plans app does not list them among the plans the secretary reads."""
    district = make_unit(
        kind=UnitKind.DISTRICT_COMMITTEE,
        name="Huyện ủy Thoại Sơn",
        parent=Unit.objects.get(depth=1),
        doc_abbreviation="HU",
    )
    UnitSuccession.objects.create(
        predecessor=district,
        successor=world.commune,
        kind=SuccessionKind.MERGE,
        effective_on=dt.date(2025, 7, 1),
    )
    plan = make_plan(district, issue_date=dt.date(2026, 1, 5))
    response = _post(
        login(world.user("secretary")),
        reverse("api:study-session-list"),
        {"unit": world.cell_a.pk, "date": "2026-03-10", "plan": plan.pk},
    )
    assert response.status_code == 201, response.json()
