"""API representations of programme years, their commitment forms and the forms' contents.

A programme year is written together with its forms (nested): the year's header fields, then
per audience the form and its numbered contents, in order. Reads expect the querysets of
``lamtheo.programme.api`` (issuer joined, forms and contents prefetched).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lamtheo.org.models import Unit
from lamtheo.org.scope import units_for
from lamtheo.org.serializers import UnitRefSerializer
from lamtheo.programme.models import FormContent, FormTemplate, ProgrammeYear


def _d(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class FormContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormContent
        fields = ["id", "number", "title", "prompt", "holds_tasks"]
        read_only_fields = ["id"]
        # Uniqueness of the number is checked over the whole list in FormTemplateSerializer.
        validators: list[Any] = []


class FormTemplateSerializer(serializers.ModelSerializer):
    contents = FormContentSerializer(many=True, required=False)

    class Meta:
        model = FormTemplate
        fields = ["id", "audience", "header", "title", "preamble", "closing", "contents"]
        read_only_fields = ["id"]
        validators: list[Any] = []

    def validate_contents(self, contents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        numbers = [c["number"] for c in contents]
        if any(n < 1 for n in numbers):
            raise serializers.ValidationError(_("Contents are numbered from 1."))
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise serializers.ValidationError(
                _("Content numbers must differ; repeated: %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in repeated)}
            )
        return sorted(contents, key=lambda c: c["number"])


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


@extend_schema_field(OpenApiTypes.INT)
class IssuerField(serializers.PrimaryKeyRelatedField):
    """A committee the user reads; whether they may write for it is the view's check."""

    def get_queryset(self) -> QuerySet[Unit]:
        request = self.context.get("request")
        return units_for(request.user if request else None)


class ProgrammeYearWriteSerializer(serializers.ModelSerializer):
    """Create or change a programme year. ``forms``, when given, sets the listed audiences'
    forms: each form's contents become exactly the list sent (matched by number, so the
    ids of unchanged contents stay); audiences not sent keep their form."""

    issuer = IssuerField(help_text="The issuing party committee (fixed once created).")
    forms = FormTemplateSerializer(many=True, required=False)

    class Meta:
        model = ProgrammeYear
        fields = [
            "issuer",
            "year",
            "display_name",
            "theme_title",
            "theme_text",
            "guiding_document",
            "guiding_document_date",
            "study_deadline",
            "plan_deadline",
            "commitment_deadline",
            "monthly_review_day",
            "mid_year_date",
            "year_end_date",
            "forms",
        ]
        extra_kwargs = {"mid_year_date": {"required": False}, "year_end_date": {"required": False}}
        # The unique (issuer, year) pair is checked in validate() with a clearer message.
        validators: list[Any] = []

    def validate_issuer(self, issuer: Unit) -> Unit:
        if not issuer.is_committee:
            raise serializers.ValidationError(_("A programme year is issued by a party committee."))
        return issuer

    def validate_forms(self, forms: list[dict[str, Any]]) -> list[dict[str, Any]]:
        audiences = [f["audience"] for f in forms]
        if len(audiences) != len(set(audiences)):
            raise serializers.ValidationError(_("Give at most one form per audience."))
        return forms

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = self.instance
        if instance is not None:
            for name in ("issuer", "year"):
                if name in attrs and attrs[name] != getattr(instance, name):
                    raise serializers.ValidationError(
                        {name: _("This cannot change once the programme year exists.")}
                    )
        issuer = attrs.get("issuer", getattr(instance, "issuer", None))
        year = attrs.get("year", getattr(instance, "year", None))
        if instance is None:
            attrs.setdefault("mid_year_date", ProgrammeYear.default_mid_year(year))
            attrs.setdefault("year_end_date", ProgrammeYear.default_year_end(year))
            if ProgrammeYear.objects.filter(issuer=issuer, year=year).exists():
                raise serializers.ValidationError(
                    {
                        "year": _("%(issuer)s already has a programme year %(year)s.")
                        % {"issuer": issuer, "year": year}
                    }
                )
        check_year_dates(year, {**_current_dates(instance), **attrs})
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> ProgrammeYear:
        forms = validated_data.pop("forms", [])
        year = ProgrammeYear(**validated_data)
        year._history_user = _by(self)
        year.save()
        _save_forms(year, forms, by=_by(self))
        return year

    @transaction.atomic
    def update(self, instance: ProgrammeYear, validated_data: dict[str, Any]) -> ProgrammeYear:
        forms = validated_data.pop("forms", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance._history_user = _by(self)
        instance.save()
        if forms is not None:
            _save_forms(instance, forms, by=_by(self))
        return instance


DATE_FIELDS = (
    "guiding_document_date",
    "study_deadline",
    "plan_deadline",
    "commitment_deadline",
    "mid_year_date",
    "year_end_date",
)


def _current_dates(instance: ProgrammeYear | None) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in DATE_FIELDS} if instance else {}


def check_year_dates(year: int, dates: dict[str, Any]) -> None:
    """The calendar of a programme year holds together: the mid-year report falls in the
    year, the year-end report after it (in the year or early the next), and the deadlines
    for study, plans and commitments before the year-end report."""
    mid, end = dates.get("mid_year_date"), dates.get("year_end_date")
    errors: dict[str, Any] = {}
    if mid and mid.year != year:
        errors["mid_year_date"] = _("The mid-year report date must fall in %(year)s.") % {
            "year": year
        }
    if mid and end and end <= mid:
        errors["year_end_date"] = _("The year-end report comes after the mid-year report.")
    elif end and end.year not in (year, year + 1):
        errors["year_end_date"] = _(
            "The year-end report date must fall in %(year)s or early the next year."
        ) % {"year": year}
    for name in ("study_deadline", "plan_deadline", "commitment_deadline"):
        day = dates.get(name)
        if day and end and day > end:
            errors[name] = _("This deadline is after the year-end report (%(date)s).") % {
                "date": _d(end)
            }
    if errors:
        raise serializers.ValidationError(errors)


def _by(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return request.user if request else None


def _save_forms(year: ProgrammeYear, forms: list[dict[str, Any]], *, by: Any) -> None:
    """Upsert each form by audience and make its contents exactly the list given."""
    for data in forms:
        contents = data.pop("contents", [])
        form = FormTemplate.objects.filter(programme_year=year, audience=data["audience"]).first()
        form = form or FormTemplate(programme_year=year, audience=data["audience"])
        for name, value in data.items():
            setattr(form, name, value)
        form._history_user = by
        form.save()
        existing = {c.number: c for c in form.contents.all()}
        keep = {c["number"] for c in contents}
        for content in existing.values():
            if content.number not in keep:
                content._history_user = by
                content.delete()
        for item in contents:
            content = existing.get(item["number"]) or FormContent(form=form)
            for name, value in item.items():
                setattr(content, name, value)
            content._history_user = by
            content.save()


class CopyYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2016, max_value=2100, help_text="The new year.")
    theme_title = serializers.CharField(
        required=False, max_length=500, help_text="The new year's theme (default: the same)."
    )

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> ProgrammeYear:
        """A new programme year for the same issuer, with the calendar moved by the years
        in between and the forms and their contents copied."""
        source: ProgrammeYear = self.context["source"]
        target = validated_data["year"]
        if ProgrammeYear.objects.filter(issuer=source.issuer, year=target).exists():
            raise serializers.ValidationError(
                {
                    "year": _("%(issuer)s already has a programme year %(year)s.")
                    % {"issuer": source.issuer, "year": target}
                }
            )
        shift = target - source.year
        copy = ProgrammeYear(
            issuer=source.issuer,
            year=target,
            display_name=source.display_name,
            theme_title=validated_data.get("theme_title", source.theme_title),
            theme_text=source.theme_text if "theme_title" not in validated_data else "",
            monthly_review_day=source.monthly_review_day,
            mid_year_date=ProgrammeYear.default_mid_year(target),
            year_end_date=ProgrammeYear.default_year_end(target),
        )
        for name in DATE_FIELDS:
            day = getattr(source, name)
            if day is not None and name != "guiding_document_date":
                setattr(copy, name, _shift_years(day, shift))
        check_year_dates(target, {name: getattr(copy, name) for name in DATE_FIELDS})
        copy._history_user = _by(self)
        copy.save()
        forms = [
            {
                "audience": form.audience,
                "header": form.header,
                "title": form.title,
                "preamble": form.preamble,
                "closing": form.closing,
                "contents": [
                    {
                        "number": c.number,
                        "title": c.title,
                        "prompt": c.prompt,
                        "holds_tasks": c.holds_tasks,
                    }
                    for c in form.contents.all()
                ],
            }
            for form in source.forms.prefetch_related("contents")
        ]
        _save_forms(copy, forms, by=_by(self))
        return copy


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)
