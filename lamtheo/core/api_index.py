"""The API's index (``GET /api/v1/``): every collection of the apps' routers, with links.

Each app registers its viewsets on its own ``SimpleRouter`` (``<app>/api.py``), and a
``SimpleRouter`` has no root view, so ``/api/v1/`` answered 404. DRF's ``DefaultRouter`` root
view (``APIRootView``) lists one router; here it lists all of them, plus the schema and its
readable page. It needs a signed-in user or a token, like the rest of the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.routers import APIRootView, SimpleRouter


def api_index_view(routers: Iterable[SimpleRouter], **extra: str) -> Any:
    """DRF's root view over ``routers``: each prefix → its list route (``<basename>-list``);
    ``extra`` adds entries (key → URL name in the same namespace)."""
    entries: dict[str, str] = {}
    for router in routers:
        list_name = router.routes[0].name  # "{basename}-list"
        for prefix, _viewset, basename in router.registry:
            entries[prefix] = list_name.format(basename=basename)
    entries.update(extra)
    return APIRootView.as_view(api_root_dict=entries)
