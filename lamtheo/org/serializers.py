"""API representations of the organisation: units, people, sectors, role assignments.

Reads expect the querysets prepared in ``lamtheo.org.api`` (annotations and prefetches), so a
page of results costs the same number of queries whatever its size. Writes parse the input
here and call ``lamtheo.org.services``, where the rules live (the pages call the same
functions); the viewsets decide beforehand who may write where.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lamtheo.core.errors import DomainError
from lamtheo.org import services
from lamtheo.org.models import (
    Employment,
    MembershipStatus,
    PartyMembership,
    Person,
    Role,
    RoleAssignment,
    Sector,
    Unit,
    UnitSuccession,
)
from lamtheo.org.scope import Scope, units_for

#: The oldest date a record of the programme may carry (Chỉ thị 05 is of 15/05/2016; party
#: and employment histories go back further, so this only catches typing mistakes).
EARLIEST_DATE = dt.date(1900, 1, 1)


def _today() -> dt.date:
    return timezone.localdate()


class UnitRefSerializer(serializers.ModelSerializer):
    """A unit named inside another object."""

    class Meta:
        model = Unit
        fields = ["id", "kind", "name", "short_name"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.IntegerField(
        source="parent_pk", read_only=True, allow_null=True, help_text="Parent unit id."
    )
    children_count = serializers.IntegerField(source="numchild", read_only=True)
    is_active = serializers.SerializerMethodField(help_text="Valid today.")

    class Meta:
        model = Unit
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "short_name",
            "doc_abbreviation",
            "place_name",
            "code",
            "parent",
            "depth",
            "children_count",
            "valid_from",
            "valid_to",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, unit: Unit) -> bool:
        return unit.is_active_on(_today())


class SuccessorSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(source="successor", read_only=True)

    class Meta:
        model = UnitSuccession
        fields = ["id", "unit", "kind", "effective_on", "note"]
        read_only_fields = fields


class PredecessorSerializer(SuccessorSerializer):
    unit = UnitRefSerializer(source="predecessor", read_only=True)


class UnitDetailSerializer(UnitSerializer):
    """Expects ``visible_successions_out`` and ``visible_successions_in`` prefetched: the
    links whose other end the user may read (a link must not reveal a unit out of scope)."""

    successors = SuccessorSerializer(source="visible_successions_out", many=True, read_only=True)
    predecessors = PredecessorSerializer(source="visible_successions_in", many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "successors", "predecessors"]
        read_only_fields = fields


def _by(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return request.user if request else None


@extend_schema_field(OpenApiTypes.INT)
class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """A unit id, looked up among the units the requesting user may read: an id outside the
    scope answers «does not exist», like any missing id."""

    def get_queryset(self) -> QuerySet[Unit]:
        request = self.context.get("request")
        return units_for(request.user if request else None)


class UnitWriteSerializer(serializers.ModelSerializer):
    """Create a unit under ``parent`` or change its names and validity (rules in
    ``org.services``). Moving a unit to another parent is not done here: it changes who may
    see its records."""

    parent = ScopedUnitField(
        required=False,
        allow_null=True,
        help_text="Parent unit id, on creation (empty: a top-level unit, administrators only).",
    )

    class Meta:
        model = Unit
        fields = [*services.UNIT_FIELDS, "parent"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "parent" in attrs:
            parent = attrs.pop("parent")
            if parent is None or parent.path != self.instance.path[: -Unit.steplen]:
                raise serializers.ValidationError(
                    {"parent": _("A unit cannot be moved to another parent here.")}
                )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Unit:
        parent = validated_data.pop("parent", None)
        return services.create_unit(parent=parent, by=_by(self), **validated_data)

    def update(self, instance: Unit, validated_data: dict[str, Any]) -> Unit:
        return services.update_unit(unit=instance, by=_by(self), **validated_data)


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "order"]


class MembershipSerializer(serializers.ModelSerializer):
    cell = UnitRefSerializer(read_only=True)

    class Meta:
        model = PartyMembership
        fields = ["id", "cell", "status", "joined_on", "official_on", "valid_from", "valid_to"]
        read_only_fields = fields


class EmploymentSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Employment
        fields = ["id", "unit", "position", "valid_from", "valid_to"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """Expects ``current_memberships`` and ``current_employments`` prefetched."""

    sector = SectorSerializer(read_only=True)
    is_party_member = serializers.SerializerMethodField()
    current_cell = serializers.SerializerMethodField()
    current_state_unit = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "gender",
            "code",
            "sector",
            "party_position",
            "government_position",
            "mass_org_position",
            "is_party_member",
            "current_cell",
            "current_state_unit",
        ]
        read_only_fields = fields

    def get_is_party_member(self, person: Person) -> bool:
        return bool(person.current_memberships)

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_current_cell(self, person: Person) -> dict[str, Any] | None:
        rows = person.current_memberships
        return UnitRefSerializer(rows[0].cell).data if rows else None

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_current_state_unit(self, person: Person) -> dict[str, Any] | None:
        rows = person.current_employments
        return UnitRefSerializer(rows[0].unit).data if rows else None


class PersonDetailSerializer(PersonSerializer):
    """Also expects ``memberships`` and ``employments`` prefetched (whole history)."""

    has_login = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)
    employments = EmploymentSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields,
            "birth_date",
            "workplace",
            "has_login",
            "memberships",
            "employments",
        ]
        read_only_fields = fields

    def get_has_login(self, person: Person) -> bool:
        return person.user_id is not None


#: Where a new person is placed; later changes go through the ``move`` action.
PLACEMENT_FIELDS = ("unit", "valid_from", "joined_on", "status", "official_on", "position")


class PersonWriteSerializer(serializers.ModelSerializer):
    """Change a person's identity, sector and positions (``org.services.update_person``).
    Where the person belongs changes through the ``move`` action, not here."""

    class Meta:
        model = Person
        fields = list(services.PERSON_FIELDS)

    def validate_birth_date(self, value: dt.date | None) -> dt.date | None:
        if value is not None and not (EARLIEST_DATE <= value <= _today()):
            raise serializers.ValidationError(_("The date of birth is not plausible."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            sent = sorted(set(self.initial_data) & set(PLACEMENT_FIELDS))
            if sent:
                raise serializers.ValidationError(
                    {
                        name: [_("Use the «move» action to change where a person belongs.")]
                        for name in sent
                    }
                )
        return attrs

    def update(self, instance: Person, validated_data: dict[str, Any]) -> Person:
        return services.update_person(person=instance, by=_by(self), **validated_data)


class PersonCreateSerializer(PersonWriteSerializer):
    """A new person is placed at once in a party cell (as a member) or a state unit (as
    staff) that the user manages, so the record never falls outside everyone's scope."""

    unit = ScopedUnitField(
        help_text="A party cell (the person is a member) or a state unit (staff)."
    )
    valid_from = serializers.DateField(
        required=False, help_text="First day in the cell or unit (default: today)."
    )
    joined_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date joined the party (members)."
    )
    status = serializers.ChoiceField(
        choices=MembershipStatus.choices,
        default=MembershipStatus.OFFICIAL,
        help_text="Membership status (members).",
    )
    official_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date became official (members)."
    )
    position = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Position (staff)."
    )

    class Meta(PersonWriteSerializer.Meta):
        fields = [*services.PERSON_FIELDS, *PLACEMENT_FIELDS]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        joined, birth = attrs.get("joined_on"), attrs.get("birth_date")
        if joined and birth and joined <= birth:
            raise serializers.ValidationError(
                {"joined_on": _("The date joined the party is before the date of birth.")}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Person:
        validated_data.setdefault("valid_from", _today())
        return services.create_person(by=_by(self), **validated_data)


class MoveSerializer(serializers.Serializer):
    """Move a party member to another cell from ``date`` (the old membership ends the day
    before; ``org.services.move_person``)."""

    cell = ScopedUnitField(help_text="The new party cell id.")
    date = serializers.DateField(help_text="First day in the new cell.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)


User = get_user_model()


def _overlapping_roles(assignment: RoleAssignment) -> QuerySet[RoleAssignment]:
    """Other assignments of the same role over the same unit to the same user whose dates
    meet ``assignment``'s: the rule ``org.services.grant_role`` applies to new ones."""
    qs = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .filter(user=assignment.user, role=assignment.role, unit=assignment.unit)
        .exclude(pk=assignment.pk)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=assignment.valid_from))
    )
    if assignment.valid_to:
        qs = qs.filter(valid_from__lte=assignment.valid_to)
    return qs


class RoleAssignmentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    unit_detail = UnitRefSerializer(source="unit", read_only=True, allow_null=True)
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "username",
            "role",
            "role_display",
            "unit",
            "unit_detail",
            "valid_from",
            "valid_to",
        ]

    def create(self, validated_data: dict[str, Any]) -> RoleAssignment:
        return services.grant_role(
            by=_by(self),
            user=validated_data["user"],
            role=validated_data["role"],
            unit=validated_data.get("unit"),
            valid_from=validated_data.get("valid_from"),
            valid_to=validated_data.get("valid_to"),
        )

    @transaction.atomic
    def update(self, instance: RoleAssignment, validated_data: dict[str, Any]) -> RoleAssignment:
        # No service changes an assignment in place (only ``end_role``); administrators
        # correct typing mistakes here, under the same rules as ``grant_role``.
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if instance.role != Role.ADMIN and instance.unit is None:
            raise DomainError(_("Choose the unit the role applies to."), field="unit")
        if instance.valid_to and instance.valid_to < instance.valid_from:
            raise DomainError(_("The end cannot be before the start."), field="valid_to")
        if _overlapping_roles(instance).exists():
            raise DomainError(
                _("This user already holds this role over this unit then."), field="role"
            )
        instance._history_user = _by(self)
        instance.save()
        return instance


class ScopeSummarySerializer(serializers.Serializer):
    is_admin = serializers.BooleanField()
    reads = UnitRefSerializer(many=True, help_text="Subtrees the user reads in full.")
    manages = UnitRefSerializer(many=True, help_text="Subtrees where the user manages records.")
    plans = UnitRefSerializer(many=True, help_text="Subtrees where the user writes plans.")
    own_units = UnitRefSerializer(many=True, help_text="Units the user belongs to.")


class MeUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()


class MePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    user = MeUserSerializer()
    person = MePersonSerializer(allow_null=True)
    roles = RoleAssignmentSerializer(many=True)
    scope = ScopeSummarySerializer()


def scope_summary(scope: Scope) -> dict[str, Any]:
    """The scope as units (one query for all of them)."""
    paths = {*scope.read_paths, *scope.manage_paths, *scope.plan_paths}
    units = {
        u.path: u
        for u in Unit.objects.filter(path__in=paths)
        | Unit.objects.filter(id__in=scope.own_unit_ids)
    }
    by_id = {u.id: u for u in units.values()}
    return {
        "is_admin": scope.is_admin,
        "reads": [units[p] for p in scope.read_paths if p in units],
        "manages": [units[p] for p in scope.manage_paths if p in units],
        "plans": [units[p] for p in scope.plan_paths if p in units],
        "own_units": sorted(
            (by_id[i] for i in scope.own_unit_ids if i in by_id), key=lambda u: u.path
        ),
    }


__all__ = [
    "EmploymentSerializer",
    "MeSerializer",
    "MembershipSerializer",
    "MoveSerializer",
    "PersonCreateSerializer",
    "PersonDetailSerializer",
    "PersonSerializer",
    "PersonWriteSerializer",
    "RoleAssignmentSerializer",
    "SectorSerializer",
    "UnitDetailSerializer",
    "UnitSerializer",
    "UnitWriteSerializer",
    "scope_summary",
]
