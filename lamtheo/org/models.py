"""The organisation: units in one tree (party and state side by side), people, their party
membership or state employment over time, and roles scoped to a subtree.

Vietnamese terms kept where English has none: *chi bộ* (party cell, the smallest unit that
meets monthly), *đảng ủy* (party committee), *đảng bộ* (the party organisation a committee
leads), *UBND* (Ủy ban nhân dân, the People's Committee), *tổ đảng* (party group in a cell).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lamtheo.core.text import normalize_vi, vi_sort_key, vi_unit_sort_key
from lamtheo.quality.normalize import fold


class UnitKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune/ward party committee")
    DISTRICT_COMMITTEE = "district_committee", _("District party committee (historical)")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    SUB_COMMITTEE = "sub_committee", _("Subordinate party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    CELL = "cell", _("Party cell")
    PARTY_GROUP = "party_group", _("Party group")
    ADVISORY_BODY = "advisory_body", _("Advisory body")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    AGENCY = "agency", _("State agency")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")


#: Kinds whose members are party members organised in cells.
CELL_KINDS = frozenset({UnitKind.GRASSROOTS_CELL, UnitKind.CELL})
COMMITTEE_KINDS = frozenset(
    {
        UnitKind.PROVINCE_COMMITTEE,
        UnitKind.COMMUNE_COMMITTEE,
        UnitKind.DISTRICT_COMMITTEE,
        UnitKind.GRASSROOTS_COMMITTEE,
        UnitKind.SUB_COMMITTEE,
    }
)
STATE_KINDS = frozenset({UnitKind.PEOPLES_COMMITTEE, UnitKind.AGENCY, UnitKind.PUBLIC_SERVICE_UNIT})


def ancestor_paths(path: str, *, include_self: bool = False) -> list[str]:
    """Tree paths of the ancestors of the node at ``path``, nearest first (and the node's own
    path first with ``include_self``). treebeard paths are fixed-width steps, so no query."""
    step = Unit.steplen
    start = len(path) if include_self else len(path) - step
    return [path[:i] for i in range(start, 0, -step)]


class UnitQuerySet(MP_NodeQuerySet):
    def active_on(self, day: dt.date | None = None) -> UnitQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def within(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it."""
        return self.filter(path__startswith=unit.path)


class UnitManager(MP_NodeManager):
    def get_queryset(self) -> UnitQuerySet:
        # Like treebeard's, ordered by path so that trees print in order.
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def active_on(self, day: dt.date | None = None) -> UnitQuerySet:
        return self.get_queryset().active_on(day)

    def within(self, unit: Unit) -> UnitQuerySet:
        return self.get_queryset().within(unit)


class Unit(MP_Node):
    """A party organisation, advisory body or state unit, placed in one tree.

    State units sit under the party committee that leads them, so a committee's subtree
    covers the People's Committee and the schools of its commune.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    doc_abbreviation = models.CharField(
        _("document abbreviation"),
        max_length=20,
        blank=True,
        help_text=_("Used in document numbers, e.g. CB, ĐU, TU, HU, UBND."),
    )
    place_name = models.CharField(
        _("place name"),
        max_length=120,
        blank=True,
        help_text=_(
            "Used in the place-and-date line, e.g. «Thoại Sơn, ngày 16 tháng 01 năm 2020»."
        ),
    )
    code = models.CharField(_("code"), max_length=64, blank=True, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    sort_key = models.CharField(max_length=600, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "sort_key"])

    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_vi(self.name)
        self.short_name = normalize_vi(self.short_name)
        self.place_name = normalize_vi(self.place_name)
        self.sort_key = vi_unit_sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEE_KINDS

    @property
    def is_state(self) -> bool:
        return self.kind in STATE_KINDS

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename or transfer")


class UnitSuccession(models.Model):
    """A link from a unit that ended to a unit that continues it (01/07/2025 reorganisation:
    districts dissolved, communes merged). Lets yesterday's records roll up to today's tree."""

    predecessor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="successions_out",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions_in", verbose_name=_("successor")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Sector(models.Model):
    """A line of work (y tế, giáo dục, ấp/khóm…); an editable list. ``code`` matches the
    sector vocabulary of the text checker (``lamtheo.quality``)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Person(models.Model):
    """A party member or a member of staff. May have a login (``user``)."""

    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sector")
    )
    party_position = models.CharField(_("party position"), max_length=200, blank=True)
    government_position = models.CharField(_("government position"), max_length=200, blank=True)
    mass_org_position = models.CharField(
        _("mass organisation position"), max_length=200, blank=True
    )
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    code = models.CharField(
        _("code"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Identifier in the member database or the unit's own list, if any."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login account"),
    )
    sort_key = models.CharField(max_length=600, blank=True, editable=False, db_index=True)
    #: The name and code without diacritics, lower case («nguyen van đang» → «nguyen van dang»),
    #: so that a search typed without accents finds the person on any database.
    search_key = models.CharField(max_length=255, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["sort_key", "search_key"])

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Normalise the name and compute the sort and search keys. ``save()`` calls it;
        code that uses ``bulk_create`` must call it on each instance first."""
        self.full_name = normalize_vi(self.full_name)
        self.sort_key = vi_sort_key(self.full_name)
        self.search_key = person_search_key(self.full_name, self.code)


def person_search_key(full_name: str, code: str = "") -> str:
    return fold(" ".join(part for part in (full_name, code) if part))[:255]


class PeriodQuerySet(models.QuerySet):
    def current(self, day: dt.date | None = None) -> PeriodQuerySet:
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class MembershipStatus(models.TextChoices):
    OFFICIAL = "official", _("Official member")
    PROBATIONARY = "probationary", _("Probationary member")


class PartyMembership(models.Model):
    """A person's membership of one cell over a period. Moving to another cell closes this
    row and opens another, so history stays."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    cell = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("party cell")
    )
    joined_on = models.DateField(_("date joined the party"), null=True, blank=True)
    official_on = models.DateField(_("date became official"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.OFFICIAL,
    )
    valid_from = models.DateField(_("in this cell from"))
    valid_to = models.DateField(_("in this cell until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("party membership")
        verbose_name_plural = _("party memberships")
        indexes = [
            models.Index(fields=["cell", "valid_to"]),
            models.Index(fields=["person", "valid_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_period",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="one_open_membership_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.cell}"


class Employment(models.Model):
    """A person's employment in a state unit over a period (staff who are not party members
    follow the programme through it; members may have one too)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="employments", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employments", verbose_name=_("state unit")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["unit", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="employment_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit}"


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary / head of unit")
    COMMITTEE = "committee", _("Committee")
    OVERSIGHT = "oversight", _("Oversight (advisory body)")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(models.Model):
    """A user holds a role over a unit's subtree for a period.

    member: own records only (the unit is where they belong);
    secretary: manages the unit (a cell, a state unit) and what lies below it;
    committee: manages the committee's subtree;
    oversight: reads the whole subtree, writes plans and themes;
    admin: everything (``unit`` may be empty).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    valid_from = models.DateField(_("from"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(unit__isnull=False), name="role_needs_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit or '*'}"
