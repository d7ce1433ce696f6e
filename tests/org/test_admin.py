"""The Django admin pages of the organisation and programme models open (a fallback tool for
administrators: tree admin for units, change history everywhere)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from lamtheo.org.models import Unit
from lamtheo.programme.services import create_default_forms
from tests.factories import UserFactory

MODELS = [m for m in admin.site._registry if m._meta.app_label in {"org", "programme"}]


@pytest.fixture
def superuser_client(world, client):
    create_default_forms(programme_year=world.programme_year, by=None)
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_org_and_programme_model_is_registered():
    names = {m.__name__ for m in MODELS}
    assert names >= {
        "Unit",
        "UnitSuccession",
        "Sector",
        "Person",
        "PartyMembership",
        "Employment",
        "RoleAssignment",
        "ProgrammeYear",
        "FormTemplate",
        "FormContent",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_list_change_and_history_pages_open(superuser_client, model):
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    assert superuser_client.get(reverse(f"{base}_changelist")).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert superuser_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200
        assert superuser_client.get(reverse(f"{base}_history", args=[obj.pk])).status_code == 200


def test_unit_admin_is_a_tree_admin(superuser_client, world):
    html = superuser_client.get(reverse("admin:org_unit_changelist")).content.decode()
    assert Unit.objects.count() == 6
    assert "Tỉnh ủy An Giang" in html
    assert 'id="tree-context"' in html  # treebeard's drag-and-drop tree
