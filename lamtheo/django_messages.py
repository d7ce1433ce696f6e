"""Django's own validator messages, listed so that the project catalogue keeps our Vietnamese.

This module exists only for the translation tooling; no code imports it. Django's bundled
``vi`` catalogue words the limits of numbers and lengths clumsily, with a space before the
full stop («Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 2100 .») and no full stop at all
for lengths. ``lamtheo/locale`` is first in ``LOCALE_PATHS``, which Django consults before
any app's catalogue or its own, so the Vietnamese of ``lamtheo/locale/vi/LC_MESSAGES/django.po``
wins. But ``make messages`` drops catalogue entries that no source uses, so each msgid is
written here, verbatim from ``django/core/validators.py`` (Django 5.2), through
``gettext_noop`` and ``ngettext_lazy`` (with its plural, as Django has one).

This file sits at the package root, outside every app, because the project-level catalogue
is fed by exactly those files (``lamtheo.core.i18n.project_catalogues``); DRF's messages are
listed the same way in ``lamtheo/core/drf_messages.py`` for the core app's catalogue.
``tests/core/test_language_validators.py`` checks the msgids against Django's.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

#: django.core.validators.BaseValidator, MaxValueValidator, MinValueValidator
VALUE_LIMITS = (
    gettext_noop("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)

#: django.core.validators.MinLengthValidator, MaxLengthValidator
LENGTH_LIMITS = (
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)
