"""The permission matrix: every page and API route, every persona, the expected outcome.

Each app contributes a module here (``tests/matrix/<app>.py``) with a ``CASES`` list; the
test in ``tests/test_permission_matrix.py`` walks all of them with every persona of
``tests/conftest.py`` and also fails when a URL pattern of the project has no case, so a new
route cannot skip the matrix.

Outcomes: a persona in ``allowed`` gets a status in ``ok`` (default 200 for GET, 200/201/302
for POST); any other signed-in persona gets ``denied`` (default 404: an object outside the
scope is not leaked); anonymous gets a redirect to the log-in page (pages) or 401/403 (API).
Use ``denied_status`` to give specific personas another expected status (e.g. 403 when the
object is visible but the action is not the persona's to take).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ALL = frozenset(
    {"member", "secretary", "other_member", "other_secretary", "oversight", "staff", "admin"}
)


@dataclass(frozen=True)
class Case:
    #: URL name, e.g. "org:unit-detail" or "api:unit-list": used by the completeness check.
    route: str
    url: Callable[[Any], str]
    allowed: frozenset[str]
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    #: Send ``data`` as JSON (API) rather than form-encoded.
    json: bool = False
    ok: frozenset[int] = frozenset()
    denied: int = 404
    denied_status: dict[str, int] = field(default_factory=dict)
    #: A label to tell two cases of one route apart (e.g. "own" / "other cell").
    label: str = ""
    #: Anonymous outcome: "login" (redirect to log-in), "api" (401/403), or "public" (allowed).
    anonymous: str = "login"

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route}{' [' + self.label + ']' if self.label else ''}"

    def ok_statuses(self) -> frozenset[int]:
        if self.ok:
            return self.ok
        return frozenset({200}) if self.method == "get" else frozenset({200, 201, 204, 302})


def all_cases() -> list[Case]:
    cases: list[Case] = []
    package = importlib.import_module(__name__)
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases += getattr(module, "CASES", [])
    return cases


#: URL names that need no case (framework pages, covered by their own tests).
EXEMPT_ROUTES = frozenset({"login", "logout", "api:schema", "api:token"})
