"""Serializers of the plans API. Writes go through ``services`` (a ``DomainError`` becomes
a 400 with the same message); querysets of related fields come from the user's scope, so
an id outside it is «object does not exist» (400)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lamtheo.org.scope import people_for, units_for
from lamtheo.plans import services
from lamtheo.plans.models import (
    CollectiveModel,
    InboxItem,
    ModelProgress,
    ModelTarget,
    Plan,
    PlanSection,
)
from lamtheo.plans.selectors import (
    PUBLISHED,
    models_for,
    plan_units_for,
    plans_for,
    targets_for,
)


def _user(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):
    """A related id looked up in a queryset that depends on the requesting user."""

    def __init__(self, *, scoped: Any, **kwargs: Any) -> None:
        self.scoped = scoped
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.scoped(self.context.get("request").user)


class SectionInlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanSection
        fields = ["id", "order", "heading", "text"]
        read_only_fields = ["id", "order"]
        extra_kwargs = {"text": {"required": False, "allow_blank": True}}


class PlanSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKey(scoped=plan_units_for)
    based_on = ScopedPrimaryKey(
        scoped=lambda user: plans_for(user).filter(status__in=PUBLISHED),
        required=False,
        allow_null=True,
    )
    sections = SectionInlineSerializer(many=True, required=False)
    symbol = serializers.CharField(read_only=True)
    symbol_display = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "unit",
            "unit_name",
            "year",
            "programme_year",
            "kind",
            "audience",
            "doc_format",
            "doc_type",
            "number",
            "term_label",
            "symbol",
            "symbol_display",
            "issue_date",
            "title",
            "based_on",
            "signer_title",
            "signer_name",
            "recipients",
            "status",
            "version",
            "supersedes",
            "correction_reason",
            "issued_at",
            "sections",
        ]
        read_only_fields = [
            "programme_year",
            "audience",
            "doc_format",
            "status",
            "version",
            "supersedes",
            "correction_reason",
            "issued_at",
        ]
        extra_kwargs = {
            "number": {"required": False, "allow_null": True},
            "term_label": {"required": False},
            "doc_type": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["unit"].read_only = True
        return fields

    def create(self, validated: dict[str, Any]) -> Plan:
        sections = [(s["heading"], s.get("text", "")) for s in validated.pop("sections", [])]
        return services.create_plan(by=_user(self), sections=sections, **validated)

    def update(self, plan: Plan, validated: dict[str, Any]) -> Plan:
        sections = validated.pop("sections", None)
        if sections is not None:
            sections = [(s["heading"], s.get("text", "")) for s in sections]
        return services.update_plan(plan=plan, by=_user(self), sections=sections, **validated)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField()


class FollowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="The unit whose draft is created.")


class SectionSerializer(serializers.ModelSerializer):
    plan = ScopedPrimaryKey(scoped=lambda user: plans_for(user))

    class Meta:
        model = PlanSection
        fields = ["id", "plan", "order", "heading", "text"]
        extra_kwargs = {
            "text": {"required": False, "allow_blank": True},
            "order": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["plan"].read_only = True
        return fields

    def create(self, validated: dict[str, Any]) -> PlanSection:
        return services.add_section(
            plan=validated["plan"],
            heading=validated["heading"],
            text=validated.get("text", ""),
            by=_user(self),
        )

    def update(self, section: PlanSection, validated: dict[str, Any]) -> PlanSection:
        return services.update_section(
            section=section,
            by=_user(self),
            heading=validated.get("heading"),
            text=validated.get("text"),
            order=validated.get("order"),
        )


class InboxItemSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    subject_type = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    subject_title = serializers.SerializerMethodField()

    class Meta:
        model = InboxItem
        fields = [
            "id",
            "kind",
            "person",
            "person_name",
            "unit",
            "unit_name",
            "subject_type",
            "object_id",
            "plan",
            "subject_title",
            "due_date",
            "delivered_at",
            "acknowledged_at",
            "completed_at",
            "reminded_at",
            "reminder_count",
        ]
        read_only_fields = fields

    def get_subject_type(self, item: InboxItem) -> str:
        return item.content_type.model

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_plan(self, item: InboxItem) -> int | None:
        plan_ct = ContentType.objects.get_for_model(Plan)
        return item.object_id if item.content_type_id == plan_ct.pk else None

    def get_subject_title(self, item: InboxItem) -> str:
        subject = item.subject
        return str(getattr(subject, "title", subject) or "")


class DeliveryPersonSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="pk")
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    reminder_count = serializers.IntegerField()


class DeliveryUnitSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="pk")
    unit = serializers.IntegerField(source="unit_id")
    name = serializers.CharField(source="unit.name")
    completed_at = serializers.DateTimeField(allow_null=True)


class DeploymentSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    acknowledged_count = serializers.SerializerMethodField()
    waiting_count = serializers.SerializerMethodField()
    acknowledged = DeliveryPersonSerializer(many=True)
    waiting = DeliveryPersonSerializer(many=True)
    units_done = DeliveryUnitSerializer(many=True)
    units_waiting = DeliveryUnitSerializer(many=True)
    last_reminded = serializers.DateTimeField(allow_null=True)

    def get_acknowledged_count(self, obj: Any) -> int:
        return len(obj.acknowledged)

    def get_waiting_count(self, obj: Any) -> int:
        return len(obj.waiting)


class RemindResultSerializer(serializers.Serializer):
    reminded = serializers.IntegerField()


class FollowerSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    plan = serializers.IntegerField(source="plan.pk", allow_null=True, default=None)
    symbol = serializers.CharField(source="plan.symbol", allow_null=True, default=None)
    issue_date = serializers.DateField(source="plan.issue_date", allow_null=True, default=None)
    based_on_this = serializers.BooleanField()
    is_late = serializers.BooleanField()


# --- collective models ----------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)

    class Meta:
        model = ModelTarget
        fields = [
            "id",
            "order",
            "description",
            "target_value",
            "unit_of_measure",
            "mid_year_value",
            "year_end_value",
        ]
        read_only_fields = ["order", "mid_year_value", "year_end_value"]


class CollectiveModelSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKey(scoped=lambda user: units_for(user, manage=True))
    plan = ScopedPrimaryKey(scoped=plans_for, required=False, allow_null=True)
    people_in_charge = ScopedPrimaryKey(
        scoped=lambda user: people_for(user, manage=True), many=True, required=False
    )
    targets = TargetSerializer(many=True, required=False)

    class Meta:
        model = CollectiveModel
        fields = [
            "id",
            "unit",
            "year",
            "plan",
            "name",
            "description",
            "people_in_charge",
            "targets",
            "mid_year_result",
            "year_end_result",
        ]
        read_only_fields = ["mid_year_result", "year_end_result"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["unit"].read_only = True
            fields["year"].read_only = True
        return fields

    def create(self, validated: dict[str, Any]) -> CollectiveModel:
        return services.register_model(
            unit=validated["unit"],
            year=validated["year"],
            name=validated["name"],
            description=validated.get("description", ""),
            plan=validated.get("plan"),
            people=validated.get("people_in_charge", []),
            targets=validated.get("targets", []),
            by=_user(self),
        )

    def update(self, model: CollectiveModel, validated: dict[str, Any]) -> CollectiveModel:
        return services.update_model(
            model=model,
            name=validated.get("name", model.name),
            description=validated.get("description", model.description),
            plan=validated.get("plan", model.plan),
            people=validated.get("people_in_charge", list(model.people_in_charge.all())),
            targets=validated.get("targets"),
            by=_user(self),
        )


class ResultsSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=[services.MID_YEAR, services.YEAR_END])
    text = serializers.CharField()
    values = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True),
        required=False,
        help_text="Achieved value per target id.",
    )


class ProgressSerializer(serializers.ModelSerializer):
    model = ScopedPrimaryKey(scoped=lambda user: models_for(user, manage=True))
    target = ScopedPrimaryKey(
        scoped=lambda user: targets_for(user, manage=True), required=False, allow_null=True
    )

    class Meta:
        model = ModelProgress
        fields = ["id", "model", "target", "date", "note", "value", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def create(self, validated: dict[str, Any]) -> ModelProgress:
        return services.add_progress(by=_user(self), **validated)


# --- coverage and violations ----------------------------------------------------------


class CoverageNodeSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    unit_kind = serializers.CharField(source="unit.kind")
    expected = serializers.BooleanField()
    status = serializers.CharField()
    is_late = serializers.BooleanField()
    deadline = serializers.DateField(allow_null=True)
    plan = serializers.IntegerField(source="plan.pk", allow_null=True, default=None)
    plan_symbol = serializers.CharField(source="plan.symbol", allow_null=True, default=None)
    plan_date = serializers.DateField(source="plan.issue_date", allow_null=True, default=None)
    issued = serializers.IntegerField()
    not_issued = serializers.IntegerField()
    late = serializers.IntegerField()
    children = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_children(self, node: Any) -> list[dict[str, Any]]:
        return [CoverageNodeSerializer(child).data for child in node.children]


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    subject_type = serializers.SerializerMethodField()
    subject = serializers.IntegerField(source="subject.pk")
    other = serializers.IntegerField(source="other.pk", allow_null=True, default=None)
    unit = serializers.IntegerField(source="unit.pk", allow_null=True, default=None)
    message = serializers.CharField()

    def get_subject_type(self, violation: Any) -> str:
        return type(violation.subject).__name__.lower()
