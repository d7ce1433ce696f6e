"""Fixtures for the API tests: a DRF client signed in as a persona, and a clean cache (the
token endpoint's throttle counts in the cache, which outlives a test)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """``api(user)``: a client authenticated as ``user`` (None: anonymous)."""

    def _api(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _api


def ids(response) -> set[int]:
    """The ids on a page of results."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def vi_catalogue():
    """``vi_catalogue({"English msgid": "Vietnamese"})`` adds entries to the active Vietnamese
    catalogue for the test, as the translator's pass will: a message that reaches the user
    in Vietnamese then proves it went through gettext when the request was answered."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("vi")._catalog
    top = catalog._catalogs[0]  # where TranslationCatalog.__setitem__ writes
    missing = object()
    saved: dict[str, object] = {}

    def _add(entries: dict[str, str]) -> None:
        for msgid, msgstr in entries.items():
            saved.setdefault(msgid, top.get(msgid, missing))
            catalog[msgid] = msgstr

    yield _add
    for msgid, previous in saved.items():
        if previous is missing:
            top.pop(msgid, None)
        else:
            top[msgid] = previous
