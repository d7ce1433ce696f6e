"""Coverage: who has issued their plan, who has not, who is late, rolled up the tree."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lamtheo.org.models import UnitKind
from lamtheo.plans.models import PlanKind
from lamtheo.plans.selectors import Status, coverage_tree, plan_coverage
from tests.factories import make_unit
from tests.plans.conftest import D, issued


def _node(tree, name):
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.unit.name == name:
            return node
        stack += node.children
    raise KeyError(name)


def test_coverage_counts_issued_not_issued_and_late_rolled_up(cascade):
    w = cascade
    w.programme_year.plan_deadline = D(2026, 1, 31)
    w.programme_year.save()
    tree = coverage_tree(root=w.province, year=2026, kind=PlanKind.STUDY, today=D(2026, 2, 10))
    commune = _node(tree, "Đảng ủy xã Thoại Sơn")
    assert _node(tree, "Chi bộ ấp Đông Bình").status == Status.ISSUED
    assert _node(tree, "Chi bộ ấp Tây Bình").status == Status.LATE
    assert _node(tree, "Ban Xây dựng Đảng Đảng ủy xã Thoại Sơn").status == Status.NOT_EXPECTED
    # The UBND does not write its own study plan (it deploys the committee's).
    assert _node(tree, "Ủy ban nhân dân xã Thoại Sơn").status == Status.NOT_EXPECTED
    assert (commune.issued, commune.not_issued, commune.late) == (2, 1, 1)
    # The province has no programme year of its own and no plan: not issued, no deadline.
    assert (tree.issued, tree.not_issued, tree.late) == (2, 2, 1)


def test_before_the_deadline_missing_plans_are_not_late(cascade):
    w = cascade
    w.programme_year.plan_deadline = D(2026, 1, 31)
    w.programme_year.save()
    tree = coverage_tree(root=w.commune, year=2026, kind=PlanKind.STUDY, today=D(2026, 1, 20))
    assert (tree.issued, tree.not_issued, tree.late) == (2, 1, 0)


def test_plan_issued_after_the_deadline_counts_as_issued_and_late(world):
    world.programme_year.plan_deadline = D(2026, 1, 31)
    world.programme_year.save()
    issued(world.cell_a, day=D(2026, 2, 3))
    tree = coverage_tree(root=world.commune, year=2026, kind=PlanKind.STUDY, today=D(2026, 2, 10))
    node = _node(tree, "Chi bộ ấp Đông Bình")
    assert node.status == Status.ISSUED and node.is_late


def test_implementation_coverage_expects_the_state_unit(world):
    tree = coverage_tree(
        root=world.commune, year=2026, kind=PlanKind.IMPLEMENTATION, today=D(2026, 1, 2)
    )
    assert _node(tree, "Ủy ban nhân dân xã Thoại Sơn").expected
    assert tree.not_issued == 4


def test_coverage_tree_query_count_does_not_grow_with_units(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            coverage_tree(root=world.province, year=2026, kind=PlanKind.STUDY)
        return len(ctx.captured_queries)

    small = count()
    for i in range(15):
        cell = make_unit(kind=UnitKind.CELL, name=f"Chi bộ ấp {i}", parent=world.commune)
        if i % 2:
            issued(cell, day=D(2026, 1, 20))
    assert count() == small <= 4


def test_plan_coverage_lists_followers_and_whether_they_based_on_it(cascade):
    rows = {r.unit.name: r for r in plan_coverage(cascade.commune_plan, today=D(2026, 3, 1))}
    assert set(rows) == {"Chi bộ ấp Đông Bình", "Chi bộ ấp Tây Bình"}
    assert rows["Chi bộ ấp Đông Bình"].based_on_this
    assert rows["Chi bộ ấp Tây Bình"].plan is None


@pytest.mark.parametrize("kind", [PlanKind.STUDY, PlanKind.IMPLEMENTATION])
def test_coverage_of_an_empty_year_has_nothing_issued(world, kind):
    tree = coverage_tree(root=world.commune, year=2020, kind=kind)
    assert tree.issued == 0
