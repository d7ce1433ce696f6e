"""``manage.py seed_demo``: build the demonstration site (see ``lamtheo.core.demo``)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from lamtheo.core import demo


class Command(BaseCommand):
    help = (
        "Build demo data: Tỉnh ủy An Giang, Đảng ủy xã Thoại Sơn with its cells and state units, "
        "people, programme years and the demo accounts (password demo12345)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members",
            type=int,
            default=demo.DEFAULT_MEMBERS,
            help="Number of party members (default %(default)s: one commune). Large numbers "
            "add communes of about 1,500 members under the province.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="Seed of the random generator: a seed always gives the same data.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds any unit (used by `make run`).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data first, then rebuild it."
        )
        parser.add_argument("--force", action="store_true", help="Allow --reset when DEBUG is off.")

    def handle(self, *args: Any, **options: Any) -> None:
        from lamtheo.org.demo import MIN_MEMBERS
        from lamtheo.org.models import Unit

        verbosity = options["verbosity"]
        if options["if_empty"] and Unit.objects.exists():
            if verbosity:
                self.stdout.write(_("The database already holds units: no demo data added."))
            return
        if options["members"] < MIN_MEMBERS:
            raise CommandError(_("--members must be at least %(min)s.") % {"min": MIN_MEMBERS})
        if options["reset"] and not settings.DEBUG and not options["force"]:
            raise CommandError(
                _("--reset deletes data and DEBUG is off: add --force if you mean it.")
            )
        if not options["reset"]:
            present = demo.demo_presence()
            if present:
                message = _(
                    "The demo data is already here (%(found)s). Run with --reset to rebuild it."
                ) % {"found": ", ".join(present)}
                if options["if_empty"]:
                    self.stdout.write(message)
                    return
                raise CommandError(message)

        def log(message: str) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {message}")

        started = time.perf_counter()
        try:
            ctx = demo.seed(
                members=options["members"], seed=options["seed"], reset=options["reset"], log=log
            )
        except ProtectedError as exc:
            # An app keeps rows that point at demo units or people and has no reset hook.
            models = sorted({type(obj)._meta.label for obj in exc.protected_objects})
            raise CommandError(
                _(
                    "--reset stopped, nothing was changed: %(models)s rows still refer to the "
                    "demo. Their app needs a demo_reset hook (see lamtheo/core/demo.py)."
                )
                % {"models": ", ".join(models)}
            ) from exc
        seconds = time.perf_counter() - started
        if verbosity:
            self.report(ctx, seconds)

    def report(self, ctx: demo.DemoContext, seconds: float) -> None:
        members = sum(len(ids) for ids in ctx.members_by_cell.values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data ready in %(seconds).1f s: %(communes)s commune(s), %(cells)s "
                    "cells, %(members)s party members, %(staff)s staff who are not members."
                )
                % {
                    "seconds": seconds,
                    "communes": len(ctx.communes),
                    "cells": len(ctx.cells),
                    "members": members,
                    "staff": len(ctx.non_member_ids),
                }
            )
        )
        self.stdout.write(_("Accounts (password %(password)s):") % {"password": demo.DEMO_PASSWORD})
        for account in ctx.accounts.values():
            where = str(account.unit) if account.unit else "*"
            self.stdout.write(
                f"  {account.username:<10} {account.role:<10} {where:<40} "
                f"{account.person.full_name}"
            )
