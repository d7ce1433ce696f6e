"""Forms of the plans pages. They parse input only; the rules live in ``services`` (a
``DomainError`` is attached back to the field it names, see ``add_domain_error``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lamtheo.core.errors import DomainError
from lamtheo.org.models import Person, Unit
from lamtheo.org.scope import get_scope
from lamtheo.plans import services
from lamtheo.plans.models import CollectiveModel, ModelTarget, Plan, PlanKind, PlanStatus
from lamtheo.plans.selectors import PUBLISHED, plan_read_q, superior_plan_choices

DATE_INPUT = {"format": "%d/%m/%Y", "attrs": {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}}


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(**DATE_INPUT),
        **kwargs,
    )


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form (its field if the form has it)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
    for detail in error.details:
        form.add_error(field, str(detail))


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return f"{obj.symbol} — {obj.unit} — {obj.issue_date:%d/%m/%Y} — {obj.title[:80]}"


YEAR_MIN, YEAR_MAX = 2016, 2100


def _year_range_message() -> str:
    return gettext("The year must be from %(min)s to %(max)s.") % {
        "min": YEAR_MIN,
        "max": YEAR_MAX,
    }


#: Both bounds get one plain message («Năm phải từ 2016 đến 2100.») instead of Django's
#: «Ensure this value is less than or equal to 2100.»; lazy, so in the request's language.
YEAR_RANGE_MESSAGE = lazy(_year_range_message, str)()


def year_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "min_value": YEAR_RANGE_MESSAGE,
            "max_value": YEAR_RANGE_MESSAGE,
            "invalid": _("Enter the year as a number, e.g. 2026."),
        },
        **kwargs,
    )


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    year = year_field(_("Programme year"))
    title = forms.CharField(label=_("Title (summary)"), max_length=500)
    issue_date = date_field(_("Date"))
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to take the next free number."),
    )
    term_label = forms.CharField(
        label=_("Term (nhiệm kỳ)"),
        max_length=20,
        required=False,
        help_text=_("Party documents are numbered per term, e.g. 2025-2030."),
    )
    based_on = PlanChoiceField(
        label=_("Based on (căn cứ)"),
        queryset=Plan.objects.none(),
        required=False,
        help_text=_("Issued plans of the units above, for the programme year."),
        error_messages={
            "invalid_choice": _(
                "Choose one of the listed plans: an issued plan of a unit above, for the "
                "programme year."
            )
        },
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients (nơi nhận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        unit: Unit,
        user: Any,
        plan: Plan | None = None,
        choices_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        """``user``: the «based on» choices are the plans they may open; ``plan``: the
        draft being edited (it keeps the version it cites, even if corrected since);
        ``choices_url``: a GET of it with ``year`` re-renders the page, and the year field
        swaps in that year's «based on» choices (htmx)."""
        super().__init__(*args, **kwargs)
        self.unit = unit
        # The service re-checks the choice (same year, a unit above); this only keeps the
        # list to what the user can open and use.
        choices = superior_plan_choices(
            unit=unit, year=self._chosen_year(), statuses=PUBLISHED
        ).filter(plan_read_q(get_scope(user)))
        keep = Q(status=PlanStatus.ISSUED)
        if plan is not None and plan.based_on_id:
            keep |= Q(pk=plan.based_on_id)
        self.fields["based_on"].queryset = choices.filter(keep)
        if choices_url:
            self.fields["year"].widget.attrs.update(
                {
                    "hx-get": choices_url,
                    "hx-trigger": "change",
                    "hx-select": "#id_based_on",
                    "hx-target": "#id_based_on",
                    "hx-swap": "outerHTML",
                }
            )
        if unit.is_state:
            self.fields["term_label"].widget = forms.HiddenInput()

    def _chosen_year(self) -> int | None:
        """The submitted year (bound form), else the initial one; None if not a number."""
        if self.is_bound:
            raw = self.data.get(self.add_prefix("year"))
        else:
            raw = self.initial.get("year", self.fields["year"].initial)
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=255, required=False)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


SectionFormSet = formset_factory(SectionForm, extra=2, max_num=60)


def section_initial(plan: Plan | None) -> list[dict[str, str]]:
    if plan is None:
        return [
            {"heading": "I. MỤC ĐÍCH, YÊU CẦU"},
            {"heading": "II. NỘI DUNG"},
            {"heading": "III. TỔ CHỨC THỰC HIỆN"},
        ]
    return [{"heading": s.heading, "text": s.text} for s in plan.sections.all()]


def plan_initial(plan: Plan) -> dict[str, Any]:
    return {
        "kind": plan.kind,
        "year": plan.year,
        "title": plan.title,
        "issue_date": plan.issue_date,
        "number": plan.number,
        "term_label": plan.term_label,
        "based_on": plan.based_on_id,
        "signer_title": plan.signer_title,
        "signer_name": plan.signer_name,
        "recipients": plan.recipients,
    }


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the plan's history and shown with the new version."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        # The phone's file picker offers these types only; the server checks them anyway.
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(sorted(services.ATTACHMENT_EXTENSIONS))}
        ),
        help_text=_("PDF, Word, Excel or an image; at most %(mb)s MB.")
        % {"mb": services.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            services.validate_attachment(file)
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None
        return file


class FollowForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Your unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class ReasonDateForm(forms.Form):
    issue_date = date_field(_("New date"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


# --- collective models ----------------------------------------------------------------


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class CollectiveModelForm(forms.Form):
    name = forms.CharField(label=_("Name of the model"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    plan = PlanChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    people_in_charge = PeopleField(
        label=_("People in charge"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, unit: Unit, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(unit=unit, year=year).exclude(
            status="superseded"
        )
        self.fields["people_in_charge"].queryset = unit_people(unit)


def unit_people(unit: Unit) -> Any:
    """Current members and staff of a unit's subtree (people who can be put in charge)."""
    from django.db.models import Exists, OuterRef

    from lamtheo.org.models import Employment, PartyMembership

    day = timezone.localdate()
    cells = PartyMembership.objects.current(day).filter(
        cell__path__startswith=unit.path, person=OuterRef("pk")
    )
    jobs = Employment.objects.current(day).filter(
        unit__path__startswith=unit.path, person=OuterRef("pk")
    )
    return Person.objects.filter(Exists(cells) | Exists(jobs))


# A number written with dots between groups of three digits («1.500», «12.000,5»); a leading
# group of 0 is never one («0.250» is a decimal point typed on a keypad without a comma).
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$")


class QuantityField(forms.DecimalField):
    """A quantity typed the way the user writes numbers: in Vietnamese «2,5» (decimal comma;
    «2.5» is read as 2.5 too) and «1.500» (dots grouping thousands, as the pages show
    numbers); in English «2.5». The phone shows its decimal keypad. A stored «10.00» is
    shown as «10», «2.50» as «2,5»."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            value = (
                value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
            )
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and get_format("DECIMAL_SEPARATOR") == ",":
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            if _GROUPED.match(value):  # «1.500», «12.000,5»: dots group thousands, as shown
                value = value.replace(".", "")
        number = super().to_python(value)
        if number is not None and number.is_finite() and number != number.to_integral_value():
            number = number.normalize()  # «0.250» is 0.25: trailing zeros are not decimals
        return number


class TargetForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput())
    description = forms.CharField(label=_("Target"), max_length=255, required=False)
    target_value = QuantityField(label=_("Value"), required=False, min_value=0)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)


TargetFormSet = formset_factory(TargetForm, extra=2, max_num=30)


def target_initial(model: CollectiveModel | None) -> list[dict[str, Any]]:
    if model is None:
        return []
    return [
        {
            "id": t.pk,
            "description": t.description,
            "target_value": t.target_value,
            "unit_of_measure": t.unit_of_measure,
        }
        for t in model.targets.all()
    ]


class TargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModelTarget) -> str:
        return (
            f"{obj.description} ({obj.unit_of_measure})" if obj.unit_of_measure else obj.description
        )


class ProgressForm(forms.Form):
    date = date_field(_("Date"))
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    target = TargetChoiceField(
        label=_("Target"), queryset=ModelTarget.objects.none(), required=False
    )
    value = QuantityField(label=_("Value toward the target"), required=False)

    def __init__(self, *args: Any, model: CollectiveModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = list(model.targets.all())
        self.fields["target"].queryset = model.targets.all()
        if len(targets) == 1:
            # Nothing to choose: spare the user the «---------» list.
            self.fields["target"].initial = targets[0].pk
        self.fields["date"].initial = min(timezone.localdate(), dt.date(model.year, 12, 31))


class ResultsForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(services.MID_YEAR, _("Mid-year")), (services.YEAR_END, _("Year end"))],
    )
    text = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, model: CollectiveModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(model.targets.all())
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = QuantityField(
                label=target.description,
                required=False,
                min_value=0,
                help_text=target.unit_of_measure,
            )

    def values(self) -> dict[int, Any]:
        return {t.pk: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}


class CoverageFilterForm(forms.Form):
    year = year_field(_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices, required=False)
