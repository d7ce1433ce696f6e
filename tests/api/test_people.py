"""The people API: filters, the detail with history, adding, editing and moving people."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.org.models import MembershipStatus, PartyMembership, Person, Role, Sector
from tests.api.conftest import ids
from tests.factories import UserFactory, grant

URL = "/api/v1/people/"


def detail(person) -> str:
    return f"{URL}{person.pk}/"


def move(person) -> str:
    return f"{URL}{person.pk}/move/"


@pytest.fixture
def admin(world, api):
    return api(world.user("admin"))


@pytest.fixture
def committee(world, api):
    """A committee member of the commune: manages every cell and state unit in it."""
    user = UserFactory(username="committee")
    grant(user, Role.COMMITTEE, world.commune)
    return api(user)


# Listing -----------------------------------------------------------------------------------


def test_list_row_shows_current_cell_and_state_unit(world, admin):
    rows = {row["id"]: row for row in admin.get(URL).json()["results"]}
    member = rows[world.people.member.pk]
    assert member["is_party_member"] is True
    assert member["current_cell"]["id"] == world.cell_a.pk
    assert member["current_state_unit"] is None
    staff = rows[world.people.staff.pk]
    assert staff["is_party_member"] is False
    assert staff["current_state_unit"]["id"] == world.ubnd.pk


def test_list_is_in_vietnamese_name_order(world, admin):
    names = [row["full_name"] for row in admin.get(URL).json()["results"]]
    given = [name.split()[-1] for name in names]
    # Chí < Chức < Đảng < Giáo < Hai < Khác < Thư (given names, Vietnamese order).
    assert given == ["Chí", "Chức", "Đảng", "Giáo", "Hai", "Khác", "Thư"]


def test_filter_by_unit_gives_its_current_members(world, admin):
    members = ids(admin.get(URL, {"unit": world.cell_a.pk}))
    assert members == {world.people.member.pk, world.people.secretary.pk, world.people.colleague.pk}
    assert ids(admin.get(URL, {"unit": world.ubnd.pk})) == {world.people.staff.pk}


def test_filter_by_unit_leaves_out_people_who_moved_away(world, admin):
    PartyMembership.objects.filter(person=world.people.colleague).update(
        valid_to=dt.date(2020, 1, 1)
    )
    assert world.people.colleague.pk not in ids(admin.get(URL, {"unit": world.cell_a.pk}))


def test_filter_by_sector_id_or_code(world, admin):
    health = Sector.objects.get(code="yte")
    Person.objects.filter(pk=world.people.staff.pk).update(sector=health)
    assert ids(admin.get(URL, {"sector": health.pk})) == {world.people.staff.pk}
    assert ids(admin.get(URL, {"sector": "yte"})) == {world.people.staff.pk}
    assert ids(admin.get(URL, {"sector": "khong-co"})) == set()


def test_filter_party_members_or_not(world, admin):
    assert ids(admin.get(URL, {"is_party_member": "false"})) == {world.people.staff.pk}
    assert world.people.staff.pk not in ids(admin.get(URL, {"is_party_member": "true"}))


def test_malformed_boolean_filter_is_400(world, admin):
    response = admin.get(URL, {"is_party_member": "maybe"})
    assert response.status_code == 400
    assert "is_party_member" in response.json()


@pytest.mark.parametrize("query", ["nguyen van dang", "Nguyễn Văn Đảng", "NGUYEN VAN", "đảng"])
def test_search_ignores_accents_and_case(world, admin, query):
    assert world.people.member.pk in ids(admin.get(URL, {"search": query}))
    assert world.people.staff.pk not in ids(admin.get(URL, {"search": query}))


# Detail ------------------------------------------------------------------------------------


def test_detail_shows_identity_positions_and_history(world, admin):
    body = admin.get(detail(world.people.member)).json()
    assert body["full_name"] == "Nguyễn Văn Đảng"
    assert body["birth_date"] == "1980-05-17"
    assert body["has_login"] is True
    assert [m["cell"]["id"] for m in body["memberships"]] == [world.cell_a.pk]
    assert body["memberships"][0]["joined_on"] == "2010-03-03"
    assert body["employments"] == []


def test_person_out_of_scope_is_404(world, api):
    response = api(world.user("secretary")).get(detail(world.people.other_member))
    assert response.status_code == 404


# Adding ------------------------------------------------------------------------------------


def test_secretary_adds_a_member_to_their_cell(world, api):
    response = api(world.user("secretary")).post(
        URL,
        {
            "full_name": "Nguyễn Thị Mới",
            "gender": "female",
            "unit": world.cell_a.pk,
            "valid_from": "2026-01-05",
            "joined_on": "2025-05-19",
            "status": "probationary",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["current_cell"]["id"] == world.cell_a.pk
    membership = PartyMembership.objects.get(person_id=body["id"])
    assert membership.status == MembershipStatus.PROBATIONARY
    assert membership.valid_from == dt.date(2026, 1, 5)
    person = Person.objects.get(pk=body["id"])
    assert person.history.get().history_user == world.user("secretary")


def test_administrator_adds_staff_to_a_state_unit_with_dd_mm_yyyy_dates(world, admin):
    response = admin.post(
        URL,
        {
            "full_name": "Trần Văn Viên Chức",
            "unit": world.ubnd.pk,
            "valid_from": "01/03/2026",
            "position": "Văn thư",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_party_member"] is False
    assert body["employments"][0]["position"] == "Văn thư"
    assert body["employments"][0]["valid_from"] == "2026-03-01"


def test_people_belong_to_a_cell_or_a_state_unit_only(world, admin):
    response = admin.post(URL, {"full_name": "Người Mới", "unit": world.commune.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_joining_the_party_after_entering_the_cell_is_400(world, admin):
    response = admin.post(
        URL,
        {
            "full_name": "Người Mới",
            "unit": world.cell_a.pk,
            "valid_from": "2020-01-01",
            "joined_on": "2021-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "joined_on" in response.json()
    assert not Person.objects.filter(full_name="Người Mới").exists()


@pytest.mark.parametrize(
    ("field", "value"), [("birth_date", "2999-01-01"), ("birth_date", "1800-01-01")]
)
def test_implausible_birth_date_is_400(world, admin, field, value):
    response = admin.post(
        URL, {"full_name": "Người Mới", "unit": world.cell_a.pk, field: value}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_joining_the_party_before_birth_is_400(world, admin):
    response = admin.post(
        URL,
        {
            "full_name": "Người Mới",
            "unit": world.cell_a.pk,
            "birth_date": "1990-01-01",
            "joined_on": "1985-01-01",
            "valid_from": "2020-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "joined_on" in response.json()


def test_a_new_person_needs_a_unit(world, admin):
    response = admin.post(URL, {"full_name": "Người Mới"}, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()


# Editing -----------------------------------------------------------------------------------


def test_secretary_edits_a_member_of_their_cell(world, api):
    response = api(world.user("secretary")).patch(
        detail(world.people.colleague),
        {"party_position": "Phó bí thư chi bộ", "sector": Sector.objects.get(code="ap").pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["party_position"] == "Phó bí thư chi bộ"
    assert response.json()["sector"]["code"] == "ap"


def test_editing_cannot_change_where_a_person_belongs(world, admin):
    response = admin.patch(detail(world.people.colleague), {"unit": world.cell_b.pk}, format="json")
    assert response.status_code == 400
    assert "«chuyển»" in response.json()["unit"][0]


def test_member_cannot_edit_their_own_record(world, api):
    response = api(world.user("member")).patch(
        detail(world.people.member), {"party_position": "Bí thư"}, format="json"
    )
    assert response.status_code == 403


def test_oversight_reads_but_cannot_edit_people(world, api):
    client = api(world.user("oversight"))
    assert client.get(detail(world.people.colleague)).status_code == 200
    response = client.patch(detail(world.people.colleague), {"workplace": "Ấp"}, format="json")
    assert response.status_code == 403


# Moving ------------------------------------------------------------------------------------


def test_committee_moves_a_member_to_another_cell(world, committee):
    response = committee.post(
        move(world.people.colleague), {"cell": world.cell_b.pk, "date": "2026-02-01"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["current_cell"]["id"] == world.cell_b.pk
    old, new = body["memberships"]
    assert (old["cell"]["id"], old["valid_to"]) == (world.cell_a.pk, "2026-01-31")
    assert (new["cell"]["id"], new["valid_from"], new["valid_to"]) == (
        world.cell_b.pk,
        "2026-02-01",
        None,
    )
    assert new["joined_on"] == old["joined_on"]


def test_moving_into_the_same_cell_is_400_on_cell(world, committee):
    response = committee.post(
        move(world.people.colleague), {"cell": world.cell_a.pk, "date": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "cell" in response.json()


def test_moving_to_a_state_unit_is_400_on_cell(world, committee):
    response = committee.post(
        move(world.people.colleague), {"cell": world.ubnd.pk, "date": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "cell" in response.json()


def test_move_dated_before_entering_the_current_cell_is_400_on_date(world, committee):
    response = committee.post(
        move(world.people.colleague), {"cell": world.cell_b.pk, "date": "2014-01-01"}
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert PartyMembership.objects.filter(person=world.people.colleague).count() == 1


def test_staff_without_membership_cannot_be_moved(world, committee):
    response = committee.post(
        move(world.people.staff), {"cell": world.cell_b.pk, "date": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_secretary_cannot_move_a_member_into_a_cell_they_do_not_manage(world, api):
    # Cell B is outside the secretary's scope: an unknown cell to them.
    response = api(world.user("secretary")).post(
        move(world.people.colleague), {"cell": world.cell_b.pk, "date": "2026-02-01"}
    )
    assert response.status_code == 400
    assert PartyMembership.objects.get(person=world.people.colleague).cell == world.cell_a


def test_move_to_a_read_only_cell_is_403(world, api):
    # An oversight+secretary user reads cell B but manages only cell A.
    user = world.user("secretary")
    grant(user, Role.OVERSIGHT, world.commune)
    response = api(user).post(
        move(world.people.colleague), {"cell": world.cell_b.pk, "date": "2026-02-01"}
    )
    assert response.status_code == 403
