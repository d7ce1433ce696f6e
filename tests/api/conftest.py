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
