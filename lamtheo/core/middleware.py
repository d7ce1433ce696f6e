"""Language selection for a Vietnamese product."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    """Vietnamese for everyone unless the person chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language header, and many phones
    and office PCs here run an English browser: the members would get an English interface.
    We follow only an explicit choice (the ``django_language`` cookie set by Django's
    ``set_language`` view) and otherwise use ``settings.LANGUAGE_CODE`` ("vi").
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
