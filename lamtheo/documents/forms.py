from __future__ import annotations

import os
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lamtheo.documents.services import MAX_UPLOAD_BYTES
from lamtheo.org.models import CELL_KINDS, COMMITTEE_KINDS
from lamtheo.org.scope import get_scope, units_for


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Look up cells and units under"),
        queryset=None,
        required=False,
        empty_label=_("All the units I manage"),
        help_text=_("Choose a unit when two of your cells have the same name."),
    )
    existing = forms.ChoiceField(
        label=_("People already recorded"),
        choices=[
            ("report", _("Report them as duplicates (nothing is changed)")),
            ("update", _("Update their records from the sheet")),
        ],
        initial="report",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        # The units one would look under: committees, cells, and the top of each managed
        # subtree (not party groups or state units, which hold no cells).
        self.fields["unit"].queryset = units_for(user, manage=True).filter(
            Q(kind__in=COMMITTEE_KINDS | CELL_KINDS) | Q(path__in=scope.manage_paths)
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension == ".xls":
            raise forms.ValidationError(
                _("This is an old Excel file (.xls): open it in Excel and save it as .xlsx.")
            )
        if extension not in (".xlsx", ".xlsm"):
            raise forms.ValidationError(_("Choose an Excel workbook (.xlsx)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 10 MB)."))
        return upload
