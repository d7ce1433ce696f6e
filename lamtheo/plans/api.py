"""JSON API of steps 1–2: plans and their sections, inbox items (deliveries and
acknowledgement), collective models and their progress, coverage and date violations.

Same scope rules as the pages (``selectors``): members read their own unit's issued plans
(and the superior plans those are based on); writers change plans within
``scope.plans_for_unit``, managers change models within ``scope.manages_unit``; anything
else is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from lamtheo.core.api import query_int
from lamtheo.org.scope import get_scope
from lamtheo.plans import dates, selectors, services
from lamtheo.plans import serializers as s
from lamtheo.plans.models import (
    CollectiveModel,
    InboxItem,
    ModelProgress,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
)

router = SimpleRouter()


def _year_param(request: Request) -> int | None:
    return query_int(request, "year")


@extend_schema_view(
    list=extend_schema(
        summary="Plans you can read",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="Plans of this unit."),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=PlanKind.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["draft", "issued", "superseded"]),
        ],
    ),
    retrieve=extend_schema(summary="One plan with its sections"),
    create=extend_schema(summary="Create a draft plan for a unit you write plans for"),
    update=extend_schema(summary="Change a draft plan"),
    partial_update=extend_schema(summary="Change some fields of a draft plan"),
    destroy=extend_schema(summary="Delete a draft plan"),
)
class PlanViewSet(viewsets.ModelViewSet):
    serializer_class = s.PlanSerializer
    queryset = Plan.objects.none()

    def get_queryset(self) -> QuerySet[Plan]:
        qs = selectors.plans_for(self.request.user).prefetch_related("sections")
        if self.action != "list":
            return qs
        params = self.request.query_params
        unit = query_int(self.request, "unit")
        if unit is not None:
            qs = qs.filter(unit_id=unit)
        year = _year_param(self.request)
        if year is not None:
            qs = qs.filter(year=year)
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs.order_by("-year", "unit__path", "-issue_date", "-id")

    def _writable(self) -> Plan:
        plan = self.get_object()
        if not get_scope(self.request.user).plans_for_unit(plan.unit):
            raise Http404
        return plan

    def _out(self, plan: Plan, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(s.PlanSerializer(fresh, context=self.get_serializer_context()).data, code)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self._writable()
        serializer = self.get_serializer(
            plan, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        return self._out(serializer.save())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._out(serializer.save(), status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.delete_draft(plan=self._writable(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Issue a draft: lock it and deliver it", request=None)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: Any = None) -> Response:
        return self._out(services.issue_plan(plan=self._writable(), by=request.user))

    @extend_schema(
        summary="Start a correction: a new draft version of an issued plan",
        request=s.CorrectionSerializer,
        responses={201: s.PlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: Any = None) -> Response:
        body = s.CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.create_correction(
            plan=self._writable(), by=request.user, reason=body.validated_data["reason"]
        )
        return self._out(plan, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start from this (superior) plan: a draft of your unit based on it",
        request=s.FollowSerializer,
        responses={201: s.PlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def follow(self, request: Request, pk: Any = None) -> Response:
        superior = self.get_object()
        body = s.FollowSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = selectors.get_plan_unit_for_user(request.user, body.validated_data["unit"])
        if not selectors.superior_plan_choices(unit=unit, year=superior.year).filter(
            pk=superior.pk
        ):
            raise serializers.ValidationError(
                {"unit": [_("This unit cannot base its plan on that one.")]}
            )
        plan = services.start_from_superior(superior=superior, unit=unit, by=request.user)
        return self._out(plan, status.HTTP_201_CREATED)

    @extend_schema(summary="Who has read the plan, who has not", responses=s.DeploymentSerializer)
    @action(detail=True, methods=["get"])
    def deployment(self, request: Request, pk: Any = None) -> Response:
        return Response(s.DeploymentSerializer(selectors.deployment_of(self._writable())).data)

    @extend_schema(
        summary="Remind those who have not read it",
        request=None,
        responses=s.RemindResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: Any = None) -> Response:
        return Response({"reminded": services.remind(plan=self._writable(), by=request.user)})

    @extend_schema(
        summary="Units expected to follow this plan, and their plans",
        responses=s.FollowerSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def coverage(self, request: Request, pk: Any = None) -> Response:
        # The same rule as the page (plans:plan-deployment): the plan's writers only, as
        # the rows name other units' plans; a draft has no followers yet.
        plan = self._writable()
        rows = selectors.plan_coverage(plan) if plan.status != PlanStatus.DRAFT else []
        return Response(s.FollowerSerializer(rows, many=True).data)


router.register("plans", PlanViewSet, basename="plan")


@extend_schema_view(
    list=extend_schema(
        summary="Sections of the plans you can read",
        parameters=[OpenApiParameter("plan", OpenApiTypes.INT)],
    )
)
class PlanSectionViewSet(viewsets.ModelViewSet):
    serializer_class = s.SectionSerializer
    queryset = PlanSection.objects.none()

    def get_queryset(self) -> QuerySet[PlanSection]:
        qs = PlanSection.objects.filter(plan__in=selectors.plans_for(self.request.user))
        plan = query_int(self.request, "plan")
        if plan is not None:
            qs = qs.filter(plan_id=plan)
        return qs.select_related("plan", "plan__unit").order_by("plan", "order", "id")

    def _check_write(self, plan: Plan) -> None:
        if not get_scope(self.request.user).plans_for_unit(plan.unit):
            raise Http404

    def perform_create(self, serializer: Any) -> None:
        self._check_write(serializer.validated_data["plan"])
        serializer.save()

    def perform_update(self, serializer: Any) -> None:
        self._check_write(serializer.instance.plan)
        serializer.save()

    def perform_destroy(self, instance: PlanSection) -> None:
        self._check_write(instance.plan)
        services.delete_section(section=instance, by=self.request.user)


router.register("plan-sections", PlanSectionViewSet, basename="plan-section")


@extend_schema_view(
    list=extend_schema(
        summary="Your inbox (and your units')",
        parameters=[OpenApiParameter("open", OpenApiTypes.BOOL, description="Only open items.")],
    ),
    retrieve=extend_schema(summary="One inbox item"),
)
class InboxItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.InboxItemSerializer
    queryset = InboxItem.objects.none()

    def get_queryset(self) -> QuerySet[InboxItem]:
        qs = selectors.inbox_for(self.request.user)
        if self.request.query_params.get("open", "").lower() in {"1", "true", "yes"}:
            qs = selectors.open_items(qs)
        return qs

    def get_object(self) -> InboxItem:
        # Secretaries may open (and acknowledge for) the items of their members.
        return selectors.get_inbox_item_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Acknowledge: I have read it (idempotent)", request=None)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        item = services.acknowledge(item=self.get_object(), by=request.user)
        return Response(s.InboxItemSerializer(item).data)


router.register("inbox", InboxItemViewSet, basename="inbox-item")


@extend_schema_view(
    list=extend_schema(
        summary="Collective models (mô hình) of the units you can read",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("year", OpenApiTypes.INT),
        ],
    )
)
class CollectiveModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.CollectiveModelSerializer
    queryset = CollectiveModel.objects.none()

    def get_queryset(self) -> QuerySet[CollectiveModel]:
        qs = selectors.models_for(self.request.user)
        unit = query_int(self.request, "unit")
        if unit is not None:
            qs = qs.filter(unit_id=unit)
        year = _year_param(self.request)
        if year is not None:
            qs = qs.filter(year=year)
        return qs.order_by("-year", "unit__path", "name")

    def _managed(self) -> CollectiveModel:
        model = self.get_object()
        if not get_scope(self.request.user).manages_unit(model.unit):
            raise Http404
        return model

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        model = self._managed()
        serializer = self.get_serializer(
            model, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(self.get_serializer(self.get_queryset().get(pk=model.pk)).data)

    @extend_schema(
        summary="State mid-year or year-end results",
        request=s.ResultsSerializer,
        responses=s.CollectiveModelSerializer,
    )
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: Any = None) -> Response:
        model = self._managed()
        body = s.ResultsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = {}
        for key, value in body.validated_data.get("values", {}).items():
            try:
                values[int(key)] = value
            except ValueError:
                raise serializers.ValidationError({"values": [_("Keys are target ids.")]}) from None
        services.record_results(
            model=model,
            period=body.validated_data["period"],
            text=body.validated_data["text"],
            values=values,
            by=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=model.pk)).data)


router.register("collective-models", CollectiveModelViewSet, basename="collective-model")


@extend_schema_view(
    list=extend_schema(
        summary="Progress entries of the models you can read",
        parameters=[OpenApiParameter("model", OpenApiTypes.INT)],
    )
)
class ModelProgressViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ProgressSerializer
    queryset = ModelProgress.objects.none()

    def get_queryset(self) -> QuerySet[ModelProgress]:
        qs = ModelProgress.objects.filter(model__in=selectors.models_for(self.request.user))
        model = query_int(self.request, "model")
        if model is not None:
            qs = qs.filter(model_id=model)
        return qs.select_related("model", "target").order_by("-date", "-id")


router.register("model-progress", ModelProgressViewSet, basename="model-progress")


def _root(request: Request) -> Any:
    unit = query_int(request, "unit")
    if unit is None:
        roots = selectors.coverage_roots(request.user).order_by("path")
        root = roots.first()
        if root is None:
            raise Http404
        return root
    return selectors.get_coverage_root_for_user(request.user, unit)


class CoverageViewSet(viewsets.GenericViewSet):
    serializer_class = s.CoverageNodeSerializer
    pagination_class = None

    @extend_schema(
        summary="Coverage tree of a subtree you oversee: issued / not issued / late",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="Root (default: your first)."),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=PlanKind.values),
        ],
        responses=s.CoverageNodeSerializer,
    )
    def list(self, request: Request) -> Response:
        root = _root(request)
        kind = request.query_params.get("kind") or PlanKind.STUDY
        if kind not in PlanKind.values:
            raise serializers.ValidationError({"kind": [_("Unknown kind of plan.")]})
        year = _year_param(request) or timezone.localdate().year
        tree = selectors.coverage_tree(root=root, year=year, kind=kind)
        return Response(s.CoverageNodeSerializer(tree).data)


router.register("coverage", CoverageViewSet, basename="coverage")


class DateViolationViewSet(viewsets.GenericViewSet):
    serializer_class = s.ViolationSerializer
    pagination_class = None

    @extend_schema(
        summary="Date-rule violations in a subtree you oversee",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="Root (default: your first)."),
            OpenApiParameter("year", OpenApiTypes.INT),
        ],
        responses=s.ViolationSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        found = dates.check(root=_root(request), year=_year_param(request))
        return Response(s.ViolationSerializer(found, many=True).data)


router.register("date-violations", DateViolationViewSet, basename="date-violation")
