"""The study step of the demo (``lamtheo.study.demo``): what a visitor finds as bithu,
dangvien or tuyengiao, and figures that obey the same rules as the services."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from freezegun import freeze_time

from lamtheo.core import demo
from lamtheo.org.models import Unit
from lamtheo.study.models import Attendance, Reflection, SessionStatus, StudySession
from lamtheo.study.selectors import makeup_candidates, study_stats


@pytest.fixture
def ctx(db):
    assert get_resolver().url_patterns  # import C extensions before time is frozen
    with freeze_time("2026-11-26 10:00:00+07:00"):
        yield demo.seed(log=lambda message: None)


def test_bithus_cell_has_its_session_held_and_a_make_up_planned(ctx):
    cell = ctx.accounts["bithu"].unit
    sessions = StudySession.objects.filter(unit=cell, programme_year__year=2026)
    original = sessions.get(makeup_of__isnull=True)
    makeup = sessions.get(makeup_of__isnull=False)
    assert original.status == SessionStatus.HELD
    assert makeup.status == SessionStatus.PLANNED and makeup.date > ctx.today
    assert set(makeup.attendances.values_list("person_id", flat=True)) == set(
        makeup_candidates(original)
    )
    present = original.attendances.filter(status="present").values_list("person_id", flat=True)
    assert {ctx.accounts["bithu"].person.pk, ctx.accounts["dangvien"].person.pk} <= set(present)


def test_one_cell_has_no_session_this_year(ctx):
    missing = ctx.extra["study"]["no_session_cell"]
    assert not StudySession.objects.filter(unit=missing, programme_year__year=2026).exists()
    top = study_stats(ctx.home_commune.committee, 2026)[0]
    assert top.cells_without_session == 1


@pytest.mark.parametrize("year", [2020, 2026])
def test_attendance_is_realistic_with_reasons_make_ups_and_reflections(ctx, year):
    top = study_stats(ctx.home_commune.committee, year)[0].members
    assert top.expected > 100
    assert 85 <= top.attendance_pct <= 100
    assert top.makeups >= 1 and top.made_up >= 1
    assert 0 < top.reflections_assessed < top.reflections < top.expected
    reasons = set(
        Attendance.objects.filter(session__programme_year__year=year, status="excused").values_list(
            "reason", flat=True
        )
    )
    assert reasons <= {"ốm", "đi công tác", "việc gia đình"} and reasons


def test_demo_rows_obey_the_service_rules(ctx):
    for session in StudySession.objects.select_related("plan", "makeup_of", "unit"):
        if session.plan:
            assert session.date >= session.plan.issue_date
            assert session.unit.path.startswith(session.plan.unit.path) or session.date.year == 2020
        if session.makeup_of:
            assert session.date >= session.makeup_of.date
        if session.status != SessionStatus.PLANNED:
            assert session.date <= ctx.today
            assert not session.attendances.filter(status="pending").exists()
    assert not Attendance.objects.filter(status="excused", reason="").exists()
    assert not Reflection.objects.filter(grade="fail", comment="").exists()
    dangvien = Reflection.objects.get(
        person=ctx.accounts["dangvien"].person, programme_year__year=2026
    )
    assert dangvien.grade == ""  # waiting for bithu


def test_reset_removes_the_study_rows_too(ctx):
    with freeze_time("2026-11-26 10:00:00+07:00"):
        demo.seed(reset=True, log=lambda message: None)
    units = Unit.objects.filter(code=demo.DEMO_ROOT_CODE)
    assert units.count() == 1
    assert StudySession.objects.filter(unit__path__startswith=units.get().path).count() == (
        StudySession.objects.count()
    )
    history = StudySession.history.model.objects
    assert history.count() == StudySession.objects.count()
