"""Writes to the organisation: units (create, edit, close, merges and splits), people (create,
edit, move between cells, become official, a login) and role assignments.

Every function is keyword-only, runs in one transaction, leaves a history record attributed
to ``by`` (with ``reason`` where given) and raises ``DomainError`` with a translated message
when a rule is broken. Whether ``by`` may act on the object at all is decided before, by
fetching it through the scope (``lamtheo.org.scope``); the rules that depend on *what* is
asked (which role may be granted) are checked here, so the API gets them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.org.models import (
    CELL_KINDS,
    STATE_KINDS,
    Employment,
    MembershipStatus,
    PartyMembership,
    Person,
    Role,
    RoleAssignment,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
)
from lamtheo.org.scope import get_scope
from lamtheo.org.selectors import grantable_roles

User = get_user_model()

ONE_DAY = dt.timedelta(days=1)

UNIT_FIELDS = (
    "kind",
    "name",
    "short_name",
    "doc_abbreviation",
    "place_name",
    "code",
    "valid_from",
    "valid_to",
)
PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "sector",
    "party_position",
    "government_position",
    "mass_org_position",
    "workplace",
    "code",
)


def _d(day: dt.date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _attribute(obj: Any, by: Any, reason: str = "") -> None:
    """Who and why, for the history record the next ``save()`` writes."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


def _check_unit_fields(*, kind: str, parent: Unit | None, valid_from, valid_to) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError(_("The end of validity cannot be before its start."), field="valid_to")
    if parent is None:
        return
    if parent.kind == UnitKind.PARTY_GROUP:
        raise DomainError(_("A party group cannot contain other units."), field="kind")
    if parent.kind in CELL_KINDS and kind != UnitKind.PARTY_GROUP:
        raise DomainError(_("A party cell can only contain party groups."), field="kind")
    if parent.valid_to and (valid_from or timezone.localdate()) > parent.valid_to:
        raise DomainError(
            _("«%(parent)s» was closed on %(date)s.")
            % {"parent": parent, "date": _d(parent.valid_to)},
            field="valid_from",
        )


@transaction.atomic
def create_unit(*, parent: Unit | None, by: Any, reason: str = "", **fields: Any) -> Unit:
    """A new unit under ``parent`` (a new root when ``parent`` is None)."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    _check_unit_fields(
        kind=fields["kind"],
        parent=parent,
        valid_from=fields.get("valid_from"),
        valid_to=fields.get("valid_to"),
    )
    unit = Unit(**fields)
    _attribute(unit, by, reason)
    if parent is None:
        return Unit.objects.add_root(instance=unit)
    # Lock the parent: treebeard derives the child's path from numchild.
    parent = Unit.objects.select_for_update(of=("self",)).get(pk=parent.pk)
    return Unit.objects.add_child(parent, instance=unit)


@transaction.atomic
def update_unit(*, unit: Unit, by: Any, reason: str = "", **fields: Any) -> Unit:
    """Change a unit's header fields (not its place in the tree)."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    old_valid_to = unit.valid_to
    for name, value in fields.items():
        setattr(unit, name, value)
    _check_unit_fields(
        kind=unit.kind,
        parent=Unit.objects.get_parent(unit),
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
    )
    if unit.valid_to is not None and unit.valid_to != old_valid_to:
        _check_nothing_open_after(unit, unit.valid_to, "valid_to")
    if "kind" in fields and unit.kind not in CELL_KINDS and unit.memberships.exists():
        raise DomainError(
            _("This unit has party members; only a party cell can have members."), field="kind"
        )
    _attribute(unit, by, reason)
    unit.save()
    return unit


def _open_after(day: dt.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=day)


def _check_nothing_open_after(unit: Unit, on: dt.date, field: str = "on") -> None:
    """A unit may end on ``on`` only when no one and no sub-unit is left in it after."""
    members = PartyMembership.objects.filter(_open_after(on), cell=unit).count()
    staff = Employment.objects.filter(_open_after(on), unit=unit).count()
    if members or staff:
        raise DomainError(
            _(
                "%(members)s party members and %(staff)s staff are still in this unit after "
                "%(date)s. Move them to another unit first."
            )
            % {"members": members, "staff": staff, "date": _d(on)},
            field=field,
        )
    children = Unit.objects.filter(
        _open_after(on), path__startswith=unit.path, depth__gt=unit.depth
    )
    if children.exists():
        raise DomainError(
            _("Sub-units still open after %(date)s: %(units)s. Close them first.")
            % {"date": _d(on), "units": ", ".join(str(u) for u in children[:5])},
            field=field,
        )


@transaction.atomic
def close_unit(*, unit: Unit, on: dt.date, by: Any, reason: str = "") -> Unit:
    """End a unit's validity: ``on`` is its last day. Refused while people or sub-units are
    still in it after that day (move or close them first)."""
    unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    if unit.valid_to is not None:
        raise DomainError(
            _("This unit was already closed on %(date)s.") % {"date": _d(unit.valid_to)},
            field="on",
        )
    if unit.valid_from and on < unit.valid_from:
        raise DomainError(
            _("A unit cannot close before it started (%(date)s).") % {"date": _d(unit.valid_from)},
            field="on",
        )
    _check_nothing_open_after(unit, on)
    unit.valid_to = on
    _attribute(unit, by, reason)
    unit.save()
    return unit


@transaction.atomic
def record_succession(
    *,
    kind: str,
    predecessors: list[Unit],
    successors: list[Unit],
    effective_on: dt.date,
    by: Any,
    note: str = "",
    transfer_people: bool = False,
) -> list[UnitSuccession]:
    """Record a merge (several units → one), a split (one → several) or a rename/transfer
    (one → one) taking effect on ``effective_on``.

    Creates a ``UnitSuccession`` for every predecessor × successor pair and closes each
    predecessor: its last day is the day before ``effective_on``, the successors count from
    that day (and start then if they had no start). With ``transfer_people`` (merge and
    rename only) the open memberships and employments of the predecessors move to the
    successor on ``effective_on``, so yesterday's records stay with yesterday's unit.
    """
    pred_ids = {u.pk for u in predecessors}
    succ_ids = {u.pk for u in successors}
    if not pred_ids or not succ_ids:
        raise DomainError(
            _("Choose at least one predecessor and one successor."), field="successors"
        )
    if pred_ids & succ_ids:
        raise DomainError(_("A unit cannot succeed itself."), field="successors")
    if kind == SuccessionKind.MERGE and (len(pred_ids) < 2 or len(succ_ids) != 1):
        raise DomainError(
            _("A merge joins two or more units into one successor."), field="successors"
        )
    if kind == SuccessionKind.SPLIT and (len(pred_ids) != 1 or len(succ_ids) < 2):
        raise DomainError(
            _("A split divides one unit into two or more successors."), field="successors"
        )
    if kind == SuccessionKind.RENAME and (len(pred_ids) != 1 or len(succ_ids) != 1):
        raise DomainError(
            _("A rename or transfer links one unit to one successor."), field="successors"
        )
    if transfer_people and kind == SuccessionKind.SPLIT:
        raise DomainError(
            _("After a split, move people one by one to the right successor."),
            field="transfer_people",
        )
    locked = {
        u.pk: u
        for u in Unit.objects.select_for_update(of=("self",)).filter(pk__in=pred_ids | succ_ids)
    }
    preds = [locked[pk] for pk in sorted(pred_ids)]
    succs = [locked[pk] for pk in sorted(succ_ids)]
    last_day = effective_on - ONE_DAY
    for unit in preds:
        if unit.valid_from and unit.valid_from > last_day:
            raise DomainError(
                _("«%(unit)s» starts on %(date)s, so it cannot end before %(effective)s.")
                % {"unit": unit, "date": _d(unit.valid_from), "effective": _d(effective_on)},
                field="effective_on",
            )
        if unit.valid_to and unit.valid_to < last_day:
            raise DomainError(
                _("«%(unit)s» already ended on %(date)s.")
                % {"unit": unit, "date": _d(unit.valid_to)},
                field="effective_on",
            )
    for unit in succs:
        if unit.valid_from and unit.valid_from > effective_on:
            raise DomainError(
                _("«%(unit)s» only starts on %(date)s.")
                % {"unit": unit, "date": _d(unit.valid_from)},
                field="effective_on",
            )
        if unit.valid_to and unit.valid_to < effective_on:
            raise DomainError(
                _("«%(unit)s» ended on %(date)s.") % {"unit": unit, "date": _d(unit.valid_to)},
                field="effective_on",
            )
    if UnitSuccession.objects.filter(
        predecessor_id__in=pred_ids, successor_id__in=succ_ids
    ).exists():
        raise DomainError(_("This succession is already recorded."), field="successors")

    if transfer_people:
        successor = succs[0]
        _transfer_people(preds, successor, effective_on, by)

    links = []
    for pred in preds:
        for succ in succs:
            link = UnitSuccession(
                predecessor=pred, successor=succ, kind=kind, effective_on=effective_on, note=note
            )
            _attribute(link, by)
            link.save()
            links.append(link)
    reason = _("Succession recorded: %(kind)s from %(date)s") % {
        "kind": SuccessionKind(kind).label,
        "date": _d(effective_on),
    }
    for unit in preds:
        if unit.valid_to is None or unit.valid_to > last_day:
            unit.valid_to = last_day
            _attribute(unit, by, reason)
            unit.save()
    for unit in succs:
        if unit.valid_from is None:
            unit.valid_from = effective_on
            _attribute(unit, by, reason)
            unit.save()
    return links


def _transfer_people(preds: list[Unit], successor: Unit, on: dt.date, by: Any) -> None:
    memberships = list(
        PartyMembership.objects.select_for_update(of=("self",))
        .filter(_open_after(on - ONE_DAY), cell__in=preds)
        .select_related("person")
    )
    employments = list(
        Employment.objects.select_for_update(of=("self",)).filter(
            _open_after(on - ONE_DAY), unit__in=preds
        )
    )
    if memberships and successor.kind not in CELL_KINDS:
        raise DomainError(
            _("The predecessors have party members but «%(unit)s» is not a party cell.")
            % {"unit": successor},
            field="transfer_people",
        )
    if employments and successor.kind not in STATE_KINDS:
        raise DomainError(
            _("The predecessors have staff but «%(unit)s» is not a state unit.")
            % {"unit": successor},
            field="transfer_people",
        )
    reason = _("Moved with the unit to «%(unit)s»") % {"unit": successor}
    for m in memberships:
        _move_membership(m, successor, on, by, reason)
    for e in employments:
        if e.valid_from >= on:
            raise DomainError(
                _("%(person)s only started in «%(unit)s» on %(date)s.")
                % {"person": e.person, "unit": e.unit, "date": _d(e.valid_from)},
                field="effective_on",
            )
        new = Employment(
            person_id=e.person_id,
            unit=successor,
            position=e.position,
            valid_from=on,
            valid_to=e.valid_to,
        )
        e.valid_to = on - ONE_DAY
        _attribute(e, by, reason)
        e.save()
        _attribute(new, by, reason)
        new.save()


def _move_membership(
    membership: PartyMembership, to_cell: Unit, on: dt.date, by: Any, reason: str
) -> PartyMembership:
    if on <= membership.valid_from:
        raise DomainError(
            _(
                "%(person)s has been in «%(cell)s» since %(date)s; the move must be dated after that."
            )
            % {
                "person": membership.person,
                "cell": membership.cell,
                "date": _d(membership.valid_from),
            },
            field="on",
        )
    new = PartyMembership(
        person_id=membership.person_id,
        cell=to_cell,
        joined_on=membership.joined_on,
        official_on=membership.official_on,
        status=membership.status,
        valid_from=on,
        valid_to=membership.valid_to,
    )
    # Close first: only one open membership per person is allowed at any time.
    membership.valid_to = on - ONE_DAY
    _attribute(membership, by, reason)
    membership.save()
    _attribute(new, by, reason)
    new.save()
    return new


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


@transaction.atomic
def create_person(
    *,
    unit: Unit,
    by: Any,
    valid_from: dt.date,
    joined_on: dt.date | None = None,
    status: str = MembershipStatus.OFFICIAL,
    official_on: dt.date | None = None,
    position: str = "",
    **fields: Any,
) -> Person:
    """A new person placed in ``unit``: a party member of it when it is a cell, staff of it
    when it is a state unit."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if not (unit.is_cell or unit.is_state):
        raise DomainError(
            _("People belong to a party cell or a state unit; «%(unit)s» is neither.")
            % {"unit": unit}
        )
    if not unit.is_active_on(valid_from):
        raise DomainError(
            _("«%(unit)s» is not open on %(date)s.") % {"unit": unit, "date": _d(valid_from)},
            field="valid_from",
        )
    person = Person(**fields)
    _attribute(person, by)
    person.save()
    if unit.is_cell:
        if joined_on and joined_on > valid_from:
            raise DomainError(
                _("The date joined the party cannot be after the date joined this cell."),
                field="joined_on",
            )
        if (
            status == MembershipStatus.OFFICIAL
            and official_on
            and joined_on
            and official_on < joined_on
        ):
            raise DomainError(
                _("A member becomes official after joining the party."), field="official_on"
            )
        membership = PartyMembership(
            person=person,
            cell=unit,
            joined_on=joined_on,
            status=status,
            official_on=official_on if status == MembershipStatus.OFFICIAL else None,
            valid_from=valid_from,
        )
        _attribute(membership, by)
        membership.save()
    else:
        employment = Employment(person=person, unit=unit, position=position, valid_from=valid_from)
        _attribute(employment, by)
        employment.save()
    return person


@transaction.atomic
def update_person(*, person: Person, by: Any, reason: str = "", **fields: Any) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    for name, value in fields.items():
        setattr(person, name, value)
    _attribute(person, by, reason)
    person.save()
    return person


@transaction.atomic
def move_person(
    *, person: Person, to_cell: Unit, on: dt.date, by: Any, reason: str = ""
) -> PartyMembership:
    """Move a party member to another cell from ``on``: the open membership ends on the
    day before and a new one starts on ``on``, keeping the party dates and status."""
    if not to_cell.is_cell:
        raise DomainError(
            _("«%(unit)s» is not a party cell; members can only move to a cell.")
            % {"unit": to_cell},
            field="to_cell",
        )
    membership = (
        PartyMembership.objects.select_for_update(of=("self",))
        .select_related("cell", "person")
        .filter(person=person, valid_to__isnull=True)
        .first()
    )
    if membership is None:
        raise DomainError(
            _("%(person)s has no current party membership to move.") % {"person": person}
        )
    if membership.cell_id == to_cell.pk:
        raise DomainError(
            _("%(person)s is already in «%(cell)s».") % {"person": person, "cell": to_cell},
            field="to_cell",
        )
    if not to_cell.is_active_on(on):
        raise DomainError(
            _("«%(unit)s» is not open on %(date)s.") % {"unit": to_cell, "date": _d(on)}, field="on"
        )
    return _move_membership(membership, to_cell, on, by, reason)


@transaction.atomic
def set_official(*, person: Person, on: dt.date, by: Any, reason: str = "") -> PartyMembership:
    """A probationary member becomes an official member on ``on``."""
    membership = (
        PartyMembership.objects.select_for_update(of=("self",))
        .filter(person=person, valid_to__isnull=True)
        .first()
    )
    if membership is None:
        raise DomainError(_("%(person)s has no current party membership.") % {"person": person})
    if membership.status == MembershipStatus.OFFICIAL:
        raise DomainError(
            _("%(person)s is already an official member.") % {"person": person}, field="on"
        )
    if membership.joined_on and on < membership.joined_on:
        raise DomainError(
            _("The date cannot be before the date joined the party (%(date)s).")
            % {"date": _d(membership.joined_on)},
            field="on",
        )
    membership.status = MembershipStatus.OFFICIAL
    membership.official_on = on
    _attribute(membership, by, reason)
    membership.save()
    return membership


@transaction.atomic
def create_login(*, person: Person, username: str, password: str, by: Any) -> Any:
    """A login account for ``person`` with an initial password they change later."""
    person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    if person.user_id is not None:
        raise DomainError(_("%(person)s already has a login.") % {"person": person})
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The username «%(username)s» is taken.") % {"username": username}, field="username"
        )
    user = User(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(
            _("The username «%(username)s» is taken.") % {"username": username}, field="username"
        ) from None
    person.user = user
    _attribute(person, by, _("Login created"))
    person.save()
    return user


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


@transaction.atomic
def grant_role(
    *,
    user: Any,
    role: str,
    unit: Unit | None,
    by: Any,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> RoleAssignment:
    """Give ``user`` a role over ``unit``'s subtree. Managers grant member and secretary
    roles inside their subtree; only an administrator grants committee, oversight or admin."""
    if role not in grantable_roles(get_scope(by), unit):
        raise DomainError(_("You cannot grant this role over this unit."), field="role")
    if role != Role.ADMIN and unit is None:
        raise DomainError(_("Choose the unit the role applies to."), field="unit")
    if role == Role.ADMIN:
        unit = None
    valid_from = valid_from or timezone.localdate()
    if valid_to and valid_to < valid_from:
        raise DomainError(_("The end cannot be before the start."), field="valid_to")
    overlapping = RoleAssignment.objects.filter(user=user, role=role, unit=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise DomainError(_("This user already holds this role over this unit then."), field="role")
    assignment = RoleAssignment(
        user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to
    )
    _attribute(assignment, by)
    assignment.save()
    return assignment


@transaction.atomic
def end_role(
    *, assignment: RoleAssignment, on: dt.date, by: Any, reason: str = ""
) -> RoleAssignment:
    """End a role assignment: ``on`` is its last day."""
    assignment = RoleAssignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    if assignment.role not in grantable_roles(get_scope(by), assignment.unit):
        raise DomainError(_("You cannot end this role."), field="on")
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise DomainError(
            _("This role already ends on %(date)s.") % {"date": _d(assignment.valid_to)}, field="on"
        )
    if on < assignment.valid_from:
        raise DomainError(
            _("The role only starts on %(date)s.") % {"date": _d(assignment.valid_from)}, field="on"
        )
    assignment.valid_to = on
    _attribute(assignment, by, reason)
    assignment.save()
    return assignment
