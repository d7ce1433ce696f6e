"""``manage.py import_people FILE.xlsx --user USERNAME [--dry-run]``: the spreadsheet import
for administrators, with the same checks and the same all-or-nothing rule as the page."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lamtheo.documents.importer import check_workbook, import_workbook
from lamtheo.documents.spreadsheet import UnreadableWorkbook, read_workbook
from lamtheo.org.models import Unit
from lamtheo.org.scope import get_scope


class Command(BaseCommand):
    help = "Import units and people from an .xlsx sheet, as the given user (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument(
            "--user", required=True, help="Import as this user (their scope, their history)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--update-existing",
            action="store_true",
            help="Update people already recorded instead of reporting them as duplicates.",
        )
        parser.add_argument("--unit", help="Look up cells under this unit only (its id or code).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        scope = get_scope(user)
        if not (scope.is_admin or scope.manage_paths):
            raise CommandError(f"{user.username} manages no unit: nothing to import into.")
        within = self._unit(options.get("unit"), scope)
        try:
            parsed = read_workbook(path)
        except (UnreadableWorkbook, FileNotFoundError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        common = {"user": user, "within": within, "update_existing": options["update_existing"]}
        if options["dry_run"]:
            plan, counts = check_workbook(parsed, **common), None
        else:
            plan, counts = import_workbook(parsed, file_name=os.path.basename(path), **common)
        for problem in plan.problems:
            self.stderr.write(str(problem))
        summary = plan.counts()
        if plan.problems:
            raise CommandError(
                f"{len(plan.problems)} problem(s) in {summary['rows']} row(s): nothing imported."
            )
        if counts is None:
            self.stdout.write(
                "Dry run, no problems: would create {people_create} and update {people_update} "
                "people, create {units_create} unit(s).".format(**summary)
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Imported: {people_created} people created, {people_updated} updated, "
                "{memberships_created} memberships, {employments_created} employments, "
                "{units_created} unit(s).".format(**counts)
            )
        )

    def _unit(self, ref: str | None, scope: Any) -> Unit | None:
        if not ref:
            return None
        unit = (
            Unit.objects.filter(pk=int(ref)).first()
            if ref.isdigit()
            else Unit.objects.filter(code=ref).first()
        )
        if unit is None or not scope.manages_unit(unit):
            raise CommandError(f"No unit {ref!r} among the units this user manages.")
        return unit
