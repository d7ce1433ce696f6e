"""Helpers for the study tests: sessions in the shared ``world`` on fixed 2026 dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver
from freezegun import freeze_time

from lamtheo.study import services
from lamtheo.study.services import AttendanceEntry

#: «Today» in these tests: after the sessions below, inside programme year 2026.
TODAY = dt.date(2026, 3, 20)
SESSION_DAY = dt.date(2026, 3, 10)


@pytest.fixture
def today():
    # Import the URLconf (and psycopg's C module under it) before time is frozen: a C
    # extension imported under freezegun sees a fake ``datetime.date`` and warns.
    assert get_resolver().url_patterns
    with freeze_time("2026-03-20 09:00:00+07:00"):
        yield TODAY


@pytest.fixture
def session_a(world, today):
    """A planned session of cell A on 10/03/2026 (member, secretary, colleague expected)."""
    return services.create_study_session(
        unit=world.cell_a, date=SESSION_DAY, by=world.user("secretary"), place="Hội trường ấp"
    )


@pytest.fixture
def held_session_a(world, session_a):
    """Cell A's session, held: the member present, the colleague excused, the secretary
    absent without reason."""
    p = world.people
    services.record_attendance(
        session=session_a,
        entries=[
            AttendanceEntry(p.member.pk, "present"),
            AttendanceEntry(p.colleague.pk, "excused", "ốm"),
            AttendanceEntry(p.secretary.pk, "absent"),
        ],
        by=world.user("secretary"),
    )
    session_a.refresh_from_db()
    return session_a
