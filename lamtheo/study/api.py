"""Study API: sessions (with attendance, close, reopen, make-up), reflections (with
assessment) and statistics. Same scope rules as the pages: objects outside the scope are
404; visible objects whose unit the user does not manage are read-only (403 on writes)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from lamtheo.org.scope import get_scope
from lamtheo.study import services
from lamtheo.study.models import Reflection, StudySession
from lamtheo.study.selectors import (
    attendance_for,
    get_stats_root_for_user,
    reflections_for,
    session_units_for,
    sessions_for,
    study_stats,
)
from lamtheo.study.serializers import (
    AssessSerializer,
    AttendanceSerializer,
    MakeupSerializer,
    ReasonSerializer,
    RecordAttendanceSerializer,
    ReflectionSerializer,
    StatsRowSerializer,
    StudySessionSerializer,
)

router = SimpleRouter()

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Programme year, e.g. 2026.")
UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="Unit id.")


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema_view(
    list=extend_schema(
        summary="Study sessions of the units you read",
        parameters=[
            YEAR,
            UNIT,
            OpenApiParameter("status", OpenApiTypes.STR, enum=["planned", "held", "closed"]),
        ],
    ),
    create=extend_schema(summary="Plan a study session (expected people are frozen now)"),
    partial_update=extend_schema(summary="Change a session's details"),
    update=extend_schema(summary="Change a session's details"),
)
class StudySessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StudySessionSerializer

    def get_queryset(self):
        qs = sessions_for(self.request.user)
        if self.action == "list":
            year, unit = _int_param(self.request, "year"), _int_param(self.request, "unit")
            if year:
                qs = qs.filter(programme_year__year=year)
            if unit:
                qs = qs.filter(unit_id=unit)
            if status_value := self.request.query_params.get("status"):
                qs = qs.filter(status=status_value)
        return qs.order_by("-date", "-id")

    def _managed_object(self) -> StudySession:
        session = self.get_object()
        if not get_scope(self.request.user).manages_unit(session.unit):
            raise PermissionDenied
        return session

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not session_units_for(request.user).exists():
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def update(self, request: Request, *args, **kwargs) -> Response:
        self._managed_object()
        return super().update(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"],
        summary="Attendance rows (a member sees only their own)",
        responses=AttendanceSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record attendance for some or all expected people in one request",
        request=RecordAttendanceSerializer,
        responses=AttendanceSerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        if request.method == "GET":
            session = self.get_object()
        else:
            session = self._managed_object()
            serializer = RecordAttendanceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.record_attendance(
                session=session, entries=serializer.entries_for_service(), by=request.user
            )
        rows = attendance_for(request.user, session)
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(summary="Close a held session", request=None, responses=StudySessionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        session = services.close_session(session=self._managed_object(), by=request.user)
        return Response(self.get_serializer(session).data)

    @extend_schema(
        summary="Reopen a closed session (reason required)",
        request=ReasonSerializer,
        responses=StudySessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        session = self._managed_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.reopen_session(
            session=session, reason=serializer.validated_data["reason"], by=request.user
        )
        return Response(self.get_serializer(session).data)

    @extend_schema(
        summary="Plan a make-up session for everyone still absent",
        request=MakeupSerializer,
        responses={201: StudySessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def makeup(self, request: Request, pk: str | None = None) -> Response:
        session = self._managed_object()
        serializer = MakeupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        makeup = services.create_makeup_session(
            original=session, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(makeup).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Reflections you may read (your own; your units' if you supervise them)",
        parameters=[
            YEAR,
            UNIT,
            OpenApiParameter("assessed", OpenApiTypes.BOOL),
        ],
    ),
    create=extend_schema(summary="Submit your reflection (bài thu hoạch) for a year or a session"),
    partial_update=extend_schema(summary="Rewrite a reflection not yet assessed"),
    update=extend_schema(summary="Rewrite a reflection not yet assessed"),
)
class ReflectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReflectionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = reflections_for(self.request.user)
        if self.action == "list":
            year, unit = _int_param(self.request, "year"), _int_param(self.request, "unit")
            if year:
                qs = qs.filter(programme_year__year=year)
            if unit:
                qs = qs.filter(unit_id=unit)
            assessed = self.request.query_params.get("assessed")
            if assessed in ("true", "1"):
                qs = qs.exclude(grade="")
            elif assessed in ("false", "0"):
                qs = qs.filter(grade="")
        return qs

    def update(self, request: Request, *args, **kwargs) -> Response:
        reflection: Reflection = self.get_object()
        if not services.can_write_reflection(request.user, reflection.person, reflection.unit):
            raise PermissionDenied
        return super().update(request, *args, **kwargs)

    @extend_schema(
        summary="The secretary's assessment (excellent, good, pass, fail)",
        request=AssessSerializer,
        responses=ReflectionSerializer,
    )
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: str | None = None) -> Response:
        reflection = self.get_object()
        if not get_scope(request.user).manages_unit(reflection.unit):
            raise PermissionDenied
        serializer = AssessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reflection = services.assess_reflection(
            reflection=reflection, by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(reflection).data)


class StudyStatsViewSet(viewsets.ViewSet):
    """Study figures per unit, rolled up the tree (oversight: the whole committee; a
    secretary: their unit; members: 404)."""

    @extend_schema(
        summary="Study statistics of a unit and its subtree for a year",
        parameters=[YEAR, UNIT],
        responses=StatsRowSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        root = get_stats_root_for_user(request.user, request.query_params.get("unit"))
        year = _int_param(request, "year") or timezone.localdate().year
        return Response(StatsRowSerializer(study_stats(root, year), many=True).data)


router.register("study/sessions", StudySessionViewSet, basename="study-session")
router.register("study/reflections", ReflectionViewSet, basename="study-reflection")
router.register("study/stats", StudyStatsViewSet, basename="study-stats")
