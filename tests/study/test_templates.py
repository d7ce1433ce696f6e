"""Static checks of the study templates that a screen reader depends on."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

import lamtheo.study

TEMPLATES = sorted((Path(lamtheo.study.__file__).parent / "templates").rglob("*.html"))
ICON = re.compile(r"<i\b[^>]*\bclass=\"[^\"]*\bbi\b[^>]*>")


def test_the_templates_are_found():
    assert len(TEMPLATES) > 10


def test_every_icon_is_hidden_from_screen_readers():
    """An icon's glyph would be read as a stray character in the button's name."""
    bare = [
        f"{path.name}: {tag}"
        for path in TEMPLATES
        for tag in ICON.findall(path.read_text())
        if 'aria-hidden="true"' not in tag and "aria-label=" not in tag
    ]
    assert bare == []


def test_breadcrumbs_are_labelled_in_the_page_language():
    untranslated = [p.name for p in TEMPLATES if 'aria-label="breadcrumb"' in p.read_text()]
    assert untranslated == []


def test_session_page_breadcrumb_label_is_translated(world, login, session_a):
    html = (
        login(world.user("secretary"))
        .get(reverse("study:session-detail", args=[session_a.pk]))
        .content.decode()
    )
    assert '<nav aria-label="Đường dẫn">' in html


def test_attendance_sheet_prints_no_developer_comment(world, login, session_a):
    html = (
        login(world.user("secretary"))
        .get(reverse("study:session-attendance", args=[session_a.pk]))
        .content.decode()
    )
    assert "{#" not in html
    assert "hx-params keeps" not in html
