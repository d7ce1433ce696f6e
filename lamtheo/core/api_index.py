"""The API's index (``GET /api/v1/``): every collection of the apps' routers, with links.

Each app registers its viewsets on its own ``SimpleRouter`` (``<app>/api.py``), and a
``SimpleRouter`` has no root view, so ``/api/v1/`` answered 404. DRF's ``DefaultRouter`` root
view (``APIRootView``) lists one router; here it lists all of them, plus the schema and its
readable page. It needs a signed-in user or a token, like the rest of the API, and is in the
schema like every other API route (``tests/api/test_schema_and_pages.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, SimpleRouter
from rest_framework.schemas.inspectors import DefaultSchema


class ApiIndexView(APIRootView):
    """``APIRootView`` leaves itself out of the schema (``schema = None``); ours is listed."""

    schema = DefaultSchema()

    @extend_schema(
        operation_id="api_index",
        summary="API index",
        description="Each collection of the API (and the schema, and its readable page) "
        "with its address.",
        responses={200: {"type": "object", "additionalProperties": {"type": "string"}}},
        tags=["api"],
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        # The readable page is HTML, so it sits outside the «api» namespace (and the schema).
        response.data["docs"] = reverse("api-docs", request=request, format=kwargs.get("format"))
        return response


def api_index_view(routers: Iterable[SimpleRouter], **extra: str) -> Any:
    """DRF's root view over ``routers``: each prefix → its list route (``<basename>-list``);
    ``extra`` adds entries (key → URL name in the same namespace)."""
    entries: dict[str, str] = {}
    for router in routers:
        list_name = router.routes[0].name  # "{basename}-list"
        for prefix, _viewset, basename in router.registry:
            entries[prefix] = list_name.format(basename=basename)
    entries.update(extra)
    return ApiIndexView.as_view(api_root_dict=entries)
