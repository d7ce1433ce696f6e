"""Demo study sessions (step 40 of ``seed_demo``, after the plans at 30).

For 2020 and the current year: nearly every cell held its study session (attendance 85–100%,
a few absent «ốm», «đi công tác», «việc gia đình»), some held a make-up session, and part of
the members wrote a reflection, some of them assessed. State units hold a session for their
staff who are not party members (current year: the UBND did not exist in 2020). In Thoại Sơn,
bithu's cell (Đông Bình) has its current-year session held with a make-up session planned,
and one hamlet cell has no session yet.

Everything is built in lists and inserted with ``ctx.bulk_create``: a handful of queries
whatever the number of members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from lamtheo.core.demo import DemoContext, DemoFootprint, demo_reset, demo_step, purge
from lamtheo.org.models import Employment, PartyMembership, Unit, UnitSuccession
from lamtheo.programme.models import Audience, ProgrammeYear
from lamtheo.study.models import (
    Attendance,
    AttendanceStatus,
    Grade,
    Reflection,
    SessionStatus,
    StudySession,
)

REASONS = ("ốm", "đi công tác", "việc gia đình", "ốm", "đi công tác")
PLACES = {
    "hamlet": "Nhà văn hóa ấp {name}",
    "default": "Hội trường {name}",
}
#: What a person of each kind of cell says they will do after studying the theme.
ACTIONS = {
    "hamlet": "vận động bà con trong ấp trồng và chăm sóc tuyến đường hoa, thu gom rác đúng nơi "
    "quy định, nhắc nhở các hộ treo cờ vào các ngày lễ",
    "school": "đổi mới phương pháp dạy học, phụ đạo học sinh yếu mỗi tuần hai buổi và giúp đỡ "
    "học sinh có hoàn cảnh khó khăn",
    "high_school": "bồi dưỡng học sinh giỏi, kèm cặp học sinh yếu của lớp chủ nhiệm, không để "
    "em nào bỏ học",
    "health": "giữ thái độ ân cần với người bệnh, vận động người dân tham gia bảo hiểm y tế, "
    "diệt lăng quăng ở các ấp",
    "police": "giữ gìn an ninh trật tự, tuần tra an toàn giao thông vào giờ tan trường",
    "military": "làm tốt công tác tuyển quân và huấn luyện dân quân",
    "peoples_committee": "hướng dẫn người dân làm thủ tục hành chính đúng hẹn, không để hồ sơ "
    "trễ hạn",
    "party_office": "bám sát cơ sở, nắm tình hình dư luận trong nhân dân và báo cáo kịp thời",
    "school_staff": "chuẩn bị đồ dùng dạy học chu đáo, giữ trường lớp sạch đẹp",
    "health_staff": "đón tiếp người bệnh niềm nở, hướng dẫn thủ tục khám chữa bệnh rõ ràng",
}
FAIL_COMMENT = "Bài viết còn chung chung, chưa nêu việc làm cụ thể của bản thân. Đề nghị viết lại."
COMMENTS = {
    Grade.EXCELLENT: "Nắm chắc nội dung chuyên đề, liên hệ cụ thể với công việc.",
    Grade.GOOD: "Liên hệ bản thân khá rõ.",
    Grade.PASS: "Đạt yêu cầu, cần nêu thêm việc làm cụ thể.",
}


@dataclass
class _Sheet:
    """One session being built, with its attendance rows (statuses by person id)."""

    session: StudySession
    rows: dict[int, tuple[str, str]] = field(default_factory=dict)
    kind: str = "hamlet"
    makeup_of: _Sheet | None = None


def _at(day: dt.date, hour: int = 17) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _reflection_text(year: int, theme: str, kind: str) -> str:
    action = ACTIONS.get(kind, ACTIONS["party_office"])
    return (
        f"Qua học tập, quán triệt chuyên đề năm {year} «{theme}», bản thân nhận thức sâu sắc hơn "
        "về tư tưởng, đạo đức, phong cách Hồ Chí Minh và trách nhiệm nêu gương của người cán bộ, "
        f"đảng viên.\n\nTrong công việc của mình, tôi sẽ {action}. Hằng tháng tôi tự kiểm điểm "
        "việc làm theo trong sinh hoạt chi bộ."
    )


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        home = ctx.home_commune
        self.bithu = ctx.accounts.get("bithu")
        self.dangvien = ctx.accounts.get("dangvien")
        self.home_cell = self.bithu.unit if self.bithu else home.cell("hamlet").unit
        hamlets = [c.unit for c in home.cells if c.kind == "hamlet"]
        #: A hamlet cell of Thoại Sơn that has not held its current-year session yet.
        self.no_session_cell = next(
            (u for u in reversed(hamlets) if u.pk != self.home_cell.pk), None
        )
        self.user_of = {a.person.pk: a.user for a in ctx.accounts.values() if a.person}
        self.secretary_of = {
            a.unit.pk: a.user for a in ctx.accounts.values() if a.role == "secretary" and a.unit
        }
        cell_ids = [c.unit.pk for c in ctx.cells]
        self.memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for person_id, cell_id, start, end in PartyMembership.objects.filter(
            cell_id__in=cell_ids
        ).values_list("person_id", "cell_id", "valid_from", "valid_to"):
            self.memberships[cell_id].append((person_id, start, end))
        state_ids = [s.unit.pk for s in ctx.state_units]
        non_members = set(ctx.non_member_ids)
        self.staff: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for person_id, unit_id, start, end in Employment.objects.filter(
            unit_id__in=state_ids, person_id__in=non_members
        ).values_list("person_id", "unit_id", "valid_from", "valid_to"):
            self.staff[unit_id].append((person_id, start, end))
        self.plans = self._plans()
        self.sheets: list[_Sheet] = []

    def _plans(self) -> dict[tuple[int, str], Any]:
        """Issued study plans by (year, issuing unit path), if the plans step made any."""
        from lamtheo.plans.models import Plan, PlanKind

        return {
            (p.year, p.unit.path): p
            for p in Plan.objects.issued()
            .filter(kind=PlanKind.STUDY, year__in=list(self.ctx.years))
            .select_related("unit")
        }

    def _plan_for(self, unit: Unit, year: int, superiors: list[str]) -> Any:
        own = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth + 1)]
        for path in sorted({*own, *superiors}, key=len, reverse=True):
            plan = self.plans.get((year, path))
            if plan is not None:
                return plan
        return None

    @staticmethod
    def _current(rows, day: dt.date) -> list[int]:
        return sorted(
            {pk for pk, start, end in rows if start <= day and (end is None or end >= day)}
        )

    def _attendance(self, people: list[int], *, keep: set[int]) -> dict[int, tuple[str, str]]:
        rng = self.rng
        rate = rng.uniform(0.85, 1.0)
        # Small cells: a couple of absences at most, so a cell stays within 85–100% or so.
        allowed = max(1, round(0.15 * len(people)))
        rows = {}
        for pk in people:
            if pk in keep or allowed <= 0 or rng.random() < rate:
                rows[pk] = (AttendanceStatus.PRESENT, "")
            elif rng.random() < 0.75:
                rows[pk] = (AttendanceStatus.EXCUSED, rng.choice(REASONS))
                allowed -= 1
            else:
                rows[pk] = (AttendanceStatus.ABSENT, "")
                allowed -= 1
        return rows

    def build(self) -> None:
        ctx = self.ctx
        successions = defaultdict(list)
        for successor_path, predecessor_path in UnitSuccession.objects.values_list(
            "successor__path", "predecessor__path"
        ):
            successions[successor_path].append(predecessor_path)
        for year, programme_year in sorted(ctx.years.items()):
            if year > ctx.today.year:
                continue
            for cell in ctx.cells:
                unit = cell.unit
                if (
                    year == ctx.today.year
                    and self.no_session_cell
                    and unit.pk == self.no_session_cell.pk
                ):
                    continue
                superiors = [
                    old[: i * Unit.steplen]
                    for old in successions.get(cell.commune.path, [])
                    for i in range(1, len(old) // Unit.steplen + 1)
                ]
                self._session(
                    unit, programme_year, Audience.PARTY, kind=cell.kind,
                    people_rows=self.memberships[unit.pk], superiors=superiors,
                )  # fmt: skip
            for state in ctx.state_units:
                if not state.unit.is_active_on(dt.date(year, 3, 1)):
                    continue
                self._session(
                    state.unit, programme_year, Audience.STATE, kind=f"{state.kind}_staff",
                    people_rows=self.staff[state.unit.pk], superiors=[],
                )  # fmt: skip

    def _session(
        self,
        unit: Unit,
        programme_year: ProgrammeYear,
        audience: str,
        *,
        kind: str,
        people_rows: list,
        superiors: list[str],
    ) -> None:
        ctx, rng = self.ctx, self.rng
        year = programme_year.year
        plan = self._plan_for(unit, year, superiors)
        start = max(
            plan.issue_date if plan else dt.date(year, 1, 1),
            programme_year.guiding_document_date or dt.date(year, 1, 10),
        )
        day = start + dt.timedelta(days=rng.randint(10, 60))
        home = unit.pk == self.home_cell.pk and year == ctx.today.year
        if home:
            # bithu's cell: held a little while ago, so a make-up can be planned.
            day = max(start, min(day, ctx.today - dt.timedelta(days=10)))
        day = min(day, dt.date(year, 12, 20))
        people = self._current(people_rows, day)
        if not people:
            return
        short = unit.short_name or unit.name
        place = PLACES["hamlet" if kind == "hamlet" else "default"].format(
            name=short.replace("Chi bộ ấp ", "").replace("Chi bộ ", "")
        )
        secretary = self.secretary_of.get(unit.pk)
        session = StudySession(
            unit=unit,
            programme_year=programme_year,
            plan=plan,
            audience=audience,
            date=day,
            start_time=dt.time(rng.choice([7, 8, 14, 19]), rng.choice([0, 30])),
            place=place,
            topic=programme_year.theme_title[:500],
            status=SessionStatus.PLANNED,
            created_by=secretary,
        )
        sheet = _Sheet(session=session, kind=kind)
        self.sheets.append(sheet)
        if day > ctx.today:
            sheet.rows = {pk: (AttendanceStatus.PENDING, "") for pk in people}
            return
        # The demo accounts of the cell came (the secretary runs the session).
        keep = {
            a.person.pk
            for a in (self.bithu, self.dangvien)
            if a is not None and a.person is not None
        }
        sheet.rows = self._attendance(people, keep=keep)
        absent = [pk for pk, (st, _) in sheet.rows.items() if st != AttendanceStatus.PRESENT]
        if home and len(absent) < 2:
            # Make sure the demo secretary has someone to make up for.
            for pk in [p for p in people if p not in keep and p not in absent][: 2 - len(absent)]:
                sheet.rows[pk] = (AttendanceStatus.EXCUSED, rng.choice(REASONS))
            absent = [pk for pk, (st, _) in sheet.rows.items() if st != AttendanceStatus.PRESENT]
        session.status = SessionStatus.HELD if home else SessionStatus.CLOSED
        makeup_day = day + dt.timedelta(days=rng.randint(10, 25))
        if home:
            makeup_day = min(max(ctx.today + dt.timedelta(days=7), day), dt.date(year, 12, 31))
            self._makeup(sheet, absent, makeup_day, planned=True)
        elif absent and rng.random() < 0.5 and makeup_day <= min(ctx.today, dt.date(year, 12, 31)):
            self._makeup(sheet, absent, makeup_day, planned=False)
        elif year == ctx.today.year and rng.random() < 0.3:
            session.status = SessionStatus.HELD

    def _makeup(self, original: _Sheet, absent: list[int], day: dt.date, *, planned: bool) -> None:
        s = original.session
        makeup = StudySession(
            unit=s.unit,
            programme_year=s.programme_year,
            plan=s.plan,
            audience=s.audience,
            date=day,
            start_time=dt.time(19, 0),
            place=s.place,
            topic=s.topic,
            status=SessionStatus.PLANNED if planned else SessionStatus.CLOSED,
            created_by=s.created_by,
        )
        sheet = _Sheet(session=makeup, kind=original.kind, makeup_of=original)
        for pk in absent:
            if planned:
                sheet.rows[pk] = (AttendanceStatus.PENDING, "")
            elif self.rng.random() < 0.8:
                sheet.rows[pk] = (AttendanceStatus.PRESENT, "")
            else:
                sheet.rows[pk] = (AttendanceStatus.EXCUSED, self.rng.choice(REASONS))
        self.sheets.append(sheet)

    def save(self) -> None:
        ctx = self.ctx
        originals = [s for s in self.sheets if s.makeup_of is None]
        makeups = [s for s in self.sheets if s.makeup_of is not None]
        for sheet in self.sheets:
            if sheet.session.status == SessionStatus.CLOSED:
                sheet.session.closed_at = _at(sheet.session.date + dt.timedelta(days=1), 9)
                sheet.session.closed_by = sheet.session.created_by
        ctx.bulk_create(StudySession, [s.session for s in originals])
        for sheet in makeups:
            sheet.session.makeup_of = sheet.makeup_of.session
        ctx.bulk_create(StudySession, [s.session for s in makeups])
        rows = []
        for sheet in self.sheets:
            recorded = sheet.session.status != SessionStatus.PLANNED
            for pk, (status, reason) in sheet.rows.items():
                rows.append(
                    Attendance(
                        session=sheet.session,
                        person_id=pk,
                        status=status,
                        reason=reason,
                        recorded_at=_at(sheet.session.date) if recorded else None,
                        recorded_by=sheet.session.created_by if recorded else None,
                    )
                )
        ctx.bulk_create(Attendance, rows)
        reflections = self._reflections(originals, makeups)
        ctx.bulk_create(Reflection, reflections)
        ctx.extra["study"] = {
            "sessions": len(self.sheets),
            "makeups": len(makeups),
            "attendance": len(rows),
            "reflections": len(reflections),
            "no_session_cell": self.no_session_cell,
        }
        ctx.log(
            f"{len(originals)} study sessions, {len(makeups)} make-up sessions, "
            f"{len(rows)} attendance rows, {len(reflections)} reflections"
        )

    def _reflections(self, originals: list[_Sheet], makeups: list[_Sheet]) -> list[Reflection]:
        ctx, rng = self.ctx, self.rng
        now = timezone.now()
        made_up: dict[int, set[int]] = defaultdict(set)
        for sheet in makeups:
            made_up[id(sheet.makeup_of)] |= {
                pk for pk, (st, _) in sheet.rows.items() if st == AttendanceStatus.PRESENT
            }
        dangvien = self.dangvien.person.pk if self.dangvien and self.dangvien.person else None
        out: list[Reflection] = []
        written: set[tuple[int, int]] = set()
        for sheet in originals:
            s = sheet.session
            if s.status == SessionStatus.PLANNED:
                continue
            current = s.programme_year.year == ctx.today.year
            studied = [
                pk for pk, (st, _) in sheet.rows.items()
                if st == AttendanceStatus.PRESENT or pk in made_up[id(sheet)]
            ]  # fmt: skip
            secretary = self.secretary_of.get(s.unit_id)
            for pk in studied:
                if (pk, s.programme_year_id) in written:
                    continue
                is_dangvien = pk == dangvien and current
                if not is_dangvien and rng.random() > (0.55 if current else 0.8):
                    continue
                written.add((pk, s.programme_year_id))
                submitted = min(_at(s.date + dt.timedelta(days=rng.randint(3, 20)), 20), now)
                reflection = Reflection(
                    person_id=pk,
                    unit=s.unit,
                    audience=s.audience,
                    programme_year=s.programme_year,
                    text=_reflection_text(
                        s.programme_year.year, s.programme_year.theme_title, sheet.kind
                    ),
                    submitted_at=submitted,
                    entered_by=self.user_of.get(pk),
                )
                assessed_at = submitted + dt.timedelta(days=rng.randint(2, 10))
                if (
                    not is_dangvien
                    and assessed_at <= now
                    and rng.random() < (0.5 if current else 0.95)
                ):
                    grade = rng.choices(
                        [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL], [20, 45, 30, 5]
                    )[0]
                    reflection.grade = grade
                    reflection.comment = FAIL_COMMENT if grade == Grade.FAIL else COMMENTS[grade]
                    reflection.assessed_at = assessed_at
                    reflection.assessed_by = secretary
                out.append(reflection)
        return out


@demo_step(order=40)
def study(ctx: DemoContext) -> None:
    """Study sessions with attendance, make-up sessions and reflections for the demo years."""
    builder = _Builder(ctx)
    builder.build()
    builder.save()


@demo_reset(order=40)
def remove_study(footprint: DemoFootprint) -> None:
    units = footprint.units
    purge(Reflection.objects.filter(Q(unit__in=units) | Q(person__in=footprint.people)))
    purge(Attendance.objects.filter(session__unit__in=units))
    # Make-up sessions point at their original (PROTECT): they go first.
    purge(StudySession.objects.filter(unit__in=units, makeup_of__isnull=False))
    purge(StudySession.objects.filter(unit__in=units))
