"""JSON API of programme years (with their commitment forms).

Reads go through ``programme.selectors.years_for`` (a year issued above a user's unit is
readable: themes come from above); writes need the right to write plans over the issuer
(``Scope.plans_for_unit``: secretary, committee, oversight, admin), else 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from lamtheo.core.api import query_int
from lamtheo.org.scope import get_scope
from lamtheo.programme import serializers as s
from lamtheo.programme.models import FormContent, FormTemplate, ProgrammeYear
from lamtheo.programme.selectors import years_for

router = SimpleRouter()


class ProgrammeYearPermission(permissions.BasePermission):
    message = _("You do not write plans for the issuing committee.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if view.action == "create":
            scope = get_scope(request.user)
            return scope.is_admin or bool(scope.plan_paths)
        return True

    def has_object_permission(self, request: Request, view: Any, obj: ProgrammeYear) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return get_scope(request.user).plans_for_unit(obj.issuer)


@extend_schema_view(
    list=extend_schema(
        summary="Programme years you can read",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("issuer", OpenApiTypes.INT, description="Issuing committee id."),
        ],
    ),
    retrieve=extend_schema(summary="One programme year, with its forms and their contents"),
    create=extend_schema(
        summary="Create a programme year for a committee you write plans for",
        request=s.ProgrammeYearWriteSerializer,
        responses={201: s.ProgrammeYearDetailSerializer},
    ),
    update=extend_schema(
        summary="Change a programme year",
        request=s.ProgrammeYearWriteSerializer,
        responses={200: s.ProgrammeYearDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a programme year",
        request=s.ProgrammeYearWriteSerializer,
        responses={200: s.ProgrammeYearDetailSerializer},
    ),
)
class ProgrammeYearViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ProgrammeYearPermission]
    queryset = ProgrammeYear.objects.none()  # for the schema; see get_queryset

    def get_queryset(self) -> QuerySet[ProgrammeYear]:
        qs = years_for(self.request.user).select_related("issuer")
        if self.action == "list":
            year = query_int(self.request, "year")
            if year is not None:
                qs = qs.filter(year=year)
            issuer = query_int(self.request, "issuer")
            if issuer is not None:
                qs = qs.filter(issuer_id=issuer)
            return qs
        return qs.prefetch_related(
            Prefetch(
                "forms",
                queryset=FormTemplate.objects.order_by("audience").prefetch_related(
                    Prefetch("contents", queryset=FormContent.objects.order_by("number"))
                ),
            )
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in {"create", "update", "partial_update"}:
            return s.ProgrammeYearWriteSerializer
        if self.action == "copy":
            return s.CopyYearSerializer
        if self.action == "list":
            return s.ProgrammeYearSerializer
        return s.ProgrammeYearDetailSerializer

    def _read(self, year: ProgrammeYear, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=year.pk)
        return Response(s.ProgrammeYearDetailSerializer(fresh).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not get_scope(request.user).plans_for_unit(serializer.validated_data["issuer"]):
            raise PermissionDenied(self._denied())
        year = serializer.save()
        return self._read(year, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        year = self.get_object()
        serializer = self.get_serializer(year, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return self._read(year)

    @extend_schema(
        summary="Start another year from this one (calendar moved, forms copied)",
        request=s.CopyYearSerializer,
        responses={201: s.ProgrammeYearDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        serializer = s.CopyYearSerializer(
            data=request.data, context={**self.get_serializer_context(), "source": source}
        )
        serializer.is_valid(raise_exception=True)
        year = serializer.save()
        return self._read(year, status.HTTP_201_CREATED)

    @staticmethod
    def _denied() -> str:
        return str(ProgrammeYearPermission.message)


router.register("programme-years", ProgrammeYearViewSet, basename="programme-year")
