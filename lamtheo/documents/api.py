"""JSON API of spreadsheet imports: read-only, each user sees their own jobs (to follow a
large import's progress and read its outcome from a script)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from lamtheo.documents.messages import Problem
from lamtheo.documents.models import ImportJob, ImportStatus

router = SimpleRouter()


class ImportProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    header = serializers.CharField()
    value = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


@extend_schema_field(
    {
        "type": "string",
        "enum": ImportStatus.values,
        "description": ", ".join(f"`{v}`: {label}" for v, label in ImportStatus.choices),
    }
)
class ImportStatusField(serializers.CharField):
    """The job status, described inline: a named enum would collide with the other
    ``status`` enums of the API."""


class ImportJobSerializer(serializers.ModelSerializer):
    status = ImportStatusField(read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    counts = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    problem_count = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "original_name",
            "sha256",
            "unit",
            "update_existing",
            "status",
            "phase",
            "progress_done",
            "progress_total",
            "progress_percent",
            "row_count",
            "counts",
            "result",
            "problem_count",
            "problems",
            "created_at",
            "checked_at",
            "confirmed_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, job: ImportJob) -> dict[str, int]:
        return (job.report or {}).get("counts", {})

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_result(self, job: ImportJob) -> dict[str, int]:
        return (job.report or {}).get("result", {})

    @extend_schema_field(serializers.IntegerField())
    def get_problem_count(self, job: ImportJob) -> int:
        return (job.report or {}).get("problem_count", 0)

    @extend_schema_field(ImportProblemSerializer(many=True))
    def get_problems(self, job: ImportJob) -> list[dict[str, Any]]:
        problems = [Problem.from_dict(p) for p in (job.report or {}).get("problems", [])]
        return [{**p.as_dict(), "message": p.message} for p in problems]


@extend_schema_view(
    list=extend_schema(summary="Your spreadsheet imports, newest first"),
    retrieve=extend_schema(summary="One of your spreadsheet imports: status, progress, outcome"),
)
class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImportJobSerializer

    def get_queryset(self) -> QuerySet[ImportJob]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportJob.objects.none()
        return ImportJob.objects.filter(created_by=self.request.user)


router.register("imports", ImportJobViewSet, basename="import-job")
