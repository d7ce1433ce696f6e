"""Demo plans (step 30 of ``seed_demo``): the cascade of study and implementation plans for
every programme year of the demo (2020 and the current year), deliveries to members and
staff, and a few collective models.

Current year: Tỉnh ủy → each Đảng ủy xã (and the Đảng bộ of the high school) → the cells;
the UBND xã issues a plan for its non-member staff based on the commune's implementation
plan, and the school and health station under it follow the UBND's. 2020: Huyện ủy Thoại Sơn
→ Đảng ủy thị trấn Núi Sập and the cells of today's Thoại Sơn commune (their committee then).

Planted findings, so that ``check_dates`` and the coverage page have something to show:
- one hamlet cell of Thoại Sơn has not issued its current-year plans;
- the health station's cell has a study plan dated before the commune's (imported data,
  written straight to the table as an import would).

Demo accounts: ``bithu``'s cell has issued and deployed its plans (most members have read
them); ``dangvien`` has the cell's implementation plan unread in the inbox.

Rows are built in lists and inserted in bulk, level by level (a plan needs its superior's
id), so the step stays linear in the number of units and people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lamtheo.core.demo import DemoContext, DemoFootprint, demo_reset, demo_step, purge
from lamtheo.org.models import Unit, UnitKind
from lamtheo.plans import dates
from lamtheo.plans.models import (
    CollectiveModel,
    DocumentFormat,
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
from lamtheo.plans.numbering import default_term_label
from lamtheo.plans.selectors import followers_of
from lamtheo.programme.models import Audience

STUDY, IMPL = PlanKind.STUDY, PlanKind.IMPLEMENTATION

TITLES = {
    STUDY: "Kế hoạch học tập, quán triệt chuyên đề năm {year}",
    IMPL: "Kế hoạch thực hiện học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
    "năm {year}",
}
STATE_TITLE = (
    "Kế hoạch thực hiện học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm "
    "{year} đối với cán bộ, công chức, viên chức, người lao động chưa phải là đảng viên"
)


def sections(kind: str, year: int, unit: Unit, based_on: Plan | None) -> list[tuple[str, str]]:
    basis = (
        f"Căn cứ {based_on.get_kind_display().split(' (')[0].lower()} số {based_on.symbol}, "
        f"ngày {based_on.issue_date:%d/%m/%Y} của {based_on.unit.name}; "
        if based_on
        else ""
    )
    own = unit.short_name or unit.name
    if kind == STUDY:
        return [
            (
                "I. MỤC ĐÍCH, YÊU CẦU",
                f"{basis}{own} xây dựng kế hoạch học tập, quán triệt chuyên đề năm {year} nhằm "
                "giúp cán bộ, đảng viên nắm vững nội dung chuyên đề, làm cơ sở đăng ký việc làm "
                "cụ thể gắn với nhiệm vụ được giao.\nViệc học tập phải nghiêm túc, đầy đủ; đảng "
                "viên vắng có lý do được học bù.",
            ),
            (
                "II. NỘI DUNG, HÌNH THỨC",
                "1. Nội dung: chuyên đề năm và các văn bản hướng dẫn của cấp trên.\n2. Hình "
                "thức: học tập tập trung tại sinh hoạt chi bộ; mỗi đảng viên viết bài thu hoạch.",
            ),
            (
                "III. TỔ CHỨC THỰC HIỆN",
                "Bí thư chi bộ chủ trì; đảng viên tham gia đầy đủ; báo cáo kết quả về cấp ủy "
                "cấp trên trước thời hạn quy định.",
            ),
        ]
    return [
        (
            "I. MỤC ĐÍCH, YÊU CẦU",
            f"{basis}{own} xây dựng kế hoạch thực hiện năm {year}, sát với kế hoạch của cấp "
            "trên và phù hợp với thực tế đơn vị.",
        ),
        (
            "II. NỘI DUNG",
            "1. Mỗi cán bộ, đảng viên đăng ký ít nhất một việc làm cụ thể, có chỉ tiêu, gắn với "
            "nhiệm vụ được giao.\n2. Đăng ký mô hình tập thể của đơn vị.\n3. Hằng tháng kiểm "
            "điểm việc làm theo trong sinh hoạt chi bộ; sơ kết 6 tháng, tổng kết cuối năm.",
        ),
        (
            "III. TỔ CHỨC THỰC HIỆN",
            "Triển khai kế hoạch đến toàn thể đảng viên; theo dõi, đôn đốc và báo cáo định kỳ.",
        ),
    ]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.plans: list[Plan] = []
        self.numbers: dict[tuple[int, str], int] = defaultdict(int)
        self.sections: list[PlanSection] = []
        self.items: list[InboxItem] = []
        self.plan_ct = ContentType.objects.get_for_model(Plan)
        self.admin = ctx.accounts["quantri"].user if "quantri" in ctx.accounts else None
        home = ctx.home_commune
        bithu = ctx.accounts.get("bithu")
        self.home_cell = bithu.unit if bithu else home.cell("hamlet").unit
        hamlets = [c.unit for c in home.cells if c.kind == "hamlet"]
        #: The one cell of Thoại Sơn that has not issued its current-year plans yet.
        self.silent_cell = next((u for u in reversed(hamlets) if u.pk != self.home_cell.pk), None)
        #: The cell whose study plan is dated before the commune's (imported data).
        self.early_cell = home.cell("health").unit
        dangvien = ctx.accounts.get("dangvien")
        self.unread_person = dangvien.person.pk if dangvien and dangvien.person else None
        congchuc = ctx.accounts.get("congchuc")
        self.unread_staff = congchuc.person.pk if congchuc and congchuc.person else None
        self.non_members = set(ctx.non_member_ids)

    def day(self, year: int, month: int, day: int) -> dt.date:
        """A date of ``year``, never after today (the current year may have just begun)."""
        return min(dt.date(year, month, day), self.ctx.today)

    def plan(
        self,
        unit: Unit,
        *,
        year: int,
        kind: str,
        day: dt.date,
        based_on: Plan | None = None,
        number: int | None = None,
    ) -> Plan:
        state = unit.is_state
        period = str(day.year) if state else self.term(day)
        key = (unit.pk, period)
        self.numbers[key] = number if number is not None else self.numbers[key] + 1
        title = STATE_TITLE if state else TITLES[kind]
        plan = Plan(
            unit=unit,
            year=year,
            programme_year=self.ctx.years.get(year),
            kind=kind,
            audience=Audience.STATE if state else Audience.PARTY,
            doc_format=DocumentFormat.STATE if state else DocumentFormat.PARTY,
            issuer_abbreviation=unit.doc_abbreviation or "…",
            number=self.numbers[key],
            term_label="" if state else self.term(day),
            numbering_period=period,
            issue_date=day,
            title=title.format(year=year),
            based_on=based_on,
            signer_title=_signer(unit),
            recipients="- Cấp ủy cấp trên (b/c);\n- Đảng viên trong đơn vị;\n- Lưu.",
            status=PlanStatus.ISSUED,
            issued_at=_at(day),
            issued_by=self.admin,
            created_by=self.admin,
        )
        self.plans.append(plan)
        return plan

    @staticmethod
    def term(day: dt.date) -> str:
        # Commune and provincial congresses of 2020 and 2025 were held mid-year: plans of
        # January belong to the term that was ending.
        if day.month <= 6 and day.year % 5 == 0:
            return f"{day.year - 5}-{day.year}"
        return default_term_label(day)

    def flush(self) -> None:
        """Insert the pending plans of one level (their superiors have ids already)."""
        if not self.plans:
            return
        self.ctx.bulk_create(Plan, self.plans)
        for plan in self.plans:
            for order, (heading, text) in enumerate(
                sections(plan.kind, plan.year, plan.unit, plan.based_on), start=1
            ):
                self.sections.append(
                    PlanSection(plan=plan, order=order, heading=heading, text=text)
                )
        self.done = getattr(self, "done", []) + self.plans
        self.plans = []

    # Deliveries ------------------------------------------------------------------------------

    def deliver(self, plan: Plan, people: list[int], *, unread: set[int] = frozenset()) -> None:
        for person_id in people:
            read = person_id not in unread and self.rng.random() < 0.85
            self.items.append(
                InboxItem(
                    kind=InboxKind.READ_PLAN,
                    person_id=person_id,
                    content_type=self.plan_ct,
                    object_id=plan.pk,
                    delivered_at=_at(plan.issue_date, 10),
                    acknowledged_at=_at(
                        min(plan.issue_date + dt.timedelta(days=self.rng.randint(0, 6)),
                            self.ctx.today),
                        20,
                    )
                    if read
                    else None,
                    key=f"plan:{plan.pk}:{InboxKind.READ_PLAN}:person:{person_id}",
                )
            )  # fmt: skip

    def ask_to_follow(self, plan: Plan, units: list[Unit], issued: dict[tuple, Plan]) -> None:
        programme = self.ctx.years.get(plan.year)
        for unit in followers_of(plan, units=units):
            own = issued.get((unit.pk, plan.year, plan.kind))
            self.items.append(
                InboxItem(
                    kind=InboxKind.FOLLOW_PLAN,
                    unit=unit,
                    content_type=self.plan_ct,
                    object_id=plan.pk,
                    due_date=programme.plan_deadline if programme else None,
                    delivered_at=_at(plan.issue_date, 10),
                    completed_at=_at(own.issue_date, 11) if own else None,
                    key=f"plan:{plan.pk}:{InboxKind.FOLLOW_PLAN}:unit:{unit.pk}",
                )
            )


def _signer(unit: Unit) -> str:
    if unit.kind == UnitKind.PEOPLES_COMMITTEE:
        return "CHỦ TỊCH"
    if unit.kind == UnitKind.PUBLIC_SERVICE_UNIT:
        return "THỦ TRƯỞNG ĐƠN VỊ"
    return "BÍ THƯ"


@demo_step(order=30)
def plans(ctx: DemoContext) -> None:
    """The plan cascade of every demo year, deliveries and collective models."""
    b = _Builder(ctx)
    issued: dict[tuple, Plan] = {}
    current = ctx.today.year

    def keep(plan: Plan) -> Plan:
        issued.setdefault((plan.unit_id, plan.year, plan.kind), plan)
        return plan

    # --- Current year ----------------------------------------------------------------------
    if current in ctx.years and ctx.province is not None:
        y = current
        province = {
            STUDY: keep(b.plan(ctx.province, year=y, kind=STUDY, day=b.day(y, 1, 15), number=41)),
            IMPL: keep(b.plan(ctx.province, year=y, kind=IMPL, day=b.day(y, 1, 20), number=42)),
        }
        b.flush()
        communes: dict[int, dict[str, Plan]] = {}
        for commune in ctx.communes:
            communes[commune.committee.pk] = {
                kind: keep(
                    b.plan(
                        commune.committee, year=y, kind=kind,
                        day=b.day(y, 1, 22 if kind == STUDY else 26), based_on=province[kind],
                    )
                )
                for kind in (STUDY, IMPL)
            }  # fmt: skip
        b.flush()
        grassroots: dict[int, dict[str, Plan]] = {}
        for commune in ctx.communes:
            for committee in commune.grassroots_committees:
                grassroots[committee.pk] = {
                    kind: keep(
                        b.plan(
                            committee, year=y, kind=kind, day=b.day(y, 1, 29),
                            based_on=communes[commune.committee.pk][kind],
                        )
                    )
                    for kind in (STUDY, IMPL)
                }  # fmt: skip
            pc = commune.peoples_committee
            keep(
                b.plan(pc, year=y, kind=IMPL, day=b.day(y, 1, 28),
                       based_on=communes[commune.committee.pk][IMPL])
            )  # fmt: skip
        b.flush()
        ubnd_plans = {p.unit_id: p for p in b.done if p.unit.kind == UnitKind.PEOPLES_COMMITTEE}
        for commune in ctx.communes:
            pc_plan = ubnd_plans.get(commune.peoples_committee.pk)
            for state in commune.state_units:
                if state.kind == "peoples_committee" or pc_plan is None:
                    continue
                keep(b.plan(state.unit, year=y, kind=IMPL, day=b.day(y, 2, 3), based_on=pc_plan))
            for cell in commune.cells:
                if cell.unit.pk == getattr(b.silent_cell, "pk", None):
                    continue
                parent_path = cell.unit.path[: -Unit.steplen]
                superior = next(
                    (grassroots[g.pk] for g in commune.grassroots_committees
                     if g.path == parent_path),
                    communes[commune.committee.pk],
                )  # fmt: skip
                for kind in (STUDY, IMPL):
                    day = b.day(y, 2, b.rng.randint(2, 20))
                    if cell.unit.pk == b.early_cell.pk and kind == STUDY:
                        continue  # imported below, dated too early
                    keep(b.plan(cell.unit, year=y, kind=kind, day=day, based_on=superior[kind]))
        b.flush()
        # The imported plan: dated before the commune's, written as an import would.
        home_study = communes[ctx.home_commune.committee.pk][STUDY]
        early = b.plan(
            b.early_cell, year=y, kind=STUDY,
            day=home_study.issue_date - dt.timedelta(days=4), based_on=home_study,
        )  # fmt: skip
        early.created_by = early.issued_by = None
        keep(early)
        b.flush()

    # --- 2020: the district committee and today's Thoại Sơn cells -------------------------
    if 2020 in ctx.years and ctx.district is not None:
        y = 2020
        district = {
            STUDY: keep(b.plan(ctx.district, year=y, kind=STUDY, day=dt.date(y, 1, 10), number=87)),
            IMPL: keep(b.plan(ctx.district, year=y, kind=IMPL, day=dt.date(y, 1, 14), number=88)),
        }
        b.flush()
        town = Unit.objects.filter(
            path__startswith=ctx.district.path, kind=UnitKind.GRASSROOTS_COMMITTEE
        ).first()
        if town is not None:
            for kind in (STUDY, IMPL):
                keep(
                    b.plan(town, year=y, kind=kind, day=dt.date(y, 1, 20), based_on=district[kind])
                )
        for cell in ctx.home_commune.cells:
            for kind in (STUDY, IMPL):
                day = dt.date(y, 2, b.rng.randint(1, 25))
                keep(b.plan(cell.unit, year=y, kind=kind, day=day, based_on=district[kind]))
        b.flush()

    ctx.bulk_create(PlanSection, b.sections)
    everything = getattr(b, "done", [])

    # --- Deliveries --------------------------------------------------------------------------
    for plan in everything:
        if plan.unit.is_cell:
            people = ctx.members_by_cell.get(plan.unit_id, [])
            unread = {b.unread_person} if plan.kind == IMPL and plan.year == current else set()
            b.deliver(plan, people, unread=unread if b.unread_person else set())
        elif plan.audience == Audience.STATE:
            people = [p for p in ctx.staff_by_unit.get(plan.unit_id, []) if p in b.non_members]
            b.deliver(plan, people, unread={b.unread_staff} if b.unread_staff else set())
    regions: dict[int, list[Unit]] = {}
    for plan in everything:
        if plan.unit.is_cell or plan.unit.kind == UnitKind.PUBLIC_SERVICE_UNIT:
            continue
        region = plan.unit
        if region.kind == UnitKind.PEOPLES_COMMITTEE:
            region = Unit.objects.get(path=region.path[: -Unit.steplen])
        if region.pk not in regions:
            regions[region.pk] = list(Unit.objects.within(region))
        b.ask_to_follow(plan, regions[region.pk], issued)
    ctx.bulk_create(InboxItem, b.items)

    # --- Collective models --------------------------------------------------------------------
    _models(ctx, b, issued)

    found = dates.check(root=ctx.province)
    ctx.extra["plans"] = {"plans": len(everything), "violations": len(found)}
    ctx.log(
        f"{len(everything)} plans, {len(b.items)} inbox items, {len(found)} date violation(s) "
        "planted for check_dates"
    )


def _models(ctx: DemoContext, b: _Builder, issued: dict[tuple, Plan]) -> None:
    home = ctx.home_commune
    current = ctx.today.year
    specs: list[tuple[Unit, int, str, str, list[tuple[str, int, str]]]] = []
    for year in sorted(ctx.years):
        specs += [
            (b.home_cell, year, "Tuyến đường hoa kiểu mẫu",
             "Vận động hộ dân trồng hoa, chăm sóc tuyến đường hoa và giữ vệ sinh đường ấp.",
             [("Chiều dài tuyến đường hoa", 2, "km"), ("Hộ dân tham gia", 120, "hộ")]),
            (home.cell("school").unit, year, "Phụ đạo học sinh yếu kém",
             "Mỗi giáo viên là đảng viên nhận phụ đạo học sinh yếu, không để học sinh bỏ học.",
             [("Học sinh được phụ đạo", 40, "em"), ("Tỉ lệ lên lớp", 98, "%")]),
            (home.peoples_committee, year, "Dân hỏi - cán bộ trả lời đúng hẹn",
             "Giải quyết thủ tục hành chính đúng hẹn, không để hồ sơ trễ hạn.",
             [("Hồ sơ giải quyết đúng hạn", 100, "%")]),
        ]  # fmt: skip
    models: list[CollectiveModel] = []
    targets: list[ModelTarget] = []
    for unit, year, name, description, _rows in specs:
        plan = issued.get((unit.pk, year, IMPL))
        model = CollectiveModel(
            unit=unit, year=year, plan=plan, name=name, description=description,
            created_by=b.admin,
            mid_year_result="Đạt khoảng một nửa chỉ tiêu, đúng tiến độ." if year < current else "",
            year_end_result="Hoàn thành chỉ tiêu đăng ký." if year < current else "",
        )  # fmt: skip
        models.append(model)
    ctx.bulk_create(CollectiveModel, models)
    for model, (_unit, year, _name, _desc, rows) in zip(models, specs, strict=True):
        for order, (text, value, measure) in enumerate(rows, start=1):
            past = year < current
            targets.append(
                ModelTarget(
                    model=model, order=order, description=text, target_value=Decimal(value),
                    unit_of_measure=measure,
                    mid_year_value=Decimal(value) / 2 if past else None,
                    year_end_value=Decimal(value) if past else None,
                )
            )  # fmt: skip
    ctx.bulk_create(ModelTarget, targets)
    people_by_unit = {**ctx.staff_by_unit, **ctx.members_by_cell}
    through = CollectiveModel.people_in_charge.through
    through.objects.bulk_create(
        through(collectivemodel_id=m.pk, person_id=pid)
        for m in models
        for pid in people_by_unit.get(m.unit_id, [])[:2]
    )
    progress: list[ModelProgress] = []
    for target in targets:
        model = target.model
        last = min(dt.date(model.year, 12, 31), ctx.today)
        for month in range(2, 13, 3):
            day = dt.date(model.year, month, 10)
            if day > last:
                break
            progress.append(
                ModelProgress(
                    model=model, target=target, date=day, recorded_by=b.admin,
                    note=f"Thực hiện tháng {month}/{model.year}: {target.description.lower()}.",
                    value=(target.target_value or Decimal(0)) / 5,
                )
            )  # fmt: skip
    ctx.bulk_create(ModelProgress, progress)


@demo_reset(order=30)
def remove_plans(footprint: DemoFootprint) -> None:
    plans_qs = Plan.objects.filter(unit__in=footprint.units)
    models = CollectiveModel.objects.filter(unit__in=footprint.units)
    purge(ModelProgress.objects.filter(model__in=models))
    purge(ModelTarget.objects.filter(model__in=models))
    CollectiveModel.people_in_charge.through.objects.filter(collectivemodel__in=models).delete()
    purge(models)
    purge(
        InboxItem.objects.filter(content_type=ContentType.objects.get_for_model(Plan)).filter(
            object_id__in=plans_qs.values("pk")
        )
    )
    purge(InboxItem.objects.filter(unit__in=footprint.units))
    purge(InboxItem.objects.filter(person__in=footprint.people))
    for attachment in PlanAttachment.objects.filter(plan__in=plans_qs):
        attachment.file.delete(save=False)
    purge(PlanAttachment.objects.filter(plan__in=plans_qs))
    purge(PlanSection.objects.filter(plan__in=plans_qs))
    # Plans refer to one another (based on, corrections): unlink before deleting.
    plans_qs.update(based_on=None, supersedes=None)
    purge(plans_qs)
