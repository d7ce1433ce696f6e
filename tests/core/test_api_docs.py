"""The API's index and its readable schema page, served without any CDN."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_api_index_lists_the_collections_with_links(world, login):
    client = login(world.user("member"))
    response = client.get(reverse("api:index"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    index = response.json()
    assert index["units"].endswith(reverse("api:unit-list"))
    assert index["programme-years"].endswith(reverse("api:programme-year-list"))
    assert index["plans"].endswith(reverse("api:plan-list"))
    assert index["schema"].endswith(reverse("api:schema"))
    assert index["docs"].endswith(reverse("api-docs"))


def test_the_api_index_needs_a_signed_in_user(client, db):
    assert client.get(reverse("api:index")).status_code in {401, 403}


def test_the_schema_page_renders_with_local_files_only(client, db):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert reverse("api:schema") in html
    # No address of another host: an intranet has no CDN.
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), re.findall(
        r"(?:https?:)?//\S+", html
    )
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_schema_page_turns_off_swagger_uis_online_validator(client, db):
    html = client.get(reverse("api-docs")).content.decode()
    assert '"validatorUrl": null' in html
