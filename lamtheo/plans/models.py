"""Steps 1 and 2 of the programme: plans that cascade down the hierarchy, their delivery
to members' inboxes, and the collective models (*mô hình*) units register for the year.

Vietnamese terms kept where English has none: *kế hoạch* (plan), *căn cứ* (the superior
plan a plan is based on), *mô hình* (a collective model: a concrete, measurable project a
unit registers for the year), *nhiệm kỳ* (a committee's term, which party numbering runs by).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.org.models import Person, Unit
from lamtheo.programme.models import Audience, ProgrammeYear


class PlanKind(models.TextChoices):
    STUDY = "study", _("Study plan (kế hoạch học tập, quán triệt chuyên đề)")
    IMPLEMENTATION = "implementation", _("Implementation plan (kế hoạch thực hiện)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class DocumentFormat(models.TextChoices):
    """Party documents (QĐ 66-QĐ/TW) number «05-KH/CB»; state documents (NĐ 30/2020/NĐ-CP)
    number «12/KH-UBND»."""

    PARTY = "party", _("Party document")
    STATE = "state", _("State document")


class PlanQuerySet(models.QuerySet):
    def issued(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.ISSUED)

    def current(self) -> PlanQuerySet:
        """Drafts and issued plans: everything but the versions a correction replaced."""
        return self.exclude(status=PlanStatus.SUPERSEDED)


def attachment_path(instance: PlanAttachment, filename: str) -> str:
    return f"plans/{instance.plan_id}/{filename}"


class Plan(models.Model):
    """A plan (kế hoạch) issued by a unit for a programme year.

    Issued plans are locked; a correction is a new row (``supersedes`` → the issued one,
    ``version`` + 1, a mandatory ``correction_reason``) which, once issued, marks the old
    one superseded. Numbering runs per unit, document type and numbering period (the
    committee's term for party documents, the calendar year for state documents).
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("issuing unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2016), MaxValueValidator(2100)]
    )
    programme_year = models.ForeignKey(
        ProgrammeYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("programme year"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, default=Audience.PARTY
    )
    doc_format = models.CharField(
        _("document format"),
        max_length=8,
        choices=DocumentFormat.choices,
        default=DocumentFormat.PARTY,
    )
    doc_type = models.CharField(
        _("document type"),
        max_length=10,
        default="KH",
        help_text=_("Abbreviation of the document type in the symbol, e.g. KH (kế hoạch)."),
    )
    issuer_abbreviation = models.CharField(
        _("issuing body abbreviation"),
        max_length=20,
        help_text=_("E.g. CB, ĐU, UBND: taken from the unit when the plan is created."),
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    term_label = models.CharField(
        _("term (nhiệm kỳ)"),
        max_length=20,
        blank=True,
        help_text=_("E.g. 2025-2030. Party documents are numbered per committee term."),
    )
    numbering_period = models.CharField(
        _("numbering period"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("The term (party documents) or the calendar year (state documents)."),
    )
    issue_date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_plans",
        verbose_name=_("based on (căn cứ)"),
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=120, blank=True, help_text=_("E.g. BÍ THƯ, CHỦ TỊCH.")
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients (nơi nhận)"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    inbox_items = GenericRelation("plans.InboxItem")
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__path", "kind", "-issue_date", "-id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [
            models.Index(fields=["year", "kind", "status"]),
            models.Index(fields=["unit", "year", "kind"]),
        ]
        constraints = [
            # Only one issued document may carry a number in a unit's numbering period;
            # drafts and superseded versions are checked by the service.
            models.UniqueConstraint(
                fields=["unit", "doc_type", "numbering_period", "number"],
                condition=Q(status="issued"),
                name="unique_issued_plan_number",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False),
                name="issued_plan_has_number",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol_display} — {self.title[:60]}"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.status == PlanStatus.ISSUED

    @property
    def is_state_document(self) -> bool:
        return self.doc_format == DocumentFormat.STATE

    @property
    def symbol(self) -> str:
        """«05-KH/CB» (party) or «12/KH-UBND» (state); «…» stands for a missing number."""
        return format_symbol(
            number=self.number,
            doc_type=self.doc_type,
            abbreviation=self.issuer_abbreviation,
            doc_format=self.doc_format,
        )

    @property
    def symbol_display(self) -> str:
        """«Số 05-KH/CB» (party) or «Số: 12/KH-UBND» (state, with the colon)."""
        return ("Số: " if self.is_state_document else "Số ") + self.symbol

    @property
    def symbol_cited(self) -> str:
        """«số 05-KH/CB», «số 12/KH-UBND»: the number cited inside a sentence («Kế hoạch
        số 05-KH/CB ngày…»), lower case and without the heading's colon."""
        return "số " + self.symbol


def format_symbol(*, number: int | None, doc_type: str, abbreviation: str, doc_format: str) -> str:
    if doc_format == DocumentFormat.STATE:
        shown = str(number) if number is not None else "…"
        return f"{shown}/{doc_type}-{abbreviation}"
    shown = f"{number:02d}" if number is not None else "…"
    return f"{shown}-{doc_type}/{abbreviation}"


class PlanSection(models.Model):
    """One ordered section of a plan's body (I. Mục đích, yêu cầu; II. Nội dung…)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")

    def __str__(self) -> str:
        return self.heading


class PlanAttachment(models.Model):
    """A file attached to a plan (the signed scan, an annex)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("plan")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class InboxKind(models.TextChoices):
    READ_PLAN = "read_plan", _("Read the plan")
    FOLLOW_PLAN = "follow_plan", _("Issue your own plan based on this")


class InboxItem(models.Model):
    """Something put before a person (or before the managers of a unit) to read or act on:
    a plan to read, a superior plan to follow with one's own. Generic so that later steps
    (commitments, reports) can deliver their own items the same way.

    ``key`` makes delivery idempotent: delivering the same thing twice finds the first row.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=InboxKind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbox_items",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbox_items",
        verbose_name=_("unit"),
        help_text=_("For items addressed to a unit: its secretaries and committee see them."),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    completed_at = models.DateTimeField(
        _("completed at"),
        null=True,
        blank=True,
        help_text=_("When the asked action was done (e.g. the unit issued its own plan)."),
    )
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0)
    key = models.CharField(_("key"), max_length=120, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["person", "acknowledged_at"]),
            models.Index(fields=["unit", "completed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="inbox_item_one_addressee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.person or self.unit}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class CollectiveModel(models.Model):
    """Mô hình: a collective model a unit registers for the year, with measurable targets,
    people in charge, progress entries and mid-year / year-end results."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="collective_models", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2016), MaxValueValidator(2100)]
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collective_models",
        verbose_name=_("plan"),
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    people_in_charge = models.ManyToManyField(
        Person, blank=True, related_name="collective_models", verbose_name=_("people in charge")
    )
    mid_year_result = models.TextField(_("mid-year result"), blank=True)
    year_end_result = models.TextField(_("year-end result"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    history = HistoricalRecords(m2m_fields=[people_in_charge])

    class Meta:
        ordering = ["-year", "unit__path", "name"]
        verbose_name = _("collective model (mô hình)")
        verbose_name_plural = _("collective models (mô hình)")

    def __str__(self) -> str:
        return self.name


class ModelTarget(models.Model):
    """A measurable target of a collective model (e.g. 2 km of flower road)."""

    model = models.ForeignKey(
        CollectiveModel,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("collective model"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=255)
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    mid_year_value = models.DecimalField(
        _("achieved by mid-year"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    year_end_value = models.DecimalField(
        _("achieved by year end"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["model", "order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.description


class ModelProgress(models.Model):
    """A dated progress entry of a collective model, optionally adding a value to a target."""

    model = models.ForeignKey(
        CollectiveModel,
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("collective model"),
    )
    target = models.ForeignKey(
        ModelTarget,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_entries",
        verbose_name=_("target"),
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    value = models.DecimalField(
        _("value toward the target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["model", "-date", "-id"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.note[:40]}"
