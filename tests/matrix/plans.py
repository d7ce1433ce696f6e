"""Permission matrix of the plans pages (see ``tests/matrix/__init__.py``).

Cell A's issued plan is read by its members, its secretary, the commune's oversight and the
admin; drafts only by those who write plans there (secretary, oversight, admin). Collective
models are managed by the secretary and the admin. Anything else answers 404.
"""

from __future__ import annotations

import datetime as dt
import weakref
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.storage import default_storage
from django.urls import reverse

from lamtheo.plans import services
from lamtheo.plans.models import PlanKind
from lamtheo.plans.selectors import items_of
from tests.matrix import ALL, Case

D = dt.date
SECTIONS = [("I. MỤC ĐÍCH, YÊU CẦU", "Nắm vững chuyên đề."), ("II. NỘI DUNG", "Học tập.")]

READS_A = frozenset({"member", "secretary", "oversight", "admin"})
WRITES_A = frozenset({"secretary", "oversight", "admin"})
MANAGES_A = frozenset({"secretary", "admin"})
WRITERS = frozenset({"secretary", "other_secretary", "oversight", "admin"})
MANAGERS = frozenset({"secretary", "other_secretary", "admin"})
READS_COMMUNE_PLAN = frozenset({"member", "secretary", "other_secretary", "oversight", "admin"})
OVERSEES = frozenset({"oversight", "admin"})
ACTS_ON_MEMBER_ITEM = frozenset({"member", "secretary", "admin"})


def _plan(unit, day, **kw):
    kw.setdefault("title", "Kế hoạch học tập chuyên đề năm 2026")
    kw.setdefault("kind", PlanKind.STUDY)
    return services.create_plan(
        unit=unit, year=2026, issue_date=day, by=None, sections=SECTIONS, **kw
    )


def plan_world(w) -> SimpleNamespace:
    """Plans, items, a model and an attachment, built once per test world."""
    cached = getattr(w, "_plans", None)
    if cached is not None:
        return cached
    commune_plan = services.issue_plan(plan=_plan(w.commune, D(2026, 1, 10)), by=None)
    cell_plan = services.issue_plan(
        plan=_plan(w.cell_a, D(2026, 1, 15), based_on=commune_plan), by=None
    )
    cell_b_plan = services.issue_plan(plan=_plan(w.cell_b, D(2026, 1, 16)), by=None)
    ubnd_plan = services.issue_plan(
        plan=_plan(w.ubnd, D(2026, 1, 12), kind=PlanKind.IMPLEMENTATION), by=None
    )
    draft_a = _plan(w.cell_a, D(2026, 1, 20), kind=PlanKind.IMPLEMENTATION)
    attachment = services.add_attachment(plan=draft_a, file=_upload("phu-luc.pdf"), by=None)
    # The file lives in MEDIA_ROOT: remove it with the world, whatever the test did.
    weakref.finalize(w, default_storage.delete, attachment.file.name)
    model = services.register_model(
        unit=w.cell_a,
        year=2026,
        name="Tuyến đường hoa ấp Đông Bình",
        by=None,
        plan=cell_plan,
        targets=[{"description": "Trồng hoa", "target_value": Decimal(2), "unit_of_measure": "km"}],
    )
    progress = services.add_progress(model=model, date=D(2026, 1, 20), note="Khảo sát", by=None)
    w._plans = SimpleNamespace(
        commune_plan=commune_plan,
        cell_plan=cell_plan,
        cell_b_plan=cell_b_plan,
        ubnd_plan=ubnd_plan,
        draft_a=draft_a,
        attachment=attachment,
        model=model,
        target=model.targets.get(),
        progress=progress,
        member_item=items_of(cell_plan).get(person=w.people.member),
        section_issued=cell_plan.sections.first(),
        section_draft=draft_a.sections.first(),
    )
    return w._plans


def _upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 demo", content_type="application/pdf")


def p(w):
    return plan_world(w)


def plan_form(w, **extra):
    data = {
        "unit": w.cell_a.pk,
        "kind": "implementation",
        "year": "2026",
        "title": "Kế hoạch thực hiện năm 2026",
        "issue_date": "21/01/2026",
        "number": "",
        "term_label": "2025-2030",
        "s-TOTAL_FORMS": "1",
        "s-INITIAL_FORMS": "0",
        "s-MIN_NUM_FORMS": "0",
        "s-MAX_NUM_FORMS": "60",
        "s-0-heading": "I. MỤC ĐÍCH",
        "s-0-text": "Nội dung",
    }
    data.update(extra)
    return data


def model_form(w):
    return {
        "unit": w.cell_a.pk,
        "name": "Mô hình dân vận khéo",
        "description": "",
        "t-TOTAL_FORMS": "1",
        "t-INITIAL_FORMS": "0",
        "t-MIN_NUM_FORMS": "0",
        "t-MAX_NUM_FORMS": "30",
        "t-0-description": "Vận động hộ dân",
        "t-0-target_value": "50",
        "t-0-unit_of_measure": "hộ",
    }


def _url(name, attr=None):
    if attr is None:
        return lambda w: reverse(name)
    return lambda w: reverse(name, args=[getattr(p(w), attr).pk])


CASES = [
    Case("plans:inbox", _url("plans:inbox"), ALL),
    Case(
        "plans:inbox-acknowledge",
        _url("plans:inbox-acknowledge", "member_item"),
        ACTS_ON_MEMBER_ITEM,
    ),
    Case(
        "plans:inbox-acknowledge",
        _url("plans:inbox-acknowledge", "member_item"),
        ACTS_ON_MEMBER_ITEM,
        method="post",
    ),
    Case("plans:plan-list", _url("plans:plan-list"), ALL),
    Case(
        "plans:plan-list",
        lambda w: reverse("plans:plan-list") + f"?unit={w.cell_a.pk}",
        READS_A,
        label="cell A",
    ),
    Case("plans:plan-create", _url("plans:plan-create"), WRITERS),
    Case(
        "plans:plan-create",
        lambda w: reverse("plans:plan-create") + f"?unit={w.cell_a.pk}",
        WRITES_A,
        label="cell A",
    ),
    Case(
        "plans:plan-create",
        _url("plans:plan-create"),
        WRITES_A,
        method="post",
        data=lambda w: (p(w), plan_form(w))[1],
        ok=frozenset({302}),
    ),
    Case("plans:plan-detail", _url("plans:plan-detail", "cell_plan"), READS_A, label="cell A"),
    Case(
        "plans:plan-detail",
        _url("plans:plan-detail", "commune_plan"),
        READS_COMMUNE_PLAN,
        label="commune, followed by cell A",
    ),
    Case("plans:plan-detail", _url("plans:plan-detail", "draft_a"), WRITES_A, label="draft"),
    Case(
        "plans:plan-detail",
        _url("plans:plan-detail", "ubnd_plan"),
        frozenset({"staff"}) | OVERSEES,
        label="UBND staff plan",
    ),
    Case("plans:plan-edit", _url("plans:plan-edit", "draft_a"), WRITES_A),
    Case(
        "plans:plan-edit",
        _url("plans:plan-edit", "draft_a"),
        WRITES_A,
        method="post",
        data=plan_form,
        ok=frozenset({302}),
    ),
    Case("plans:plan-delete", _url("plans:plan-delete", "draft_a"), WRITES_A),
    Case(
        "plans:plan-delete",
        _url("plans:plan-delete", "draft_a"),
        WRITES_A,
        method="post",
        ok=frozenset({302}),
    ),
    Case("plans:plan-issue", _url("plans:plan-issue", "draft_a"), WRITES_A),
    Case(
        "plans:plan-issue",
        _url("plans:plan-issue", "draft_a"),
        WRITES_A,
        method="post",
        ok=frozenset({302}),
    ),
    Case("plans:plan-correct", _url("plans:plan-correct", "cell_plan"), WRITES_A),
    Case(
        "plans:plan-correct",
        _url("plans:plan-correct", "cell_plan"),
        WRITES_A,
        method="post",
        data=lambda w: {"reason": "Bổ sung nội dung"},
        ok=frozenset({302}),
    ),
    Case("plans:plan-follow", _url("plans:plan-follow", "commune_plan"), WRITERS),
    Case(
        "plans:plan-follow",
        _url("plans:plan-follow", "commune_plan"),
        WRITES_A,
        method="post",
        data=lambda w: {"unit": w.cell_a.pk},
        ok=frozenset({302}),
        # Cell B's secretary may follow it too, but not for cell A: the form says so.
        denied_status={"other_secretary": 200},
    ),
    Case("plans:plan-deployment", _url("plans:plan-deployment", "cell_plan"), WRITES_A),
    Case("plans:plan-remind", _url("plans:plan-remind", "cell_plan"), WRITES_A),
    Case(
        "plans:plan-remind",
        _url("plans:plan-remind", "cell_plan"),
        WRITES_A,
        method="post",
        ok=frozenset({302}),
    ),
    Case("plans:attachment-add", _url("plans:attachment-add", "draft_a"), WRITES_A),
    Case("plans:attachment-download", _url("plans:attachment-download", "attachment"), WRITES_A),
    Case("plans:attachment-delete", _url("plans:attachment-delete", "attachment"), WRITES_A),
    Case(
        "plans:attachment-delete",
        _url("plans:attachment-delete", "attachment"),
        WRITES_A,
        method="post",
        ok=frozenset({302}),
    ),
    Case("plans:model-list", _url("plans:model-list"), ALL),
    Case("plans:model-create", _url("plans:model-create"), MANAGERS),
    Case(
        "plans:model-create",
        lambda w: reverse("plans:model-create") + f"?unit={w.cell_a.pk}",
        MANAGES_A,
        label="cell A",
    ),
    Case(
        "plans:model-create",
        lambda w: reverse("plans:model-create") + "?year=2026",
        MANAGES_A,
        method="post",
        data=model_form,
        ok=frozenset({302}),
    ),
    Case("plans:model-detail", _url("plans:model-detail", "model"), READS_A),
    Case("plans:model-edit", _url("plans:model-edit", "model"), MANAGES_A),
    Case(
        "plans:model-edit",
        _url("plans:model-edit", "model"),
        MANAGES_A,
        method="post",
        data=model_form,
        ok=frozenset({302}),
    ),
    Case("plans:model-progress", _url("plans:model-progress", "model"), MANAGES_A),
    Case(
        "plans:model-progress",
        _url("plans:model-progress", "model"),
        MANAGES_A,
        method="post",
        data=lambda w: {"date": "21/01/2026", "note": "Trồng 200 m hoa"},
        ok=frozenset({302}),
    ),
    Case("plans:model-results", _url("plans:model-results", "model"), MANAGES_A),
    Case(
        "plans:model-results",
        _url("plans:model-results", "model"),
        MANAGES_A,
        method="post",
        data=lambda w: {"period": "mid_year", "text": "Đạt 50% chỉ tiêu"},
        ok=frozenset({302}),
    ),
    Case("plans:coverage", _url("plans:coverage"), ALL),
    Case(
        "plans:coverage",
        lambda w: reverse("plans:coverage") + f"?unit={w.commune.pk}&year=2026",
        OVERSEES,
        label="commune",
    ),
]
