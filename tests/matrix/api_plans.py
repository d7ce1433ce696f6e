"""Permission matrix of the plans API (``lamtheo.plans.api``).

Reads follow the pages (see ``tests/matrix/plans.py``). Writes to an object the persona
cannot write answer 404; a body naming a unit, plan or model outside the persona's scope
answers 400 («object does not exist»).
"""

from __future__ import annotations

from django.urls import reverse

from tests.matrix import ALL, Case
from tests.matrix.plans import (
    ACTS_ON_MEMBER_ITEM,
    MANAGES_A,
    OVERSEES,
    READS_A,
    READS_COMMUNE_PLAN,
    WRITES_A,
    p,
)

API = {"anonymous": "api"}
JSON = {"anonymous": "api", "json": True}
OVERSEES_SOMETHING = frozenset({"secretary", "other_secretary", "oversight", "admin"})
WRITES_COMMUNE = frozenset({"oversight", "admin"})


def _detail(name, attr, action=None):
    route = f"api:{name}-{action}" if action else f"api:{name}-detail"
    return lambda w: reverse(route, args=[getattr(p(w), attr).pk])


def _list(name, query=""):
    return lambda w: reverse(f"api:{name}-list") + query


def _new_plan(w):
    p(w)
    return {
        "unit": w.cell_a.pk,
        "kind": "implementation",
        "year": 2026,
        "title": "Kế hoạch thực hiện năm 2026",
        "issue_date": "2026-01-21",
        "sections": [{"heading": "I. MỤC ĐÍCH", "text": "Nội dung"}],
    }


CASES = [
    # Plans -------------------------------------------------------------------------------
    Case("api:plan-list", _list("plan"), ALL, **API),
    Case(
        "api:plan-list",
        _list("plan"),
        WRITES_A,
        method="post",
        data=_new_plan,
        ok=frozenset({201}),
        denied=400,
        **JSON,
    ),
    Case("api:plan-detail", _detail("plan", "cell_plan"), READS_A, label="cell A", **API),
    Case(
        "api:plan-detail",
        _detail("plan", "commune_plan"),
        READS_COMMUNE_PLAN,
        label="commune",
        **API,
    ),
    Case("api:plan-detail", _detail("plan", "draft_a"), WRITES_A, label="draft", **API),
    Case(
        "api:plan-detail",
        _detail("plan", "draft_a"),
        WRITES_A,
        method="patch",
        data=lambda w: {"title": "Kế hoạch thực hiện (dự thảo 2)"},
        **JSON,
    ),
    Case(
        "api:plan-detail",
        _detail("plan", "draft_a"),
        WRITES_A,
        method="delete",
        ok=frozenset({204}),
        **JSON,
    ),
    Case("api:plan-issue", _detail("plan", "draft_a", "issue"), WRITES_A, method="post", **JSON),
    Case(
        "api:plan-correct",
        _detail("plan", "cell_plan", "correct"),
        WRITES_A,
        method="post",
        data=lambda w: {"reason": "Bổ sung"},
        ok=frozenset({201}),
        **JSON,
    ),
    Case(
        "api:plan-follow",
        _detail("plan", "commune_plan", "follow"),
        WRITES_A,
        method="post",
        data=lambda w: {"unit": w.cell_a.pk},
        ok=frozenset({201}),
        **JSON,
    ),
    Case("api:plan-deployment", _detail("plan", "cell_plan", "deployment"), WRITES_A, **API),
    Case(
        "api:plan-remind", _detail("plan", "cell_plan", "remind"), WRITES_A, method="post", **JSON
    ),
    # Who followed a plan: for its writers only, like the page (plans:plan-deployment).
    Case(
        "api:plan-coverage",
        _detail("plan", "commune_plan", "coverage"),
        WRITES_COMMUNE,
        label="commune",
        **API,
    ),
    Case(
        "api:plan-coverage",
        _detail("plan", "cell_plan", "coverage"),
        WRITES_A,
        label="cell A",
        **API,
    ),
    # Sections ----------------------------------------------------------------------------
    Case("api:plan-section-list", _list("plan-section"), ALL, **API),
    Case(
        "api:plan-section-list",
        _list("plan-section"),
        WRITES_A,
        method="post",
        data=lambda w: {"plan": p(w).draft_a.pk, "heading": "IV. KINH PHÍ"},
        ok=frozenset({201}),
        denied=400,
        **JSON,
    ),
    Case("api:plan-section-detail", _detail("plan-section", "section_issued"), READS_A, **API),
    Case(
        "api:plan-section-detail",
        _detail("plan-section", "section_draft"),
        WRITES_A,
        method="patch",
        data=lambda w: {"text": "Nội dung mới"},
        **JSON,
    ),
    Case(
        "api:plan-section-detail",
        _detail("plan-section", "section_draft"),
        WRITES_A,
        method="delete",
        ok=frozenset({204}),
        **JSON,
    ),
    # Inbox -------------------------------------------------------------------------------
    Case("api:inbox-item-list", _list("inbox-item"), ALL, **API),
    Case(
        "api:inbox-item-detail",
        _detail("inbox-item", "member_item"),
        ACTS_ON_MEMBER_ITEM,
        **API,
    ),
    Case(
        "api:inbox-item-acknowledge",
        _detail("inbox-item", "member_item", "acknowledge"),
        ACTS_ON_MEMBER_ITEM,
        method="post",
        **JSON,
    ),
    # Collective models -------------------------------------------------------------------
    Case("api:collective-model-list", _list("collective-model"), ALL, **API),
    Case(
        "api:collective-model-list",
        _list("collective-model"),
        MANAGES_A,
        method="post",
        data=lambda w: {
            "unit": w.cell_a.pk,
            "year": 2026,
            "name": "Dân vận khéo",
            "targets": [{"description": "Vận động hộ dân", "target_value": "50"}],
        },
        ok=frozenset({201}),
        denied=400,
        **JSON,
    ),
    Case("api:collective-model-detail", _detail("collective-model", "model"), READS_A, **API),
    Case(
        "api:collective-model-detail",
        _detail("collective-model", "model"),
        MANAGES_A,
        method="patch",
        data=lambda w: {"description": "Mô tả mới"},
        **JSON,
    ),
    Case(
        "api:collective-model-results",
        _detail("collective-model", "model", "results"),
        MANAGES_A,
        method="post",
        data=lambda w: {"period": "mid_year", "text": "Đạt 50%"},
        **JSON,
    ),
    Case("api:model-progress-list", _list("model-progress"), ALL, **API),
    Case(
        "api:model-progress-list",
        _list("model-progress"),
        MANAGES_A,
        method="post",
        data=lambda w: {"model": p(w).model.pk, "date": "2026-01-21", "note": "Trồng hoa"},
        ok=frozenset({201}),
        denied=400,
        **JSON,
    ),
    Case("api:model-progress-detail", _detail("model-progress", "progress"), READS_A, **API),
    # Oversight ---------------------------------------------------------------------------
    Case("api:coverage-list", _list("coverage"), OVERSEES_SOMETHING, **API),
    Case(
        "api:coverage-list",
        lambda w: reverse("api:coverage-list") + f"?unit={w.commune.pk}&year=2026",
        OVERSEES,
        label="commune",
        **API,
    ),
    Case("api:date-violation-list", _list("date-violation"), OVERSEES_SOMETHING, **API),
    Case(
        "api:date-violation-list",
        lambda w: reverse("api:date-violation-list") + f"?unit={w.commune.pk}",
        OVERSEES,
        label="commune",
        **API,
    ),
]
