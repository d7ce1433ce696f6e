"""Forms of the programme pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lamtheo.org.forms import DateInput, DomainErrorFormMixin, reason_field, unit_label
from lamtheo.org.models import Unit
from lamtheo.programme.models import FormTemplate, ProgrammeYear
from lamtheo.programme.services import ContentData

YEAR_FIELDS = [
    "year",
    "display_name",
    "theme_title",
    "theme_text",
    "guiding_document",
    "guiding_document_date",
    "study_deadline",
    "plan_deadline",
    "commitment_deadline",
    "monthly_review_day",
    "mid_year_date",
    "year_end_date",
]


class ProgrammeYearForm(DomainErrorFormMixin, forms.ModelForm):
    """Create (with ``issuers``) or edit a programme year. The year and issuer are fixed once
    created; the services check the rules (one year per issuer, calendar order)."""

    issuer = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Issuing committee"))
    reason = reason_field()

    class Meta:
        model = ProgrammeYear
        fields = YEAR_FIELDS
        widgets = {
            "theme_title": forms.Textarea(attrs={"rows": 2}),
            "theme_text": forms.Textarea(attrs={"rows": 5}),
            **{
                name: DateInput()
                for name in (
                    "guiding_document_date",
                    "study_deadline",
                    "plan_deadline",
                    "commitment_deadline",
                    "mid_year_date",
                    "year_end_date",
                )
            },
        }

    def __init__(self, *args: Any, issuers: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["issuer"]
            del self.fields["year"]
        else:
            del self.fields["reason"]
            self.fields["issuer"].queryset = issuers if issuers is not None else Unit.objects.none()
            self.fields["issuer"].label_from_instance = unit_label
            if issuers is not None and len(issuers) == 1:
                self.fields["issuer"].initial = issuers[0].pk
            # Empty: 30/06 and 15/12 of the year.
            self.fields["mid_year_date"].required = False
            self.fields["year_end_date"].required = False
            self.fields["mid_year_date"].help_text = _("Empty: 30/06.")
            self.fields["year_end_date"].help_text = _("Empty: 15/12.")

    def validate_unique(self) -> None:
        # The services refuse a duplicate year and a wrong calendar with clearer messages.
        pass

    def year_fields(self) -> dict[str, Any]:
        names = [n for n in YEAR_FIELDS if n in self.fields and n != "year"]
        return {name: self.cleaned_data[name] for name in names}


class CopyYearForm(DomainErrorFormMixin, forms.Form):
    year = forms.IntegerField(label=_("New year"), min_value=2016, max_value=2100)


class FormTemplateForm(DomainErrorFormMixin, forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = FormTemplate
        fields = ["header", "title", "preamble", "closing"]
        widgets = {
            "header": forms.Textarea(attrs={"rows": 2}),
            "title": forms.TextInput(),
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "closing": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self) -> None:
        # One form per audience is fixed by the service that creates the year; nothing to ask.
        pass


class ContentForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    prompt = forms.CharField(
        label=_("Prompt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Guidance shown to the person filling in this content."),
    )
    holds_tasks = forms.BooleanField(
        label=_("Holds concrete tasks (one per line, checked for generic wording)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("id") and not data.get("title", "").strip() and not data.get("DELETE"):
            self.add_error("title", _("Every content needs a title."))
        return data


class BaseContentFormSet(forms.BaseFormSet):
    def contents(self) -> list[ContentData]:
        """The contents kept, in the order chosen; a new card left without a title is not
        a content (the page always offers one empty card)."""
        return [
            ContentData(
                id=f.cleaned_data.get("id"),
                title=f.cleaned_data["title"],
                prompt=f.cleaned_data.get("prompt", ""),
                holds_tasks=f.cleaned_data.get("holds_tasks", False),
            )
            for f in self.ordered_forms
            if f.cleaned_data.get("id") or f.cleaned_data.get("title", "").strip()
        ]


ContentFormSet = forms.formset_factory(
    ContentForm,
    formset=BaseContentFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=50,
    validate_max=True,
)
