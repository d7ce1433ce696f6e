"""Programme years: per issuing committee and year, the theme (chuyên đề năm), the display
name, the commitment form templates and the calendar. Since 2022 each province sets its own
theme, so a year belongs to the committee that issues it; a unit follows the nearest
ancestor's programme year (see ``selectors.programme_year_for``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.org.models import Unit


class ProgrammeYear(models.Model):
    issuer = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="programme_years",
        verbose_name=_("issuing committee"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2016), MaxValueValidator(2100)]
    )
    display_name = models.CharField(
        _("programme name"),
        max_length=255,
        default="",
        blank=True,
        help_text=_("Leave empty to use the site-wide name."),
    )
    theme_title = models.CharField(_("theme (chuyên đề) title"), max_length=500)
    theme_text = models.TextField(_("theme text"), blank=True)
    guiding_document = models.CharField(
        _("guiding document"),
        max_length=255,
        blank=True,
        help_text=_("Number and symbol, e.g. «Hướng dẫn số 12-HD/BTGTU»."),
    )
    guiding_document_date = models.DateField(_("guiding document date"), null=True, blank=True)
    study_deadline = models.DateField(_("study deadline"), null=True, blank=True)
    plan_deadline = models.DateField(_("deadline for units' plans"), null=True, blank=True)
    commitment_deadline = models.DateField(_("deadline for commitments"), null=True, blank=True)
    monthly_review_day = models.PositiveSmallIntegerField(
        _("monthly review day"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Day of the month by which the monthly cell meeting reviews the programme."),
    )
    mid_year_date = models.DateField(_("mid-year report date"))
    year_end_date = models.DateField(_("year-end report date"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "issuer__path"]
        verbose_name = _("programme year")
        verbose_name_plural = _("programme years")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year"], name="one_programme_year_per_issuer"
            ),
            models.CheckConstraint(
                condition=Q(year_end_date__gt=models.F("mid_year_date")),
                name="year_end_after_mid_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.theme_title[:60]}"

    @property
    def programme_name(self) -> str:
        return self.display_name or settings.LAMTHEO_PROGRAMME_NAME

    @staticmethod
    def default_mid_year(year: int) -> dt.date:
        return dt.date(year, 6, 30)

    @staticmethod
    def default_year_end(year: int) -> dt.date:
        return dt.date(year, 12, 15)


class Audience(models.TextChoices):
    PARTY = "party", _("Party members")
    STATE = "state", _("Staff who are not party members")


class FormTemplate(models.Model):
    """The commitment form of a year for one audience: the party form (Công văn
    2952-CV/BTCTW, six contents by default) or the province's form for non-members."""

    programme_year = models.ForeignKey(
        ProgrammeYear,
        on_delete=models.CASCADE,
        related_name="forms",
        verbose_name=_("programme year"),
    )
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    header = models.TextField(
        _("header"),
        blank=True,
        help_text=_(
            "Printed at the top right, one line each, e.g. «ĐẢNG CỘNG SẢN VIỆT NAM» or "
            "«CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM» and «Độc lập - Tự do - Hạnh phúc»."
        ),
    )
    title = models.CharField(_("title"), max_length=255)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing sentence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment form")
        verbose_name_plural = _("commitment forms")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "audience"], name="one_form_per_audience"
            )
        ]

    def __str__(self) -> str:
        return self.title


class FormContent(models.Model):
    """One numbered content of a commitment form. ``holds_tasks`` marks the content whose
    lines are concrete tasks checked by ``lamtheo.quality`` (content 3 of the party form)."""

    form = models.ForeignKey(
        FormTemplate, on_delete=models.CASCADE, related_name="contents", verbose_name=_("form")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    prompt = models.TextField(_("prompt"), blank=True)
    holds_tasks = models.BooleanField(_("holds concrete tasks"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "number"]
        verbose_name = _("form content")
        verbose_name_plural = _("form contents")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="unique_content_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
