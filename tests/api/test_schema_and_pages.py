"""The OpenAPI schema covers every API route and validates; every list is paginated; list
queries stay constant in number as the data grows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from lamtheo.org import api as org_api
from lamtheo.org.models import UnitKind
from lamtheo.programme import api as programme_api
from tests.factories import make_member, make_unit


def _api_patterns() -> list[tuple[str, str]]:
    """(route name, OpenAPI path) of every route under the «api» namespace."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, pattern, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "api" and entry.name:
                path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern.replace("^", ""))
                path = "/" + path.replace("$", "").replace("{pk}", "{id}")
                found.append((entry.name, path))

    walk(get_resolver(), "", "")
    return found


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_has_every_api_route(schema):
    missing = [
        (name, path)
        for name, path in _api_patterns()
        if name != "schema" and path not in schema["paths"]
    ]
    assert not missing


def test_schema_documents_both_ways_to_sign_in(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["tokenAuth"]["description"],
    }
    assert "cookieAuth" in schemes


def _own_patterns() -> list:
    """The routes of this API (token, org, programme), mounted as in lamtheo.urls."""
    from lamtheo.core.api import obtain_token
    from lamtheo.org.api import router as org_router
    from lamtheo.programme.api import router as programme_router

    return [
        path(
            "api/v1/",
            include(
                [
                    path("auth/token/", obtain_token),
                    *org_router.urls,
                    *programme_router.urls,
                ]
            ),
        )
    ]


def test_schema_of_these_endpoints_has_no_warnings():
    # The whole project runs `manage.py spectacular --validate --fail-on-warn`; this keeps
    # the units/people/programme part clean whatever other apps add.
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=_own_patterns()).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)
    validate_schema(schema)


OWN_LIST_ROUTES = sorted(
    f"{basename}-list"
    for router in (org_api.router, programme_api.router)
    for _prefix, _viewset, basename in router.registry
    if basename != "me"
)


@pytest.mark.parametrize("route", OWN_LIST_ROUTES)
def test_every_list_is_paginated(world, api, route):
    response = api(world.user("admin")).get(reverse(f"api:{route}"), {"page_size": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) <= 1
    if body["count"] > 1:
        assert "page=2" in body["next"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow_cell(world, n: int) -> None:
    for i in range(n):
        make_member(world.cell_a, f"Nguyễn Văn Thêm {i}")


def _grow_tree(world, n: int) -> None:
    for i in range(n):
        make_unit(kind=UnitKind.PARTY_GROUP, name=f"Tổ đảng {i}", parent=world.cell_a)


@pytest.mark.parametrize("persona", ["secretary", "oversight", "admin"])
def test_people_list_queries_do_not_grow_with_the_page(
    world, api, persona, django_assert_max_num_queries
):
    client = api(world.user(persona))
    _grow_cell(world, 3)
    small = _queries(client, "/api/v1/people/")
    _grow_cell(world, 30)
    with django_assert_max_num_queries(small):
        body = client.get("/api/v1/people/").json()
    assert body["count"] >= 33
    assert small <= 10


@pytest.mark.parametrize("persona", ["secretary", "oversight", "admin"])
def test_unit_list_queries_do_not_grow_with_the_page(
    world, api, persona, django_assert_max_num_queries
):
    client = api(world.user(persona))
    _grow_tree(world, 3)
    small = _queries(client, "/api/v1/units/")
    _grow_tree(world, 30)
    with django_assert_max_num_queries(small):
        body = client.get("/api/v1/units/").json()
    assert body["count"] >= 33
    assert small <= 8


def test_programme_year_detail_queries_do_not_grow_with_the_forms(
    world, api, django_assert_max_num_queries
):
    from lamtheo.programme.models import FormContent, FormTemplate

    client = api(world.user("oversight"))
    url = f"/api/v1/programme-years/{world.programme_year.pk}/"
    form = FormTemplate.objects.create(
        programme_year=world.programme_year, audience="party", title="A"
    )
    FormContent.objects.create(form=form, number=1, title="1")
    small = _queries(client, url)
    state = FormTemplate.objects.create(
        programme_year=world.programme_year, audience="state", title="B"
    )
    for number in range(1, 8):
        FormContent.objects.create(form=state, number=number, title=str(number))
    with django_assert_max_num_queries(small):
        client.get(url)
