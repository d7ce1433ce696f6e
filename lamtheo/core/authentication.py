"""API authentication and pagination (kept apart from views: DRF imports these from settings)."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination


class BearerOrTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` (DRF's form) or ``Authorization: Bearer <key>``."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Bearer "):
            request.META["HTTP_AUTHORIZATION"] = "Token " + header[len("Bearer ") :]
        return super().authenticate(request)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, plus ``DomainError`` → 400 with the same Vietnamese message."""
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_handler

    from lamtheo.core.errors import DomainError

    if isinstance(exc, DomainError):
        return Response(exc.as_api_data(), status=400)
    return drf_handler(exc, context)
