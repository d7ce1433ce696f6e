"""Forms of the organisation pages. They parse and validate input; the services in
``services.py`` apply the rules and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lamtheo.core.errors import DomainError
from lamtheo.org.models import (
    MembershipStatus,
    Person,
    Role,
    Sector,
    SuccessionKind,
    Unit,
    UnitKind,
)
from lamtheo.org.templatetags.lamtheo_ui import period

User = get_user_model()

DATE_FORMAT = "%d/%m/%Y"


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: the native date picker of low-end phones is harder to use
    for dates decades back (a birth date) than typing them."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        attrs.update(kwargs.pop("attrs", {}))
        super().__init__(format=DATE_FORMAT, attrs=attrs, **kwargs)


def date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def unit_label(unit: Unit) -> str:
    """A unit choice labelled with its kind, so that two «Chi bộ ấp 1» of different kinds
    can be told apart, and with its validity period when it has one, so that a unit closed in
    the reorganisation of 01/07/2025 is told apart from today's (the period is not part of
    the name: the name goes into formal document headers)."""
    validity = period(unit)
    if validity:
        return _("%(name)s (%(kind)s) · %(period)s") % {
            "name": unit.name,
            "kind": unit.get_kind_display(),
            "period": validity,
        }
    return f"{unit.name} ({unit.get_kind_display()})"


class DomainErrorFormMixin:
    """``add_domain_error(exc)`` puts a service's ``DomainError`` on the field it names
    (or on the form), so the page re-renders with the user's input and the message."""

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, str(exc.message))  # type: ignore[attr-defined]


REASON_HELP = _("Shown in the change history.")


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"), required=False, max_length=100, help_text=REASON_HELP
    )


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


class UnitForm(DomainErrorFormMixin, forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = Unit
        fields = [
            "kind",
            "name",
            "short_name",
            "doc_abbreviation",
            "place_name",
            "code",
            "valid_from",
            "valid_to",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args: Any, parent: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent is not None and parent.is_cell:
            self.fields["kind"].choices = [(UnitKind.PARTY_GROUP, UnitKind.PARTY_GROUP.label)]
        if self.instance.pk is None:
            del self.fields["reason"]

    def unit_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CloseUnitForm(DomainErrorFormMixin, forms.Form):
    on = date_field(_("Last day"), help_text=_("The unit is no longer valid after this day."))
    reason = reason_field()


class SuccessionForm(DomainErrorFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=SuccessionKind.choices)
    effective_on = date_field(
        _("Effective on"),
        help_text=_("The first day of the successors; the predecessors end the day before."),
    )
    other_predecessors = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Other units merged with this one"),
        help_text=_("For a merge only."),
    )
    successors = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label=_("Successor unit(s)")
    )
    transfer_people = forms.BooleanField(
        label=_("Move the current members and staff to the successor"),
        required=False,
        help_text=_("For a merge or a rename: one successor."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args: Any, unit: Unit, candidates: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        others = candidates.exclude(pk=unit.pk)
        for name in ("other_predecessors", "successors"):
            self.fields[name].queryset = others
            self.fields[name].label_from_instance = unit_label
            self.fields[name].widget.attrs["size"] = 8


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


class PersonForm(DomainErrorFormMixin, forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "sector",
            "party_position",
            "government_position",
            "mass_org_position",
            "workplace",
            "code",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.all()
        if self.instance.pk is None:
            del self.fields["reason"]

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NewMemberPlacementForm(DomainErrorFormMixin, forms.Form):
    """How a new person joins a cell."""

    valid_from = date_field(_("In this cell from"))
    joined_on = date_field(_("Date joined the party"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=MembershipStatus.choices, initial=MembershipStatus.OFFICIAL
    )
    official_on = date_field(_("Date became official"), required=False)


class NewStaffPlacementForm(DomainErrorFormMixin, forms.Form):
    """How a new person joins a state unit."""

    valid_from = date_field(_("Works here from"))
    position = forms.CharField(label=_("Position"), required=False, max_length=200)


class MovePersonForm(DomainErrorFormMixin, forms.Form):
    to_cell = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("New party cell"))
    on = date_field(_("In the new cell from"))
    reason = reason_field()

    def __init__(self, *args: Any, cells: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_cell"].queryset = cells
        self.fields["to_cell"].label_from_instance = unit_label
        self.fields["on"].initial = timezone.localdate()


class SetOfficialForm(DomainErrorFormMixin, forms.Form):
    on = date_field(_("Date became official"))


class CreateLoginForm(DomainErrorFormMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person, who changes it after the first log-in."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["code", "name", "order"]


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


class GrantRoleForm(DomainErrorFormMixin, forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("User"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Unit"),
        required=False,
        help_text=_(
            "The role covers this unit and everything below it. Empty for an administrator."
        ),
    )
    valid_from = date_field(_("From"))
    valid_to = date_field(_("Until"), required=False)

    def __init__(
        self,
        *args: Any,
        users: QuerySet,
        roles: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = _user_label
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["valid_from"].initial = timezone.localdate()


def _user_label(user: Any) -> str:
    person = getattr(user, "person", None)
    return f"{person.full_name} ({user.username})" if person else user.username


class EndRoleForm(DomainErrorFormMixin, forms.Form):
    on = date_field(_("Last day"))
    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
