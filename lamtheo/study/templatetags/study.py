"""Template helpers of the study pages and the home widget."""

from __future__ import annotations

from typing import Any

from django import template

from lamtheo.org.scope import get_scope
from lamtheo.study.selectors import sessions_to_record, upcoming_for_person

register = template.Library()

STATUS_BADGES = {
    "pending": "secondary",
    "present": "success",
    "excused": "warning",
    "absent": "danger",
    "planned": "info",
    "held": "primary",
    "closed": "dark",
    "excellent": "success",
    "good": "primary",
    "pass": "info",
    "fail": "danger",
}


@register.filter
def badge(value: str) -> str:
    """The Bootstrap colour of a status or grade badge."""
    return STATUS_BADGES.get(value, "secondary")


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key)


@register.simple_tag
def study_home(user: Any) -> dict[str, Any]:
    """What the home page shows about study: the user's coming sessions and, for
    secretaries, the sessions whose attendance is waiting to be entered."""
    scope = get_scope(user)
    return {
        "upcoming": upcoming_for_person(scope.person_id),
        "to_record": sessions_to_record(user),
    }
