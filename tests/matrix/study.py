"""Permission matrix of the study pages (see ``tests/matrix/__init__.py``).

Sessions of cell A are read by its members, its secretary, the commune's oversight and the
admin; only the secretary and the admin manage them. A visible object that is not the
persona's to change answers 403; anything outside the scope answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from lamtheo.study import services
from lamtheo.study.models import Reflection, StudySession
from lamtheo.study.services import AttendanceEntry
from tests.matrix import ALL, Case

DAY = dt.date(2026, 3, 10)

READS_A = frozenset({"member", "secretary", "oversight", "admin"})
READS_B = frozenset({"other_member", "other_secretary", "oversight", "admin"})
MANAGES_A = frozenset({"secretary", "admin"})
#: Can see cell A's objects but may not change them.
SEES_A_ONLY = {"member": 403, "oversight": 403}
SUPERVISORS = frozenset({"secretary", "other_secretary", "oversight", "admin"})
WITH_PERSON = frozenset(
    {"member", "secretary", "other_member", "other_secretary", "oversight", "staff"}
)


def _cached(w, key: str, make):
    if not hasattr(w, "_study"):
        w._study = {}
    if key not in w._study:
        w._study[key] = make()
    return w._study[key]


def planned(w, cell: str = "a") -> StudySession:
    unit = w.cell_a if cell == "a" else w.cell_b
    return _cached(
        w,
        f"planned-{cell}",
        lambda: services.create_study_session(unit=unit, date=DAY, by=None, place="Hội trường"),
    )


def held(w) -> StudySession:
    """Cell A's session with the colleague absent (a make-up is owed)."""

    def make():
        session = services.create_study_session(unit=w.cell_a, date=DAY, by=None)
        colleague = w.people.colleague.pk
        # Everyone present but the colleague (other apps' cases may add people to cell A).
        services.record_attendance(
            session=session,
            entries=[
                AttendanceEntry(pk, "excused", "ốm")
                if pk == colleague
                else AttendanceEntry(pk, "present")
                for pk in session.attendances.values_list("person_id", flat=True)
            ],
            by=None,
        )
        return session

    return _cached(w, "held", make)


def closed(w) -> StudySession:
    def make():
        session = held(w)
        services.close_session(session=session, by=None)
        return session

    return _cached(w, "closed", make)


def reflection(w) -> Reflection:
    """The member's reflection, with a file attached."""

    def make():
        r = services.submit_reflection(
            person=w.people.member, year=2026, text="Bài thu hoạch.", by=w.user("member")
        )
        name = "study/reflections/matrix/bai-thu-hoach.pdf"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"%PDF-1.4 matrix"))
        Reflection.objects.filter(pk=r.pk).update(file=name)
        r.refresh_from_db()
        return r

    return _cached(w, "reflection", make)


def _session_data(w) -> dict:
    return {"unit": w.cell_a.pk, "date": "10/03/2026", "place": "Nhà văn hóa", "topic": ""}


def _sheet(w) -> dict:
    p = w.people
    return {
        f"status-{p.member.pk}": "present",
        f"status-{p.secretary.pk}": "present",
        f"status-{p.colleague.pk}": "excused",
        f"reason-{p.colleague.pk}": "đi công tác",
    }


def _expected_row(w):
    return planned(w).attendances.get(person=w.people.colleague)


CASES = [
    Case("study:session-list", lambda w: reverse("study:session-list"), ALL),
    Case(
        "study:session-create",
        lambda w: reverse("study:session-create"),
        frozenset({"secretary", "other_secretary", "admin"}),
        denied=403,
    ),
    Case(
        "study:session-create",
        lambda w: reverse("study:session-create"),
        MANAGES_A,
        method="post",
        data=_session_data,
        denied=403,
        # Cell A is not among other_secretary's choices: the form comes back with an error.
        denied_status={"other_secretary": 200},
        label="cell A",
    ),
    Case(
        "study:session-detail",
        lambda w: reverse("study:session-detail", args=[planned(w).pk]),
        READS_A,
        label="cell A",
    ),
    Case(
        "study:session-detail",
        lambda w: reverse("study:session-detail", args=[planned(w, "b").pk]),
        READS_B,
        label="cell B",
    ),
    Case(
        "study:session-edit",
        lambda w: reverse("study:session-edit", args=[planned(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-edit",
        lambda w: reverse("study:session-edit", args=[planned(w).pk]),
        MANAGES_A,
        method="post",
        data=lambda w: {"date": "11/03/2026", "place": "Nhà văn hóa ấp"},
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-attendance",
        lambda w: reverse("study:session-attendance", args=[planned(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-attendance",
        lambda w: reverse("study:session-attendance", args=[planned(w).pk]),
        MANAGES_A,
        method="post",
        data=_sheet,
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-attendance",
        lambda w: reverse("study:session-attendance", args=[planned(w, "b").pk]),
        frozenset({"other_secretary", "admin"}),
        method="post",
        data=lambda w: {f"status-{w.people.other_member.pk}": "present"},
        ok=frozenset({302}),
        denied_status={"other_member": 403, "oversight": 403},
        label="cell B",
    ),
    Case(
        "study:session-expected",
        lambda w: reverse("study:session-expected", args=[planned(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-expected",
        lambda w: reverse("study:session-expected", args=[planned(w).pk]),
        frozenset({"admin"}),
        method="post",
        data=lambda w: {"person": w.people.other_member.pk, "reason": "Học ghép"},
        ok=frozenset({302}),
        # The secretary of cell A does not manage cell B's member: the form says so.
        denied_status={**SEES_A_ONLY, "secretary": 200},
    ),
    Case(
        "study:session-expected-remove",
        lambda w: reverse(
            "study:session-expected-remove", args=[planned(w).pk, _expected_row(w).pk]
        ),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-expected-remove",
        lambda w: reverse(
            "study:session-expected-remove", args=[planned(w).pk, _expected_row(w).pk]
        ),
        MANAGES_A,
        method="post",
        data=lambda w: {"reason": "Đã chuyển sinh hoạt"},
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-close",
        lambda w: reverse("study:session-close", args=[held(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-close",
        lambda w: reverse("study:session-close", args=[held(w).pk]),
        MANAGES_A,
        method="post",
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-reopen",
        lambda w: reverse("study:session-reopen", args=[closed(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-reopen",
        lambda w: reverse("study:session-reopen", args=[closed(w).pk]),
        MANAGES_A,
        method="post",
        data=lambda w: {"reason": "Ghi nhầm"},
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-makeup",
        lambda w: reverse("study:session-makeup", args=[held(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:session-makeup",
        lambda w: reverse("study:session-makeup", args=[held(w).pk]),
        MANAGES_A,
        method="post",
        data=lambda w: {"date": "17/03/2026", "place": "Hội trường"},
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case("study:reflection-list", lambda w: reverse("study:reflection-list"), ALL),
    Case(
        "study:reflection-write",
        lambda w: reverse("study:reflection-write") + "?year=2026",
        WITH_PERSON,
        label="own",
    ),
    Case(
        "study:reflection-write",
        lambda w: reverse("study:reflection-write") + "?year=2026",
        WITH_PERSON,
        method="post",
        data=lambda w: {"text": "Qua học tập chuyên đề, tôi nhận thức rõ hơn…"},
        ok=frozenset({302}),
        label="own",
    ),
    Case(
        "study:reflection-write",
        lambda w: reverse("study:reflection-write") + f"?year=2026&person={w.people.colleague.pk}",
        MANAGES_A,
        label="proxy for a member of cell A",
    ),
    Case(
        "study:reflection-detail",
        lambda w: reverse("study:reflection-detail", args=[reflection(w).pk]),
        READS_A,
    ),
    Case(
        "study:reflection-assess",
        lambda w: reverse("study:reflection-assess", args=[reflection(w).pk]),
        MANAGES_A,
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:reflection-assess",
        lambda w: reverse("study:reflection-assess", args=[reflection(w).pk]),
        MANAGES_A,
        method="post",
        data=lambda w: {"grade": "good", "comment": "Viết nghiêm túc"},
        ok=frozenset({302}),
        denied_status=SEES_A_ONLY,
    ),
    Case(
        "study:reflection-file",
        lambda w: reverse("study:reflection-file", args=[reflection(w).pk]),
        READS_A,
    ),
    Case("study:stats", lambda w: reverse("study:stats"), SUPERVISORS),
    Case(
        "study:stats",
        lambda w: reverse("study:stats") + f"?unit={w.cell_b.pk}",
        frozenset({"other_secretary", "oversight", "admin"}),
        label="cell B",
    ),
]
