"""The checker: rule functions, the registry and the ``check_dates`` command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lamtheo.plans import dates
from lamtheo.plans.models import Plan, PlanStatus
from tests.plans.conftest import D, issued


def _import_plan(unit, *, day, based_on=None, number=9) -> Plan:
    """A plan written straight to the table, as an import from elsewhere would."""
    return Plan.objects.create(
        unit=unit,
        year=2026,
        kind="study",
        issuer_abbreviation=unit.doc_abbreviation,
        number=number,
        numbering_period="2025-2030",
        term_label="2025-2030",
        issue_date=day,
        title="Kế hoạch nhập từ hệ thống cũ",
        based_on=based_on,
        status=PlanStatus.ISSUED,
    )


def _run(**options) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_dates", stdout=out, stderr=io.StringIO(), **options)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_check_dates_exits_non_zero_naming_a_planted_violation_and_zero_after_fixing(world):
    commune_plan = issued(world.commune, day=D(2026, 1, 10))
    bad = _import_plan(world.cell_b, day=D(2026, 1, 3), based_on=commune_plan)
    code, out = _run()
    assert code == 1
    assert f"plan #{bad.pk}" in out and "09-KH/CB" in out and "03/01/2026" in out
    assert commune_plan.symbol in out and "10/01/2026" in out
    assert out.count("\n") == 1  # one line: the based-on rule, not repeated as superior
    Plan.objects.filter(pk=bad.pk).update(issue_date=D(2026, 1, 12))
    code, out = _run()
    assert code == 0 and "No violations" in out


def test_check_dates_limits_to_a_subtree_and_a_year(world):
    issued(world.commune, day=D(2026, 1, 10))
    _import_plan(world.cell_b, day=D(2026, 1, 3))
    assert _run(unit=world.cell_a.pk)[0] == 0
    assert _run(unit=world.cell_b.pk)[0] == 1
    assert _run(year=2025)[0] == 0
    assert _run(year=2026)[0] == 1


def test_check_dates_refuses_an_unknown_unit(db):
    with pytest.raises(CommandError):
        call_command("check_dates", unit=999999)


def test_rules_are_a_registry_later_steps_can_extend(world, monkeypatch):
    monkeypatch.setattr(dates, "RULES", dict(dates.RULES))

    @dates.register("extra")
    def extra(context):
        return [dates.Violation(rule="extra", subject=world.cell_a, message="planted")]

    assert [v.message for v in dates.check(root=world.commune)] == ["planted"]


def test_superseded_superior_is_replaced_by_its_correction_in_checks(cascade):
    from lamtheo.plans import services

    w = cascade
    correction = services.create_correction(plan=w.commune_plan, by=None, reason="Sửa")
    services.update_plan(plan=correction, by=None, issue_date=D(2026, 1, 14))
    services.issue_plan(plan=correction, by=None)
    assert dates.check(root=w.commune) == []
