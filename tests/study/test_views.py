"""Client tests of the session pages: happy paths, bad input that keeps the user's data,
and the scope edges (another cell's member gets 404)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lamtheo.plans.models import Plan, PlanKind, PlanStatus
from lamtheo.study import services
from lamtheo.study.models import AttendanceStatus, SessionStatus, StudySession
from lamtheo.study.services import AttendanceEntry


def _status(session, person) -> tuple[str, str]:
    row = session.attendances.get(person=person)
    return row.status, row.reason


# --- List and detail --------------------------------------------------------------------------


def test_member_list_shows_their_cells_sessions_with_their_own_attendance(
    world, login, held_session_a
):
    services.create_study_session(unit=world.cell_b, date=dt.date(2026, 3, 11), by=None)
    response = login(world.user("member")).get(reverse("study:session-list"), {"year": 2026})
    sessions = list(response.context["page"])
    assert sessions == [held_session_a]
    assert sessions[0].my_row.status == AttendanceStatus.PRESENT
    assert not sessions[0].shows_counts


def test_member_sees_only_their_own_row_on_the_detail(world, login, held_session_a):
    response = login(world.user("member")).get(
        reverse("study:session-detail", args=[held_session_a.pk])
    )
    assert [row.person for row in response.context["rows"]] == [world.people.member]
    assert "Lê Văn Đồng Chí" not in response.content.decode()
    assert response.context["summary"] is None


def test_secretary_sees_the_whole_list_and_the_make_up_button(world, login, held_session_a):
    response = login(world.user("secretary")).get(
        reverse("study:session-detail", args=[held_session_a.pk])
    )
    assert len(response.context["rows"]) == 3
    assert response.context["summary"]["present"] == 1
    assert response.context["owed"] == 2
    assert reverse("study:session-makeup", args=[held_session_a.pk]) in response.content.decode()


def test_member_of_another_cell_gets_404_on_sessions_and_attendance(world, login, held_session_a):
    client = login(world.user("other_member"))
    pk = held_session_a.pk
    for url in (
        reverse("study:session-detail", args=[pk]),
        reverse("study:session-attendance", args=[pk]),
        reverse("api:study-session-detail", args=[pk]),
        reverse("api:study-session-attendance", args=[pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("study:session-attendance", args=[pk]), {}).status_code == 404


# --- Create and edit ----------------------------------------------------------------------


def test_secretary_plans_a_session(world, login, today):
    client = login(world.user("secretary"))
    page = client.get(reverse("study:session-create"))
    assert page.context["form"].fields["unit"].initial == world.cell_a.pk
    response = client.post(
        reverse("study:session-create"),
        {
            "unit": world.cell_a.pk,
            "date": "25/03/2026",
            "start_time": "19:30",
            "place": "Nhà văn hóa",
        },
    )
    session = StudySession.objects.get()
    assert response["Location"] == reverse("study:session-detail", args=[session.pk])
    assert (session.start_time, session.attendances.count()) == (dt.time(19, 30), 3)
    assert session.created_by == world.user("secretary")


def test_session_before_its_plan_is_refused_and_the_form_keeps_the_input(world, login, today):
    plan = Plan.objects.create(
        unit=world.commune,
        year=2026,
        kind=PlanKind.STUDY,
        issuer_abbreviation="ĐU",
        number=3,
        issue_date=dt.date(2026, 3, 15),
        title="Kế hoạch học tập chuyên đề năm 2026",
        status=PlanStatus.ISSUED,
    )
    client = login(world.user("secretary"))
    response = client.post(
        reverse("study:session-create"),
        {"unit": world.cell_a.pk, "date": "10/03/2026", "place": "Hội trường ấp", "plan": plan.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert 'value="Hội trường ấp"' in response.content.decode()
    assert not StudySession.objects.exists()


def test_bad_date_keeps_the_form(world, login):
    response = login(world.user("secretary")).post(
        reverse("study:session-create"),
        {"unit": world.cell_a.pk, "date": "31/02/2026", "place": "Hội trường"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]


def test_member_cannot_plan_a_session(world, login):
    assert login(world.user("member")).get(reverse("study:session-create")).status_code == 403


def test_secretary_edits_a_session(world, login, session_a):
    response = login(world.user("secretary")).post(
        reverse("study:session-edit", args=[session_a.pk]),
        {"date": "12/03/2026", "place": "Nhà văn hóa", "topic": "Chuyên đề riêng"},
    )
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert (session_a.date, session_a.topic) == (dt.date(2026, 3, 12), "Chuyên đề riêng")


# --- Attendance sheet --------------------------------------------------------------------------


def test_attendance_sheet_has_three_toggles_per_person(world, login, session_a):
    response = login(world.user("secretary")).get(
        reverse("study:session-attendance", args=[session_a.pk])
    )
    html = response.content.decode()
    assert html.count('class="btn-check att-status"') == 9
    assert 'value="all_present"' in html


def test_whole_sheet_is_saved_in_one_post(world, login, session_a):
    p = world.people
    response = login(world.user("secretary")).post(
        reverse("study:session-attendance", args=[session_a.pk]),
        {
            f"status-{p.member.pk}": "present",
            f"status-{p.secretary.pk}": "absent",
            f"status-{p.colleague.pk}": "excused",
            f"reason-{p.colleague.pk}": "ốm",
        },
    )
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.status == SessionStatus.HELD
    assert _status(session_a, p.colleague) == ("excused", "ốm")
    assert _status(session_a, p.secretary) == ("absent", "")


def test_excused_without_reason_saves_nothing_and_keeps_the_sheet(world, login, session_a):
    p = world.people
    response = login(world.user("secretary")).post(
        reverse("study:session-attendance", args=[session_a.pk]),
        {
            f"status-{p.member.pk}": "present",
            f"status-{p.colleague.pk}": "excused",
            f"reason-{p.colleague.pk}": "",
        },
    )
    assert response.status_code == 200
    rows = {row.person_id: row for row in response.context["rows"]}
    assert rows[p.colleague.pk].error
    assert rows[p.member.pk].status == "present"  # what the user chose is still there
    assert not session_a.attendances.exclude(status="pending").exists()


def test_mark_all_present_fills_the_rows_not_chosen(world, login, session_a):
    p = world.people
    login(world.user("secretary")).post(
        reverse("study:session-attendance", args=[session_a.pk]),
        {
            "action": "all_present",
            f"status-{p.secretary.pk}": "excused",
            f"reason-{p.secretary.pk}": "họp",
        },
    )
    assert _status(session_a, p.member) == ("present", "")
    assert _status(session_a, p.colleague) == ("present", "")
    assert _status(session_a, p.secretary) == ("excused", "họp")


def test_htmx_saves_one_row(world, login, session_a):
    p = world.people
    client = login(world.user("secretary"))
    url = reverse("study:session-attendance", args=[session_a.pk])
    response = client.post(url, {f"status-{p.member.pk}": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "text-success" in response.content.decode()
    assert _status(session_a, p.member) == ("present", "")
    assert _status(session_a, p.colleague) == ("pending", "")
    assert _status(session_a, p.secretary) == ("pending", "")


def test_htmx_row_change_sends_only_its_own_fields(world, login, session_a):
    """The toggles sit inside the sheet's form, which htmx would otherwise post whole."""
    html = (
        login(world.user("secretary"))
        .get(reverse("study:session-attendance", args=[session_a.pk]))
        .content.decode()
    )
    for person in (world.people.member, world.people.colleague):
        only_row = f'hx-params="status-{person.pk},reason-{person.pk}"'
        assert html.count(only_row) == 4  # three toggles and the reason


def test_htmx_excused_waits_for_its_reason_without_an_error(world, login, session_a):
    p = world.people
    client = login(world.user("secretary"))
    url = reverse("study:session-attendance", args=[session_a.pk])
    response = client.post(
        url,
        {f"status-{p.colleague.pk}": "excused", f"reason-{p.colleague.pk}": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode() == ""
    assert _status(session_a, p.colleague) == ("pending", "")
    response = client.post(
        url,
        {f"status-{p.colleague.pk}": "excused", f"reason-{p.colleague.pk}": "ốm"},
        HTTP_HX_REQUEST="true",
    )
    assert "text-success" in response.content.decode()
    assert _status(session_a, p.colleague) == ("excused", "ốm")


def test_final_save_after_autosave_reports_everyone_recorded(world, login, session_a):
    p = world.people
    client = login(world.user("secretary"))
    url = reverse("study:session-attendance", args=[session_a.pk])
    sheet = {
        f"status-{p.member.pk}": "present",
        f"status-{p.secretary.pk}": "absent",
        f"status-{p.colleague.pk}": "excused",
        f"reason-{p.colleague.pk}": "ốm",
    }
    for person in (p.member, p.secretary, p.colleague):
        row = {k: v for k, v in sheet.items() if k.endswith(f"-{person.pk}")}
        client.post(url, row, HTTP_HX_REQUEST="true")
    response = client.post(url, {**sheet, "action": "save"}, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "3" in message and "0" not in message
    assert _status(session_a, p.colleague) == ("excused", "ốm")


def test_future_session_cannot_take_attendance(world, login, today):
    session = services.create_study_session(unit=world.cell_a, date=dt.date(2026, 3, 25), by=None)
    client = login(world.user("secretary"))
    url = reverse("study:session-attendance", args=[session.pk])
    assert client.get(url).context["too_early"]
    response = client.post(url, {f"status-{world.people.member.pk}": "present"})
    assert response.status_code == 200
    assert response.context["sheet_error"]
    assert _status(session, world.people.member) == ("pending", "")


def test_closed_session_needs_reopening(world, login, held_session_a):
    p = world.people
    services.record_attendance(
        session=held_session_a, entries=[AttendanceEntry(p.secretary.pk, "present")], by=None
    )
    client = login(world.user("secretary"))
    assert client.post(reverse("study:session-close", args=[held_session_a.pk])).status_code == 302
    response = client.post(
        reverse("study:session-attendance", args=[held_session_a.pk]),
        {f"status-{p.member.pk}": "absent"},
    )
    assert response.status_code == 200 and response.context["sheet_error"]
    response = client.post(
        reverse("study:session-reopen", args=[held_session_a.pk]), {"reason": ""}
    )
    assert response.context["form"].errors["reason"]
    client.post(reverse("study:session-reopen", args=[held_session_a.pk]), {"reason": "Ghi nhầm"})
    held_session_a.refresh_from_db()
    assert held_session_a.status == SessionStatus.HELD


def test_close_with_unrecorded_people_shows_why(world, login, session_a):
    services.record_attendance(
        session=session_a, entries=[AttendanceEntry(world.people.member.pk, "present")], by=None
    )
    response = login(world.user("secretary")).post(
        reverse("study:session-close", args=[session_a.pk])
    )
    assert response.status_code == 200
    assert response.context["error"]


# --- Expected list and make-ups ------------------------------------------------------------------


def test_expected_list_add_and_remove_with_reason(world, login, session_a):
    from tests.factories import make_member

    newcomer = make_member(world.cell_a, "Đinh Thị Mới", since=dt.date(2026, 3, 15))
    client = login(world.user("secretary"))
    url = reverse("study:session-expected", args=[session_a.pk])
    response = client.post(url, {"person": newcomer.pk, "reason": ""})
    assert response.context["form"].errors["reason"]
    assert client.post(url, {"person": newcomer.pk, "reason": "Mới chuyển đến"}).status_code == 302
    row = session_a.attendances.get(person=newcomer)
    remove = reverse("study:session-expected-remove", args=[session_a.pk, row.pk])
    assert client.post(remove, {"reason": "Nhầm"}).status_code == 302
    assert not session_a.attendances.filter(person=newcomer).exists()


def test_make_up_page_creates_a_session_for_the_absent(world, login, held_session_a):
    client = login(world.user("secretary"))
    url = reverse("study:session-makeup", args=[held_session_a.pk])
    page = client.get(url)
    assert {row.person for row in page.context["owed"]} == {
        world.people.colleague,
        world.people.secretary,
    }
    response = client.post(url, {"date": "09/03/2026", "place": "Hội trường"})
    assert response.context["form"].errors["date"]
    response = client.post(url, {"date": "17/03/2026", "place": "Hội trường"})
    makeup = StudySession.objects.get(makeup_of=held_session_a)
    assert response["Location"] == reverse("study:session-detail", args=[makeup.pk])
    assert makeup.attendances.count() == 2


# --- Home widget ---------------------------------------------------------------------------------


def test_home_shows_the_secretary_attendance_to_enter(world, login, session_a):
    response = login(world.user("secretary")).get(reverse("home"))
    assert reverse("study:session-attendance", args=[session_a.pk]) in response.content.decode()


def test_home_shows_the_member_their_coming_session(world, login, today):
    coming = services.create_study_session(unit=world.cell_a, date=dt.date(2026, 3, 25), by=None)
    response = login(world.user("member")).get(reverse("home"))
    assert reverse("study:session-detail", args=[coming.pk]) in response.content.decode()


def test_session_list_query_count_does_not_grow_with_sessions(world, login, held_session_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.user("oversight"))
    url = reverse("study:session-list")
    client.get(url, {"year": 2026})  # warm the per-request caches of the session
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2026})
    for day in range(11, 16):
        services.create_study_session(unit=world.cell_b, date=dt.date(2026, 3, day), by=None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"year": 2026})
    assert len(response.context["page"]) == 6
    assert len(many) == len(few)
