"""Small presentation helpers shared by the pages: Bootstrap classes for form widgets, unit
kind badges and validity periods. ``{% load lamtheo_ui %}``."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lamtheo.org.models import CELL_KINDS, COMMITTEE_KINDS, STATE_KINDS, Unit, UnitKind

register = template.Library()


@register.filter
def bs(field: forms.BoundField) -> SafeString:
    """The field's widget with the Bootstrap class it needs (and ``is-invalid`` on error)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


_KIND_STYLE = {
    **{k: ("text-bg-danger", "bi-flag-fill") for k in COMMITTEE_KINDS},
    **{k: ("text-bg-primary", "bi-people-fill") for k in CELL_KINDS},
    **{k: ("text-bg-success", "bi-bank") for k in STATE_KINDS},
    UnitKind.PARTY_GROUP: ("text-bg-secondary", "bi-diagram-2"),
    UnitKind.ADVISORY_BODY: ("text-bg-info", "bi-journal-text"),
}


@register.filter
def kind_badge(unit: Unit) -> SafeString:
    css, icon = _KIND_STYLE.get(unit.kind, ("text-bg-light", "bi-circle"))
    return format_html(
        '<span class="badge {} fw-normal"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        css,
        icon,
        unit.get_kind_display(),
    )


@register.filter
def kind_icon(unit: Unit) -> str:
    return _KIND_STYLE.get(unit.kind, ("", "bi-circle"))[1]


def _d(value: Any) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@register.filter
def period(obj: Any) -> str:
    """«01/01/2015 – 30/06/2025», «from 01/01/2015», «until 30/06/2025» or "" for an object
    with ``valid_from``/``valid_to``."""
    start, end = getattr(obj, "valid_from", None), getattr(obj, "valid_to", None)
    if start and end:
        return f"{_d(start)} – {_d(end)}"
    if start:
        return _("from %(date)s") % {"date": _d(start)}
    if end:
        return _("until %(date)s") % {"date": _d(end)}
    return ""


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with ``changes`` applied (for paging and filter links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"
