"""Django admin for plans: for administrators fixing imported data. Issued plans keep their
locks here too, except for the date, whose change goes through the same rules as
everywhere (``services.change_issue_date``: rules (a), (b) and (c)).

The life cycle (issuing, correcting, superseding) only goes through ``services``: its
fields are always read-only here, the sections of a non-draft plan cannot be touched and
only drafts can be deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from lamtheo.core.errors import DomainError
from lamtheo.plans import dates
from lamtheo.plans.models import (
    CollectiveModel,
    InboxItem,
    ModelProgress,
    ModelTarget,
    Plan,
    PlanAttachment,
    PlanSection,
    PlanStatus,
)


def _is_draft(obj: Plan | None) -> bool:
    return obj is None or obj.status == PlanStatus.DRAFT


class PlanSectionInline(admin.TabularInline):
    """Sections are edited only while the plan is a draft (``obj`` is the parent plan)."""

    model = PlanSection
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class PlanAdminForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [f.name for f in Plan._meta.fields if f.editable and not f.primary_key]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        plan = self.instance
        new_date = data.get("issue_date")
        if plan.pk and new_date and new_date != plan.issue_date:
            probe = Plan.objects.get(pk=plan.pk)
            probe.issue_date = new_date
            try:
                dates.ensure_plan_dates(probe)
                if plan.status == PlanStatus.ISSUED:
                    dates.ensure_date_change_allowed(plan=probe, new_date=new_date)
            except DomainError as error:
                raise ValidationError({"issue_date": [str(error.message)]}) from None
        return data


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    form = PlanAdminForm
    list_display = ["__str__", "unit", "year", "kind", "issue_date", "status", "version"]
    list_filter = ["year", "kind", "status", "doc_format"]
    search_fields = ["title", "unit__name"]
    raw_id_fields = ["unit", "based_on", "programme_year"]
    inlines = [PlanSectionInline]
    #: The life cycle: changed only by ``services.issue_plan`` / ``create_correction``.
    readonly_fields = [
        "numbering_period",
        "status",
        "version",
        "supersedes",
        "correction_reason",
        "issued_at",
        "issued_by",
        "created_by",
        "superseded_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Plan | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != PlanStatus.DRAFT:
            # Locked: only the date may be fixed (and only within the date rules).
            fields += [
                f.name
                for f in Plan._meta.fields
                if f.name not in {"issue_date", "id", *fields} and f.editable
            ]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Plan, form: Any, change: bool) -> None:
        if change and "issue_date" in form.changed_data:
            obj._change_reason = "admin date change"  # a code: see services.HISTORY_REASONS
        super().save_model(request, obj, form, change)


@admin.register(InboxItem)
class InboxItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "delivered_at", "acknowledged_at", "completed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "unit", "acknowledged_by"]


class ModelTargetInline(admin.TabularInline):
    model = ModelTarget
    extra = 0


@admin.register(CollectiveModel)
class CollectiveModelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "year"]
    list_filter = ["year"]
    raw_id_fields = ["unit", "plan", "people_in_charge"]
    inlines = [ModelTargetInline]


admin.site.register(ModelProgress, SimpleHistoryAdmin)
admin.site.register(PlanAttachment, SimpleHistoryAdmin)
