"""The study session list fits a 360-px phone for the people who see many units (oversight,
administrators): the unit filter lists long unit names, and a session's text may hold a
long word without spaces (a meeting link pasted as the place)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from lamtheo.org.models import UnitKind
from lamtheo.study import services
from tests.e2e.conftest import fits_phone
from tests.factories import make_unit

#: As long as the longest names in the demo data (the filter then measured 533 px).
LONG_NAMES = [
    "Chi bộ Trường Trung học cơ sở và Trung học phổ thông Thoại Sơn (khối giáo dục)",
    "Chi bộ Quân sự xã Thoại Sơn thuộc Đảng bộ Quân sự huyện Thoại Sơn, tỉnh An Giang",
]
#: A meeting link pasted as the place: 255 characters (the most the field holds; PostgreSQL
#: refuses more), no space to wrap at.
LONG_PLACE = "https://meet.example.vn/j/" + "Ab3dE5gH7k" * 22 + "XyZwQ1234"
assert len(LONG_PLACE) == 255


@pytest.fixture
def long_names(world):
    """Sessions in 2026 of two cells with long names, under the commune committee, and one
    of cell A whose place is a 255-character link."""
    services.create_study_session(
        unit=world.cell_a, date=dt.date(2026, 3, 4), by=None, place=LONG_PLACE
    )
    for day, name in enumerate(LONG_NAMES, start=5):
        cell = make_unit(
            kind=UnitKind.CELL,
            name=name,
            parent=world.commune,
            doc_abbreviation="CB",
            place_name="Thoại Sơn",
        )
        services.create_study_session(unit=cell, date=dt.date(2026, 3, day), by=None)
    return world


@pytest.mark.parametrize("persona", ["oversight", "admin"])
def test_session_list_fits_the_phone_with_long_unit_names(phone, log_in, long_names, persona):
    log_in(phone, persona)
    phone.goto("/study/?year=2026")
    unit_filter = phone.locator('main select[name="unit"]')
    expect(unit_filter).to_contain_text(LONG_NAMES[0])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert fits_phone(phone), f"the session list is {width} px wide on a 360-px screen"
    assert unit_filter.bounding_box()["width"] <= 360


def test_a_long_word_wraps_in_the_session_list_and_on_the_session(phone, log_in, long_names):
    log_in(phone, "secretary")
    for path in ("/study/?year=2026", f"/study/?year=2026&unit={long_names.cell_a.pk}"):
        phone.goto(path)
        expect(phone.locator("main")).to_contain_text(LONG_PLACE[:40])
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert fits_phone(phone), f"{path} is {width} px wide on a 360-px screen"
    phone.locator("main .list-group-item").first.tap()
    expect(phone.locator("main")).to_contain_text(LONG_PLACE[:40])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert fits_phone(phone), f"the session page is {width} px wide on a 360-px screen"
