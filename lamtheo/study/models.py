"""Step 1 of the programme, the study half: study sessions where a cell (or a state unit)
studies the year's theme, who was expected and who came, make-up sessions for those who
missed it, and the written reflections members hand in afterwards.

Vietnamese terms kept where English has none: *học tập, quán triệt chuyên đề* (studying and
taking in the year's theme: what a study session is for), *học bù* (a make-up session),
*bài thu hoạch* (the written reflection on what one learned).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lamtheo.org.models import Person, Unit
from lamtheo.programme.models import Audience, ProgrammeYear


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class StudySession(models.Model):
    """A study session (buổi học tập, quán triệt chuyên đề) of one unit for a programme year.

    The people expected are frozen when the session is created (one ``Attendance`` row each,
    from the unit's members or non-member staff on the session date), so later moves between
    cells do not rewrite who should have come. A make-up session (``makeup_of``) always
    points at the original session, never at another make-up.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="study_sessions", verbose_name=_("unit")
    )
    programme_year = models.ForeignKey(
        ProgrammeYear,
        on_delete=models.PROTECT,
        related_name="study_sessions",
        verbose_name=_("programme year"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="study_sessions",
        verbose_name=_("study plan"),
        help_text=_("The study plan this session carries out (the unit's own or its superior's)."),
    )
    makeup_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="makeups",
        verbose_name=_("make-up of"),
    )
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    topic = models.CharField(_("topic"), max_length=500)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["programme_year", "unit"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(makeup_of=models.F("id")), name="study_makeup_not_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.date:%d/%m/%Y}"

    @property
    def is_makeup(self) -> bool:
        return self.makeup_of_id is not None

    @property
    def is_planned(self) -> bool:
        return self.status == SessionStatus.PLANNED

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", _("Not recorded")
    # Translators: «Có mặt».
    PRESENT = "present", _("Present")
    # Translators: «Vắng có lý do».
    EXCUSED = "excused", _("Absent with reason")
    # Translators: «Vắng không lý do».
    ABSENT = "absent", _("Absent without reason")


#: Statuses that count as missing the session (a make-up is owed).
ABSENT_STATUSES = (AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT)


class Attendance(models.Model):
    """One expected person at one session and, once recorded, whether they came.

    The row exists from the moment the person is expected (``status`` pending); removing a
    person from the expected list deletes the row, and the history keeps it with the reason.
    """

    session = models.ForeignKey(
        StudySession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="study_attendances",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("attendance"),
        max_length=8,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PENDING,
    )
    reason = models.CharField(_("reason for absence"), max_length=255, blank=True)
    added_reason = models.CharField(
        _("why added"),
        max_length=255,
        blank=True,
        help_text=_("Filled when someone was added to the expected list by hand."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
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
        ordering = ["session", "person__sort_key", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        indexes = [models.Index(fields=["person", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_person"),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""),
                name="excused_absence_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"

    @property
    def is_absent(self) -> bool:
        return self.status in ABSENT_STATUSES


class Grade(models.TextChoices):
    """The secretary's assessment of a reflection, on the party's usual four-step scale."""

    # Translators: grade of a reflection (bài thu hoạch): «Tốt».
    EXCELLENT = "excellent", _("Excellent")
    # Translators: grade of a reflection (bài thu hoạch): «Khá».
    GOOD = "good", _("Good")
    # Translators: grade of a reflection (bài thu hoạch): «Đạt».
    PASS = "pass", _("Pass")
    # Translators: grade of a reflection (bài thu hoạch): «Chưa đạt».
    FAIL = "fail", _("Fail")


def reflection_upload_path(instance: Reflection, filename: str) -> str:
    return f"study/reflections/{instance.programme_year.year}/{instance.person_id}/{filename}"


REFLECTION_FILE_EXTENSIONS = ["pdf", "doc", "docx", "odt", "jpg", "jpeg", "png"]
#: Largest reflection file accepted (a scan or photo of a handwritten reflection).
MAX_REFLECTION_FILE_SIZE = 10 * 1024 * 1024


class Reflection(models.Model):
    """Bài thu hoạch: what a person took from studying the year's theme, written after the
    session, and the secretary's assessment of it.

    One per person and programme year, or one per person and session when the unit asks for
    a reflection after each session. ``unit`` is where the person belonged when they wrote
    it: the secretary of that unit assesses it.
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reflections", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reflections", verbose_name=_("unit")
    )
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    programme_year = models.ForeignKey(
        ProgrammeYear,
        on_delete=models.PROTECT,
        related_name="reflections",
        verbose_name=_("programme year"),
    )
    session = models.ForeignKey(
        StudySession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("session"),
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=reflection_upload_path,
        max_length=255,
        blank=True,
        validators=[FileExtensionValidator(REFLECTION_FILE_EXTENSIONS)],
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_("Who typed it: the person, or the secretary on their behalf."),
    )
    grade = models.CharField(_("assessment"), max_length=10, choices=Grade.choices, blank=True)
    comment = models.TextField(_("secretary's comment"), blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-programme_year__year", "unit__path", "person__sort_key", "id"]
        verbose_name = _("reflection (bài thu hoạch)")
        verbose_name_plural = _("reflections (bài thu hoạch)")
        indexes = [models.Index(fields=["unit", "programme_year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme_year"],
                condition=Q(session__isnull=True),
                name="one_year_reflection_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "session"],
                condition=Q(session__isnull=False),
                name="one_session_reflection_per_person",
            ),
            models.CheckConstraint(
                condition=Q(grade="", assessed_at__isnull=True)
                | (~Q(grade="") & Q(assessed_at__isnull=False)),
                name="reflection_grade_with_assessment_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.programme_year.year}"

    @property
    def is_assessed(self) -> bool:
        return bool(self.grade)

    @property
    def file_basename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
