"""A second session of the same unit on the same date is saved (two on one day can be right)
but the secretary is warned, with the other session named: it is usually the same session
planned twice."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import WARNING
from django.urls import reverse

from lamtheo.study import services
from lamtheo.study.models import StudySession
from lamtheo.study.selectors import same_day_sessions
from tests.study.conftest import SESSION_DAY


def _warnings(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == WARNING]


def _create(client, unit, date: str):
    return client.post(
        reverse("study:session-create"),
        {"unit": unit.pk, "date": date, "start_time": "07:30", "place": "Nhà văn hóa ấp"},
        follow=True,
    )


def test_second_session_on_the_same_day_is_saved_with_a_warning_naming_the_other(
    world, login, today
):
    first = services.create_study_session(
        unit=world.cell_a,
        date=SESSION_DAY,
        start_time=dt.time(19, 30),
        topic="Học tập chuyên đề năm 2026",
        by=world.user("secretary"),
    )
    response = _create(login(world.user("secretary")), world.cell_a, "10/03/2026")

    second = StudySession.objects.exclude(pk=first.pk).get()
    assert response.redirect_chain[-1][0] == reverse("study:session-detail", args=[second.pk])
    (warning,) = _warnings(response)
    assert "Chi bộ ấp Đông Bình" in warning
    assert "10/03/2026" in warning
    assert "19:30 “Học tập chuyên đề năm 2026”" in warning
    assert "đã có" in warning  # in Vietnamese, the interface language
    assert 'class="alert alert-warning' in response.content.decode()


def test_first_session_of_the_day_has_no_warning(world, login, session_a):
    response = _create(login(world.user("secretary")), world.cell_a, "11/03/2026")
    assert response.status_code == 200
    assert _warnings(response) == []


def test_another_units_session_on_the_same_day_is_no_reason_to_warn(world, login, today):
    services.create_study_session(unit=world.cell_b, date=SESSION_DAY, by=None)
    response = _create(login(world.user("secretary")), world.cell_a, "10/03/2026")
    assert StudySession.objects.filter(unit=world.cell_a).count() == 1
    assert _warnings(response) == []


def test_moving_a_session_onto_another_ones_day_warns(world, login, session_a):
    other = services.create_study_session(unit=world.cell_a, date=dt.date(2026, 3, 12), by=None)
    client = login(world.user("secretary"))
    url = reverse("study:session-edit", args=[other.pk])

    response = client.post(url, {"date": "10/03/2026", "place": "Hội trường"}, follow=True)
    assert len(_warnings(response)) == 1
    # Saving it again on that day (another field changed) does not repeat the warning.
    response = client.post(url, {"date": "10/03/2026", "place": "Nhà văn hóa"}, follow=True)
    assert _warnings(response) == []


def test_same_day_sessions_lists_the_units_others_that_day(world, session_a):
    twin = services.create_study_session(unit=world.cell_a, date=SESSION_DAY, by=None)
    services.create_study_session(unit=world.cell_a, date=dt.date(2026, 3, 11), by=None)
    services.create_study_session(unit=world.cell_b, date=SESSION_DAY, by=None)
    assert same_day_sessions(twin) == [session_a]
    assert same_day_sessions(session_a) == [twin]
