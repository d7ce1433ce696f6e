"""``manage.py check_dates [--unit ID] [--year YYYY]``: list every date-rule violation in a
subtree (typically after importing data from elsewhere), one line each. Exits with status 1
when it finds any, 0 otherwise, so scripts and CI can act on it."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lamtheo.org.models import Unit
from lamtheo.plans import dates


class Command(BaseCommand):
    help = "List plans (and other dated records) that break the date rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", type=int, help="Check only this unit's subtree (unit id).")
        parser.add_argument("--year", type=int, help="Check only this programme year.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = None
        if options.get("unit") is not None:
            try:
                root = Unit.objects.get(pk=options["unit"])
            except Unit.DoesNotExist:
                raise CommandError(f"No unit with id {options['unit']}.") from None
        found = dates.check(root=root, year=options.get("year"))
        for violation in found:
            self.stdout.write(violation.line())
        if found:
            self.stderr.write(f"{len(found)} violation(s) found.")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("No violations found."))
