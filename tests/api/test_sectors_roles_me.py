"""Sectors (everyone reads, administrators write), role assignments (administrators) and
``/me/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lamtheo.org.models import Person, Role, RoleAssignment, Sector

ME = "/api/v1/me/"
SECTORS = "/api/v1/sectors/"
ROLES = "/api/v1/role-assignments/"


@pytest.fixture
def admin(world, api):
    return api(world.user("admin"))


# Sectors -----------------------------------------------------------------------------------


def test_sectors_come_in_their_set_order(world, api):
    codes = [row["code"] for row in api(world.user("member")).get(SECTORS).json()["results"]]
    assert codes[:3] == ["yte", "giaoduc", "ap"]


def test_administrator_adds_a_sector_with_a_token_and_history_names_them(world):
    token = Token.objects.create(user=world.user("admin"))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    response = client.post(SECTORS, {"code": "thuysan", "name": "Thủy sản"}, format="json")
    assert response.status_code == 201
    sector = Sector.objects.get(code="thuysan")
    assert sector.history.get().history_user == world.user("admin")


def test_sector_codes_are_unique(world, admin):
    response = admin.post(SECTORS, {"code": "yte", "name": "Y tế 2"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_a_sector_in_use_cannot_be_removed(world, admin):
    sector = Sector.objects.get(code="yte")
    Person.objects.filter(pk=world.people.member.pk).update(sector=sector)
    response = admin.delete(f"{SECTORS}{sector.pk}/")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert Sector.objects.filter(pk=sector.pk).exists()


def test_member_cannot_add_a_sector(world, api):
    response = api(world.user("member")).post(SECTORS, {"code": "x", "name": "X"}, format="json")
    assert response.status_code == 403


# Role assignments --------------------------------------------------------------------------


def test_administrator_grants_a_role(world, admin):
    response = admin.post(
        ROLES,
        {"user": world.user("member").pk, "role": "secretary", "unit": world.cell_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_detail"]["id"] == world.cell_a.pk
    assert body["valid_from"] == timezone.localdate().isoformat()
    assignment = RoleAssignment.objects.get(pk=body["id"])
    assert assignment.history.get().history_user == world.user("admin")


def test_a_role_other_than_admin_needs_a_unit(world, admin):
    response = admin.post(
        ROLES, {"user": world.user("member").pk, "role": "committee"}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_the_same_role_twice_at_once_is_400(world, admin):
    response = admin.post(
        ROLES,
        {"user": world.user("member").pk, "role": "member", "unit": world.cell_a.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "role" in response.json()


def test_administrator_ends_a_role_by_setting_its_last_day(world, admin):
    assignment = RoleAssignment.objects.get(user=world.user("member"))
    response = admin.patch(f"{ROLES}{assignment.pk}/", {"valid_to": "2026-12-31"}, format="json")
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.valid_to == dt.date(2026, 12, 31)


def test_role_ending_before_it_starts_is_400(world, admin):
    assignment = RoleAssignment.objects.get(user=world.user("member"))
    response = admin.patch(f"{ROLES}{assignment.pk}/", {"valid_to": "1999-01-01"}, format="json")
    assert response.status_code == 400
    assert "valid_to" in response.json()


def test_changing_a_role_so_that_it_overlaps_another_is_400(world, admin):
    # The member's role ended last year; a new one runs since. Reopening the old one would
    # give the user the same role twice at once, which grant_role refuses too.
    current = RoleAssignment.objects.get(user=world.user("member"))
    current.valid_from = dt.date(2025, 1, 1)
    current.save()
    old = RoleAssignment.objects.create(
        user=world.user("member"),
        role=current.role,
        unit=current.unit,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    response = admin.patch(f"{ROLES}{old.pk}/", {"valid_to": None}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()
    old.refresh_from_db()
    assert old.valid_to == dt.date(2024, 12, 31)
    # Changing a row without touching another one stays possible (it never overlaps itself).
    response = admin.patch(f"{ROLES}{old.pk}/", {"valid_to": "2024-06-30"}, format="json")
    assert response.status_code == 200, response.content


def test_role_assignments_are_ended_not_deleted(world, admin):
    assignment = RoleAssignment.objects.get(user=world.user("member"))
    assert admin.delete(f"{ROLES}{assignment.pk}/").status_code == 405
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_filter_role_assignments_by_unit_and_role(world, admin):
    rows = admin.get(ROLES, {"unit": world.cell_a.pk, "role": "secretary"}).json()["results"]
    assert [r["username"] for r in rows] == ["secretary"]


# /me/ --------------------------------------------------------------------------------------


def test_me_describes_the_member(world, api):
    body = api(world.user("member")).get(ME).json()
    assert body["user"]["username"] == "member"
    assert body["person"] == {"id": world.people.member.pk, "full_name": "Nguyễn Văn Đảng"}
    assert [(r["role"], r["unit"]) for r in body["roles"]] == [("member", world.cell_a.pk)]
    assert body["scope"]["is_admin"] is False
    assert [u["id"] for u in body["scope"]["own_units"]] == [world.cell_a.pk]
    assert body["scope"]["reads"] == body["scope"]["manages"] == []


def test_me_shows_the_oversight_subtree(world, api):
    scope = api(world.user("oversight")).get(ME).json()["scope"]
    assert [u["id"] for u in scope["reads"]] == [world.commune.pk]
    assert [u["id"] for u in scope["plans"]] == [world.commune.pk]
    assert scope["manages"] == []


def test_me_leaves_out_ended_roles(world, api):
    grant = RoleAssignment.objects.create(
        user=world.user("member"),
        role=Role.SECRETARY,
        unit=world.cell_a,
        valid_from=dt.date(2010, 1, 1),
        valid_to=dt.date(2015, 1, 1),
    )
    roles = api(world.user("member")).get(ME).json()["roles"]
    assert grant.pk not in {r["id"] for r in roles}


def test_me_for_an_administrator_without_a_person(world, api):
    body = api(world.user("admin")).get(ME).json()
    assert body["person"] is None
    assert body["scope"]["is_admin"] is True


def test_me_is_not_paginated(world, api):
    assert "results" not in api(world.user("member")).get(ME).json()
