"""``manage.py update_translations`` (``make messages``): refresh the vi catalogues.

For developers; needs GNU gettext (``apt-get install gettext``). Runs ``makemessages -l vi``
for each lamtheo app from inside the app folder, as Django's contrib apps do, then for the
project-level files (``lamtheo/templates/``, ``settings.py``…) with the apps left out; drops
entries no source uses; keeps source locations (they help translators) with entries sorted
by msgid so that diffs stay small; compiles each ``.mo`` with polib (no ``msgfmt`` needed);
prints how many entries each catalogue still lacks.
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import makemessages

from lamtheo.core import i18n

_POT_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


class CatalogueMakeMessages(makemessages.Command):
    """``makemessages`` limited to one catalogue's files, with sorted output."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--sort-output"]
    msguniq_options = [*makemessages.Command.msguniq_options, "--sort-output"]
    msgattrib_options = [*makemessages.Command.msgattrib_options, "--sort-output"]

    def __init__(self, catalogue: i18n.Catalogue, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue

    def find_files(self, root: str) -> list:
        # The project-level run walks into the apps too: their files belong to their own
        # catalogues. Both this and the pure-Python check use Catalogue.covers.
        files = super().find_files(root)
        return [f for f in files if self.catalogue.covers(Path(os.path.abspath(f.path)))]


@contextmanager
def _working_directory(path: Path):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def update_catalogue(catalogue: i18n.Catalogue, *, stdout: Any = None, verbosity: int = 0) -> bool:
    """Re-extract one catalogue and compile it; True if the ``.po`` changed."""
    before = catalogue.po_path.read_text(encoding="utf-8") if catalogue.po_path.exists() else None
    # makemessages routes a file to the nearest ``locale`` folder above it, so the
    # folder must exist before the run.
    catalogue.locale_dir.mkdir(parents=True, exist_ok=True)
    command = CatalogueMakeMessages(catalogue, stdout=stdout)
    with _working_directory(catalogue.root):
        call_command(command, locale=[i18n.LANGUAGE], no_obsolete=True, verbosity=verbosity)
    after = catalogue.po_path.read_text(encoding="utf-8")
    if before is None:
        after = after.replace('"Language: \\n"', f'"Language: {i18n.LANGUAGE}\\n"')
        catalogue.po_path.write_text(after, encoding="utf-8")
    elif _POT_DATE.sub("", before) == _POT_DATE.sub("", after):
        # Nothing but the extraction date changed: keep the file as it was.
        catalogue.po_path.write_text(before, encoding="utf-8")
        after = before
    i18n.compile_catalogue(catalogue)
    return after != before


class Command(BaseCommand):
    help = (
        "Re-extract translatable strings into the vi catalogue of each lamtheo app and of "
        "the project (needs GNU gettext), compile the .mo files with polib and count what "
        "is left to translate."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
            raise CommandError(
                "GNU gettext is needed to extract strings (Debian: apt-get install gettext). "
                "`manage.py check_translations` works without it."
            )
        verbosity = options["verbosity"]
        total_left = 0
        for catalogue in i18n.project_catalogues():
            messages, _errors = i18n.extract(catalogue)
            if not messages and not catalogue.po_path.exists():
                continue
            changed = update_catalogue(
                catalogue, stdout=self.stdout, verbosity=max(verbosity - 1, 0)
            )
            report = i18n.check_catalogue(catalogue)
            left = report.untranslated + report.fuzzy + report.missing
            total_left += left
            self.stdout.write(
                f"{catalogue.label}: {os.path.relpath(catalogue.po_path)}: "
                f"{report.messages} strings, {report.untranslated} untranslated, "
                f"{report.fuzzy} fuzzy{' (updated)' if changed else ''}"
            )
        if total_left:
            self.stdout.write(
                self.style.WARNING(f"{total_left} entries to translate; then run it again.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Every catalogue is complete and compiled."))
