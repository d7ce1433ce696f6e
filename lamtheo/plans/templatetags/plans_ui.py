"""Template helpers of the plans pages. ``{% load plans_ui %}``."""

from __future__ import annotations

from typing import Any

from django import template

from lamtheo.plans import selectors

register = template.Library()


@register.simple_tag
def inbox_summary(user: Any) -> dict[str, Any]:
    """Open items of the user's inbox (count and the first three) for the home card."""
    items = selectors.open_items(selectors.inbox_for(user))
    return {"open": items.count(), "items": list(items[:3])}
