"""Static checks of every template of the project (all apps, the shared ``templates``)."""

from __future__ import annotations

from pathlib import Path

from django.template.base import Lexer, TokenType

import lamtheo

TEMPLATES = sorted(Path(lamtheo.__file__).parent.rglob("*.html"))


def unclosed_comments(source: str) -> list[int]:
    """Line numbers where a ``{#`` reaches the page as text.

    Django's ``{# … #}`` comment is single-line: a ``{#`` whose ``#}`` is on a later line is
    no comment, and the whole «comment» is printed. The template lexer decides, as when the
    page is rendered; text inside ``{% comment %}`` and ``{% verbatim %}`` is never shown.
    """
    lines: list[int] = []
    hidden_until = ""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            command = token.contents.split()[0] if token.contents.split() else ""
            if hidden_until and command == hidden_until:
                hidden_until = ""
            elif not hidden_until and command in ("comment", "verbatim"):
                hidden_until = "end" + command
        elif token.token_type == TokenType.TEXT and not hidden_until and "{#" in token.contents:
            before = token.contents[: token.contents.index("{#")]
            lines.append(token.lineno + before.count("\n"))
    return lines


def test_the_templates_of_every_app_are_found():
    apps = {path.relative_to(Path(lamtheo.__file__).parent).parts[0] for path in TEMPLATES}
    assert {"templates", "study", "plans", "org"} <= apps


def test_a_comment_spread_over_two_lines_is_caught():
    source = "<p>a</p>\n  {# first line\n     second line #}\n<p>b</p>\n"
    assert unclosed_comments(source) == [2]


def test_single_line_and_block_comments_pass():
    source = (
        "{# one line #}<p>{{ x }}</p>{# another #}\n"
        "{% comment %}a {# in a block\ncomment{% endcomment %}\n"
        "{% verbatim %}{# shown as is, on purpose{% endverbatim %}\n"
    )
    assert unclosed_comments(source) == []


def test_no_template_prints_a_multi_line_comment():
    """Use ``{% comment %}…{% endcomment %}`` for a comment longer than one line."""
    found = [
        f"{path.relative_to(Path(lamtheo.__file__).parent)}:{line}"
        for path in TEMPLATES
        for line in unclosed_comments(path.read_text(encoding="utf-8"))
    ]
    assert found == []
