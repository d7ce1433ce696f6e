"""The units API: filters, the detail, creating in the tree and editing."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.org.models import SuccessionKind, Unit, UnitKind, UnitSuccession
from tests.api.conftest import ids
from tests.factories import make_unit

URL = "/api/v1/units/"


def detail(unit) -> str:
    return f"{URL}{unit.pk}/"


@pytest.fixture
def admin(world, api):
    return api(world.user("admin"))


# Listing -----------------------------------------------------------------------------------


def test_list_is_paginated_and_in_tree_order(world, admin):
    body = admin.get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    paths = [Unit.objects.get(pk=row["id"]).path for row in body["results"]]
    assert paths == sorted(paths)


def test_page_size_is_adjustable(world, admin):
    body = admin.get(URL, {"page_size": 2}).json()
    assert body["count"] == 6
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


def test_filter_by_kind_accepts_several_kinds(world, admin):
    assert ids(admin.get(URL, {"kind": "cell"})) == {world.cell_a.pk, world.cell_b.pk}
    both = admin.get(URL, {"kind": "cell,peoples_committee"})
    assert ids(both) == {world.cell_a.pk, world.cell_b.pk, world.ubnd.pk}


def test_unknown_kind_is_400_naming_the_parameter(world, admin):
    response = admin.get(URL, {"kind": "cell,bogus"})
    assert response.status_code == 400
    assert "bogus" in response.json()["kind"][0]


def test_filter_by_parent_gives_direct_children_only(world, admin):
    children = ids(admin.get(URL, {"parent": world.province.pk}))
    assert children == {world.commune.pk}


def test_filter_by_subtree_gives_the_unit_and_everything_below(world, admin):
    group = make_unit(kind=UnitKind.PARTY_GROUP, name="Tổ đảng 1", parent=world.cell_a)
    assert ids(admin.get(URL, {"subtree": world.cell_a.pk})) == {world.cell_a.pk, group.pk}


def test_filter_active_on_a_date(world, admin):
    world.cell_b.valid_to = dt.date(2025, 6, 30)
    world.cell_b.save()
    before = ids(admin.get(URL, {"active_on": "2025-01-01", "kind": "cell"}))
    after = ids(admin.get(URL, {"active_on": "01/07/2025", "kind": "cell"}))
    assert before == {world.cell_a.pk, world.cell_b.pk}
    assert after == {world.cell_a.pk}


def test_search_by_part_of_the_name(world, admin):
    assert ids(admin.get(URL, {"search": "Tây Bình"})) == {world.cell_b.pk}


@pytest.mark.parametrize(("param", "value"), [("parent", "x"), ("active_on", "31/02/2025")])
def test_malformed_filters_are_400(world, admin, param, value):
    response = admin.get(URL, {param: value})
    assert response.status_code == 400
    assert param in response.json()


# Detail ------------------------------------------------------------------------------------


def test_detail_shows_parent_depth_children_and_validity(world, admin):
    body = admin.get(detail(world.commune)).json()
    assert body["parent"] == world.province.pk
    assert body["depth"] == 2
    assert body["children_count"] == 4
    assert body["valid_from"] is None
    assert body["is_active"] is True
    assert body["kind"] == "commune_committee"


def test_top_level_unit_has_no_parent(world, admin):
    assert admin.get(detail(world.province)).json()["parent"] is None


def test_detail_lists_successors_and_predecessors(world, admin):
    merged = make_unit(kind=UnitKind.CELL, name="Chi bộ ấp Bình Mới", parent=world.commune)
    for old in (world.cell_a, world.cell_b):
        UnitSuccession.objects.create(
            predecessor=old,
            successor=merged,
            kind=SuccessionKind.MERGE,
            effective_on=dt.date(2025, 7, 1),
        )
    successors = admin.get(detail(world.cell_a)).json()["successors"]
    assert [(s["unit"]["id"], s["kind"], s["effective_on"]) for s in successors] == [
        (merged.pk, "merge", "2025-07-01")
    ]
    predecessors = admin.get(detail(merged)).json()["predecessors"]
    assert {p["unit"]["id"] for p in predecessors} == {world.cell_a.pk, world.cell_b.pk}


def test_succession_links_do_not_reveal_units_out_of_scope(world, api):
    elsewhere = make_unit(kind=UnitKind.CELL, name="Chi bộ nơi khác", parent=world.province)
    UnitSuccession.objects.create(
        predecessor=world.cell_a,
        successor=elsewhere,
        kind=SuccessionKind.RENAME,
        effective_on=dt.date(2025, 7, 1),
    )
    body = api(world.user("member")).get(detail(world.cell_a)).json()
    assert body["successors"] == []


def test_unit_out_of_scope_is_404(world, api):
    response = api(world.user("member")).get(detail(world.cell_b))
    assert response.status_code == 404


# Creating ----------------------------------------------------------------------------------


def test_secretary_adds_a_party_group_to_their_cell(world, api):
    response = api(world.user("secretary")).post(
        URL,
        {"kind": "party_group", "name": "Tổ đảng số 1", "parent": world.cell_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == world.cell_a.pk
    assert body["depth"] == world.cell_a.depth + 1
    group = Unit.objects.get(pk=body["id"])
    assert Unit.objects.get_parent(group) == world.cell_a
    assert group.history.get().history_user == world.user("secretary")
    world.cell_a.refresh_from_db()
    assert world.cell_a.numchild == 1


def test_a_cell_holds_only_party_groups(world, api):
    response = api(world.user("secretary")).post(
        URL, {"kind": "cell", "name": "Chi bộ con", "parent": world.cell_a.pk}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["kind"] == [body["detail"]]


def test_rule_messages_are_translated_when_answered(world, api, vi_catalogue):
    vi_catalogue({"A party cell can only contain party groups.": "Chi bộ chỉ gồm các tổ đảng."})
    response = api(world.user("secretary")).post(
        URL, {"kind": "cell", "name": "Chi bộ con", "parent": world.cell_a.pk}, format="json"
    )
    assert response.json()["kind"] == ["Chi bộ chỉ gồm các tổ đảng."]


def test_end_before_start_is_400_on_valid_to(world, admin):
    response = admin.post(
        URL,
        {
            "kind": "cell",
            "name": "Chi bộ ấp Mới",
            "parent": world.commune.pk,
            "valid_from": "2025-07-01",
            "valid_to": "2025-06-30",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "valid_to" in response.json()


def test_missing_name_and_kind_are_400_per_field(world, admin):
    response = admin.post(URL, {"parent": world.commune.pk}, format="json")
    assert response.status_code == 400
    assert {"kind", "name"} <= set(response.json())


def test_administrator_creates_a_top_level_unit(world, admin):
    response = admin.post(
        URL, {"kind": "province_committee", "name": "Tỉnh ủy Kiên Giang"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["parent"] is None and response.json()["depth"] == 1


def test_secretary_cannot_create_a_top_level_unit(world, api):
    response = api(world.user("secretary")).post(
        URL, {"kind": "province_committee", "name": "Tỉnh ủy Mới"}, format="json"
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Tỉnh ủy Mới").exists()


def test_secretary_cannot_create_under_a_unit_they_only_read(world, api):
    # The secretary reads the commune's programme but manages only cell A.
    response = api(world.user("secretary")).post(
        URL, {"kind": "cell", "name": "Chi bộ Mới", "parent": world.commune.pk}, format="json"
    )
    assert response.status_code == 400  # the commune is not a unit they can name
    assert "parent" in response.json()


# Editing -----------------------------------------------------------------------------------


def test_secretary_edits_a_unit_below_their_cell(world, api):
    group = make_unit(kind=UnitKind.PARTY_GROUP, name="Tổ đảng 1", parent=world.cell_a)
    client = api(world.user("secretary"))
    response = client.patch(detail(group), {"short_name": "Tổ 1"}, format="json")
    assert response.status_code == 200
    assert response.json()["short_name"] == "Tổ 1"


def test_secretary_cannot_rename_their_own_cell(world, api):
    response = api(world.user("secretary")).patch(
        detail(world.cell_a), {"name": "Chi bộ Khác"}, format="json"
    )
    assert response.status_code == 403
    world.cell_a.refresh_from_db()
    assert world.cell_a.name == "Chi bộ ấp Đông Bình"


def test_a_unit_cannot_be_moved_by_editing_its_parent(world, admin):
    response = admin.patch(detail(world.cell_a), {"parent": world.province.pk}, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()


def test_sending_the_same_parent_on_edit_is_accepted(world, admin):
    response = admin.patch(
        detail(world.cell_a), {"parent": world.commune.pk, "code": "CB01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["code"] == "CB01"


def test_closing_a_unit_before_it_started_is_400(world, admin):
    world.cell_a.valid_from = dt.date(2020, 1, 1)
    world.cell_a.save()
    response = admin.patch(detail(world.cell_a), {"valid_to": "2019-12-31"}, format="json")
    assert response.status_code == 400
    assert "valid_to" in response.json()
    world.cell_a.refresh_from_db()
    assert world.cell_a.valid_to is None


def test_units_cannot_be_deleted_through_the_api(world, admin):
    assert admin.delete(detail(world.cell_a)).status_code == 405
