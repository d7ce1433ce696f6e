"""The demo's historical units (``lamtheo.org.demo``): real names, validity shown beside them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from lamtheo.org.forms import unit_label
from lamtheo.org.models import Unit, UnitKind
from tests.factories import make_unit


@pytest.fixture
def seeded(db) -> None:
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_stores_the_historical_units_real_names(seeded):
    # «(đến 30/06/2025)» in the name went into formal plan headers: «HUYỆN ỦY THOẠI SƠN (ĐẾN…)».
    assert not Unit.objects.filter(name__contains="(đến").exists()
    district = Unit.objects.get(kind=UnitKind.DISTRICT_COMMITTEE)
    assert district.name == "Huyện ủy Thoại Sơn"
    assert str(district.valid_to) == "2025-06-30"
    town = Unit.objects.get(name="Đảng ủy thị trấn Núi Sập")
    assert str(town.valid_to) == "2025-06-30"


def test_a_unit_choice_shows_the_validity_period_of_a_closed_unit(db):
    unit = make_unit(
        kind=UnitKind.DISTRICT_COMMITTEE, name="Huyện ủy Thoại Sơn", valid_to=dt.date(2025, 6, 30)
    )
    with translation.override("vi"):
        label = unit_label(unit)
    assert label.startswith("Huyện ủy Thoại Sơn (")
    assert "30/06/2025" in label


def test_a_unit_choice_without_a_period_is_its_name_and_kind(db):
    unit = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp 1")
    with translation.override("en"):
        assert unit_label(unit) == "Chi bộ ấp 1 (Party cell)"


def test_the_unit_tree_names_the_historical_district_kind_with_a_full_date(world, login):
    make_unit(
        kind=UnitKind.DISTRICT_COMMITTEE,
        name="Huyện ủy Thoại Sơn",
        parent=world.province,
        valid_to=dt.date(2025, 6, 30),
    )
    html = login(world.user("admin")).get(reverse("org:unit-list")).content.decode()
    assert "Huyện ủy (trước 01/07/2025)" in html
    assert "01/7/2025" not in html
