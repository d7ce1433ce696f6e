"""API authentication, pagination and error handling (kept apart from views: DRF imports these
from settings, so this module must not import any app's views or models at import time)."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404
from django.utils.translation import gettext, ngettext
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
    """DRF's handler, plus ``DomainError`` → 400 with the same translated message, and
    readable wording for the answers DRF's catalogue cannot translate (:func:`readable`)."""
    from rest_framework.views import exception_handler as drf_handler

    from lamtheo.core.errors import DomainError

    if isinstance(exc, DomainError):
        return Response(exc.as_api_data(), status=400)
    return drf_handler(readable(exc), context)


#: What Python's json module reports (``JSONDecodeError.msg``), as a reader would say it.
JSON_PROBLEMS = {
    "Expecting value": _("a value is missing"),
    "Expecting property name enclosed in double quotes": _(
        "a property name in double quotes is expected"
    ),
    "Expecting ':' delimiter": _("a colon (:) is missing"),
    "Expecting ',' delimiter": _("a comma (,) is missing"),
    "Unterminated string starting at": _("a string is not closed"),
    "Invalid control character at": _("a string holds a control character"),
    "Invalid \\uXXXX escape": _("a Unicode escape sequence is invalid"),
    "Invalid \\escape": _("an escape sequence (after a backslash) is invalid"),
    "Extra data": _("there is more data after the JSON value"),
}


def readable(exc: Exception) -> Exception:
    """The exception to answer with, worded in the request's language.

    DRF's catalogue holds most of its messages (ours adds the Vietnamese, see
    ``lamtheo.core.drf_messages``), but some answers never go through gettext:

    - a 404 from ``get_object_or_404`` says «No Unit matches the given query.» (English, and
      a class name): every API 404 says DRF's «Not found.», whatever the reason;
    - the throttling sentence «Expected available in 60 seconds.» is formatted before it is
      translated, so no catalogue matches it;
    - «JSON parse error - Expecting value: line 1 column 10 (char 9)» comes from Python's
      json module, «CSRF Failed: CSRF token missing.» from Django's CSRF middleware.
    """
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        if str(exc.detail) == str(exceptions.Throttled(wait=exc.wait).detail):
            exc.detail = exceptions.ErrorDetail(_throttled(exc.wait), code=exc.default_code)
        return exc
    if isinstance(exc, exceptions.ParseError):
        text = str(exc.detail)
        if text.startswith("JSON parse error - "):
            return exceptions.ParseError(_json_problem(exc.__context__))
        if text.startswith("Multipart form parse error - "):
            return exceptions.ParseError(
                gettext("The request body is not valid multipart form data.")
            )
        return exc
    if isinstance(exc, exceptions.PermissionDenied):
        reason = str(exc.detail).removeprefix("CSRF Failed: ")
        if reason != str(exc.detail):
            return exceptions.PermissionDenied(
                gettext(
                    "The CSRF check failed (%(reason)s). With a session, send the value of the "
                    "csrftoken cookie in the X-CSRFToken header; scripts should use a token."
                )
                % {"reason": reason}
            )
    return exc


def _throttled(wait: int) -> str:
    again = ngettext(
        "Expected available in {wait} second.", "Expected available in {wait} seconds.", wait
    )
    return f"{gettext('Request was throttled.')} {again.format(wait=wait)}"


def _json_problem(cause: BaseException | None) -> str:
    """What is wrong with a JSON body, from the error DRF's JSONParser caught."""
    if isinstance(cause, json.JSONDecodeError):
        place = {"line": cause.lineno, "column": cause.colno}
        problem = JSON_PROBLEMS.get(cause.msg)
        if problem is None:
            return (
                gettext("The request body is not valid JSON (line %(line)s, column %(column)s).")
                % place
            )
        return gettext(
            "The request body is not valid JSON: %(problem)s (line %(line)s, column %(column)s)."
        ) % {"problem": problem, **place}
    if isinstance(cause, UnicodeDecodeError):
        return gettext("The request body is not valid UTF-8 text.")
    return gettext("The request body is not valid JSON.")
