"""``manage.py check_translations``: is the Vietnamese catalogue complete and compiled?

Pure Python (polib), so it runs where GNU gettext is not installed. Fails on a message
missing from its app's catalogue, an untranslated or fuzzy entry, placeholders that differ
between msgid and msgstr, and a ``.mo`` that is missing or does not match its ``.po``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lamtheo.core import i18n


class Command(BaseCommand):
    help = (
        "Check that every translatable string of the lamtheo apps and templates is in the "
        "vi catalogue, translated, with matching placeholders, and compiled."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--summary",
            action="store_true",
            help="Print the counts per catalogue only, not each problem.",
        )

    def handle(self, *args: Any, summary: bool = False, **options: Any) -> None:
        reports = i18n.check_all(i18n.project_catalogues(), relative_to=settings.BASE_DIR)
        problems = [problem for report in reports for problem in report.problems]
        if not summary:
            for problem in problems:
                self.stdout.write(str(problem))
        for report in reports:
            line = (
                f"{report.catalogue.label}: {report.messages} strings, {report.missing} missing,"
                f" {report.untranslated} untranslated, {report.fuzzy} fuzzy,"
                f" {len(report.problems)} problem(s)"
            )
            if report.stale:
                line += f"; {report.stale} unused entries (`make messages` drops them)"
            self.stdout.write(line)
        if problems:
            raise CommandError(
                f"{len(problems)} translation problem(s) in "
                f"{sum(1 for r in reports if not r.ok)} catalogue(s). Run `make messages` to "
                "update the catalogues, then translate the listed strings."
            )
        self.stdout.write(self.style.SUCCESS("Translations complete and compiled."))
