"""Forms of the study pages. They only parse input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lamtheo.core.errors import DomainError
from lamtheo.core.text import normalize_vi, normalize_vi_lines
from lamtheo.org.models import Unit
from lamtheo.study.models import REFLECTION_FILE_EXTENSIONS, Grade, StudySession
from lamtheo.study.services import check_reflection_file

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class, so templates can render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class TextField(forms.CharField):
    """Free text in the stored form (NFC, new tone placement: ``lamtheo.core.text``), made
    so before it is validated: ``max_length`` counts the characters that will be stored.
    ``multi_line`` keeps line breaks (notes, reflections); otherwise spaces are collapsed."""

    def __init__(self, *, multi_line: bool = False, **kwargs: Any) -> None:
        self.multi_line = multi_line
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return normalize_vi_lines(value) if self.multi_line else normalize_vi(value)


class DateField(forms.DateField):
    """dd/mm/yyyy, typed or picked (the phone keyboard shows digits and slashes)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y",
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            ),
        )
        super().__init__(**kwargs)


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.symbol_display} ({obj.issue_date:%d/%m/%Y}) — {obj.unit}"


class SessionForm(BootstrapForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    date = DateField(label=_("Date"))
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    place = TextField(label=_("Place"), max_length=255, required=False)
    topic = TextField(
        label=_("Topic"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the year's theme."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan = PlanChoiceField(
        queryset=None,
        label=_("Study plan deployed"),
        required=False,
        empty_label=_("— none —"),
    )
    note = TextField(
        label=_("Note"), multi_line=True, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: Any = None, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            only = list(units[:2])
            if len(only) == 1:
                self.fields["unit"].initial = only[0].pk
        from lamtheo.plans.models import Plan

        self.fields["plan"].queryset = plans if plans is not None else Plan.objects.none()


class MakeupForm(BootstrapForm):
    date = DateField(label=_("Date"))
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    place = TextField(label=_("Place"), max_length=255, required=False)
    note = TextField(
        label=_("Note"), multi_line=True, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(BootstrapForm):
    reason = TextField(label=_("Reason"), max_length=255)


class AddPersonForm(BootstrapForm):
    person = forms.ModelChoiceField(queryset=None, label=_("Person"))
    reason = TextField(label=_("Reason"), max_length=255)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StudySession) -> str:
        return f"{obj.date:%d/%m/%Y} — {obj.topic[:60]}"


class ReflectionForm(BootstrapForm):
    text = TextField(
        label=_("Your reflection"),
        multi_line=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What you learned from the theme and how you will apply it in your work."),
    )
    file = forms.FileField(
        label=_("Or attach a file"),
        required=False,
        help_text=_("PDF, Word or a photo of the handwritten reflection, up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join("." + ext for ext in REFLECTION_FILE_EXTENSIONS)}
        ),
    )
    session = SessionChoiceField(
        queryset=StudySession.objects.none(),
        label=_("About the session"),
        required=False,
        empty_label=_("The year's theme (no particular session)"),
    )

    def __init__(self, *args: Any, sessions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sessions is None:
            del self.fields["session"]
        else:
            self.fields["session"].queryset = sessions

    def clean_file(self) -> Any:
        # A friendly early message; ``services.submit_reflection`` checks again (the API
        # goes straight there).
        upload = self.cleaned_data.get("file")
        try:
            check_reflection_file(upload)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return upload


class AssessForm(BootstrapForm):
    grade = forms.ChoiceField(
        label=_("Assessment"), choices=Grade.choices, widget=forms.RadioSelect
    )
    comment = TextField(
        label=_("Comment"),
        multi_line=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error next to its field (or at the top of the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
