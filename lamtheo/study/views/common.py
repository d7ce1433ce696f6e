"""Small helpers shared by the study views."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone


def year_param(request: HttpRequest) -> int:
    """``?year=`` if it is a sensible year, else the current one."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2016 <= year <= 2100 else timezone.localdate().year


def paginate(request: HttpRequest, items, per_page: int = 30) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))
