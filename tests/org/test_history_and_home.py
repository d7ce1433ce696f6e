"""The shared history helper (``lamtheo.core.history``) and the home page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lamtheo.core.history import history_entries
from lamtheo.org import services
from lamtheo.org.models import PartyMembership, Person, Unit
from tests.factories import make_member

D = dt.date


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def test_history_entry_names_the_field_old_and_new_value_and_reason(world):
    admin = world.user("admin")
    services.update_person(
        person=world.people.member,
        workplace="Ấp Đông Bình",
        birth_date=D(1975, 4, 30),
        by=admin,
        reason="Sửa theo lý lịch",
    )
    entries = history_entries(Person.history.filter(id=world.people.member.pk))
    latest = entries[0]
    assert latest.kind == "~"
    assert latest.reason == "Sửa theo lý lịch"
    assert "admin" in latest.who
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes[_label(Person, "birth_date")] == ("17/05/1980", "30/04/1975")
    assert changes[_label(Person, "workplace")] == ("—", "Ấp Đông Bình")
    assert entries[-1].kind == "+"


def test_history_shows_related_objects_by_name(world):
    services.move_person(
        person=world.people.colleague, to_cell=world.cell_b, on=D(2026, 3, 1), by=None
    )
    entries = history_entries(PartyMembership.history.filter(person_id=world.people.colleague.pk))
    created = [e for e in entries if e.kind == "+"]
    assert any(
        c.new == "Chi bộ ấp Tây Bình"
        for e in created
        for c in e.changes
        if c.field == _label(PartyMembership, "cell")
    )
    assert all("@" in e.label for e in entries)  # «person @ cell», built without a query each


def test_history_queries_do_not_grow_with_the_history(world, django_assert_max_num_queries):
    person = world.people.colleague
    for i in range(15):
        services.update_person(person=person, workplace=f"Nơi làm việc {i}", by=None)
        make_member(world.cell_b, f"Người số {i}")
    with django_assert_max_num_queries(6):
        entries = history_entries(
            Person.history.filter(id=person.pk),
            PartyMembership.history.filter(person_id=person.pk),
        )
    assert len(entries) == 17


def test_history_skips_saves_that_change_nothing_shown(world):
    unit = world.cell_a
    unit.save()  # path/sort key only: nothing a person would call a change
    assert [e.kind for e in history_entries(Unit.history.filter(id=unit.pk))] == ["+"]


def test_home_shows_cell_theme_and_managed_units(world, login):
    html = login(world.user("secretary")).get(reverse("home")).content.decode()
    assert "Trần Thị Bí Thư" in html
    assert "Chi bộ ấp Đông Bình" in html
    assert "Chuyên đề năm 2026" in html
    assert reverse("org:role-list") in html
    assert reverse("org:sector-list") not in html


def test_home_of_non_member_staff_shows_their_unit_and_theme(world, login):
    html = login(world.user("staff")).get(reverse("home")).content.decode()
    assert "Ủy ban nhân dân xã Thoại Sơn" in html
    assert "Chuyên đề năm 2026" in html
    assert reverse("org:role-list") not in html


def test_home_of_an_account_without_person(world, login):
    from tests.factories import UserFactory

    response = login(UserFactory(username="lonely")).get(reverse("home"))
    assert response.status_code == 200
