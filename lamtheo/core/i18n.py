"""Translation tooling shared by ``check_translations`` and ``update_translations``.

Catalogue layout, in the style of Django's contrib apps: one catalogue per lamtheo app at
``lamtheo/<app>/locale/vi/LC_MESSAGES/django.po``, and one for the project-level files
(``lamtheo/templates/``, ``lamtheo/settings.py`` and any other module outside an app) at
``lamtheo/locale/vi/LC_MESSAGES/django.po``, the path in ``settings.LOCALE_PATHS``. The
compiled ``.mo`` files sit beside them and are committed, because a fresh machine may lack
GNU gettext.

The extractor here is pure Python so that the check runs where GNU gettext is missing. It
follows what ``makemessages`` does: xgettext's keywords plus Django's for ``.py`` files,
and Django's own ``templatize`` for ``.html`` and ``.txt`` files. A test compares it with
``makemessages`` whenever xgettext is installed.
"""

from __future__ import annotations

import ast
import fnmatch
import gettext as gnu_gettext
import io
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import polib
from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

#: The one language with a catalogue: msgids are English, the UI is Vietnamese.
LANGUAGE = "vi"
DOMAIN = "django"
#: What ``makemessages`` reads for the ``django`` domain; html and txt go through templatize.
EXTENSIONS = (".py", ".html", ".txt")
#: ``makemessages``' default ignore patterns (``locale`` folders are never walked either).
IGNORE_PATTERNS = ("CVS", ".*", "*~", "*.pyc")

#: Call name -> 0-based positions of (context, msgid, plural): xgettext's default Python
#: keywords plus the ones ``makemessages`` adds (``--keyword=pgettext:1c,2`` …).
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "ugettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "dgettext": (None, 1, None),
    "ngettext": (None, 0, 1),
    "ungettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "dngettext": (None, 1, 2),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

MessageKey = tuple[str | None, str]  # (msgctxt, msgid)


# -- Catalogues ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """One ``django.po``: the files under ``root`` (minus ``exclude``) feed it."""

    label: str
    root: Path
    exclude: tuple[Path, ...] = ()

    @property
    def locale_dir(self) -> Path:
        return self.root / "locale"

    @property
    def po_path(self) -> Path:
        return self.locale_dir / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"

    @property
    def mo_path(self) -> Path:
        return self.po_path.with_suffix(".mo")

    def covers(self, path: Path) -> bool:
        """Whether the file at ``path`` (absolute) feeds this catalogue."""
        path = Path(os.path.abspath(path))
        if not path.is_relative_to(self.root):
            return False
        return not any(path.is_relative_to(excluded) for excluded in self.exclude)

    def sources(self) -> list[Path]:
        """The files ``makemessages`` would read for this catalogue, sorted."""
        ignored_roots = {
            Path(os.path.abspath(p)) for p in (settings.MEDIA_ROOT, settings.STATIC_ROOT) if p
        }
        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            here = Path(dirpath)
            for dirname in list(dirnames):
                sub = here / dirname
                if (
                    dirname == "locale"
                    or _ignored(dirname)
                    or sub in ignored_roots
                    or any(sub == e or sub.is_relative_to(e) for e in self.exclude)
                ):
                    dirnames.remove(dirname)
            for filename in filenames:
                if os.path.splitext(filename)[1] in EXTENSIONS and not _ignored(filename):
                    found.append(here / filename)
        return sorted(found)


def _ignored(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in IGNORE_PATTERNS)


def package_dir() -> Path:
    """The ``lamtheo`` package folder (its ``locale`` is ``settings.LOCALE_PATHS[0]``)."""
    import lamtheo

    return Path(os.path.abspath(lamtheo.__file__)).parent


def project_catalogues() -> list[Catalogue]:
    """Every lamtheo app's catalogue, then the project-level one (apps excluded)."""
    base = package_dir()
    app_dirs = sorted(
        (config.label, Path(os.path.abspath(config.path)))
        for config in apps.get_app_configs()
        if config.name.startswith("lamtheo.")
    )
    app_dirs = [(label, path) for label, path in app_dirs if path.is_relative_to(base)]
    catalogues = [Catalogue(label=label, root=path) for label, path in app_dirs]
    # Static files hold no gettext calls of the django domain (JS is djangojs).
    excluded = (*(path for _label, path in app_dirs), base / "static")
    catalogues.append(Catalogue(label="lamtheo", root=base, exclude=excluded))
    return catalogues


# -- Extraction ---------------------------------------------------------------------------


@dataclass
class Message:
    """A translatable string found in the source, with every place it occurs."""

    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    occurrences: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> MessageKey:
        return (self.msgctxt, self.msgid)

    @property
    def where(self) -> str:
        path, line = self.occurrences[0]
        more = len(self.occurrences) - 1
        return f"{path}:{line}" + (f" (+{more} more)" if more else "")


@dataclass(frozen=True)
class SourceError:
    """A file the extractor could not read (a syntax error, a broken template tag), or a
    call it reads but that can never be translated (gettext of an f-string)."""

    path: str
    line: int
    error: str
    kind: str = "unreadable source"
    msgid: str = ""


class Found(NamedTuple):
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    line: int
    #: An f-string with placeholders: xgettext extracts its raw text, but at run time the
    #: msgid is the formatted text, which no catalogue holds.
    formatted: bool = False


def _fstring_text(node: ast.JoinedStr, source: str | None) -> str | None:
    """The text xgettext extracts from an f-string: its literal(s) as written, braces
    included (xgettext reads ``f"…"`` as a plain string)."""
    segment = ast.get_source_segment(source, node) if source else None
    if segment is None:
        return None
    parts: list[str] = []
    i = 0
    while i < len(segment):
        match = _PREFIXED_QUOTE.match(segment, i)
        if match is None:
            if not segment[i].isspace():
                return None
            i += 1
            continue
        end = _skip_string(segment, match.end("prefix"))
        prefix = match["prefix"].lower().replace("f", "")
        try:
            value = ast.literal_eval(prefix + segment[match.end("prefix") : end])
        except (SyntaxError, ValueError):
            return None
        if not isinstance(value, str):
            return None
        parts.append(value)
        i = end
    return "".join(parts)


_PREFIXED_QUOTE = re.compile(r"(?P<prefix>[A-Za-z]{0,2})['\"]")


def _calls(tree: ast.AST, source: str | None = None) -> Iterator[Found]:
    """Each gettext-family call whose message arguments are string literals."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute):
            name = func.attr
        else:
            continue
        spec = KEYWORDS.get(name)
        if spec is None:
            continue
        ctx_at, msgid_at, plural_at = spec
        formatted = False

        def literal(position: int | None, node: ast.Call = node) -> str | None:
            nonlocal formatted
            if position is None or position >= len(node.args):
                return None
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return arg.value
            if isinstance(arg, ast.JoinedStr):
                text = _fstring_text(arg, source)
                if text is not None and any(isinstance(v, ast.FormattedValue) for v in arg.values):
                    formatted = True
                return text
            return None

        msgid = literal(msgid_at)
        if not msgid:
            continue  # a variable, or "" (reserved for the catalogue header)
        ctx = literal(ctx_at)
        if ctx_at is not None and ctx is None:
            continue
        plural = literal(plural_at)
        yield Found(ctx, msgid, plural, node.args[msgid_at].lineno, formatted)


def extract_python(source: str, path: str = "<string>") -> list[Found]:
    """Messages of a Python module: calls to the gettext family with literal strings
    (``verbose_name=_("…")``, ``TextChoices`` labels and the like are such calls)."""
    return list(_calls(ast.parse(source, filename=path), source))


_NAME = re.compile(r"[^\W\d]\w*")
_STRING_PREFIXES = {"u", "r", "b", "f", "br", "rb", "fr", "rf"}


def _skip_string(code: str, start: int) -> int:
    """Index just past the Python string literal opening at ``start``."""
    quote = code[start]
    delimiter = quote * 3 if code.startswith(quote * 3, start) else quote
    i = start + len(delimiter)
    while i < len(code):
        if code[i] == "\\":
            i += 2
            continue
        if code.startswith(delimiter, i):
            return i + len(delimiter)
        if code[i] == "\n" and len(delimiter) == 1:
            return i  # unterminated: let the scan go on, as xgettext does
        i += 1
    return i


def _call_end(code: str, opening: int) -> int | None:
    """Index of the parenthesis closing the one at ``opening``, skipping strings."""
    depth = 0
    i = opening
    while i < len(code):
        char = code[i]
        if char in "'\"":
            i = _skip_string(code, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _keyword_calls(code: str) -> Iterator[tuple[str, int]]:
    """Source text and line of each keyword call in ``templatize`` output, which is not
    valid Python as a whole (blanked-out text surrounds the calls)."""
    i = 0
    while i < len(code):
        char = code[i]
        if char == "#":  # a translator comment runs to the end of the line
            end = code.find("\n", i)
            i = len(code) if end < 0 else end
            continue
        if char in "'\"":
            i = _skip_string(code, i)
            continue
        match = _NAME.match(code, i)
        if match is None:
            i += 1
            continue
        name, after = match.group(), match.end()
        if after < len(code) and code[after] in "'\"" and name.lower() in _STRING_PREFIXES:
            i = _skip_string(code, after)
            continue
        if name in KEYWORDS:
            opening = after
            while opening < len(code) and code[opening] in " \t":
                opening += 1
            if opening < len(code) and code[opening] == "(":
                closing = _call_end(code, opening)
                if closing is not None:
                    yield code[match.start() : closing + 1], code.count("\n", 0, i) + 1
                    i = closing + 1
                    continue
        i = after


def extract_template(source: str, path: str = "<template>") -> list[Found]:
    """Messages of a template, through Django's ``templatize`` as ``makemessages`` does
    (``{% translate %}``, ``{% blocktranslate %}`` with ``trimmed``, ``plural``,
    ``context``, ``asvar``; ``_("…")`` in variables and tag arguments)."""
    with warnings.catch_warnings():
        # A misplaced translator comment is a hint for translators, not a broken string.
        warnings.simplefilter("ignore")
        code = templatize(source, origin=path)
    found: list[Found] = []
    for call, line in _keyword_calls(code):
        try:
            tree = ast.parse(call, mode="eval")
        except SyntaxError:
            continue
        found += [item._replace(line=line) for item in _calls(tree, call)]
    return found


def _display_base(catalogue: Catalogue, relative_to: Path | None) -> Path:
    """The folder file names are shown relative to: ``relative_to`` when the catalogue
    lies inside it, else the catalogue's parent folder (``app/models.py``)."""
    if relative_to is None:
        return catalogue.root
    if catalogue.root.is_relative_to(relative_to):
        return Path(relative_to)
    return catalogue.root.parent


def extract(
    catalogue: Catalogue, *, relative_to: Path | None = None
) -> tuple[dict[MessageKey, Message], list[SourceError]]:
    """Every message of the catalogue's source files, keyed by (msgctxt, msgid)."""
    relative_to = _display_base(catalogue, relative_to)
    messages: dict[MessageKey, Message] = {}
    errors: list[SourceError] = []
    for path in catalogue.sources():
        shown = os.path.relpath(path, relative_to)
        try:
            source = path.read_text(encoding="utf-8")
            if path.suffix == ".py":
                found = extract_python(source, shown)
            else:
                found = extract_template(source, shown)
        except (SyntaxError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None) or 0
            errors.append(SourceError(shown, line, f"{type(exc).__name__}: {exc}"))
            continue
        for item in found:
            key = (item.msgctxt, item.msgid)
            message = messages.setdefault(key, Message(msgid=item.msgid, msgctxt=item.msgctxt))
            if item.msgid_plural and not message.msgid_plural:
                message.msgid_plural = item.msgid_plural
            message.occurrences.append((shown, item.line))
            if item.formatted:
                errors.append(
                    SourceError(
                        shown,
                        item.line,
                        "the message is formatted before translation and never matches the "
                        "catalogue; use %(name)s placeholders",
                        kind="f-string",
                        msgid=item.msgid,
                    )
                )
    return messages, errors


# -- Python format placeholders -----------------------------------------------------------

_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<conversion>[diouxXeEfFgGcrsa%])"
)


def python_format(text: str) -> tuple[str, ...] | None:
    """The placeholders of a %-format string, or None when ``text`` has no ``%`` or is not
    a valid format. Named placeholders come back sorted (their order is free), positional
    ones in order; ``%%`` does not count."""
    if "%" not in text:
        return None
    named: list[str] = []
    positional: list[str] = []
    position = 0
    while (start := text.find("%", position)) >= 0:
        match = _DIRECTIVE.match(text, start)
        if match is None:
            return None
        conversion = match["conversion"]
        if conversion != "%":
            if match["name"] is not None:
                named.append(f"%({match['name']}){conversion}")
            else:
                positional.append(f"%{conversion}")
        position = match.end()
    if named and positional:
        return None  # Python cannot mix a mapping with positional arguments
    return tuple(sorted(named)) if named else tuple(positional)


def _placeholders(text: str) -> tuple[str, ...] | None:
    """Like ``python_format`` but () for text without ``%`` (nothing to fill in)."""
    return () if "%" not in text else python_format(text)


def format_mismatch(entry: polib.POEntry) -> str | None:
    """Why a translation's placeholders do not fit its msgid (None when they do).

    Checked when the msgid is a valid %-format string (xgettext flags it
    ``python-format``) or the entry carries that flag: Django fills blocktranslate strings
    with ``%`` even when they have no variables, so a stray ``%`` would break the page.
    """
    is_format = python_format(entry.msgid) is not None or (
        entry.msgid_plural and python_format(entry.msgid_plural) is not None
    )
    if not is_format and "python-format" not in entry.flags:
        return None
    expected = _placeholders(entry.msgid) or ()
    if entry.msgid_plural:
        plural = _placeholders(entry.msgid_plural) or ()
        for index, text in sorted(entry.msgstr_plural.items()):
            got = _placeholders(text)
            # Languages with one form (Vietnamese) use msgstr[0] for every count.
            allowed = (plural, expected) if index == 0 else (plural,)
            if text and got not in allowed:
                return _describe(plural, got, f"msgstr[{index}]")
        return None
    got = _placeholders(entry.msgstr)
    if not entry.msgstr or got == expected:
        return None
    return _describe(expected, got, "msgstr")


def _describe(expected: tuple[str, ...], got: tuple[str, ...] | None, where: str) -> str:
    if got is None:
        return f"{where} is not a valid %-format string (write a literal % as %%)"
    return f"{where} has {', '.join(got) or 'no placeholders'}; expected {', '.join(expected) or 'none'}"


# -- Checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    catalogue: str
    where: str  # file:line
    kind: str
    msgid: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.catalogue}: {self.where}: {self.kind}: {self.msgid!r}"
        return text + (f" — {self.detail}" if self.detail else "")


@dataclass
class Report:
    """The state of one catalogue against its source files."""

    catalogue: Catalogue
    messages: int = 0
    missing: int = 0
    untranslated: int = 0
    fuzzy: int = 0
    stale: int = 0  # entries no source uses any more (``make messages`` drops them)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def runtime_catalog(data: bytes) -> dict:
    """Messages of a compiled catalogue as Python's gettext (and so Django) reads them."""
    translations = gnu_gettext.GNUTranslations(io.BytesIO(data))
    catalog = dict(translations._catalog)
    catalog.pop("", None)  # the header: dates and tool names, not messages
    return catalog


def check_catalogue(catalogue: Catalogue, *, relative_to: Path | None = None) -> Report:
    """Compare a catalogue with its sources: missing, untranslated or fuzzy messages,
    placeholders that do not match, and a ``.mo`` that is missing or differs from its
    ``.po`` (compared by content: git does not keep file times, so a fresh clone would
    otherwise fail at random)."""
    relative_to = _display_base(catalogue, relative_to)
    report = Report(catalogue)
    label = catalogue.label
    messages, errors = extract(catalogue, relative_to=relative_to)
    report.messages = len(messages)
    for error in errors:
        report.problems.append(
            Problem(label, f"{error.path}:{error.line}", error.kind, error.msgid, error.error)
        )
    po_shown = os.path.relpath(catalogue.po_path, relative_to)
    if not catalogue.po_path.exists():
        for message in sorted(messages.values(), key=_order):
            report.missing += 1
            report.problems.append(
                Problem(label, message.where, "missing", message.msgid, f"no {po_shown}")
            )
        return report
    try:
        po = polib.pofile(str(catalogue.po_path))
    except (OSError, ValueError) as exc:
        report.problems.append(Problem(label, po_shown, "unreadable catalogue", "", str(exc)))
        return report
    entries = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    for message in sorted(messages.values(), key=_order):
        entry = entries.get(message.key)
        if entry is None:
            report.missing += 1
            report.problems.append(
                Problem(label, message.where, "missing", message.msgid, f"not in {po_shown}")
            )
            continue
        at = f"{po_shown}:{entry.linenum}"
        if (entry.msgid_plural or None) != message.msgid_plural:
            report.missing += 1
            report.problems.append(
                Problem(
                    label,
                    message.where,
                    "plural differs",
                    message.msgid,
                    f"source {message.msgid_plural!r}, {at} {entry.msgid_plural or None!r}",
                )
            )
        elif entry.fuzzy:
            report.fuzzy += 1
            report.problems.append(Problem(label, at, "fuzzy", message.msgid, message.where))
        elif not entry.translated():
            report.untranslated += 1
            report.problems.append(Problem(label, at, "untranslated", message.msgid, message.where))
        elif reason := format_mismatch(entry):
            report.problems.append(Problem(label, at, "placeholders", message.msgid, reason))
    report.stale = len(set(entries) - set(messages))
    report.problems += _check_compiled(catalogue, po, relative_to)
    return report


def _check_compiled(catalogue: Catalogue, po: polib.POFile, relative_to: Path) -> list[Problem]:
    mo_shown = os.path.relpath(catalogue.mo_path, relative_to)
    fix = "run `make messages` (or `manage.py update_translations`)"
    if not catalogue.mo_path.exists():
        return [Problem(catalogue.label, mo_shown, "not compiled", "", fix)]
    try:
        expected = runtime_catalog(po.to_binary())
        actual = runtime_catalog(catalogue.mo_path.read_bytes())
    except (OSError, LookupError, ValueError) as exc:
        return [Problem(catalogue.label, mo_shown, "unreadable .mo", "", f"{exc}; {fix}")]
    if expected != actual:
        differing = sum(
            1 for key in set(expected) | set(actual) if expected.get(key) != actual.get(key)
        )
        detail = f"{differing} message(s) differ from the .po; {fix}"
        return [Problem(catalogue.label, mo_shown, "out of date", "", detail)]
    return []


def _order(message: Message) -> tuple[str, int, str]:
    path, line = message.occurrences[0]
    return (path, line, message.msgid)


def check_all(catalogues: Iterable[Catalogue], *, relative_to: Path) -> list[Report]:
    """A report per catalogue that has messages or a ``.po`` file."""
    reports = []
    for catalogue in catalogues:
        report = check_catalogue(catalogue, relative_to=relative_to)
        if report.messages or catalogue.po_path.exists() or report.problems:
            reports.append(report)
    return reports


def compile_catalogue(catalogue: Catalogue) -> polib.POFile:
    """Write the ``.mo`` beside the ``.po`` with polib (no GNU msgfmt needed). Untranslated
    and fuzzy entries are left out, as msgfmt does."""
    po = polib.pofile(str(catalogue.po_path))
    data = po.to_binary()
    if not catalogue.mo_path.exists() or catalogue.mo_path.read_bytes() != data:
        catalogue.mo_path.write_bytes(data)
    return po
