"""Organisation pages: what they show, what they do with good and bad input, and who gets
404 (the permission matrix walks every route; these tests look at the content)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lamtheo.org.models import (
    MembershipStatus,
    PartyMembership,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
)
from tests.factories import make_member, make_unit

D = dt.date


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


# Units ----------------------------------------------------------------------------------------


def test_tree_shows_kind_counts_and_greys_closed_units(world, login):
    make_unit(
        kind=UnitKind.DISTRICT_COMMITTEE,
        name="Huyện ủy Thoại Sơn",
        parent=world.province,
        valid_from=D(1980, 1, 1),
        valid_to=D(2025, 6, 30),
    )
    html = login(world.user("admin")).get(reverse("org:unit-list")).content.decode()
    assert "Huyện ủy Thoại Sơn" in html
    assert "01/01/1980 – 30/06/2025" in html
    assert "closed-unit" in html
    assert html.count("<details") == 2  # province and commune have children
    # cell A: three members; the People's Committee: one staff member.
    assert 'bi-person-badge" aria-hidden="true"></i> 3' in html
    assert 'bi-briefcase" aria-hidden="true"></i> 1' in html
    hidden = login(world.user("admin")).get(reverse("org:unit-list") + "?closed=0")
    assert "Huyện ủy Thoại Sơn" not in hidden.content.decode()


def test_member_sees_only_their_cell_in_the_tree(world, login):
    html = login(world.user("member")).get(reverse("org:unit-list")).content.decode()
    assert "Chi bộ ấp Đông Bình" in html
    assert "Chi bộ ấp Tây Bình" not in html
    assert "<details" not in html


def test_cell_page_lists_members_in_vietnamese_order_with_status(world, login):
    PartyMembership.objects.filter(person=world.people.colleague).update(
        status=MembershipStatus.PROBATIONARY
    )
    make_member(world.cell_a, "Trần Văn An")
    html = (
        login(world.user("secretary"))
        .get(reverse("org:unit-detail", args=[world.cell_a.pk]))
        .content.decode()
    )
    # By given name: An < Chí < Đảng < Thư (the roles card above names people too).
    members = html[html.index("list-group-numbered") :]
    names = ["Trần Văn An", "Lê Văn Đồng Chí", "Nguyễn Văn Đảng", "Trần Thị Bí Thư"]
    positions = [members.index(n) for n in names]
    assert positions == sorted(positions)
    assert "badge text-bg-warning" in members  # the probationary colleague
    assert "Đảng ủy xã Thoại Sơn" in html  # breadcrumb


def test_member_sees_colleagues_names_but_cannot_open_their_records(world, login):
    client = login(world.user("member"))
    html = client.get(reverse("org:unit-detail", args=[world.cell_a.pk])).content.decode()
    assert "Lê Văn Đồng Chí" in html
    assert reverse("org:person-detail", args=[world.people.colleague.pk]) not in html
    assert reverse("org:person-detail", args=[world.people.member.pk]) in html
    assert reverse("org:unit-edit", args=[world.cell_a.pk]) not in html


def test_closed_unit_shows_people_on_its_last_day_and_its_successor(world, login):
    from lamtheo.org import services

    merged = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp Bình Thành", parent=world.commune)
    services.record_succession(
        kind="merge",
        predecessors=[world.cell_a, world.cell_b],
        successors=[merged],
        effective_on=D(2025, 7, 1),
        by=None,
        transfer_people=True,
    )
    html = (
        login(world.user("admin"))
        .get(reverse("org:unit-detail", args=[world.cell_a.pk]))
        .content.decode()
    )
    assert "30/06/2025" in html
    assert "Nguyễn Văn Đảng" in html
    assert reverse("org:unit-detail", args=[merged.pk]) in html


def test_secretary_adds_a_party_group_to_their_cell(world, login):
    response = login(world.user("secretary")).post(
        reverse("org:unit-add", args=[world.cell_a.pk]),
        {"kind": UnitKind.PARTY_GROUP, "name": "Tổ đảng 1", "short_name": "Tổ 1"},
    )
    group = Unit.objects.get(name="Tổ đảng 1")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit-detail", args=[group.pk])
    assert Unit.objects.get_parent(group) == world.cell_a


def test_invalid_unit_input_is_shown_again_with_the_message(world, login):
    response = login(world.user("admin")).post(
        reverse("org:unit-add", args=[world.commune.pk]),
        {
            "kind": UnitKind.CELL,
            "name": "Chi bộ ấp Mới",
            "doc_abbreviation": "CB",
            "valid_from": "01/07/2026",
            "valid_to": "01/01/2026",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Chi bộ ấp Mới"' in html
    assert 'value="CB"' in html
    assert "is-invalid" in html or "alert-danger" in html
    assert not Unit.objects.filter(name="Chi bộ ấp Mới").exists()


def test_secretary_cannot_edit_their_own_cell_header(world, login):
    client = login(world.user("secretary"))
    assert client.get(reverse("org:unit-edit", args=[world.cell_a.pk])).status_code == 404
    response = client.post(
        reverse("org:unit-edit", args=[world.cell_a.pk]), {"kind": "cell", "name": "Đổi tên"}
    )
    assert response.status_code == 404
    world.cell_a.refresh_from_db()
    assert world.cell_a.name == "Chi bộ ấp Đông Bình"


def test_unit_edit_records_the_reason_in_history(world, login):
    client = login(world.user("admin"))
    client.post(
        reverse("org:unit-edit", args=[world.cell_a.pk]),
        {
            "kind": UnitKind.CELL,
            "name": "Chi bộ ấp Đông Bình A",
            "short_name": "CB Đông Bình A",
            "doc_abbreviation": "CB",
            "place_name": "Thoại Sơn",
            "reason": "Quyết định số 12-QĐ/ĐU",
        },
    )
    html = client.get(reverse("org:unit-history", args=[world.cell_a.pk])).content.decode()
    assert "Chi bộ ấp Đông Bình A" in html
    assert "Quyết định số 12-QĐ/ĐU" in html
    assert "<del" in html


def test_other_cells_unit_and_person_answer_404(world, login):
    client = login(world.user("secretary"))
    assert client.get(reverse("org:unit-detail", args=[world.cell_b.pk])).status_code == 404
    assert (
        client.get(reverse("org:person-detail", args=[world.people.other_member.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("org:person-edit", args=[world.people.other_member.pk])).status_code
        == 404
    )


def test_succession_form_records_a_merge(world, login):
    merged = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp Bình Thành", parent=world.commune)
    response = login(world.user("admin")).post(
        reverse("org:unit-succession", args=[world.cell_a.pk]),
        {
            "kind": "merge",
            "effective_on": "01/07/2025",
            "other_predecessors": [world.cell_b.pk],
            "successors": [merged.pk],
            "transfer_people": "on",
        },
    )
    assert response.status_code == 302
    world.cell_b.refresh_from_db()
    assert world.cell_b.valid_to == D(2025, 6, 30)


def test_succession_form_error_keeps_the_choices(world, login):
    other = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp Bình Thành", parent=world.commune)
    response = login(world.user("admin")).post(
        reverse("org:unit-succession", args=[world.cell_a.pk]),
        {"kind": "merge", "effective_on": "01/07/2025", "successors": [other.pk], "note": "ghi"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="ghi"' in html
    assert f'value="{other.pk}" selected' in html


# People ---------------------------------------------------------------------------------------


def test_people_search_without_accents_finds_accented_names(world, login):
    html = (
        login(world.user("admin"))
        .get(reverse("org:person-list"), {"q": "nguyen van"})
        .content.decode()
    )
    assert "Nguyễn Văn Đảng" in html
    assert "Phạm Văn Khác" not in html


def test_people_list_filters_staff_and_paginates(world, login):
    client = login(world.user("admin"))
    html = client.get(reverse("org:person-list"), {"kind": "staff"}).content.decode()
    assert "Huỳnh Thị Công Chức" in html
    assert "Nguyễn Văn Đảng" not in html
    for i in range(55):
        make_member(world.cell_b, f"Đoàn Văn Số {i}")
    page2 = client.get(reverse("org:person-list"), {"unit": world.cell_b.pk, "page": 2})
    assert page2.status_code == 200
    page = page2.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 58, 8)


def test_member_lists_only_themself(world, login):
    html = login(world.user("member")).get(reverse("org:person-list")).content.decode()
    assert "Nguyễn Văn Đảng" in html
    assert "Lê Văn Đồng Chí" not in html


def test_person_page_shows_memberships_and_login(world, login):
    html = (
        login(world.user("secretary"))
        .get(reverse("org:person-detail", args=[world.people.member.pk]))
        .content.decode()
    )
    assert "Chi bộ ấp Đông Bình" in html
    assert "01/01/2015" in html
    assert "(member)" in html  # the username, shown to the manager
    assert reverse("org:person-edit", args=[world.people.member.pk]) in html


def test_secretary_adds_a_member_to_their_cell(world, login):
    response = login(world.user("secretary")).post(
        reverse("org:person-add", args=[world.cell_a.pk]),
        {
            "full_name": "Trương  Văn   Mới",
            "valid_from": "01/02/2026",
            "joined_on": "03/02/2020",
            "status": MembershipStatus.PROBATIONARY,
        },
    )
    person = Person.objects.get(full_name="Trương Văn Mới")
    assert response.status_code == 302
    m = PartyMembership.objects.get(person=person)
    assert (m.cell, m.status, m.valid_from) == (
        world.cell_a,
        MembershipStatus.PROBATIONARY,
        D(2026, 2, 1),
    )


def test_bad_person_input_keeps_what_was_typed(world, login):
    response = login(world.user("secretary")).post(
        reverse("org:person-add", args=[world.cell_a.pk]),
        {
            "full_name": "Trương Văn Mới",
            "workplace": "Ấp Đông Bình",
            "valid_from": "01/02/2026",
            "joined_on": "03/02/2027",
            "status": MembershipStatus.OFFICIAL,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Trương Văn Mới"' in html
    assert 'value="Ấp Đông Bình"' in html
    assert 'value="03/02/2027"' in html
    assert not Person.objects.filter(full_name="Trương Văn Mới").exists()


def test_member_cannot_edit_their_own_record(world, login):
    client = login(world.user("member"))
    url = reverse("org:person-edit", args=[world.people.member.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "Tên khác"}).status_code == 404
    world.people.member.refresh_from_db()
    assert world.people.member.full_name == "Nguyễn Văn Đảng"


def test_move_form_refuses_an_early_date_and_keeps_the_input(world, login):
    client = login(world.user("admin"))
    url = reverse("org:person-move", args=[world.people.colleague.pk])
    response = client.post(url, {"to_cell": world.cell_b.pk, "on": "01/01/2014"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="01/01/2014"' in html
    assert "01/01/2015" in html  # the message names the current start
    assert PartyMembership.objects.filter(person=world.people.colleague).count() == 1
    response = client.post(url, {"to_cell": world.cell_b.pk, "on": "01/03/2026"})
    assert response.status_code == 302
    assert PartyMembership.objects.get(
        person=world.people.colleague, valid_to__isnull=True
    ).cell == (world.cell_b)


def test_move_page_is_404_for_a_secretary_with_no_other_cell(world, login):
    client = login(world.user("secretary"))
    url = reverse("org:person-move", args=[world.people.colleague.pk])
    assert client.get(url).status_code == 404
    html = client.get(
        reverse("org:person-detail", args=[world.people.colleague.pk])
    ).content.decode()
    assert url not in html


def test_person_history_shows_the_move(world, login):
    client = login(world.user("admin"))
    client.post(
        reverse("org:person-move", args=[world.people.colleague.pk]),
        {"to_cell": world.cell_b.pk, "on": "01/03/2026", "reason": "Chuyển sinh hoạt"},
    )
    html = client.get(
        reverse("org:person-history", args=[world.people.colleague.pk])
    ).content.decode()
    assert "Chuyển sinh hoạt" in html
    assert "28/02/2026" in html
    assert "Chi bộ ấp Tây Bình" in html


def test_member_cannot_see_their_own_history(world, login):
    url = reverse("org:person-history", args=[world.people.member.pk])
    assert login(world.user("member")).get(url).status_code == 404


def test_create_login_page_creates_an_account(world, login):
    response = login(world.user("secretary")).post(
        reverse("org:person-login", args=[world.people.colleague.pk]),
        {
            "username": "ledongchi",
            "password": "Chi-bo-2026-Dong",
            "password2": "Chi-bo-2026-Dong",
        },
    )
    assert response.status_code == 302
    world.people.colleague.refresh_from_db()
    assert world.people.colleague.user.username == "ledongchi"


def test_create_login_with_different_passwords_keeps_the_username(world, login):
    response = login(world.user("secretary")).post(
        reverse("org:person-login", args=[world.people.colleague.pk]),
        {"username": "ledongchi", "password": "Chi-bo-2026-Dong", "password2": "other-one-2026"},
    )
    assert response.status_code == 200
    assert 'value="ledongchi"' in response.content.decode()
    world.people.colleague.refresh_from_db()
    assert world.people.colleague.user is None


# Roles and sectors ----------------------------------------------------------------------------


def test_secretary_is_not_offered_committee_roles(world, login):
    client = login(world.user("secretary"))
    url = reverse("org:role-grant", args=[world.cell_a.pk])
    html = client.get(url).content.decode()
    assert 'value="secretary"' in html
    assert 'value="committee"' not in html
    response = client.post(
        url, {"user": world.user("member").pk, "role": Role.COMMITTEE, "valid_from": _today()}
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(role=Role.COMMITTEE).exists()


def test_secretary_cannot_end_the_oversight_role(world, login):
    assignment = RoleAssignment.objects.get(user=world.user("oversight"))
    response = login(world.user("secretary")).post(
        reverse("org:role-end", args=[assignment.pk]), {"on": _today()}
    )
    assert response.status_code == 404


def test_role_list_shows_roles_of_the_managed_cell_only(world, login):
    html = login(world.user("secretary")).get(reverse("org:role-list")).content.decode()
    assert "Nguyễn Văn Đảng" in html
    assert "Phạm Văn Khác" not in html


@pytest.mark.parametrize("persona", ["secretary", "oversight", "member"])
def test_sectors_are_for_administrators_only(world, login, persona):
    assert login(world.user(persona)).get(reverse("org:sector-list")).status_code == 404


def test_admin_edits_a_sector(world, login):
    from lamtheo.org.models import Sector

    sector = Sector.objects.get(code="khac")
    response = login(world.user("admin")).post(
        reverse("org:sector-edit", args=[sector.pk]),
        {"code": "khac", "name": "Lĩnh vực khác", "order": 100},
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name == "Lĩnh vực khác"


def test_a_large_tree_stops_at_the_levels_that_fit(world):
    from lamtheo.org.selectors import unit_tree

    tree = unit_tree(world.user("admin"), limit=3)
    assert tree.cut_depth == 2
    assert [i.unit for i in tree.items] == [world.province, world.commune]
    assert tree.items[-1].cut
    full = unit_tree(world.user("admin"))
    assert full.cut_depth is None
    assert len(full.items) == 6


def test_tree_page_shows_one_branch(world, login):
    client = login(world.user("oversight"))
    html = client.get(reverse("org:unit-list"), {"root": world.cell_a.pk}).content.decode()
    assert "Chi bộ ấp Đông Bình" in html
    assert "Chi bộ ấp Tây Bình" not in html
    response = login(world.user("member")).get(reverse("org:unit-list"), {"root": world.cell_b.pk})
    assert response.status_code == 404
