"""Which objects each persona sees in the API lists: every signed-in persona gets 200, the
scope decides the rows."""

from __future__ import annotations

import pytest

from lamtheo.org.models import Sector, UnitKind
from tests.api.conftest import ids
from tests.factories import make_programme_year, make_unit

UNITS = {
    "member": {"cell_a"},
    "secretary": {"cell_a"},
    "other_member": {"cell_b"},
    "other_secretary": {"cell_b"},
    "oversight": {"commune", "advisory", "cell_a", "cell_b", "ubnd"},
    "staff": {"ubnd"},
    "admin": {"province", "commune", "advisory", "cell_a", "cell_b", "ubnd"},
}

EVERYONE = {"member", "secretary", "colleague", "other_member", "other_secretary", "staff"}
PEOPLE = {
    "member": {"member"},
    "secretary": {"member", "secretary", "colleague"},
    "other_member": {"other_member"},
    # The oversight person is a member of cell B.
    "other_secretary": {"other_member", "other_secretary", "oversight"},
    "oversight": EVERYONE | {"oversight"},
    "staff": {"staff"},
    "admin": EVERYONE | {"oversight"},
}


@pytest.mark.parametrize("persona", sorted(UNITS))
def test_unit_list_shows_exactly_the_personas_scope(world, api, persona):
    response = api(world.user(persona)).get("/api/v1/units/")
    assert ids(response) == {getattr(world, name).pk for name in UNITS[persona]}


@pytest.mark.parametrize("persona", sorted(PEOPLE))
def test_people_list_shows_exactly_the_personas_scope(world, api, persona):
    response = api(world.user(persona)).get("/api/v1/people/")
    assert ids(response) == {getattr(world.people, name).pk for name in PEOPLE[persona]}


@pytest.mark.parametrize("persona", sorted(UNITS))
def test_programme_years_from_above_are_seen_and_other_communes_are_not(world, api, persona):
    other = make_unit(
        kind=UnitKind.COMMUNE_COMMITTEE, name="Đảng ủy xã Khác", parent=world.province
    )
    other_year = make_programme_year(other, 2026)
    province_year = make_programme_year(world.province, 2026)
    seen = ids(api(world.user(persona)).get("/api/v1/programme-years/"))
    expected = {world.programme_year.pk, province_year.pk}
    if persona == "admin":
        expected.add(other_year.pk)
    assert seen == expected


@pytest.mark.parametrize("persona", sorted(UNITS))
def test_every_signed_in_persona_reads_all_sectors(world, api, persona):
    seen = ids(api(world.user(persona)).get("/api/v1/sectors/"))
    assert seen == set(Sector.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("persona", sorted(set(UNITS) - {"admin"}))
def test_only_administrators_list_role_assignments(world, api, persona):
    assert api(world.user(persona)).get("/api/v1/role-assignments/").status_code == 403


def test_administrator_lists_every_role_assignment(world, api):
    assert len(ids(api(world.user("admin")).get("/api/v1/role-assignments/"))) == 7


def test_member_cannot_filter_their_way_to_cell_mates(world, api):
    response = api(world.user("member")).get("/api/v1/people/", {"unit": world.cell_a.pk})
    assert ids(response) == {world.people.member.pk}


def test_filtering_by_an_out_of_scope_unit_finds_nobody(world, api):
    response = api(world.user("secretary")).get("/api/v1/people/", {"unit": world.cell_b.pk})
    assert ids(response) == set()


def test_subtree_filter_of_an_unreadable_unit_still_shows_only_the_scope(world, api):
    response = api(world.user("member")).get("/api/v1/units/", {"subtree": world.province.pk})
    assert ids(response) == {world.cell_a.pk}
