"""Unit tests of the plans template helpers (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from lamtheo.plans.templatetags.plans_ui import format_quantity, signed_quantity


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("10.00"), "10", "10"),
        (Decimal("2.50"), "2,5", "2.5"),
        (Decimal("0.05"), "0,05", "0.05"),
        (Decimal("1500.00"), "1.500", "1,500"),
        (Decimal("0.00"), "0", "0"),
        (3, "3", "3"),
        (None, "", ""),
        ("not a number", "", ""),
    ],
)
def test_quantities_are_shown_without_useless_decimals_in_the_language(value, vi, en):
    with translation.override("vi"):
        assert format_quantity(value) == vi
    with translation.override("en"):
        assert format_quantity(value) == en


def test_a_progress_contribution_carries_its_sign_once():
    with translation.override("vi"):
        assert signed_quantity(Decimal("2.50")) == "+2,5"
        assert signed_quantity(Decimal("-3.00")) == "−3"
        assert signed_quantity(None) == ""
