"""Permission matrix of the study API (same scope rules as the pages)."""

from __future__ import annotations

from django.urls import reverse

from tests.matrix import ALL, Case
from tests.matrix.study import (
    MANAGES_A,
    READS_A,
    READS_B,
    SEES_A_ONLY,
    SUPERVISORS,
    WITH_PERSON,
    closed,
    held,
    planned,
    reflection,
)


def _api(route: str, *args) -> str:
    return reverse(f"api:{route}", args=args)


def _entries(w) -> dict:
    p = w.people
    return {
        "entries": [
            {"person": p.member.pk, "status": "present"},
            {"person": p.colleague.pk, "status": "excused", "reason": "ốm"},
        ]
    }


CASES = [
    Case("api:study-session-list", lambda w: _api("study-session-list"), ALL, anonymous="api"),
    Case(
        "api:study-session-list",
        lambda w: _api("study-session-list"),
        MANAGES_A,
        method="post",
        json=True,
        data=lambda w: {"unit": w.cell_a.pk, "date": "2026-03-10", "place": "Hội trường"},
        ok=frozenset({201}),
        denied=403,
        # other_secretary manages a cell, but not cell A: the unit is refused.
        denied_status={"other_secretary": 400},
        anonymous="api",
        label="create in cell A",
    ),
    Case(
        "api:study-session-detail",
        lambda w: _api("study-session-detail", planned(w).pk),
        READS_A,
        anonymous="api",
        label="cell A",
    ),
    Case(
        "api:study-session-detail",
        lambda w: _api("study-session-detail", planned(w, "b").pk),
        READS_B,
        anonymous="api",
        label="cell B",
    ),
    Case(
        "api:study-session-detail",
        lambda w: _api("study-session-detail", planned(w).pk),
        MANAGES_A,
        method="patch",
        json=True,
        data=lambda w: {"place": "Nhà văn hóa ấp"},
        denied_status=SEES_A_ONLY,
        anonymous="api",
        label="cell A",
    ),
    Case(
        "api:study-session-attendance",
        lambda w: _api("study-session-attendance", planned(w).pk),
        READS_A,
        anonymous="api",
    ),
    Case(
        "api:study-session-attendance",
        lambda w: _api("study-session-attendance", planned(w).pk),
        MANAGES_A,
        method="post",
        json=True,
        data=_entries,
        denied_status=SEES_A_ONLY,
        anonymous="api",
    ),
    Case(
        "api:study-session-close",
        lambda w: _api("study-session-close", held(w).pk),
        MANAGES_A,
        method="post",
        json=True,
        denied_status=SEES_A_ONLY,
        anonymous="api",
    ),
    Case(
        "api:study-session-reopen",
        lambda w: _api("study-session-reopen", closed(w).pk),
        MANAGES_A,
        method="post",
        json=True,
        data=lambda w: {"reason": "Ghi nhầm"},
        denied_status=SEES_A_ONLY,
        anonymous="api",
    ),
    Case(
        "api:study-session-makeup",
        lambda w: _api("study-session-makeup", held(w).pk),
        MANAGES_A,
        method="post",
        json=True,
        data=lambda w: {"date": "2026-03-17", "place": "Hội trường"},
        ok=frozenset({201}),
        denied_status=SEES_A_ONLY,
        anonymous="api",
    ),
    Case(
        "api:study-reflection-list", lambda w: _api("study-reflection-list"), ALL, anonymous="api"
    ),
    Case(
        "api:study-reflection-list",
        lambda w: _api("study-reflection-list"),
        WITH_PERSON,
        method="post",
        json=True,
        data=lambda w: {"year": 2026, "text": "Qua học tập chuyên đề…"},
        ok=frozenset({201}),
        # The admin account is not a person: there is nobody to write for.
        denied_status={"admin": 400},
        anonymous="api",
        label="own",
    ),
    Case(
        "api:study-reflection-detail",
        lambda w: _api("study-reflection-detail", reflection(w).pk),
        READS_A,
        anonymous="api",
    ),
    Case(
        "api:study-reflection-detail",
        lambda w: _api("study-reflection-detail", reflection(w).pk),
        frozenset({"member", "secretary", "admin"}),
        method="patch",
        json=True,
        data=lambda w: {"text": "Bản sửa."},
        denied_status={"oversight": 403},
        anonymous="api",
    ),
    Case(
        "api:study-reflection-assess",
        lambda w: _api("study-reflection-assess", reflection(w).pk),
        MANAGES_A,
        method="post",
        json=True,
        data=lambda w: {"grade": "excellent"},
        denied_status=SEES_A_ONLY,
        anonymous="api",
    ),
    Case("api:study-stats-list", lambda w: _api("study-stats-list"), SUPERVISORS, anonymous="api"),
]
