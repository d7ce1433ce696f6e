"""Change history for any model that carries ``history = HistoricalRecords()``: who changed
what and when, and why, as rows a page can show with ``core/history_table.html``.

Usage in a view::

    entries = history_entries(
        Unit.history.filter(id=unit.id),
        UnitSuccession.history.filter(Q(predecessor_id=unit.id) | Q(successor_id=unit.id)),
    )
    return render(request, "...", {"entries": entries})

and in the template ``{% include "core/history_table.html" with entries=entries %}``.

Reasons (``instance._change_reason``) are stored data, read later in any interface
language. Services store a stable *code* (``"created"``, ``"issued"``…) registered here
with its translatable label (``register_reasons``, usually from an app's ``ready()``);
``reason_label`` shows the label of a known code and any other text (a reason a person
typed) as it was stored. Variable parts (a number, a period) belong in the fields the
history compares, not in the reason.

Each queryset is read once, consecutive versions of one object are compared in memory and
foreign-key values are resolved with one query per related model, so the number of queries
does not grow with the length of the history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Fields never shown: bookkeeping of the tree and derived keys.
HIDDEN_FIELDS = frozenset({"path", "depth", "numchild", "sort_key", "search_key"})

#: Stored reason code → label (lazy, English msgid). Apps add theirs with
#: ``register_reasons``; codes are stored data: never rename one, add a new one.
REASONS: dict[str, str | Promise] = {
    "created": gettext_lazy("Created"),
    "edited": gettext_lazy("Edited"),
    "deleted": gettext_lazy("Deleted"),
    "seed_demo": gettext_lazy("Demo data"),  # lamtheo.core.demo.DEMO_CHANGE_REASON
}


def register_reasons(reasons: Mapping[str, str | Promise]) -> None:
    """Register reason codes an app stores, each with its translatable label."""
    REASONS.update(reasons)


def reason_label(stored: str | None) -> str:
    """The label of a registered code in the active language; other text as stored."""
    if not stored:
        return ""
    label = REASONS.get(stored)
    return str(label) if label is not None else stored


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    #: "+" created, "~" changed, "-" deleted (simple_history's history_type).
    kind: str
    model: str
    label: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}.get(self.kind, "")


def history_entries(*querysets: QuerySet, limit: int | None = None) -> list[HistoryEntry]:
    """The history records of ``querysets`` (``Model.history.filter(...)``), newest first,
    each with the fields that changed since the previous version of the same object."""
    entries: list[HistoryEntry] = []
    for qs in querysets:
        entries += _entries_for(qs)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit] if limit else entries


def _entries_for(qs: QuerySet) -> list[HistoryEntry]:
    historical_model = qs.model
    tracked = [
        f
        for f in historical_model.instance_type._meta.get_fields()
        if getattr(f, "concrete", False)
        and not f.many_to_many
        and not f.primary_key
        and f.editable
        and f.name not in HIDDEN_FIELDS
        and _has_field(historical_model, f.attname)
    ]
    records = list(
        qs.select_related("history_user", "history_user__person").order_by(
            "history_date", "history_id"
        )
    )
    related = _related_objects(records, tracked)
    model_label = str(historical_model.instance_type._meta.verbose_name)
    pk_name = historical_model.instance_type._meta.pk.attname
    previous: dict[Any, Any] = {}
    entries: list[HistoryEntry] = []
    for record in records:
        object_id = getattr(record, pk_name)
        before = previous.get(object_id)
        changes: list[FieldChange] = []
        for f in tracked:
            new = getattr(record, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if before is not None and old == new:
                continue
            if before is None and record.history_type == "+" and new in (None, ""):
                continue
            if record.history_type == "-":
                continue
            changes.append(
                FieldChange(
                    field=str(f.verbose_name),
                    old=_display(f, old, related) if before is not None else "",
                    new=_display(f, new, related),
                )
            )
        previous[object_id] = record
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # a save that changed nothing shown here (e.g. only a derived key)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_who(record.history_user),
                kind=record.history_type,
                model=model_label,
                label=_label(record, tracked, related),
                reason=reason_label(record.history_change_reason),
                changes=changes,
            )
        )
    return entries


def _has_field(model: type[models.Model], attname: str) -> bool:
    return any(f.attname == attname for f in model._meta.concrete_fields)


def _related_objects(records: list[Any], tracked: Iterable[models.Field]) -> dict[tuple, Any]:
    """``(related model, pk) → object`` for every foreign key value in ``records``."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for f in tracked:
        if f.is_relation and f.related_model is not None:
            for record in records:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    objects: dict[tuple, Any] = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            objects[(model, obj.pk)] = obj
    return objects


def _display(f: models.Field, value: Any, related: dict[tuple, Any]) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation and f.related_model is not None:
        # An object deleted since keeps its number, so the row still says something.
        obj = related.get((f.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "…"


def _who(user: Any) -> str:
    if user is None:
        return _("system")
    person = getattr(user, "person", None)
    if person is not None:
        return f"{person.full_name} ({user.get_username()})"
    return user.get_full_name() or user.get_username()


def _label(record: Any, tracked: Iterable[models.Field], related: dict[tuple, Any]) -> str:
    """``str()`` of the object as it was, its foreign keys filled from ``related`` so that
    a label such as «person @ cell» costs no query."""
    # Not ``record.instance``: for a model with excluded fields it reads them from the
    # current row, one query per record.
    model = record.instance_type
    instance = model(
        **{
            f.attname: getattr(record, f.attname)
            for f in model._meta.concrete_fields
            if hasattr(record, f.attname)
        }
    )
    for f in tracked:
        if f.is_relation and f.related_model is not None:
            obj = related.get((f.related_model, getattr(record, f.attname)))
            if obj is not None:
                setattr(instance, f.name, obj)
    try:
        return str(instance)
    except Exception:  # a related object that is gone
        return f"{instance._meta.verbose_name} #{instance.pk}"
