"""Shared API pieces: the token endpoint, permission classes and schema helpers that every
app's ``api.py`` uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from lamtheo.core.client_ip import client_ip
from lamtheo.core.errors import DomainError
from lamtheo.org.scope import get_scope


class TokenThrottle(AnonRateThrottle):
    """Per client address, on top of django-axes (which locks a username+address pair)."""

    scope = "token"
    rate = "30/min"

    def get_ident(self, request: Request) -> str:
        # DRF's own reads X-Forwarded-For from anyone (the whole header when NUM_PROXIES is
        # unset), so a client could pick a new identity for every request. Use the address
        # django-axes uses: X-Forwarded-For only from TRUSTED_PROXIES.
        return client_ip(request) or ""


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


ErrorSerializer = inline_serializer(
    "Error", {"detail": serializers.CharField(), "code": serializers.CharField()}
)


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        400: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
        429: OpenApiResponse(
            ErrorSerializer, description="Too many attempts (throttled or locked out)."
        ),
    },
    summary="Obtain an API token with username and password",
    tags=["auth"],
)
@api_view(["POST"])
@throttle_classes([TokenThrottle])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
def obtain_token(request: Request) -> Response:
    """Exchange a username and password for the user's API token (created on first use).

    Failures count toward the django-axes lockout exactly like the log-in page: the Django
    request goes to ``authenticate`` so that axes sees the address and the username."""
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    django_request = request._request
    user = authenticate(
        django_request,
        username=serializer.validated_data["username"],
        password=serializer.validated_data["password"],
    )
    if getattr(django_request, "axes_locked_out", False):
        # AxesMiddleware would swap our answer for the HTML lock-out page; an API client
        # wants JSON, so answer here and tell the middleware it has nothing left to do.
        django_request.axes_locked_out = False
        return Response(
            {
                "detail": gettext(
                    "Too many failed log-in attempts: this account is locked for a while. "
                    "Please try again later or ask your administrator."
                ),
                "code": "locked_out",
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if user is None or not user.is_active:
        return Response(
            {"detail": gettext("Wrong username or password."), "code": "invalid_credentials"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    # A token is a log-in: axes resets the failure count, Django records last_login.
    user_logged_in.send(sender=user.__class__, request=django_request, user=user)
    token, _created = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})


class IsScopeAdmin(permissions.BasePermission):
    """Administrators only: superusers and holders of the «admin» role."""

    message = _("Only an administrator may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return get_scope(request.user).is_admin


class ReadOrScopeAdmin(permissions.BasePermission):
    """Every signed-in user reads; administrators write."""

    message = _("Only an administrator may change this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or get_scope(request.user).is_admin


class SingleObjectSchema(AutoSchema):
    """For a ``list`` route that answers one object (``/me/``), not a page of them."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


def query_int(request: Request, name: str) -> int | None:
    """An integer query parameter, or None when absent; 400 when it is not a number."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError({name: [_("Give a whole number.")]}) from None


def query_bool(request: Request, name: str) -> bool | None:
    """``true``/``false`` (also 1/0, yes/no), or None when absent; 400 otherwise."""
    raw = request.query_params.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in {"1", "true", "yes"}:
        return True
    if raw in {"0", "false", "no"}:
        return False
    raise serializers.ValidationError({name: [_("Give true or false.")]})


def query_date(request: Request, name: str) -> dt.date | None:
    """A date query parameter (YYYY-MM-DD or dd/mm/yyyy), or None when absent; 400 otherwise."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return serializers.DateField().run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from None


@contextmanager
def renamed_error_fields(**names: str) -> Iterator[None]:
    """Report a service's ``DomainError`` under the API's field names, e.g.
    ``renamed_error_fields(to_cell="cell")`` when the API calls the argument ``cell``."""
    try:
        yield
    except DomainError as exc:
        if exc.field in names:
            exc.field = names[exc.field]
        raise
