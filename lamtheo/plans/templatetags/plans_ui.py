"""Template helpers of the plans pages. ``{% load plans_ui %}``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats

from lamtheo.plans import selectors

register = template.Library()


@register.simple_tag
def inbox_summary(user: Any) -> dict[str, Any]:
    """Open items of the user's inbox (count and the first three) for the home card."""
    items = selectors.open_items(selectors.inbox_for(user))
    return {"open": items.count(), "items": list(items[:3])}


def format_quantity(value: Any) -> str:
    """A target or progress quantity as people write it: «10», «2,5», «1.500» in
    Vietnamese («2.5», «1,500» in English), without the stored trailing zeros («10,00»).
    ``None`` and anything that is not a number give an empty string."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    if not number.is_finite():
        return ""
    # normalize() alone would write 10 as 1E+1.
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True, force_grouping=True)


@register.filter
def quantity(value: Any) -> str:
    """``{{ target.target_value|quantity }}`` → «10», «2,5» (see ``format_quantity``)."""
    return format_quantity(value)


@register.filter
def signed_quantity(value: Any) -> str:
    """A progress entry's contribution: «+2,5», or «−3» for an old negative entry."""
    shown = format_quantity(value)
    if not shown:
        return ""
    return f"−{shown[1:]}" if shown.startswith("-") else f"+{shown}"
