"""API serializers. Writes go through ``services`` (a ``DomainError`` becomes HTTP 400 with the
same message as on the pages)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lamtheo.core.text import normalize_vi, normalize_vi_lines
from lamtheo.org.models import Person
from lamtheo.study import services
from lamtheo.study.models import Attendance, AttendanceStatus, Grade, Reflection, StudySession
from lamtheo.study.selectors import session_plans_for, session_units_for


def _user(serializer: serializers.Serializer) -> Any:
    return serializer.context["request"].user


class SessionPlanField(serializers.PrimaryKeyRelatedField):
    """A plan the user knows of (``session_plans_for``): another unit's plan (a draft, say)
    is refused exactly like an id that does not exist. Looked up only when a plan is sent."""

    def get_queryset(self) -> Any:
        return session_plans_for(_user(self))


class NormalizedText:
    """Serializer mixin: free text is normalised (``lamtheo.core.text``) *before* the fields
    validate it, so ``max_length`` counts the characters stored, as on the pages (a place
    typed in decomposed Unicode is longer than the one kept)."""

    one_line_fields: tuple[str, ...] = ()
    multi_line_fields: tuple[str, ...] = ()

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "get"):
            names = [(n, normalize_vi) for n in self.one_line_fields]
            names += [(n, normalize_vi_lines) for n in self.multi_line_fields]
            texts = {n: fn(data.get(n)) for n, fn in names if isinstance(data.get(n), str)}
            if texts:
                data = data.copy()
                for name, text in texts.items():
                    data[name] = text
        return super().to_internal_value(data)  # type: ignore[misc]


class StudySessionSerializer(NormalizedText, serializers.ModelSerializer):
    one_line_fields = ("place", "topic")
    multi_line_fields = ("note",)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    year = serializers.IntegerField(source="programme_year.year", read_only=True)
    plan = SessionPlanField(
        required=False,
        allow_null=True,
        label=StudySession._meta.get_field("plan").verbose_name,
        help_text=StudySession._meta.get_field("plan").help_text,
    )

    class Meta:
        model = StudySession
        fields = [
            "id",
            "unit",
            "unit_name",
            "programme_year",
            "year",
            "plan",
            "makeup_of",
            "audience",
            "date",
            "start_time",
            "place",
            "topic",
            "note",
            "status",
            "created_at",
            "closed_at",
        ]
        read_only_fields = [
            "programme_year",
            "makeup_of",
            "audience",
            "status",
            "created_at",
            "closed_at",
        ]
        extra_kwargs = {"topic": {"required": False, "allow_blank": True}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["unit"].read_only = True
        self.fields["unit"].queryset = session_units_for(request.user if request else None)

    def create(self, validated_data: dict[str, Any]) -> StudySession:
        return services.create_study_session(
            unit=validated_data["unit"],
            date=validated_data["date"],
            start_time=validated_data.get("start_time"),
            place=validated_data.get("place", ""),
            topic=validated_data.get("topic", ""),
            plan=validated_data.get("plan"),
            note=validated_data.get("note", ""),
            by=_user(self),
        )

    def update(self, instance: StudySession, validated_data: dict[str, Any]) -> StudySession:
        def value(name: str) -> Any:
            return validated_data.get(name, getattr(instance, name))

        return services.update_study_session(
            session=instance,
            date=value("date"),
            start_time=value("start_time"),
            place=value("place"),
            topic=value("topic"),
            plan=value("plan"),
            note=value("note"),
            by=_user(self),
        )


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "person",
            "person_name",
            "status",
            "reason",
            "added_reason",
            "recorded_at",
        ]
        read_only_fields = fields


class AttendanceEntrySerializer(NormalizedText, serializers.Serializer):
    one_line_fields = ("reason",)
    person = serializers.IntegerField()
    # The full choice set (one enum in the schema); ``pending`` is refused by the service.
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class RecordAttendanceSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True, allow_empty=False)

    def entries_for_service(self) -> list[services.AttendanceEntry]:
        return [
            services.AttendanceEntry(e["person"], e["status"], e.get("reason", ""))
            for e in self.validated_data["entries"]
        ]


class ReasonSerializer(NormalizedText, serializers.Serializer):
    one_line_fields = ("reason",)
    reason = serializers.CharField(max_length=255)


class MakeupSerializer(NormalizedText, serializers.Serializer):
    one_line_fields = ("place", "topic")
    multi_line_fields = ("note",)
    date = serializers.DateField()
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReflectionSerializer(NormalizedText, serializers.ModelSerializer):
    multi_line_fields = ("text",)
    """Read: the reflection and its assessment. Write: the text (and file) of one's own
    reflection for ``year`` (or a ``session``); a manager may write for ``person``."""

    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, help_text="Defaults to yourself."
    )
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    year = serializers.IntegerField(source="programme_year.year", required=False)
    file = serializers.FileField(write_only=True, required=False, allow_null=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Reflection
        fields = [
            "id",
            "person",
            "person_name",
            "unit",
            "unit_name",
            "audience",
            "year",
            "session",
            "text",
            "file",
            "file_url",
            "submitted_at",
            "grade",
            "comment",
            "assessed_at",
        ]
        read_only_fields = [
            "unit",
            "audience",
            "submitted_at",
            "grade",
            "comment",
            "assessed_at",
        ]
        extra_kwargs = {"text": {"required": False, "allow_blank": True}}
        # One reflection per person and year (or session) is kept by the service, which
        # rewrites the existing one; DRF's generated unique-together check would refuse it.
        validators: list = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lamtheo.org.scope import people_for
        from lamtheo.study.selectors import sessions_for

        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("person", "year", "session"):
                self.fields[name].read_only = True
        request = self.context.get("request")
        user = request.user if request else None
        self.fields["person"].queryset = people_for(user)
        self.fields["session"].queryset = sessions_for(user)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, obj: Reflection) -> str | None:
        if not obj.file:
            return None
        return reverse("study:reflection-file", args=[obj.pk])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "programme_year" not in attrs and not attrs.get("session"):
            raise serializers.ValidationError(
                {"year": [self.fields["year"].error_messages["required"]]}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Reflection:
        from lamtheo.org.scope import get_scope

        user = _user(self)
        person = validated_data.get("person")
        if person is None:
            scope = get_scope(user)
            if scope.person_id is None:
                raise serializers.ValidationError(
                    {"person": [self.fields["person"].error_messages["required"]]}
                )
            person = Person.objects.get(pk=scope.person_id)
        session = validated_data.get("session")
        year = (
            validated_data["programme_year"]["year"]
            if "programme_year" in validated_data
            else session.programme_year.year
        )
        return services.submit_reflection(
            person=person,
            year=year,
            text=validated_data.get("text", ""),
            file=validated_data.get("file"),
            session=session,
            by=user,
        )

    def update(self, instance: Reflection, validated_data: dict[str, Any]) -> Reflection:
        return services.submit_reflection(
            person=instance.person,
            year=instance.programme_year.year,
            text=validated_data.get("text", instance.text),
            file=validated_data.get("file"),
            session=instance.session,
            by=_user(self),
        )


class AssessSerializer(NormalizedText, serializers.Serializer):
    multi_line_fields = ("comment",)
    grade = serializers.ChoiceField(choices=Grade.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CountsSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    present = serializers.IntegerField(help_text="Present at the first session.")
    made_up = serializers.IntegerField(help_text="Absent, then present at a make-up session.")
    excused = serializers.IntegerField(help_text="Still absent, with a reason.")
    absent = serializers.IntegerField(help_text="Still absent, without a reason.")
    pending = serializers.IntegerField(help_text="Attendance not recorded yet.")
    attended = serializers.IntegerField()
    still_absent = serializers.IntegerField()
    attendance_pct = serializers.FloatField(allow_null=True)
    sessions = serializers.IntegerField()
    sessions_held = serializers.IntegerField()
    makeups = serializers.IntegerField()
    reflections = serializers.IntegerField()
    reflections_assessed = serializers.IntegerField()


class StatsRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.id")
    unit_name = serializers.CharField(source="unit.name")
    kind = serializers.CharField(source="unit.kind")
    level = serializers.IntegerField(help_text="Depth below the unit asked for (0 = itself).")
    missing_session = serializers.BooleanField()
    cells_without_session = serializers.IntegerField()
    members = CountsSerializer(help_text="Party members, summed over the subtree.")
    staff = CountsSerializer(help_text="Staff who are not party members, summed over the subtree.")
