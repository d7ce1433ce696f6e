"""Pages of the organisation: the unit tree, units, people, sectors and roles.

Every object is fetched through the user's scope. Rule for pages that act (also stated in
``tests/matrix/org.py``): whoever may not take the action gets 404, whether or not they can
read the object — the page neither confirms that the action exists for them nor leaks what
lies outside their scope. A page that only shows (GET) never changes anything; each action
is one view whose GET shows the form and whose POST calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lamtheo.core.errors import DomainError
from lamtheo.core.history import history_entries
from lamtheo.org import selectors, services
from lamtheo.org.forms import (
    CloseUnitForm,
    CreateLoginForm,
    EndRoleForm,
    GrantRoleForm,
    MovePersonForm,
    NewMemberPlacementForm,
    NewStaffPlacementForm,
    PersonForm,
    SectorForm,
    SetOfficialForm,
    SuccessionForm,
    UnitForm,
)
from lamtheo.org.models import (
    Employment,
    MembershipStatus,
    PartyMembership,
    Person,
    RoleAssignment,
    Sector,
    Unit,
    UnitKind,
    UnitSuccession,
)
from lamtheo.org.scope import (
    get_person_for_user,
    get_scope,
    get_unit_for_user,
    path_q,
    people_for,
    units_for,
)

User = get_user_model()

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50

# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The tree of the units the user reads; ``?root=<pk>`` shows one branch of it."""
    include_closed = request.GET.get("closed", "1") != "0"
    root = None
    root_id = request.GET.get("root", "")
    if root_id:
        root = get_unit_for_user(request.user, root_id)
    tree = selectors.unit_tree(request.user, root=root, include_closed=include_closed)
    ancestors = selectors.breadcrumb(root) if root else []
    readable_ids = set(
        units_for(request.user)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "org/unit_list.html",
        {
            "tree": tree,
            "root": root,
            "ancestors": ancestors,
            "readable_ids": readable_ids,
            "include_closed": include_closed,
            "can_add_root": get_scope(request.user).is_admin,
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    scope = get_scope(request.user)
    today = timezone.localdate()
    # A closed unit shows the people it had on its last day.
    as_of = min(today, unit.valid_to) if unit.valid_to else today
    ancestors = selectors.breadcrumb(unit)
    came_from, went_to = selectors.successions(unit)
    linked_ids = {u.pk for u in ancestors}
    linked_ids |= {s.predecessor_id for s in came_from} | {s.successor_id for s in went_to}
    readable_ids = set(
        units_for(request.user).filter(pk__in=linked_ids).values_list("pk", flat=True)
    )
    children = selectors.with_counts(
        units_for(request.user).filter(path__startswith=unit.path, depth=unit.depth + 1), today
    )
    members = list(selectors.current_members(unit, as_of)) if unit.is_cell else []
    staff = list(selectors.current_staff(unit, as_of))
    responsible = selectors.responsible_for_unit(scope, unit)
    manages = scope.manages_unit(unit)
    roles = list(selectors.roles_over(unit))
    grantable = selectors.grantable_roles(scope, unit)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "as_of": as_of,
            "is_closed": not unit.is_active_on(today),
            "ancestors": ancestors,
            "came_from": came_from,
            "went_to": went_to,
            "readable_ids": readable_ids,
            "children": children,
            "members": members,
            "n_probationary": sum(1 for m in members if m.status == MembershipStatus.PROBATIONARY),
            "staff": staff,
            "roles": roles,
            "endable_roles": {r.pk for r in roles if r.role in grantable},
            "responsible": responsible,
            "own_person_id": scope.person_id,
            "can_edit": selectors.can_edit_unit(scope, unit),
            "manages": manages,
            "can_add_child": manages and unit.kind != UnitKind.PARTY_GROUP,
            "can_add_person": manages and (unit.is_cell or unit.is_state) and not unit.valid_to,
        },
    )


def _get_editable_unit(request: HttpRequest, pk: Any) -> Unit:
    unit = get_unit_for_user(request.user, pk)
    if not selectors.can_edit_unit(get_scope(request.user), unit):
        raise Http404
    return unit


def _unit_form_page(
    request: HttpRequest, *, parent: Unit | None, unit: Unit | None = None
) -> HttpResponse:
    form = UnitForm(request.POST or None, instance=unit, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                unit = services.create_unit(parent=parent, by=request.user, **form.unit_fields())
                messages.success(request, _("Unit created."))
            else:
                unit = services.update_unit(
                    unit=unit,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    **form.unit_fields(),
                )
                messages.success(request, _("Unit saved."))
            return redirect("org:unit-detail", unit.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(
        request,
        "org/unit_form.html",
        {"form": form, "parent": parent, "unit": unit if unit and unit.pk else None},
    )


@login_required
@GET_POST
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new unit under ``pk``, for whoever manages it."""
    parent = get_unit_for_user(request.user, pk, manage=True)
    if parent.kind == UnitKind.PARTY_GROUP:
        raise Http404
    return _unit_form_page(request, parent=parent)


@login_required
@GET_POST
def unit_add_root(request: HttpRequest) -> HttpResponse:
    """A new top-level unit (a province): administrators only."""
    if not get_scope(request.user).is_admin:
        raise Http404
    return _unit_form_page(request, parent=None)


@login_required
@GET_POST
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_editable_unit(request, pk)
    return _unit_form_page(request, parent=Unit.objects.get_parent(unit), unit=unit)


@login_required
@GET_POST
def unit_close(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _get_editable_unit(request, pk)
    form = CloseUnitForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_unit(
                unit=unit,
                on=form.cleaned_data["on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Unit closed."))
            return redirect("org:unit-detail", unit.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "org/unit_close.html", {"unit": unit, "form": form})


@login_required
@GET_POST
def unit_succession(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that ``pk`` merged into, split into or was renamed as other units."""
    unit = _get_editable_unit(request, pk)
    form = SuccessionForm(
        request.POST or None,
        unit=unit,
        # Units not closed yet (a successor may start in the future).
        candidates=selectors.editable_units(request.user).filter(valid_to__isnull=True),
        initial={"effective_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_succession(
                kind=data["kind"],
                predecessors=[unit, *data["other_predecessors"]],
                successors=list(data["successors"]),
                effective_on=data["effective_on"],
                note=data["note"],
                transfer_people=data["transfer_people"],
                by=request.user,
            )
            messages.success(request, _("Succession recorded."))
            return redirect("org:unit-detail", unit.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "org/unit_succession.html", {"unit": unit, "form": form})


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    if not selectors.responsible_for_unit(get_scope(request.user), unit):
        raise Http404
    entries = history_entries(
        Unit.history.filter(id=unit.pk),
        UnitSuccession.history.filter(Q(predecessor_id=unit.pk) | Q(successor_id=unit.pk)),
        RoleAssignment.history.filter(unit_id=unit.pk),
    )
    return render(
        request,
        "org/history.html",
        {"object": unit, "unit": unit, "entries": entries, "back": unit},
    )


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    readable_units = units_for(request.user)
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = readable_units.filter(pk=unit_id).first()
    sector_id = request.GET.get("sector", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")[:100]
    people = selectors.search_people(
        request.user,
        q=q,
        unit=unit,
        sector_id=int(sector_id) if sector_id.isdigit() else None,
        kind=kind,
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/person_list.html",
        {
            "page": page,
            "q": q,
            "unit": unit,
            "kind": kind,
            "sector_id": sector_id,
            "units": _unit_filter_choices(readable_units, unit),
            "sectors": Sector.objects.all(),
            "query": query.urlencode(),
            "filtered": bool(q or unit or sector_id or kind),
        },
    )


def _unit_filter_choices(readable: QuerySet[Unit], selected: Unit | None) -> list[Unit]:
    """Units offered by the people filter: the levels that fit in a select (a province has
    thousands of cells; a cell's page links here with ``?unit=``), plus the selected one."""
    units = readable.active_on()
    cut = selectors.depth_that_fits(units)
    if cut is not None:
        units = units.filter(depth__lte=cut)
    choices = list(units.only("id", "name", "kind", "depth", "path"))
    if selected is not None and selected not in choices:
        choices.append(selected)
    return choices


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    scope = get_scope(request.user)
    memberships, employments = selectors.person_history(person)
    can_manage = people_for(request.user, manage=True).filter(pk=person.pk).exists()
    current = next((m for m in memberships if m.valid_to is None), None)
    can_move = (
        can_manage
        and current is not None
        and selectors.cells_for(request.user).exclude(pk=current.cell_id).exists()
    )
    roles = (
        RoleAssignment.objects.current().filter(user_id=person.user_id).select_related("unit")
        if person.user_id
        else []
    )
    readable_ids = set(
        units_for(request.user)
        .filter(pk__in={m.cell_id for m in memberships} | {e.unit_id for e in employments})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "employments": employments,
            "current": current,
            "roles": roles,
            "readable_ids": readable_ids,
            "can_manage": can_manage,
            "can_move": can_move,
            "responsible": selectors.person_responsible(scope, person),
            "is_self": scope.person_id == person.pk,
            "today": timezone.localdate(),
        },
    )


@login_required
@GET_POST
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new person in unit ``pk``: a member of a cell, or staff of a state unit."""
    unit = get_unit_for_user(request.user, pk, manage=True)
    if not (unit.is_cell or unit.is_state) or unit.valid_to:
        raise Http404
    placement_class = NewMemberPlacementForm if unit.is_cell else NewStaffPlacementForm
    form = PersonForm(request.POST or None)
    placement = placement_class(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and placement.is_valid():
        try:
            person = services.create_person(
                unit=unit, by=request.user, **placement.cleaned_data, **form.person_fields()
            )
            messages.success(request, _("Person added."))
            return redirect("org:person-detail", person.pk)
        except DomainError as exc:
            target = placement if exc.field in placement.fields else form
            target.add_domain_error(exc)
    return render(
        request, "org/person_form.html", {"form": form, "placement": placement, "unit": unit}
    )


@login_required
@GET_POST
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, manage=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person=person,
                by=request.user,
                reason=form.cleaned_data["reason"],
                **form.person_fields(),
            )
            messages.success(request, _("Saved."))
            return redirect("org:person-detail", person.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    person.refresh_from_db(fields=["full_name"])
    return render(request, "org/person_form.html", {"form": form, "person": person})


@login_required
@GET_POST
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a member to another cell (chuyển sinh hoạt đảng) inside the user's subtree."""
    person = get_person_for_user(request.user, pk, manage=True)
    membership = selectors.open_membership(person)
    cells = selectors.cells_for(request.user)
    if membership is not None:
        cells = cells.exclude(pk=membership.cell_id)
    if not cells.exists():
        raise Http404  # nowhere this user could move anyone
    form = MovePersonForm(request.POST or None, cells=cells)
    if request.method == "POST" and membership is not None and form.is_valid():
        try:
            services.move_person(
                person=person,
                to_cell=form.cleaned_data["to_cell"],
                on=form.cleaned_data["on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Member moved."))
            return redirect("org:person-detail", person.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(
        request,
        "org/person_move.html",
        {"person": person, "membership": membership, "form": form},
    )


@login_required
@GET_POST
def person_official(request: HttpRequest, pk: int) -> HttpResponse:
    """A probationary member becomes official."""
    person = get_person_for_user(request.user, pk, manage=True)
    membership = selectors.open_membership(person)
    form = SetOfficialForm(request.POST or None, initial={"on": timezone.localdate()})
    probationary = membership is not None and membership.status == MembershipStatus.PROBATIONARY
    if request.method == "POST" and probationary and form.is_valid():
        try:
            services.set_official(person=person, on=form.cleaned_data["on"], by=request.user)
            messages.success(request, _("Recorded as an official member."))
            return redirect("org:person-detail", person.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(
        request,
        "org/person_official.html",
        {"person": person, "membership": membership, "form": form, "probationary": probationary},
    )


@login_required
@GET_POST
def person_login(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a login for a person."""
    person = get_person_for_user(request.user, pk, manage=True)
    form = CreateLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_login(
                person=person,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                by=request.user,
            )
            messages.success(
                request,
                _("Login «%(username)s» created. Give the person the initial password.")
                % {"username": user.username},
            )
            return redirect("org:person-detail", person.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "org/person_login.html", {"person": person, "form": form})


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    if not selectors.person_responsible(get_scope(request.user), person):
        raise Http404
    entries = history_entries(
        Person.history.filter(id=person.pk),
        PartyMembership.history.filter(person_id=person.pk),
        Employment.history.filter(person_id=person.pk),
    )
    return render(
        request, "org/history.html", {"object": person, "entries": entries, "person": person}
    )


# --------------------------------------------------------------------------------------------
# Sectors (administrators)
# --------------------------------------------------------------------------------------------


def _require_admin(request: HttpRequest) -> None:
    if not get_scope(request.user).is_admin:
        raise Http404


@login_required
def sector_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(
        request,
        "org/sector_list.html",
        {"sectors": Sector.objects.all(), "form": SectorForm()},
    )


@login_required
@GET_POST
def sector_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return _sector_form(request, Sector())


@login_required
@GET_POST
def sector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _sector_form(request, get_object_or_404(Sector, pk=pk))


def _sector_form(request: HttpRequest, sector: Sector) -> HttpResponse:
    form = SectorForm(request.POST or None, instance=sector)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("Sector saved."))
        return redirect("org:sector-list")
    return render(request, "org/sector_form.html", {"form": form, "sector": sector})


# --------------------------------------------------------------------------------------------
# Roles and logins
# --------------------------------------------------------------------------------------------


def _role_scope_q(request: HttpRequest) -> Q:
    """Role assignments the user may see on the roles page: over units they manage, and
    every assignment for an administrator."""
    scope = get_scope(request.user)
    if scope.is_admin:
        return Q()
    if not scope.manage_paths:
        raise Http404
    return path_q(scope.manage_paths, "unit__path")


def _grant_form(request: HttpRequest, unit: Unit, data: Any = None) -> GrantRoleForm:
    scope = get_scope(request.user)
    if scope.is_admin:
        users = User.objects.filter(is_active=True)
    else:
        users = User.objects.filter(
            is_active=True, person__in=people_for(request.user, manage=True)
        )
    return GrantRoleForm(
        data,
        users=users.select_related("person").order_by("username"),
        roles=selectors.grantable_roles(scope, unit),
    )


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """Role assignments over the units the user manages (all of them for an admin)."""
    scope_q = _role_scope_q(request)
    scope = get_scope(request.user)
    today = timezone.localdate()
    show_ended = request.GET.get("ended") == "1"
    assignments = RoleAssignment.objects.filter(scope_q).select_related(
        "user", "user__person", "unit"
    )
    if not show_ended:
        assignments = assignments.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    assignments = assignments.order_by("unit__path", "role", "user__username")
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    endable = {
        a.pk
        for a in page
        if (a.valid_to is None or a.valid_to > today)
        and a.role in selectors.grantable_roles(scope, a.unit)
    }
    top_units = (
        Unit.objects.filter(depth=1)
        if scope.is_admin
        else Unit.objects.filter(path__in=scope.manage_paths)
    )
    return render(
        request,
        "org/role_list.html",
        {
            "page": page,
            "endable": endable,
            "show_ended": show_ended,
            "top_units": top_units,
            "today": today,
        },
    )


@login_required
@GET_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant a role over unit ``pk`` (its whole subtree)."""
    unit = get_unit_for_user(request.user, pk, manage=True)
    form = _grant_form(request, unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                user=data["user"],
                role=data["role"],
                unit=unit,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                by=request.user,
            )
            messages.success(request, _("Role granted."))
            return redirect("org:unit-detail", unit.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "org/role_form.html", {"form": form, "unit": unit})


@login_required
@GET_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    scope_q = _role_scope_q(request)
    assignment = get_object_or_404(
        RoleAssignment.objects.filter(scope_q).select_related("user", "unit"), pk=pk
    )
    if assignment.role not in selectors.grantable_roles(get_scope(request.user), assignment.unit):
        raise Http404
    form = EndRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_role(
                assignment=assignment,
                on=form.cleaned_data["on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Role ended."))
            return redirect("org:role-list")
        except DomainError as exc:
            form.add_domain_error(exc)
    return render(request, "org/role_end.html", {"assignment": assignment, "form": form})
