"""JSON API of the organisation: units, people, sectors, role assignments and ``/me/``.

Every queryset starts from ``lamtheo.org.scope`` (``units_for``, ``people_for``), so an
object outside the user's scope answers 404. Writes check the scope again for the target
(the parent of a new unit, the cell of a new person) and answer 403 when the user may read
but not manage it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, ProtectedError, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from lamtheo.core.api import (
    IsScopeAdmin,
    ReadOrScopeAdmin,
    SingleObjectSchema,
    query_bool,
    query_date,
    query_int,
    renamed_error_fields,
)
from lamtheo.core.errors import DomainError
from lamtheo.core.text import normalize_vi
from lamtheo.org import serializers as s
from lamtheo.org.models import (
    Employment,
    PartyMembership,
    Person,
    RoleAssignment,
    Sector,
    Unit,
    UnitKind,
    UnitSuccession,
)
from lamtheo.org.scope import get_scope, people_for, units_for
from lamtheo.org.selectors import PersonKind, can_edit_unit, search_people
from lamtheo.org.services import move_person

router = SimpleRouter()


def _parent_pk() -> Subquery:
    """The parent's id, from the materialised path (no query per row)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen)
    return Subquery(Unit.objects.filter(path=parent_path).order_by().values("pk")[:1])


def _unit_by_id(pk: int | None) -> Unit | None:
    if pk is None:
        return None
    return Unit.objects.filter(pk=pk).only("id", "path", "depth").first()


class UnitPermission(permissions.BasePermission):
    """Everyone signed in reads the units of their scope. Creating needs some subtree to
    manage (the parent is checked in the view); changing a unit needs its parent managed."""

    message = _("You do not manage the unit above this one.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if view.action == "create":
            scope = get_scope(request.user)
            return scope.is_admin or bool(scope.manage_paths)
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Unit) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_unit(get_scope(request.user), obj)


@extend_schema_view(
    list=extend_schema(
        summary="Units in your scope",
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                description="Unit kind; several separated by commas.",
            ),
            OpenApiParameter("parent", OpenApiTypes.INT, description="Direct children of a unit."),
            OpenApiParameter(
                "subtree", OpenApiTypes.INT, description="A unit and everything below it."
            ),
            OpenApiParameter(
                "active_on", OpenApiTypes.DATE, description="Units valid on this date."
            ),
            OpenApiParameter("search", OpenApiTypes.STR, description="Part of the name."),
        ],
    ),
    retrieve=extend_schema(summary="One unit, with its successors and predecessors"),
    create=extend_schema(
        summary="Create a unit under a parent you manage",
        request=s.UnitWriteSerializer,
        responses={201: s.UnitDetailSerializer},
    ),
    update=extend_schema(
        summary="Change a unit (you manage its parent)",
        request=s.UnitWriteSerializer,
        responses={200: s.UnitDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a unit (you manage its parent)",
        request=s.UnitWriteSerializer,
        responses={200: s.UnitDetailSerializer},
    ),
)
class UnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [UnitPermission]
    queryset = Unit.objects.none()  # for the schema; see get_queryset

    def get_queryset(self) -> QuerySet[Unit]:
        qs = units_for(self.request.user).annotate(parent_pk=_parent_pk())
        if self.action == "list":
            return self._filter(qs)
        user = self.request.user
        visible = units_for(user)
        return qs.prefetch_related(
            Prefetch(
                "successions_out",
                queryset=UnitSuccession.objects.filter(successor__in=visible)
                .select_related("successor")
                .order_by("effective_on", "id"),
                to_attr="visible_successions_out",
            ),
            Prefetch(
                "successions_in",
                queryset=UnitSuccession.objects.filter(predecessor__in=visible)
                .select_related("predecessor")
                .order_by("effective_on", "id"),
                to_attr="visible_successions_in",
            ),
        )

    def _filter(self, qs: QuerySet[Unit]) -> QuerySet[Unit]:
        request = self.request
        kinds = [k.strip() for k in request.query_params.get("kind", "").split(",") if k.strip()]
        if kinds:
            unknown = sorted(set(kinds) - set(UnitKind.values))
            if unknown:
                raise serializers.ValidationError(
                    {"kind": [_("Unknown unit kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}]}
                )
            qs = qs.filter(kind__in=kinds)
        parent_id = query_int(request, "parent")
        if parent_id is not None:
            parent = _unit_by_id(parent_id)
            if parent is None:
                return qs.none()
            qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
        subtree_id = query_int(request, "subtree")
        if subtree_id is not None:
            root = _unit_by_id(subtree_id)
            if root is None:
                return qs.none()
            qs = qs.filter(path__startswith=root.path)
        day = query_date(request, "active_on")
        if day is not None:
            qs = qs.active_on(day)
        search = normalize_vi(request.query_params.get("search", ""))
        if search:
            qs = qs.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
        return qs

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in {"create", "update", "partial_update"}:
            return s.UnitWriteSerializer
        if self.action == "list":
            return s.UnitSerializer
        return s.UnitDetailSerializer

    def _read(self, unit: Unit, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=unit.pk)
        return Response(s.UnitDetailSerializer(fresh).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent = serializer.validated_data.get("parent")
        scope = get_scope(request.user)
        if parent is None and not scope.is_admin:
            raise PermissionDenied(_("Only an administrator may create a top-level unit."))
        if parent is not None and not scope.manages_unit(parent):
            raise PermissionDenied(_("You do not manage this unit."))
        unit = serializer.save()
        return self._read(unit, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return self._read(unit)


router.register("units", UnitViewSet, basename="unit")


def _current_people_prefetches() -> list[Prefetch]:
    today = timezone.localdate()
    return [
        Prefetch(
            "memberships",
            queryset=PartyMembership.objects.current(today).select_related("cell"),
            to_attr="current_memberships",
        ),
        Prefetch(
            "employments",
            queryset=Employment.objects.current(today).select_related("unit"),
            to_attr="current_employments",
        ),
    ]


class PersonPermission(permissions.BasePermission):
    """Everyone signed in reads the people of their scope; managers (secretary, committee,
    admin) create people in their units and change the people they manage."""

    message = _("You do not manage this person.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        scope = get_scope(request.user)
        return scope.is_admin or bool(scope.manage_paths)

    def has_object_permission(self, request: Request, view: Any, obj: Person) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return people_for(request.user, manage=True).filter(pk=obj.pk).exists()


@extend_schema_view(
    list=extend_schema(
        summary="People in your scope",
        parameters=[
            OpenApiParameter(
                "unit",
                OpenApiTypes.INT,
                description="Current members or staff of this unit or a unit below it.",
            ),
            OpenApiParameter("sector", OpenApiTypes.STR, description="Sector id or code."),
            OpenApiParameter(
                "is_party_member", OpenApiTypes.BOOL, description="Has a current membership."
            ),
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description="Part of the name or code; accents optional («nguyen van» finds "
                "«Nguyễn Văn»).",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One person, with membership and employment history"),
    create=extend_schema(
        summary="Add a person to a cell or state unit you manage",
        request=s.PersonCreateSerializer,
        responses={201: s.PersonDetailSerializer},
    ),
    update=extend_schema(
        summary="Change a person you manage",
        request=s.PersonWriteSerializer,
        responses={200: s.PersonDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a person you manage",
        request=s.PersonWriteSerializer,
        responses={200: s.PersonDetailSerializer},
    ),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [PersonPermission]
    queryset = Person.objects.none()  # for the schema; see get_queryset

    def get_queryset(self) -> QuerySet[Person]:
        if self.action == "list":
            return self._filtered_list()
        return (
            people_for(self.request.user)
            .select_related("sector")
            .prefetch_related(
                *_current_people_prefetches(),
                Prefetch(
                    "memberships",
                    queryset=PartyMembership.objects.select_related("cell").order_by(
                        "valid_from", "id"
                    ),
                ),
                Prefetch(
                    "employments",
                    queryset=Employment.objects.select_related("unit").order_by("valid_from", "id"),
                ),
            )
        )

    def _filtered_list(self) -> QuerySet[Person]:
        request = self.request
        user = request.user
        unit = None
        unit_id = query_int(request, "unit")
        if unit_id is not None:
            unit = units_for(user).filter(pk=unit_id).first()
            if unit is None:
                return Person.objects.none()
        sector_id = None
        sector = request.query_params.get("sector", "").strip()
        if sector:
            found = Sector.objects.filter(
                Q(pk=int(sector)) if sector.isdigit() else Q(code=sector)
            ).first()
            if found is None:
                return Person.objects.none()
            sector_id = found.pk
        member = query_bool(request, "is_party_member")
        qs = search_people(
            user,
            q=normalize_vi(request.query_params.get("search", "")),
            unit=unit,
            sector_id=sector_id,
            kind=PersonKind.MEMBER if member else "",
        )
        if member is False:
            qs = qs.exclude(Exists(PartyMembership.objects.current().filter(person=OuterRef("pk"))))
        return qs

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "create":
            return s.PersonCreateSerializer
        if self.action in {"update", "partial_update"}:
            return s.PersonWriteSerializer
        if self.action == "move":
            return s.MoveSerializer
        if self.action == "list":
            return s.PersonSerializer
        return s.PersonDetailSerializer

    def _read(self, person: Person, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=person.pk)
        return Response(s.PersonDetailSerializer(fresh).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not get_scope(request.user).manages_unit(serializer.validated_data["unit"]):
            raise PermissionDenied(_("You do not manage this unit."))
        person = serializer.save()
        return self._read(person, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        person = self.get_object()
        serializer = self.get_serializer(person, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return self._read(person)

    @extend_schema(
        summary="Move a party member to another cell from a date",
        request=s.MoveSerializer,
        responses={200: s.PersonDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        person = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cell = serializer.validated_data["cell"]
        if not get_scope(request.user).manages_unit(cell):
            raise PermissionDenied(_("You do not manage the new cell."))
        with renamed_error_fields(to_cell="cell", on="date"):
            move_person(
                person=person,
                to_cell=cell,
                on=serializer.validated_data["date"],
                by=request.user,
                reason=serializer.validated_data.get("reason", ""),
            )
        return self._read(person)


router.register("people", PersonViewSet, basename="person")


@extend_schema_view(
    list=extend_schema(summary="Sectors (lines of work)"),
    retrieve=extend_schema(summary="One sector"),
    create=extend_schema(summary="Add a sector (administrators)"),
    update=extend_schema(summary="Change a sector (administrators)"),
    partial_update=extend_schema(summary="Change some fields of a sector (administrators)"),
    destroy=extend_schema(summary="Remove an unused sector (administrators)"),
)
class SectorViewSet(viewsets.ModelViewSet):
    permission_classes = [ReadOrScopeAdmin]
    serializer_class = s.SectorSerializer
    queryset = Sector.objects.all()

    def perform_destroy(self, instance: Sector) -> None:
        try:
            instance.delete()
        except ProtectedError:
            raise DomainError(
                _("This sector is still given to some people; change theirs first.")
            ) from None


router.register("sectors", SectorViewSet, basename="sector")


@extend_schema_view(
    list=extend_schema(
        summary="Role assignments (administrators)",
        parameters=[
            OpenApiParameter("user", OpenApiTypes.INT),
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("role", OpenApiTypes.STR),
        ],
    ),
    retrieve=extend_schema(summary="One role assignment (administrators)"),
    create=extend_schema(summary="Give a user a role over a unit (administrators)"),
    update=extend_schema(summary="Change a role assignment (administrators)"),
    partial_update=extend_schema(summary="Change some fields of a role assignment"),
)
class RoleAssignmentViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Administrators manage roles here. To end a role keep the row and set ``valid_to``: the
    history of who could do what stays readable, so there is no delete."""

    permission_classes = [IsScopeAdmin]
    serializer_class = s.RoleAssignmentSerializer
    queryset = RoleAssignment.objects.none()  # for the schema; see get_queryset

    def get_queryset(self) -> QuerySet[RoleAssignment]:
        qs = RoleAssignment.objects.select_related("user", "unit").order_by("user_id", "id")
        for name in ("user", "unit"):
            value = query_int(self.request, name)
            if value is not None:
                qs = qs.filter(**{f"{name}_id": value})
        role = self.request.query_params.get("role", "").strip()
        if role:
            qs = qs.filter(role=role)
        return qs


router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")


class MeViewSet(viewsets.GenericViewSet):
    """The signed-in user: account, person record, current roles and what they reach."""

    serializer_class = s.MeSerializer
    pagination_class = None
    schema = SingleObjectSchema()
    queryset = RoleAssignment.objects.none()  # for the schema

    @extend_schema(summary="Who am I: account, person, roles and scope")
    def list(self, request: Request) -> Response:
        user = request.user
        scope = get_scope(user)
        person = Person.objects.filter(user=user).only("id", "full_name").first()
        roles = (
            RoleAssignment.objects.current()
            .filter(user=user)
            .select_related("user", "unit")
            .order_by("role", "unit__path")
        )
        data = {
            "user": user,
            "person": person,
            "roles": roles,
            "scope": s.scope_summary(scope),
        }
        return Response(s.MeSerializer(data).data)


router.register("me", MeViewSet, basename="me")
