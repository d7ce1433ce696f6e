"""API authentication, pagination and error handling (kept apart from views: DRF imports these
from settings, so this module must not import any app's views or models at import time)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class BearerOrTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` (DRF's form) or ``Authorization: Bearer <key>`` (what
    most HTTP clients send by default). Both carry the same DRF token."""

    keywords = ("Token", "Bearer")

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in {k.lower().encode() for k in self.keywords}:
            # Not ours (no header, or another scheme such as Basic): let the next class try.
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the scheme, one space, then the token.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: the token has invalid characters.")
            ) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        model = self.get_model()
        try:
            token = model.objects.select_related("user").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        return (token.user, token)

    def authenticate_header(self, request: Request) -> str:
        # Answering 401 (not 403) to anonymous calls needs a WWW-Authenticate challenge.
        return "Bearer"


class BearerOrTokenScheme(OpenApiAuthenticationExtension):
    """Describes :class:`BearerOrTokenAuthentication` in the OpenAPI schema."""

    target_class = "lamtheo.core.authentication.BearerOrTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Token from POST /api/v1/auth/token/, sent as «Authorization: Bearer <token>» "
                    "or «Authorization: Token <token>»."
                )
            ),
        }


class Pagination(PageNumberPagination):
    """``?page=2&page_size=100``; answers ``{"count", "next", "previous", "results"}``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus ``DomainError`` → 400 with the same translated message."""
    from rest_framework.views import exception_handler as drf_handler

    from lamtheo.core.errors import DomainError

    if isinstance(exc, DomainError):
        return Response(exc.as_api_data(), status=400)
    return drf_handler(exc, context)
