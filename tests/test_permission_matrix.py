"""Walks every route with every persona (see ``tests/matrix``)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PERSONAS
from tests.matrix import EXEMPT_ROUTES, Case, all_cases

CASES = all_cases()
GET_CASES = [c for c in CASES if c.method == "get"]
WRITE_CASES = [c for c in CASES if c.method != "get"]


def _expected(case: Case, persona: str) -> frozenset[int]:
    if persona == "anonymous":
        if case.anonymous == "public":
            return case.ok_statuses()
        if case.anonymous == "api":
            return frozenset({401, 403})
        return frozenset({302})
    if persona in case.allowed:
        return case.ok_statuses()
    return frozenset({case.denied_status.get(persona, case.denied)})


def _request(client, case: Case, world):
    url = case.url(world)
    data = case.data(world) if case.data else None
    if case.method == "get":
        return client.get(url, data)
    if case.json:
        return getattr(client, case.method)(url, data or {}, content_type="application/json")
    return getattr(client, case.method)(url, data or {})


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_route_answers_as_the_persona_may(persona, world, login):
    client = login(world.user(persona))
    wrong = []
    for case in GET_CASES:
        response = _request(client, case, world)
        expected = _expected(case, persona)
        if response.status_code not in expected:
            wrong.append(f"{case.id}: got {response.status_code}, expected {sorted(expected)}")
        elif persona == "anonymous" and case.anonymous == "login":
            assert "/accounts/login/" in response["Location"], case.id
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda c: c.id)
def test_every_write_route_answers_as_the_persona_may(case, world, login):
    # One world per case; each persona's attempt runs in a savepoint that is rolled back, so
    # every persona meets the same starting state (and the suite builds 8× fewer worlds).
    # Build what the case needs (matrix modules create objects lazily and cache them on the
    # world) before the savepoints, so that it survives each persona's rollback.
    case.url(world)
    if case.data:
        case.data(world)
    wrong = []
    for persona in PERSONAS:
        with transaction.atomic():
            client = login(world.user(persona))
            response = _request(client, case, world)
            transaction.set_rollback(True)
        expected = _expected(case, persona)
        if response.status_code not in expected:
            wrong.append(f"{persona}: got {response.status_code}, expected {sorted(expected)}")
    assert not wrong, f"{case.id}\n" + "\n".join(wrong)


def _route_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _route_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_route_has_a_matrix_case():
    covered = {c.route for c in CASES} | EXEMPT_ROUTES
    missing = sorted(_route_names(get_resolver()) - covered)
    assert not missing, "Routes without a permission-matrix case: " + ", ".join(missing)
