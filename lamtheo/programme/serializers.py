"""API representations of programme years, their commitment forms and the forms' contents.

A programme year is written together with its forms (nested): the year's header fields, then
per audience the form's texts and its contents as an ordered list (numbered 1, 2, 3… in the
order sent). Writes go through ``lamtheo.programme.services``; reads expect the querysets of
``lamtheo.programme.api`` (issuer joined, forms and contents prefetched).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lamtheo.core.api import renamed_error_fields
from lamtheo.org.models import Unit
from lamtheo.org.scope import units_for
from lamtheo.org.serializers import UnitRefSerializer
from lamtheo.programme import services
from lamtheo.programme.models import Audience, FormContent, FormTemplate, ProgrammeYear


class FormContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormContent
        fields = ["id", "number", "title", "prompt", "holds_tasks"]
        read_only_fields = fields


class FormTemplateSerializer(serializers.ModelSerializer):
    contents = FormContentSerializer(many=True, read_only=True)

    class Meta:
        model = FormTemplate
        fields = ["id", "audience", "header", "title", "preamble", "closing", "contents"]
        read_only_fields = fields


class ProgrammeYearSerializer(serializers.ModelSerializer):
    issuer = UnitRefSerializer(read_only=True)
    programme_name = serializers.CharField(read_only=True)

    class Meta:
        model = ProgrammeYear
        fields = [
            "id",
            "issuer",
            "year",
            "display_name",
            "programme_name",
            "theme_title",
            "guiding_document",
            "guiding_document_date",
            "study_deadline",
            "plan_deadline",
            "commitment_deadline",
            "monthly_review_day",
            "mid_year_date",
            "year_end_date",
        ]
        read_only_fields = fields


class ProgrammeYearDetailSerializer(ProgrammeYearSerializer):
    """Expects ``forms`` prefetched with their ``contents``."""

    forms = FormTemplateSerializer(many=True, read_only=True)

    class Meta(ProgrammeYearSerializer.Meta):
        fields = [*ProgrammeYearSerializer.Meta.fields, "theme_text", "forms"]
        read_only_fields = fields


class ContentWriteSerializer(serializers.Serializer):
    """One content of a form, in the order wanted (numbers follow the order)."""

    id = serializers.IntegerField(
        required=False, allow_null=True, help_text="An existing content to keep; empty: new."
    )
    title = serializers.CharField(max_length=255)
    prompt = serializers.CharField(required=False, allow_blank=True, default="")
    holds_tasks = serializers.BooleanField(required=False, default=False)


class FormWriteSerializer(serializers.Serializer):
    """A form's texts and its whole list of contents: contents not listed are removed."""

    audience = serializers.ChoiceField(choices=Audience.choices)
    header = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, max_length=255)
    preamble = serializers.CharField(required=False, allow_blank=True)
    closing = serializers.CharField(required=False, allow_blank=True)
    contents = ContentWriteSerializer(many=True)


@extend_schema_field(OpenApiTypes.INT)
class IssuerField(serializers.PrimaryKeyRelatedField):
    """A unit the user reads; whether they may write for it is the view's check."""

    def get_queryset(self) -> QuerySet[Unit]:
        request = self.context.get("request")
        return units_for(request.user if request else None)


class ProgrammeYearWriteSerializer(serializers.ModelSerializer):
    """Create or change a programme year (``programme.services``). A new year gets the
    default party and state forms; ``forms``, when given, then sets the listed audiences'
    texts and contents (audiences not sent keep their form)."""

    issuer = IssuerField(help_text="The issuing party committee (fixed once created).")
    forms = FormWriteSerializer(many=True, required=False)

    class Meta:
        model = ProgrammeYear
        fields = ["issuer", "year", *services.YEAR_FIELDS, "forms"]
        extra_kwargs = {"mid_year_date": {"required": False}, "year_end_date": {"required": False}}
        # The services check the rules (one year per issuer, the calendar) with their messages.
        validators: list[Any] = []

    def validate_forms(self, forms: list[dict[str, Any]]) -> list[dict[str, Any]]:
        audiences = [f["audience"] for f in forms]
        if len(audiences) != len(set(audiences)):
            raise serializers.ValidationError(_("Give at most one form per audience."))
        return forms

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for name in ("issuer", "year"):
                if name in attrs and attrs.pop(name) != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: _("This cannot change once the programme year exists.")}
                    )
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> ProgrammeYear:
        forms = validated_data.pop("forms", [])
        year = services.create_programme_year(by=_by(self), **validated_data)
        _save_forms(year, forms, by=_by(self))
        return year

    @transaction.atomic
    def update(self, instance: ProgrammeYear, validated_data: dict[str, Any]) -> ProgrammeYear:
        forms = validated_data.pop("forms", None)
        year = services.update_programme_year(
            programme_year=instance, by=_by(self), **validated_data
        )
        if forms:
            _save_forms(year, forms, by=_by(self))
        return year


def _by(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return request.user if request else None


def _save_forms(year: ProgrammeYear, forms: list[dict[str, Any]], *, by: Any) -> None:
    """Each form through ``services.update_form`` (a missing audience first gets its
    default form, then the texts and contents sent)."""
    if not forms:
        return
    if {f["audience"] for f in forms} - set(year.forms.values_list("audience", flat=True)):
        services.create_default_forms(programme_year=year, by=by)
    by_audience = {form.audience: form for form in year.forms.all()}
    for data in forms:
        contents = [services.ContentData(**item) for item in data.pop("contents")]
        with renamed_error_fields(contents="forms"):
            services.update_form(
                form=by_audience[data.pop("audience")], contents=contents, by=by, **data
            )


class CopyYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2016, max_value=2100, help_text="The new year.")

    def create(self, validated_data: dict[str, Any]) -> ProgrammeYear:
        return services.copy_programme_year(
            source=self.context["source"], year=validated_data["year"], by=_by(self)
        )
