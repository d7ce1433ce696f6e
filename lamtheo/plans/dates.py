"""Date rules (BRIEF §3): a plan is never dated before the plan it is based on, nor before
its superior unit's plan of the same kind and year; and an issued superior plan's date may
not move past the plans already issued below it.

One implementation serves the services (refuse on save/issue), the forms and the API (the
same ``DomainError``), and the ``check_dates`` command and the coverage page (list every
violation in a subtree, for data imported from elsewhere).

The checker is a registry of rule functions: later steps register their own rules (a
person's commitment not dated before the cell's plan…) with ``@register("name")`` in
their app's ``dates.py``, which ``check()`` discovers.

*Superior plan* of a unit's plan: among the issued plans of the same kind and year, the
one of the nearest ancestor unit that has issued such a plan (the earliest one, when that
unit issued several). A plan for non-member staff of a state unit follows the nearest
People's Committee (an ancestor, or the People's Committee sitting beside the unit under
the same committee) or, failing that, the party committee; a party plan follows party plans
only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.org.models import Unit, UnitKind, UnitSuccession, ancestor_paths
from lamtheo.plans.models import Plan, PlanStatus
from lamtheo.programme.models import Audience


def ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Violation:
    """One broken date rule: ``subject`` breaks it because of ``other``."""

    rule: str
    subject: Any
    message: str
    other: Any = None
    unit: Unit | None = None

    def __str__(self) -> str:
        return self.message

    def line(self) -> str:
        label = f"{type(self.subject).__name__.lower()} #{self.subject.pk}"
        return f"[{self.rule}] {label}: {self.message}"


@dataclass
class CheckContext:
    """What a rule is asked to check: a subtree (``root``; None = everything) and a year
    (None = all years). Rules share loaded data through ``cache``."""

    root: Unit | None = None
    year: int | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def plan_index(self) -> PlanIndex:
        if "plans" not in self.cache:
            self.cache["plans"] = PlanIndex.load(root=self.root, year=self.year)
        return self.cache["plans"]


Rule = Callable[[CheckContext], Iterable[Violation]]
RULES: dict[str, Rule] = {}


def register(name: str) -> Callable[[Rule], Rule]:
    """Add a rule to the checker (``check_dates``, the coverage page, the API)."""

    def decorator(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return decorator


def check(*, root: Unit | None = None, year: int | None = None) -> list[Violation]:
    """Every violation of every registered rule in the subtree of ``root``."""
    autodiscover_modules("dates")
    context = CheckContext(root=root, year=year)
    found: list[Violation] = []
    for name in sorted(RULES):
        found += RULES[name](context)
    return found


# --- the plan index -------------------------------------------------------------------


def _region_q(root: Unit) -> Q:
    """Plans that can matter for the subtree of ``root``: the subtree, its ancestors, and
    People's Committees sitting directly under an ancestor (superiors of state plans)."""
    ancestors = ancestor_paths(root.path)
    q = Q(unit__path__startswith=root.path)
    if ancestors:
        q |= Q(unit__path__in=ancestors)
        q |= reduce(
            or_,
            (
                Q(
                    unit__path__startswith=a,
                    unit__depth=len(a) // Unit.steplen + 1,
                    unit__kind=UnitKind.PEOPLES_COMMITTEE,
                )
                for a in ancestors
            ),
        )
    return q


class PlanIndex:
    """Issued plans of a region, indexed to find superior plans in Python (no query per
    unit). ``effective`` maps a superseded plan to the issued version that replaced it."""

    def __init__(
        self,
        plans: Iterable[Plan],
        corrections: dict[int, Plan],
        predecessors: dict[str, list[str]] | None = None,
    ) -> None:
        self.plans = list(plans)
        self.effective_map = corrections
        #: Successor's path → predecessors' paths (the 01/07/2025 merges): a commune
        #: committee's cells followed the district's plans before it existed.
        self.predecessors = predecessors or {}
        self.by_path: dict[str, list[Plan]] = defaultdict(list)
        self.pc_children: dict[str, set[str]] = defaultdict(set)
        for plan in self.plans:
            self.add(plan)

    def add(self, plan: Plan) -> None:
        self.by_path[plan.unit.path].append(plan)
        if plan.unit.kind == UnitKind.PEOPLES_COMMITTEE:
            self.pc_children[plan.unit.path[: -Unit.steplen]].add(plan.unit.path)

    def remove(self, plan_ids: set[int]) -> None:
        for path, plans in self.by_path.items():
            self.by_path[path] = [p for p in plans if p.pk not in plan_ids]

    @classmethod
    def load(
        cls,
        *,
        root: Unit | None,
        year: int | None,
        kind: str | None = None,
        extra_q: Q | None = None,
    ) -> PlanIndex:
        qs = Plan.objects.filter(status=PlanStatus.ISSUED).select_related(
            "unit", "based_on", "based_on__unit"
        )
        if year is not None:
            qs = qs.filter(year=year)
        if kind is not None:
            qs = qs.filter(kind=kind)
        successions = UnitSuccession.objects.select_related("predecessor", "successor")
        if root is not None:
            successions = successions.filter(
                Q(successor__path__startswith=root.path)
                | Q(successor__path__in=ancestor_paths(root.path))
            )
        predecessors: dict[str, list[str]] = defaultdict(list)
        predecessor_ids = []
        for link in successions:
            predecessors[link.successor.path].append(link.predecessor.path)
            predecessor_ids.append(link.predecessor_id)
        if root is not None:
            qs = qs.filter(
                _region_q(root) | Q(unit__in=predecessor_ids) | (extra_q or Q(pk__in=[]))
            )
        plans = list(qs.order_by("issue_date", "id"))
        return cls(
            plans, load_corrections(p.based_on for p in plans if p.based_on), dict(predecessors)
        )

    def effective(self, plan: Plan) -> Plan:
        """The issued version that stands for ``plan`` (itself unless corrected)."""
        seen = 0
        while plan.pk in self.effective_map and seen < 20:
            plan = self.effective_map[plan.pk]
            seen += 1
        return plan

    def superior_levels(
        self, *, unit: Unit, kind: str, year: int, audience: str, exclude: set[int] = frozenset()
    ) -> Iterator[list[Plan]]:
        """The plans of ``kind`` and ``year`` that could be ``unit``'s superior plan, level by
        level, nearest first (empty levels skipped): for each ancestor, for a state plan the
        People's Committees directly under it, then the ancestor itself with the units it
        succeeded (a merger year holds both the district's and the commune's plans)."""

        def fits(p: Plan) -> bool:
            if p.kind != kind or p.year != year or p.pk in exclude:
                return False
            return audience == Audience.STATE or p.audience == Audience.PARTY

        for ancestor in ancestor_paths(unit.path):
            found: list[Plan] = []
            if audience == Audience.STATE:
                for pc_path in sorted(self.pc_children.get(ancestor, ())):
                    if pc_path != unit.path and not unit.path.startswith(pc_path):
                        found += [p for p in self.by_path.get(pc_path, ()) if fits(p)]
                if found:
                    yield found
            found = [p for p in self.by_path.get(ancestor, ()) if fits(p)]
            for earlier in self.predecessors.get(ancestor, ()):
                found += [p for p in self.by_path.get(earlier, ()) if fits(p)]
            if found:
                yield found

    def superior_plans(
        self,
        *,
        unit: Unit,
        kind: str,
        year: int,
        audience: str,
        exclude: set[int] = frozenset(),
        accept: Callable[[Plan], bool] | None = None,
    ) -> list[Plan]:
        """Every plan of the nearest level that has one (``superior_levels``), earliest
        first. ``accept`` filters the plans *before* the level is chosen (e.g. those the
        user may open): a level left empty by it does not hide the next one."""
        for level in self.superior_levels(
            unit=unit, kind=kind, year=year, audience=audience, exclude=exclude
        ):
            if accept is not None:
                level = [p for p in level if accept(p)]
            if level:
                return sorted(level, key=lambda p: (p.issue_date, p.pk or 0))
        return []

    def superior_of(
        self, *, unit: Unit, kind: str, year: int, audience: str, exclude: set[int] = frozenset()
    ) -> Plan | None:
        """The superior plan (the date rules): the earliest plan of the nearest level."""
        found = self.superior_plans(
            unit=unit, kind=kind, year=year, audience=audience, exclude=exclude
        )
        return found[0] if found else None


def load_corrections(plans: Iterable[Plan]) -> dict[int, Plan]:
    """Map each superseded plan among ``plans`` to the version that replaced it (a query
    per generation of corrections, not per plan)."""
    mapping: dict[int, Plan] = {}
    pending = {p.pk for p in plans if p.status == PlanStatus.SUPERSEDED}
    for _generation in range(20):
        if not pending:
            break
        found = Plan.objects.filter(
            supersedes__in=pending, status__in=[PlanStatus.ISSUED, PlanStatus.SUPERSEDED]
        ).select_related("unit")
        pending = set()
        for correction in found:
            mapping[correction.supersedes_id] = correction
            if correction.status == PlanStatus.SUPERSEDED:
                pending.add(correction.pk)
    return mapping


# --- messages -------------------------------------------------------------------------


def _before_based_on(plan: Plan, other: Plan, day: dt.date) -> Violation:
    return Violation(
        rule="plan-after-based-on",
        subject=plan,
        other=other,
        unit=plan.unit,
        message=_(
            "The plan %(symbol)s of %(unit)s is dated %(date)s, before the plan it is based "
            "on, %(other)s of %(other_unit)s, dated %(other_date)s."
        )
        % {
            "symbol": plan.symbol,
            "unit": plan.unit,
            "date": ddmmyyyy(day),
            "other": other.symbol,
            "other_unit": other.unit,
            "other_date": ddmmyyyy(other.issue_date),
        },
    )


def _before_superior(plan: Plan, other: Plan, day: dt.date) -> Violation:
    return Violation(
        rule="plan-after-superior",
        subject=plan,
        other=other,
        unit=plan.unit,
        message=_(
            "The plan %(symbol)s of %(unit)s is dated %(date)s, before the superior unit's "
            "plan %(other)s of %(other_unit)s, dated %(other_date)s."
        )
        % {
            "symbol": plan.symbol,
            "unit": plan.unit,
            "date": ddmmyyyy(day),
            "other": other.symbol,
            "other_unit": other.unit,
            "other_date": ddmmyyyy(other.issue_date),
        },
    )


def _violations_of(plan: Plan, index: PlanIndex, exclude: set[int]) -> Iterator[Violation]:
    day = plan.issue_date
    based_on = index.effective(plan.based_on) if plan.based_on_id else None
    if based_on is not None and day < based_on.issue_date:
        yield _before_based_on(plan, based_on, day)
    superior = index.superior_of(
        unit=plan.unit, kind=plan.kind, year=plan.year, audience=plan.audience, exclude=exclude
    )
    if superior is not None and day < superior.issue_date and superior != based_on:
        yield _before_superior(plan, superior, day)


@register("plans")
def plan_rules(context: CheckContext) -> list[Violation]:
    """Rules (a) and (b) over every issued plan of the subtree."""
    index = context.plan_index()
    root_path = context.root.path if context.root else ""
    found: list[Violation] = []
    for plan in index.plans:
        if plan.unit.path.startswith(root_path):
            found += _violations_of(plan, index, exclude=set())
    return found


# --- checks used by the services ------------------------------------------------------


def violations_for(plan: Plan) -> list[Violation]:
    """Rules (a) and (b) for one plan as it stands (typically a draft about to be saved or
    issued): its region's issued plans in two or three queries."""
    index = PlanIndex.load(root=plan.unit, year=plan.year, kind=plan.kind)
    chain = {pk for pk in (plan.pk, plan.supersedes_id) if pk}
    return list(_violations_of(plan, index, exclude=chain))


def ensure_plan_dates(plan: Plan) -> None:
    """Raise the first violation of rules (a) or (b) as a ``DomainError`` on ``issue_date``."""
    found = violations_for(plan)
    if found:
        raise DomainError(found[0].message, field="issue_date", code="date_rule")


def plans_invalidated_by(*, plan: Plan, new_date: dt.date) -> list[Plan]:
    """Issued plans below (or based on) ``plan`` that would break rule (a) or (b) if
    ``plan`` — or the correction replacing it — were dated ``new_date``."""
    old_ids = {pk for pk in (plan.pk, plan.supersedes_id) if pk}
    # Older versions of the chain: plans based on them follow the new date too.
    older = plan.supersedes
    while older is not None and older.supersedes_id and older.supersedes_id not in old_ids:
        old_ids.add(older.supersedes_id)
        older = older.supersedes
    region = plan.unit
    if plan.unit.kind == UnitKind.PEOPLES_COMMITTEE and plan.unit.depth > 1:
        # A People's Committee is followed by the state units beside it too.
        region = Unit.objects.get(path=plan.unit.path[: -Unit.steplen])
    index = PlanIndex.load(
        root=region, year=plan.year, kind=plan.kind, extra_q=Q(based_on__in=old_ids)
    )
    index.remove(old_ids)
    stand_in = Plan(
        pk=plan.pk or -1,
        unit=plan.unit,
        year=plan.year,
        kind=plan.kind,
        audience=plan.audience,
        issue_date=new_date,
        status=PlanStatus.ISSUED,
    )
    index.add(stand_in)
    for old in old_ids:
        index.effective_map[old] = stand_in
    broken: list[Plan] = []
    for other in index.plans:
        if other.pk in old_ids or other.issue_date >= new_date:
            continue
        based_on = index.effective(other.based_on) if other.based_on_id else None
        if based_on is stand_in:
            broken.append(other)
            continue
        superior = index.superior_of(
            unit=other.unit, kind=other.kind, year=other.year, audience=other.audience
        )
        if superior is stand_in:
            broken.append(other)
    return broken


def ensure_date_change_allowed(*, plan: Plan, new_date: dt.date) -> None:
    """Rule (c): refuse a date that would put issued plans below before this one, naming
    them (number, unit, date)."""
    broken = plans_invalidated_by(plan=plan, new_date=new_date)
    if not broken:
        return
    lines = [
        _("%(symbol)s of %(unit)s, dated %(date)s")
        % {"symbol": p.symbol, "unit": p.unit, "date": ddmmyyyy(p.issue_date)}
        for p in broken
    ]
    raise DomainError(
        _(
            "The date %(date)s would put %(count)s issued plan(s) below before this one: "
            "%(plans)s. Correct those plans first or choose an earlier date."
        )
        % {"date": ddmmyyyy(new_date), "count": len(broken), "plans": "; ".join(lines)},
        field="issue_date",
        details=lines,
        code="date_rule",
    )
