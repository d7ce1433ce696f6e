"""Services of the organisation: moves, becoming official, units, merges and splits, roles,
logins, and the people search."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.core.errors import DomainError
from lamtheo.org import selectors, services
from lamtheo.org.models import (
    Employment,
    MembershipStatus,
    PartyMembership,
    Role,
    RoleAssignment,
    Sector,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
)
from tests.factories import make_member, make_staff, make_unit

D = dt.date


def _open(person) -> PartyMembership:
    return PartyMembership.objects.get(person=person, valid_to__isnull=True)


# Moves ----------------------------------------------------------------------------------------


def test_move_closes_the_old_membership_the_day_before_and_opens_the_new_one(world):
    person = world.people.colleague
    old = _open(person)
    old.status = MembershipStatus.PROBATIONARY
    old.save()
    new = services.move_person(
        person=person, to_cell=world.cell_b, on=D(2026, 3, 1), by=world.user("admin")
    )
    old.refresh_from_db()
    assert old.valid_to == D(2026, 2, 28)
    assert (new.cell, new.valid_from, new.valid_to) == (world.cell_b, D(2026, 3, 1), None)
    assert (new.joined_on, new.status) == (old.joined_on, MembershipStatus.PROBATIONARY)
    assert PartyMembership.objects.filter(person=person).count() == 2


def test_move_is_recorded_in_history_with_who_and_why(world):
    admin = world.user("admin")
    services.move_person(
        person=world.people.colleague,
        to_cell=world.cell_b,
        on=D(2026, 3, 1),
        by=admin,
        reason="Chuyển nơi cư trú",
    )
    record = PartyMembership.history.filter(person_id=world.people.colleague.pk).first()
    assert record.history_user == admin
    assert record.history_change_reason == "Chuyển nơi cư trú"


@pytest.mark.parametrize("kind", [UnitKind.PEOPLES_COMMITTEE, UnitKind.COMMUNE_COMMITTEE])
def test_move_to_a_unit_that_is_not_a_cell_is_refused(world, kind):
    target = world.ubnd if kind == UnitKind.PEOPLES_COMMITTEE else world.commune
    with pytest.raises(DomainError) as exc:
        services.move_person(
            person=world.people.colleague, to_cell=target, on=D(2026, 3, 1), by=None
        )
    assert exc.value.field == "to_cell"
    assert target.name in str(exc.value.message)
    assert _open(world.people.colleague).cell == world.cell_a


@pytest.mark.parametrize("day", [D(2014, 12, 31), D(2015, 1, 1)])
def test_move_dated_on_or_before_the_current_membership_start_is_refused(world, day):
    with pytest.raises(DomainError) as exc:
        services.move_person(person=world.people.colleague, to_cell=world.cell_b, on=day, by=None)
    assert exc.value.field == "on"
    assert "01/01/2015" in str(exc.value.message)
    assert PartyMembership.objects.filter(person=world.people.colleague).count() == 1


def test_move_to_the_same_cell_or_without_membership_is_refused(world):
    with pytest.raises(DomainError):
        services.move_person(
            person=world.people.colleague, to_cell=world.cell_a, on=D(2026, 3, 1), by=None
        )
    with pytest.raises(DomainError):
        services.move_person(
            person=world.people.staff, to_cell=world.cell_a, on=D(2026, 3, 1), by=None
        )


def test_move_to_a_closed_cell_is_refused(world):
    Unit.objects.filter(pk=world.cell_b.pk).update(valid_to=D(2025, 6, 30))
    world.cell_b.refresh_from_db()
    with pytest.raises(DomainError):
        services.move_person(
            person=world.people.colleague, to_cell=world.cell_b, on=D(2026, 3, 1), by=None
        )


# Official -------------------------------------------------------------------------------------


def test_probationary_member_becomes_official(world):
    person = make_member(world.cell_a, "Ngô Thị Dự Bị", since=D(2025, 3, 1))
    PartyMembership.objects.filter(person=person).update(
        status=MembershipStatus.PROBATIONARY, joined_on=D(2025, 3, 1)
    )
    m = services.set_official(person=person, on=D(2026, 3, 1), by=None)
    assert (m.status, m.official_on) == (MembershipStatus.OFFICIAL, D(2026, 3, 1))
    with pytest.raises(DomainError):
        services.set_official(person=person, on=D(2026, 3, 2), by=None)


def test_official_date_before_joining_is_refused(world):
    person = make_member(world.cell_a, "Ngô Thị Dự Bị", since=D(2025, 3, 1))
    PartyMembership.objects.filter(person=person).update(
        status=MembershipStatus.PROBATIONARY, joined_on=D(2025, 3, 1)
    )
    with pytest.raises(DomainError) as exc:
        services.set_official(person=person, on=D(2025, 2, 1), by=None)
    assert exc.value.field == "on"


# Units ----------------------------------------------------------------------------------------


def test_a_cell_contains_party_groups_only(world):
    group = services.create_unit(
        parent=world.cell_a, kind=UnitKind.PARTY_GROUP, name="Tổ đảng 1", by=None
    )
    assert Unit.objects.get_parent(group) == world.cell_a
    with pytest.raises(DomainError) as exc:
        services.create_unit(parent=world.cell_a, kind=UnitKind.CELL, name="Chi bộ con", by=None)
    assert exc.value.field == "kind"


def test_closing_a_unit_with_people_is_refused_until_they_move(world):
    with pytest.raises(DomainError) as exc:
        services.close_unit(unit=world.cell_a, on=D(2026, 6, 30), by=None)
    assert "3" in str(exc.value.message)  # three members
    group = make_unit(kind=UnitKind.PARTY_GROUP, name="Tổ 1", parent=world.cell_a)
    services.close_unit(unit=group, on=D(2026, 6, 30), by=None)
    group.refresh_from_db()
    assert group.valid_to == D(2026, 6, 30)
    with pytest.raises(DomainError):
        services.close_unit(unit=group, on=D(2026, 7, 30), by=None)


def test_closing_a_unit_with_open_sub_units_is_refused(world):
    cell = make_unit(kind=UnitKind.CELL, name="Chi bộ trống", parent=world.commune)
    make_unit(kind=UnitKind.PARTY_GROUP, name="Tổ 1", parent=cell)
    with pytest.raises(DomainError, match="Tổ 1"):
        services.close_unit(unit=cell, on=D(2026, 6, 30), by=None)


# Successions ----------------------------------------------------------------------------------


def test_merge_links_each_predecessor_and_closes_them_the_day_before(world):
    merged = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp Bình Thành", parent=world.commune)
    links = services.record_succession(
        kind=SuccessionKind.MERGE,
        predecessors=[world.cell_a, world.cell_b],
        successors=[merged],
        effective_on=D(2025, 7, 1),
        by=world.user("admin"),
        transfer_people=True,
    )
    assert len(links) == 2
    assert set(UnitSuccession.objects.values_list("predecessor", "successor")) == {
        (world.cell_a.pk, merged.pk),
        (world.cell_b.pk, merged.pk),
    }
    for cell in (world.cell_a, world.cell_b):
        cell.refresh_from_db()
        assert cell.valid_to == D(2025, 6, 30)
    merged.refresh_from_db()
    assert merged.valid_from == D(2025, 7, 1)
    # Everyone now sits in the merged cell; their old rows stay with the old cells.
    assert PartyMembership.objects.current(D(2025, 7, 1)).filter(cell=merged).count() == 6
    assert PartyMembership.objects.current(D(2025, 6, 30)).filter(cell=world.cell_a).count() == 3
    assert not PartyMembership.objects.filter(valid_to__isnull=True, cell=world.cell_a).exists()


def test_split_keeps_people_in_the_predecessor_until_moved(world):
    east = make_unit(kind=UnitKind.CELL, name="Chi bộ Đông Bình 1", parent=world.commune)
    west = make_unit(kind=UnitKind.CELL, name="Chi bộ Đông Bình 2", parent=world.commune)
    services.record_succession(
        kind=SuccessionKind.SPLIT,
        predecessors=[world.cell_a],
        successors=[east, west],
        effective_on=D(2025, 7, 1),
        by=None,
    )
    assert UnitSuccession.objects.filter(predecessor=world.cell_a).count() == 2
    world.cell_a.refresh_from_db()
    assert world.cell_a.valid_to == D(2025, 6, 30)
    services.move_person(person=world.people.member, to_cell=east, on=D(2025, 7, 1), by=None)


@pytest.mark.parametrize(
    ("kind", "n_pred", "n_succ"),
    [
        (SuccessionKind.MERGE, 1, 1),
        (SuccessionKind.MERGE, 2, 2),
        (SuccessionKind.SPLIT, 2, 2),
        (SuccessionKind.SPLIT, 1, 1),
        (SuccessionKind.RENAME, 1, 2),
    ],
)
def test_succession_shape_must_fit_its_kind(world, kind, n_pred, n_succ):
    units = [
        make_unit(kind=UnitKind.CELL, name=f"Chi bộ {i}", parent=world.commune) for i in range(4)
    ]
    with pytest.raises(DomainError):
        services.record_succession(
            kind=kind,
            predecessors=units[:n_pred],
            successors=units[2 : 2 + n_succ],
            effective_on=D(2025, 7, 1),
            by=None,
        )
    assert not UnitSuccession.objects.exists()


def test_succession_refuses_a_predecessor_starting_after_the_effective_date(world):
    late = make_unit(
        kind=UnitKind.CELL, name="Chi bộ mới", parent=world.commune, valid_from=D(2025, 8, 1)
    )
    other = make_unit(kind=UnitKind.CELL, name="Chi bộ khác", parent=world.commune)
    with pytest.raises(DomainError) as exc:
        services.record_succession(
            kind=SuccessionKind.RENAME,
            predecessors=[late],
            successors=[other],
            effective_on=D(2025, 7, 1),
            by=None,
        )
    assert exc.value.field == "effective_on"


def test_transfer_of_staff_needs_a_state_successor(world):
    make_staff(world.ubnd, "Lý Văn Cán Sự")
    new_ubnd = make_unit(
        kind=UnitKind.PEOPLES_COMMITTEE, name="UBND xã Thoại Sơn mới", parent=world.commune
    )
    services.record_succession(
        kind=SuccessionKind.RENAME,
        predecessors=[world.ubnd],
        successors=[new_ubnd],
        effective_on=D(2025, 7, 1),
        by=None,
        transfer_people=True,
    )
    assert Employment.objects.current(D(2025, 7, 1)).filter(unit=new_ubnd).count() == 2
    assert Employment.objects.filter(unit=world.ubnd, valid_to=D(2025, 6, 30)).count() == 2


# Roles ----------------------------------------------------------------------------------------


def test_secretary_grants_member_and_secretary_roles_in_own_cell_only(world):
    secretary = world.user("secretary")
    colleague_user = world.user("member")
    a = services.grant_role(
        user=colleague_user, role=Role.SECRETARY, unit=world.cell_a, by=secretary
    )
    assert a.valid_from is not None
    with pytest.raises(DomainError):
        services.grant_role(
            user=colleague_user, role=Role.COMMITTEE, unit=world.cell_a, by=secretary
        )
    with pytest.raises(DomainError):
        services.grant_role(user=colleague_user, role=Role.MEMBER, unit=world.cell_b, by=secretary)


def test_only_an_admin_grants_oversight(world):
    a = services.grant_role(
        user=world.user("secretary"),
        role=Role.OVERSIGHT,
        unit=world.commune,
        by=world.user("admin"),
    )
    assert a.role == Role.OVERSIGHT
    with pytest.raises(DomainError):
        services.grant_role(
            user=world.user("member"),
            role=Role.OVERSIGHT,
            unit=world.commune,
            by=world.user("oversight"),
        )


def test_granting_the_same_role_twice_is_refused(world):
    with pytest.raises(DomainError):
        services.grant_role(
            user=world.user("member"),
            role=Role.MEMBER,
            unit=world.cell_a,
            by=world.user("admin"),
        )


def test_end_role_sets_the_last_day_and_respects_who_may(world):
    assignment = RoleAssignment.objects.get(user=world.user("oversight"))
    with pytest.raises(DomainError):
        services.end_role(assignment=assignment, on=D(2026, 1, 31), by=world.user("secretary"))
    services.end_role(assignment=assignment, on=D(2026, 1, 31), by=world.user("admin"))
    assignment.refresh_from_db()
    assert assignment.valid_to == D(2026, 1, 31)


# Logins ---------------------------------------------------------------------------------------


def test_create_login_links_a_new_user_to_the_person(world):
    person = world.people.colleague
    user = services.create_login(
        person=person, username="ledongchi", password="Chi-bo-2026-Dong", by=None
    )
    person.refresh_from_db()
    assert person.user == user
    assert user.check_password("Chi-bo-2026-Dong")
    with pytest.raises(DomainError):
        services.create_login(person=person, username="x2", password="Chi-bo-2026-Dong", by=None)


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("member", "Chi-bo-2026-Dong", "username"), ("ledongchi", "12345678", "password")],
)
def test_create_login_refuses_a_taken_username_or_a_weak_password(world, username, password, field):
    with pytest.raises(DomainError) as exc:
        services.create_login(
            person=world.people.colleague, username=username, password=password, by=None
        )
    assert exc.value.field == field
    world.people.colleague.refresh_from_db()
    assert world.people.colleague.user is None


# Sectors and search ---------------------------------------------------------------------------


def test_the_brief_sectors_are_seeded(db):
    assert list(Sector.objects.values_list("code", flat=True)) == [
        "yte",
        "giaoduc",
        "ap",
        "hanhchinh",
        "canqs",
        "nongnghiep",
        "doanhnghiep",
        "congtacdang",
        "khac",
    ]


@pytest.mark.parametrize("query", ["nguyen van", "Nguyễn Văn", "NGUYEN VAN DANG", "đảng"])
def test_people_search_ignores_accents_and_case(world, query):
    found = selectors.search_people(world.user("admin"), q=query)
    assert world.people.member in found
    assert world.people.other_member not in found


def test_people_search_filters_by_unit_and_kind(world):
    admin = world.user("admin")
    assert set(selectors.search_people(admin, unit=world.cell_b)) == {
        world.people.other_member,
        world.people.other_secretary,
        world.people.oversight,
    }
    assert list(selectors.search_people(admin, kind="staff")) == [world.people.staff]
    assert world.people.staff not in selectors.search_people(admin, kind="member")


def test_ending_validity_through_an_edit_follows_the_closing_rules(world):
    with pytest.raises(DomainError) as exc:
        services.update_unit(unit=world.cell_a, valid_to=D(2026, 6, 30), by=None)
    assert exc.value.field == "valid_to"
    world.cell_a.refresh_from_db()
    assert world.cell_a.valid_to is None
