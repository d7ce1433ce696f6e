"""Every change to plans, inbox items and collective models goes through these functions:
they run in a transaction, re-check the state, record who and why (history), and raise a
``DomainError`` for a broken rule. Pages and the API call the same functions; callers fetch
the objects through the user's scope first (``selectors``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from lamtheo.core.errors import DomainError
from lamtheo.org.models import Employment, PartyMembership, Person, Unit
from lamtheo.plans import dates, numbering
from lamtheo.plans.models import (
    CollectiveModel,
    InboxItem,
    InboxKind,
    ModelProgress,
    ModelTarget,
    Plan,
    PlanAttachment,
    PlanKind,
    PlanSection,
    PlanStatus,
)
from lamtheo.plans.selectors import PUBLISHED, followers_of, superior_plan_choices
from lamtheo.programme.models import Audience
from lamtheo.programme.selectors import programme_year_for

#: Attachments: the signed scan or an annex. Office documents, PDF and images only.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".jpg", ".jpeg", ".png"}
)


#: History reason codes this module stores besides core's («created», «edited»), with the
#: label shown (``lamtheo.core.history``; registered by ``PlansConfig.ready``). Codes are
#: stored data: never rename one. The ones that changed to a code stay for older rows.
HISTORY_REASONS = {
    "issued": gettext_lazy("Issued"),
    "draft deleted": gettext_lazy("Deleted"),
    "delivered": gettext_lazy("Delivered"),
    "superseded": gettext_lazy("Superseded by a correction"),
    "own plan issued": gettext_lazy("Done"),
    "acknowledged": gettext_lazy("Read"),
    "reminded": gettext_lazy("Reminded"),
    "registered": gettext_lazy("Created"),
    "results recorded": gettext_lazy("Results recorded"),
    "mid_year results": gettext_lazy("Results recorded"),
    "year_end results": gettext_lazy("Results recorded"),
    "admin date change": gettext_lazy("Date changed in the administration"),
}


@dataclass(frozen=True)
class SectionData:
    heading: str
    text: str = ""


def _sections(sections: Iterable[Any] | None) -> list[SectionData]:
    result = []
    for s in sections or ():
        if isinstance(s, SectionData):
            item = s
        elif isinstance(s, dict):
            item = SectionData(heading=s.get("heading", ""), text=s.get("text", ""))
        else:
            item = SectionData(*s)
        heading, text = (item.heading or "").strip(), (item.text or "").strip()
        if not heading and not text:
            continue
        if not heading:
            raise DomainError(_("Every section needs a heading."), field="sections")
        result.append(SectionData(heading=heading, text=text))
    return result


def _write_sections(plan: Plan, sections: list[SectionData]) -> None:
    existing = list(plan.sections.order_by("order", "id"))
    for order, data in enumerate(sections, start=1):
        if existing:
            section = existing.pop(0)
            if (section.order, section.heading, section.text) != (order, data.heading, data.text):
                section.order, section.heading, section.text = order, data.heading, data.text
                section.save()
        else:
            PlanSection.objects.create(plan=plan, order=order, heading=data.heading, text=data.text)
    for section in existing:
        section.delete()


def _ensure_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(
            _(
                "This plan has been issued and is locked. To change it, create a "
                "correction version."
            ),
            code="locked",
        )


def _check_based_on(*, unit: Unit, year: int, kind: str, based_on: Plan | None) -> None:
    if based_on is None:
        return
    # A correction keeps citing the version it cited, even if that one was corrected since.
    choices = superior_plan_choices(unit=unit, year=year, statuses=PUBLISHED)
    if not choices.filter(pk=based_on.pk).exists():
        raise DomainError(
            _(
                "A plan can only be based on an issued plan of a unit above this one, "
                "for the same year."
            ),
            field="based_on",
        )
    if based_on.kind != kind:
        raise DomainError(
            _("The plan it is based on is a %(kind)s; choose a plan of the same kind.")
            % {"kind": based_on.get_kind_display()},
            field="based_on",
        )


def _prepare(plan: Plan) -> None:
    """Derived fields and the rules that hold for drafts and issued plans alike."""
    plan.title = (plan.title or "").strip()
    if not plan.title:
        raise DomainError(_("Give the plan a title."), field="title")
    if plan.kind not in PlanKind.values:
        raise DomainError(_("Choose the kind of plan."), field="kind")
    plan.audience = Audience.STATE if plan.unit.is_state else Audience.PARTY
    plan.doc_format = numbering.doc_format_for(plan.unit)
    if not plan.issuer_abbreviation:
        plan.issuer_abbreviation = plan.unit.doc_abbreviation or "…"
    if plan.doc_format == "party" and not plan.term_label:
        plan.term_label = numbering.default_term_label(plan.issue_date)
    plan.numbering_period = numbering.numbering_period(
        doc_format=plan.doc_format, term_label=plan.term_label, issue_date=plan.issue_date
    )
    if plan.programme_year_id is None:
        plan.programme_year = programme_year_for(plan.unit, plan.year)
    _check_based_on(unit=plan.unit, year=plan.year, kind=plan.kind, based_on=plan.based_on)
    if plan.number is None:
        plan.number = numbering.propose_number(
            unit=plan.unit, doc_type=plan.doc_type, period=plan.numbering_period
        )
    numbering.ensure_number_free(plan=plan)
    dates.ensure_plan_dates(plan)


@transaction.atomic
def create_plan(
    *,
    unit: Unit,
    kind: str,
    year: int,
    title: str,
    issue_date: dt.date,
    by: Any,
    number: int | None = None,
    term_label: str = "",
    doc_type: str = "KH",
    based_on: Plan | None = None,
    sections: Sequence[Any] = (),
    signer_title: str = "",
    signer_name: str = "",
    recipients: str = "",
) -> Plan:
    """A new draft plan. The number is proposed when not given; dates and number are
    checked now and again at issue."""
    plan = Plan(
        unit=unit,
        kind=kind,
        year=year,
        title=title,
        issue_date=issue_date,
        number=number,
        term_label=(term_label or "").strip(),
        doc_type=doc_type or "KH",
        based_on=based_on,
        signer_title=signer_title,
        signer_name=signer_name,
        recipients=recipients,
        created_by=by,
    )
    _prepare(plan)
    plan._change_reason = "created"
    plan.save()
    _write_sections(plan, _sections(sections))
    return plan


EDITABLE_FIELDS = (
    "kind",
    "year",
    "title",
    "issue_date",
    "number",
    "term_label",
    "doc_type",
    "based_on",
    "signer_title",
    "signer_name",
    "recipients",
)


@transaction.atomic
def update_plan(
    *, plan: Plan, by: Any, sections: Sequence[Any] | None = None, **changes: Any
) -> Plan:
    """Change a draft (issued plans are locked). ``changes`` are fields of
    ``EDITABLE_FIELDS``; ``sections`` (if given) replaces the body."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
    _ensure_draft(plan)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(unknown)})
    for name, value in changes.items():
        setattr(plan, name, value)
    if "year" in changes:
        plan.programme_year = None
    if "number" in changes and changes["number"] in ("", None):
        plan.number = None
    _prepare(plan)
    plan._change_reason = "edited"
    plan.save()
    if sections is not None:
        _write_sections(plan, _sections(sections))
    return plan


@transaction.atomic
def add_section(*, plan: Plan, heading: str, text: str = "", by: Any) -> PlanSection:
    """Append a section to a draft."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _ensure_draft(plan)
    (data,) = _sections([SectionData(heading, text)]) or (None,)
    if data is None:
        raise DomainError(_("Every section needs a heading."), field="heading")
    last = plan.sections.order_by("-order").first()
    return PlanSection.objects.create(
        plan=plan, order=(last.order + 1) if last else 1, heading=data.heading, text=data.text
    )


@transaction.atomic
def update_section(
    *,
    section: PlanSection,
    by: Any,
    heading: str | None = None,
    text: str | None = None,
    order: int | None = None,
) -> PlanSection:
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=section.plan_id)
    _ensure_draft(plan)
    section = PlanSection.objects.get(pk=section.pk)
    if heading is not None:
        if not heading.strip():
            raise DomainError(_("Every section needs a heading."), field="heading")
        section.heading = heading.strip()
    if text is not None:
        section.text = text.strip()
    if order is not None:
        section.order = order
    section.save()
    return section


@transaction.atomic
def delete_section(*, section: PlanSection, by: Any) -> None:
    _ensure_draft(Plan.objects.select_for_update(of=("self",)).get(pk=section.plan_id))
    section.delete()


@transaction.atomic
def delete_draft(*, plan: Plan, by: Any) -> None:
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _ensure_draft(plan)
    plan._change_reason = "draft deleted"
    plan.delete()


def default_date_after(superior: Plan, today: dt.date | None = None) -> dt.date:
    """Today, but never before the superior plan's date."""
    today = today or timezone.localdate()
    return max(today, superior.issue_date)


@transaction.atomic
def start_from_superior(
    *, superior: Plan, unit: Unit, by: Any, today: dt.date | None = None
) -> Plan:
    """A draft for ``unit`` based on ``superior``: its sections copied for editing, the
    unit's own header, the next number, dated today (never before the superior)."""
    if superior.status != PlanStatus.ISSUED:
        raise DomainError(_("Only an issued plan can be followed."), field="based_on")
    plan = create_plan(
        unit=unit,
        kind=superior.kind,
        year=superior.year,
        title=superior.title,
        issue_date=default_date_after(superior, today),
        by=by,
        based_on=superior,
        sections=[SectionData(s.heading, s.text) for s in superior.sections.all()],
    )
    return plan


@transaction.atomic
def issue_plan(*, plan: Plan, by: Any, now: dt.datetime | None = None) -> Plan:
    """Issue a draft: check it again, lock it, supersede the version it corrects and
    deliver it (members' inboxes, subordinate units' inboxes)."""
    now = now or timezone.now()
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("unit", "supersedes")
        .get(pk=plan.pk)
    )
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(_("This plan has already been issued."), code="locked")
    if not plan.sections.exists():
        raise DomainError(
            _("Write at least one section before issuing the plan."), field="sections"
        )
    _prepare(plan)
    old: Plan | None = None
    if plan.supersedes_id:
        old = (
            Plan.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=plan.supersedes_id)
        )
        if old.status != PlanStatus.ISSUED:
            raise DomainError(
                _("The plan this version corrects is no longer the issued version."),
                code="stale",
            )
        dates.ensure_date_change_allowed(plan=plan, new_date=plan.issue_date)
        old.status = PlanStatus.SUPERSEDED
        old.superseded_at = now
        # The reason the person gave for the correction (free text, shown as typed).
        old._change_reason = plan.correction_reason
        old.save()
    plan.status = PlanStatus.ISSUED
    plan.issued_at = now
    plan.issued_by = by
    plan._change_reason = "issued"
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise DomainError(
            _("Another plan was issued with this number meanwhile. Choose another number."),
            field="number",
            code="duplicate_number",
        ) from None
    if old is not None:
        _close_items(old, now=now)
    deliver_plan(plan=plan, now=now)
    _complete_follow_items(plan, now=now)
    return plan


@transaction.atomic
def create_correction(*, plan: Plan, by: Any, reason: str) -> Plan:
    """A new draft version of an issued plan (same number, sections copied). Issuing it
    supersedes the issued version."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the plan is being corrected."), field="correction_reason")
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
    if plan.status != PlanStatus.ISSUED:
        raise DomainError(_("Only the issued version of a plan can be corrected."))
    if plan.corrections.filter(status=PlanStatus.DRAFT).exists():
        raise DomainError(_("A correction of this plan is already being drafted."))
    copy = Plan(
        unit=plan.unit,
        year=plan.year,
        programme_year=plan.programme_year,
        kind=plan.kind,
        audience=plan.audience,
        doc_format=plan.doc_format,
        doc_type=plan.doc_type,
        issuer_abbreviation=plan.issuer_abbreviation,
        number=plan.number,
        term_label=plan.term_label,
        issue_date=plan.issue_date,
        title=plan.title,
        based_on=plan.based_on,
        signer_title=plan.signer_title,
        signer_name=plan.signer_name,
        recipients=plan.recipients,
        version=plan.version + 1,
        supersedes=plan,
        correction_reason=reason,
        created_by=by,
    )
    copy.numbering_period = plan.numbering_period
    copy._change_reason = reason
    copy.save()
    # With their history rows (``bulk_create`` alone would write none): who, and why.
    bulk_create_with_history(
        [
            PlanSection(plan=copy, order=s.order, heading=s.heading, text=s.text)
            for s in plan.sections.all()
        ],
        PlanSection,
        default_user=by,
        default_change_reason=reason,
    )
    return copy


@transaction.atomic
def change_issue_date(*, plan: Plan, new_date: dt.date, by: Any, reason: str) -> Plan:
    """Administrative fix of an issued plan's date (imported data): rules (a), (b), (c)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the date is being changed."), field="reason")
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
    probe = Plan.objects.get(pk=plan.pk)
    probe.issue_date = new_date
    dates.ensure_plan_dates(probe)
    if plan.status == PlanStatus.ISSUED:
        dates.ensure_date_change_allowed(plan=plan, new_date=new_date)
    plan.issue_date = new_date
    plan._change_reason = reason
    plan.save()
    return plan


# --- attachments ----------------------------------------------------------------------


def validate_attachment(file: UploadedFile) -> None:
    ext = os.path.splitext(file.name or "")[1].lower()
    if ext not in ATTACHMENT_EXTENSIONS:
        raise DomainError(
            _("Files of this type cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))},
            field="file",
        )
    if file.size and file.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("The file is too large (at most %(mb)s MB).")
            % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )


@transaction.atomic
def add_attachment(*, plan: Plan, file: UploadedFile, by: Any) -> PlanAttachment:
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _ensure_draft(plan)
    validate_attachment(file)
    name = os.path.basename(file.name or "file")
    return PlanAttachment.objects.create(
        plan=plan, file=file, name=name, size=file.size or 0, uploaded_by=by
    )


@transaction.atomic
def remove_attachment(*, attachment: PlanAttachment, by: Any) -> None:
    _ensure_draft(Plan.objects.select_for_update(of=("self",)).get(pk=attachment.plan_id))
    attachment.file.delete(save=False)
    attachment.delete()


# --- delivery -------------------------------------------------------------------------


def _key(plan: Plan, kind: str, target: Person | Unit) -> str:
    return f"plan:{plan.pk}:{kind}:{type(target).__name__.lower()}:{target.pk}"


def recipients_of(plan: Plan, *, day: dt.date | None = None) -> list[Person]:
    """Who reads a plan: a cell's current members (party plans), a state unit's current
    staff who are not party members (plans for non-member staff)."""
    if plan.audience == Audience.STATE:
        # Staff who are party members read their cell's plan; this one is for the others.
        members = PartyMembership.objects.current(day).values("person")
        qs = Employment.objects.current(day).filter(unit=plan.unit).exclude(person__in=members)
    elif plan.unit.is_cell:
        qs = PartyMembership.objects.current(day).filter(cell=plan.unit)
    else:
        return []
    seen: dict[int, Person] = {}
    for row in qs.select_related("person"):
        seen.setdefault(row.person_id, row.person)
    return sorted(seen.values(), key=lambda p: p.sort_key)


@transaction.atomic
def deliver_plan(*, plan: Plan, now: dt.datetime | None = None) -> int:
    """Put an issued plan in the inboxes of its readers and of the units that must follow
    it. Idempotent: delivering twice adds nobody twice. Returns how many items were new."""
    now = now or timezone.now()
    if plan.status != PlanStatus.ISSUED:
        raise DomainError(_("Only an issued plan can be deployed."))
    ct = ContentType.objects.get_for_model(Plan)
    programme = plan.programme_year
    due = None
    if programme is not None:
        due = programme.plan_deadline or (
            programme.study_deadline if plan.kind == PlanKind.STUDY else None
        )
    wanted: list[InboxItem] = []
    for person in recipients_of(plan, day=timezone.localdate()):
        wanted.append(
            InboxItem(
                kind=InboxKind.READ_PLAN,
                person=person,
                content_type=ct,
                object_id=plan.pk,
                delivered_at=now,
                key=_key(plan, InboxKind.READ_PLAN, person),
            )
        )
    for unit in followers_of(plan):
        wanted.append(
            InboxItem(
                kind=InboxKind.FOLLOW_PLAN,
                unit=unit,
                content_type=ct,
                object_id=plan.pk,
                due_date=due,
                delivered_at=now,
                key=_key(plan, InboxKind.FOLLOW_PLAN, unit),
            )
        )
    existing = set(
        InboxItem.objects.filter(key__in=[i.key for i in wanted]).values_list("key", flat=True)
    )
    new = [i for i in wanted if i.key not in existing]
    if new:
        bulk_create_with_history(new, InboxItem, default_change_reason="delivered")
    return len(new)


def _close_items(plan: Plan, *, now: dt.datetime) -> None:
    """Items of a superseded version leave the inboxes (the new version is delivered)."""
    ct = ContentType.objects.get_for_model(Plan)
    for item in InboxItem.objects.filter(
        content_type=ct, object_id=plan.pk, completed_at__isnull=True, acknowledged_at__isnull=True
    ):
        item.completed_at = now
        item._change_reason = "superseded"
        item.save(update_fields=["completed_at"])


def _complete_follow_items(plan: Plan, *, now: dt.datetime) -> None:
    """The unit issued its own plan: the superior plans' «issue your plan» items are done."""
    ct = ContentType.objects.get_for_model(Plan)
    superiors = Plan.objects.filter(year=plan.year, kind=plan.kind).values("pk")
    for item in InboxItem.objects.filter(
        kind=InboxKind.FOLLOW_PLAN,
        unit=plan.unit,
        content_type=ct,
        object_id__in=superiors,
        completed_at__isnull=True,
    ):
        item.completed_at = now
        item._change_reason = "own plan issued"
        item.save(update_fields=["completed_at"])


@transaction.atomic
def acknowledge(*, item: InboxItem, by: Any, now: dt.datetime | None = None) -> InboxItem:
    """Mark an item read. Acknowledging twice changes nothing (the first time stands)."""
    item = InboxItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.acknowledged_at is not None:
        return item
    item.acknowledged_at = now or timezone.now()
    item.acknowledged_by = by
    item._change_reason = "acknowledged"
    item.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return item


@transaction.atomic
def remind(*, plan: Plan, by: Any, now: dt.datetime | None = None) -> int:
    """Remind everyone who has not yet acknowledged the plan (and units that have not yet
    followed it). Returns how many were reminded."""
    now = now or timezone.now()
    ct = ContentType.objects.get_for_model(Plan)
    items = list(
        InboxItem.objects.select_for_update(of=("self",)).filter(
            content_type=ct, object_id=plan.pk, completed_at__isnull=True
        )
    )
    waiting = [
        i
        for i in items
        if (i.kind == InboxKind.READ_PLAN and i.acknowledged_at is None)
        or i.kind != InboxKind.READ_PLAN
    ]
    for item in waiting:
        item.reminded_at = now
        item.reminder_count += 1
        item._change_reason = "reminded"
        item.save(update_fields=["reminded_at", "reminder_count"])
    return len(waiting)


# --- collective models ----------------------------------------------------------------


@dataclass(frozen=True)
class TargetData:
    description: str
    target_value: Decimal | None = None
    unit_of_measure: str = ""
    id: int | None = None


def _targets(targets: Iterable[Any] | None) -> list[TargetData]:
    result = []
    for t in targets or ():
        if isinstance(t, dict):
            t = TargetData(
                description=t.get("description", ""),
                target_value=t.get("target_value"),
                unit_of_measure=t.get("unit_of_measure", ""),
                id=t.get("id"),
            )
        if not (t.description or "").strip():
            if t.target_value is None and not t.unit_of_measure:
                continue
            raise DomainError(_("Every target needs a description."), field="targets")
        if t.target_value is not None and t.target_value < 0:
            raise DomainError(_("A target value cannot be negative."), field="targets")
        result.append(t)
    return result


def _check_model_fields(
    *, unit: Unit, year: int, name: str, plan: Plan | None, people: Iterable[Person]
) -> None:
    if not (name or "").strip():
        raise DomainError(_("Give the model a name."), field="name")
    if plan is not None and (plan.unit_id != unit.pk or plan.year != year):
        raise DomainError(
            _("The plan must be one of this unit's plans for the same year."), field="plan"
        )
    people = list(people)
    if people:
        ids = {p.pk for p in people}
        day = timezone.localdate()
        members = set(
            PartyMembership.objects.current(day)
            .filter(cell__path__startswith=unit.path, person__in=ids)
            .values_list("person_id", flat=True)
        )
        members |= set(
            Employment.objects.current(day)
            .filter(unit__path__startswith=unit.path, person__in=ids)
            .values_list("person_id", flat=True)
        )
        if ids - members:
            raise DomainError(
                _("People in charge must be members or staff of the unit."),
                field="people_in_charge",
            )


def _write_targets(model: CollectiveModel, targets: list[TargetData]) -> None:
    existing = {t.pk: t for t in model.targets.all()}
    kept: set[int] = set()
    for order, data in enumerate(targets, start=1):
        target = existing.get(data.id) if data.id else None
        if target is None:
            target = ModelTarget(model=model)
        target.order = order
        target.description = data.description.strip()
        target.target_value = data.target_value
        target.unit_of_measure = (data.unit_of_measure or "").strip()
        target.save()
        kept.add(target.pk)
    for pk, target in existing.items():
        if pk not in kept:
            target.delete()


@transaction.atomic
def register_model(
    *,
    unit: Unit,
    year: int,
    name: str,
    by: Any,
    description: str = "",
    plan: Plan | None = None,
    people: Iterable[Person] = (),
    targets: Iterable[Any] = (),
) -> CollectiveModel:
    """Register a collective model (mô hình) of a unit for the year."""
    people = list(people)
    _check_model_fields(unit=unit, year=year, name=name, plan=plan, people=people)
    model = CollectiveModel(
        unit=unit,
        year=year,
        name=name.strip(),
        description=description.strip(),
        plan=plan,
        created_by=by,
    )
    model._change_reason = "registered"
    model.save()
    model.people_in_charge.set(people)
    _write_targets(model, _targets(targets))
    return model


@transaction.atomic
def update_model(
    *,
    model: CollectiveModel,
    by: Any,
    name: str,
    description: str = "",
    plan: Plan | None = None,
    people: Iterable[Person] = (),
    targets: Iterable[Any] | None = None,
) -> CollectiveModel:
    model = (
        CollectiveModel.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=model.pk)
    )
    people = list(people)
    _check_model_fields(unit=model.unit, year=model.year, name=name, plan=plan, people=people)
    model.name, model.description, model.plan = name.strip(), description.strip(), plan
    model._change_reason = "edited"
    model.save()
    model.people_in_charge.set(people)
    if targets is not None:
        _write_targets(model, _targets(targets))
    return model


@transaction.atomic
def add_progress(
    *,
    model: CollectiveModel,
    date: dt.date,
    note: str,
    by: Any,
    value: Decimal | None = None,
    target: ModelTarget | None = None,
) -> ModelProgress:
    """Record progress on a model, optionally a value toward one of its targets."""
    if not (note or "").strip():
        raise DomainError(_("Say what was done."), field="note")
    if value is not None and value < 0:
        # Progress adds up toward a target: a negative entry would silently lower the total.
        raise DomainError(
            _("A progress value cannot be negative: enter what was achieved (0 or more)."),
            field="value",
        )
    if target is not None and target.model_id != model.pk:
        raise DomainError(_("Choose one of this model's targets."), field="target")
    if value is not None and target is None:
        raise DomainError(_("Choose the target this value counts toward."), field="target")
    if date > timezone.localdate():
        raise DomainError(_("Progress cannot be recorded for a future date."), field="date")
    if date.year != model.year:
        raise DomainError(
            _("The date must fall in %(year)s, the model's year.") % {"year": model.year},
            field="date",
        )
    return ModelProgress.objects.create(
        model=model, target=target, date=date, note=note.strip(), value=value, recorded_by=by
    )


MID_YEAR = "mid_year"
YEAR_END = "year_end"


@transaction.atomic
def record_results(
    *,
    model: CollectiveModel,
    period: str,
    text: str,
    values: dict[int, Decimal | None],
    by: Any,
) -> CollectiveModel:
    """State the model's results at mid-year or year end: text and achieved values."""
    if period not in (MID_YEAR, YEAR_END):
        raise DomainError(_("Choose mid-year or year end."), field="period")
    model = CollectiveModel.objects.select_for_update(of=("self",)).get(pk=model.pk)
    setattr(model, f"{period}_result", (text or "").strip())
    model._change_reason = "results recorded"  # which period: the field that changed
    model.save()
    for target in model.targets.all():
        if target.pk in values:
            value = values[target.pk]
            if value is not None and value < 0:
                raise DomainError(_("An achieved value cannot be negative."), field="values")
            setattr(target, f"{period}_value", value)
            target.save()
    return model
