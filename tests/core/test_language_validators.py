"""Vietnamese for Django's number and length limits (``lamtheo/django_messages.py``, the
project catalogue), instead of Django's «Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 2100 .»."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.utils import translation


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2016, max_value=2100)
    title = forms.CharField(min_length=3, max_length=5)


def errors_in_vietnamese(data: dict) -> dict:
    with translation.override("vi"):
        form = YearForm(data)
        assert not form.is_valid()
        return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def messages_of(validator, value) -> list[str]:
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validator(value)
    with translation.override("vi"):
        return caught.value.messages


def test_a_number_above_the_limit_reads_plainly_in_vietnamese():
    errors = errors_in_vietnamese({"year": "2200", "title": "abcd"})
    assert errors["year"] == ["Giá trị phải nhỏ hơn hoặc bằng 2100."]


def test_a_number_below_the_limit_reads_plainly_in_vietnamese():
    errors = errors_in_vietnamese({"year": "2000", "title": "abcd"})
    assert errors["year"] == ["Giá trị phải lớn hơn hoặc bằng 2016."]


def test_a_text_too_long_or_too_short_says_how_many_characters():
    assert errors_in_vietnamese({"year": "2026", "title": "abcdefg"})["title"] == [
        "Chỉ được tối đa 5 ký tự (hiện có 7)."
    ]
    assert errors_in_vietnamese({"year": "2026", "title": "ab"})["title"] == [
        "Cần ít nhất 3 ký tự (hiện có 2)."
    ]


def test_the_validators_themselves_use_the_project_wording():
    assert messages_of(MaxValueValidator(2100), 2101) == ["Giá trị phải nhỏ hơn hoặc bằng 2100."]
    assert messages_of(MinValueValidator(1), 0) == ["Giá trị phải lớn hơn hoặc bằng 1."]
    assert messages_of(MaxLengthValidator(1), "ab") == ["Chỉ được tối đa 1 ký tự (hiện có 2)."]
    assert messages_of(MinLengthValidator(2), "a") == ["Cần ít nhất 2 ký tự (hiện có 1)."]


def test_no_vietnamese_limit_message_has_a_space_before_its_full_stop():
    for validator, value in (
        (MaxValueValidator(2100), 2101),
        (MinValueValidator(1), 0),
        (MaxLengthValidator(1), "ab"),
        (MinLengthValidator(2), "a"),
    ):
        (message,) = messages_of(validator, value)
        assert message.endswith(".") and not message.endswith(" ."), message


def test_english_keeps_djangos_wording():
    with translation.override("en"):
        form = YearForm({"year": "2200", "title": "abcd"})
        assert form.errors["year"] == ["Ensure this value is less than or equal to 2100."]
