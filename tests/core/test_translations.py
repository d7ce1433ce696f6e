"""Translation tooling: the pure-Python extractor and check (``check_translations``) and
the developer command that refreshes the catalogues (``update_translations``)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from lamtheo.core import i18n
from lamtheo.core.management.commands import update_translations

HAS_GETTEXT = bool(shutil.which("xgettext") and shutil.which("msgmerge"))
needs_gettext = pytest.mark.skipif(
    not HAS_GETTEXT, reason="GNU gettext (xgettext, msgmerge) is not installed; CI installs it"
)

MODELS_PY = """
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy, npgettext


class Colour(models.TextChoices):
    RED = "red", _("Red")


class Thing(models.Model):
    name = models.CharField(_("name"), max_length=10, help_text=_("Shown " "joined"))
    kind = models.CharField(pgettext_lazy("thing kind", "Kind"), max_length=10)

    class Meta:
        verbose_name = _("thing")


def count(n, label):
    dynamic = _(label)  # a variable: not extractable
    _("")
    translation.gettext("Through the module")
    npgettext("tasks", "%(count)s task", "%(count)s tasks", n)
    return ngettext("%(count)d day", "%(count)d days", n) % {"count": n}
"""

PAGE_HTML = """{% load i18n %}
{% translate "Hello" %}
{% translate "May" context "month" as may %}
{% blocktranslate trimmed with name=user.name %}
  Welcome,
  {{ name }}
{% endblocktranslate %}
{% blocktranslate count counter=items|length %}One item{% plural %}{{ counter }} items{% endblocktranslate %}
{% blocktranslate context "greeting" asvar hi %}Hi{% endblocktranslate %}
{{ value|default:_("Nothing yet") }}
{# Translators: a note that mentions gettext("not a message") #}
{% translate "100% done" %}
"""


def make_app(root: Path) -> i18n.Catalogue:
    """A tiny app on disk: a models module and a template."""
    app = root / "fakeapp"
    (app / "templates" / "fakeapp").mkdir(parents=True)
    (app / "models.py").write_text(MODELS_PY, encoding="utf-8")
    (app / "templates" / "fakeapp" / "page.html").write_text(PAGE_HTML, encoding="utf-8")
    return i18n.Catalogue(label="fakeapp", root=app)


def write_catalogue(catalogue: i18n.Catalogue, translate=None, *, compile_mo=True) -> polib.POFile:
    """A vi catalogue with every extracted message, translated by ``translate(entry)``."""
    messages, errors = i18n.extract(catalogue)
    assert not errors
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "vi",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for message in messages.values():
        entry = polib.POEntry(
            msgid=message.msgid,
            msgctxt=message.msgctxt,
            msgid_plural=message.msgid_plural or "",
            occurrences=message.occurrences,
        )
        if message.msgid_plural:
            entry.msgstr_plural = {0: "vi: " + message.msgid_plural}
        else:
            entry.msgstr = "vi: " + message.msgid
        if translate:
            translate(entry)
        po.append(entry)
    catalogue.po_path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(catalogue.po_path))
    if compile_mo:
        po.save_as_mofile(str(catalogue.mo_path))
    return po


def keys(messages: dict) -> set:
    return {(m.msgctxt, m.msgid, m.msgid_plural) for m in messages.values()}


# -- Extraction ---------------------------------------------------------------------------


def test_python_extraction_finds_every_gettext_call_with_literal_strings(tmp_path):
    messages, errors = i18n.extract(make_app(tmp_path))

    assert not errors
    python = {k for k, m in ((k, m) for k, m in messages.items()) if m.where.startswith("models")}
    assert {messages[k].msgid for k in python} == {
        "Red",
        "name",
        "Shown joined",
        "Kind",
        "thing",
        "Through the module",
        "%(count)s task",
        "%(count)d day",
    }
    assert messages[("thing kind", "Kind")].msgctxt == "thing kind"
    assert messages[("tasks", "%(count)s task")].msgid_plural == "%(count)s tasks"
    assert messages[(None, "%(count)d day")].msgid_plural == "%(count)d days"
    assert messages[(None, "Red")].occurrences == [("models.py", 8)]


def test_template_extraction_follows_templatize(tmp_path):
    messages, _errors = i18n.extract(make_app(tmp_path))

    templates = {k for k, m in messages.items() if m.where.startswith("templates")}
    assert {
        (messages[k].msgctxt, messages[k].msgid, messages[k].msgid_plural) for k in templates
    } == {
        (None, "Hello", None),
        ("month", "May", None),
        (None, "Welcome, %(name)s", None),
        (None, "One item", "%(counter)s items"),
        ("greeting", "Hi", None),
        (None, "Nothing yet", None),
        (None, "100%% done", None),  # templatize doubles % as the translate tag does at runtime
    }
    assert messages[(None, "Hello")].occurrences == [("templates/fakeapp/page.html", 2)]


def test_gettext_of_an_f_string_is_extracted_as_xgettext_does_and_reported(tmp_path):
    catalogue = make_app(tmp_path)
    (catalogue.root / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "def f(n):\n"
        '    a = _(f"Static")\n'
        '    return _(f"{n} left, " "{{literal}}")\n'
    )

    messages, errors = i18n.extract(catalogue)

    assert (None, "Static") in messages
    assert (None, "{n} left, {{literal}}") in messages
    assert [(e.kind, e.path, e.line, e.msgid) for e in errors] == [
        ("f-string", "views.py", 4, "{n} left, {{literal}}")
    ]


def test_template_with_a_block_tag_inside_blocktranslate_is_reported(tmp_path):
    catalogue = make_app(tmp_path)
    broken = catalogue.root / "templates" / "fakeapp" / "broken.html"
    broken.write_text(
        "{% load i18n %}{% blocktranslate %}{% if x %}y{% endif %}{% endblocktranslate %}"
    )

    _messages, errors = i18n.extract(catalogue)

    assert [e.path for e in errors] == ["templates/fakeapp/broken.html"]


def test_sources_skip_locale_hidden_and_excluded_folders(tmp_path):
    catalogue = make_app(tmp_path)
    (catalogue.root / "locale").mkdir()
    (catalogue.root / "locale" / "x.py").write_text("_('no')")
    (catalogue.root / ".hidden").mkdir()
    (catalogue.root / ".hidden" / "y.py").write_text("_('no')")
    (catalogue.root / "data.json").write_text("{}")
    inner = catalogue.root / "inner"
    inner.mkdir()
    (inner / "z.py").write_text("_('inner')")

    narrowed = i18n.Catalogue("fakeapp", catalogue.root, exclude=(inner,))

    assert [p.name for p in narrowed.sources()] == ["models.py", "page.html"]
    assert narrowed.covers(catalogue.root / "models.py")
    assert not narrowed.covers(inner / "z.py")


def test_project_catalogues_give_each_lamtheo_app_its_own_and_the_rest_to_locale_paths(settings):
    catalogues = i18n.project_catalogues()
    project = catalogues[-1]

    assert project.label == "lamtheo"
    assert project.locale_dir == Path(settings.LOCALE_PATHS[0])
    assert {c.label for c in catalogues[:-1]} >= {"core", "org", "programme"}
    org = next(c for c in catalogues if c.label == "org")
    assert org.po_path.as_posix().endswith("lamtheo/org/locale/vi/LC_MESSAGES/django.po")
    assert org.covers(org.root / "models.py")
    assert not project.covers(org.root / "models.py")
    assert project.covers(project.root / "templates" / "base.html")
    assert project.covers(project.root / "settings.py")


# -- Placeholders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", None),
        ("Done: 50%", None),  # not a valid format: never used with %
        ("50% off", ("%o",)),  # valid, alas: "% o" is a space-flagged octal
        ("%(b)s and %(a)d", ("%(a)d", "%(b)s")),
        ("%s of %d", ("%s", "%d")),
        ("100%% done", ()),
        ("%(a)s %s", None),
    ],
)
def test_python_format_reads_placeholders(text, expected):
    assert i18n.python_format(text) == expected


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ok"),
    [
        ("Hello, %(name)s", "Xin chào, %(name)s", True),
        ("Hello, %(name)s", "Xin chào", False),
        ("Hello, %(name)s", "Xin chào, %(ten)s", False),
        ("%(a)s to %(b)s", "%(b)s đến %(a)s", True),
        ("%s of %d", "%d trên %s", False),
        ("100%% done", "Xong 100%%", True),
        ("100%% done", "Xong 100%", False),
        ("Plain", "Bình thường", True),
        ("Plain", "", True),
    ],
)
def test_format_mismatch_compares_msgid_and_msgstr(msgid, msgstr, ok):
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    assert (i18n.format_mismatch(entry) is None) is ok


def test_format_mismatch_for_plurals_uses_the_plural_form():
    entry = polib.POEntry(msgid="One day", msgid_plural="%(count)s days")
    entry.msgstr_plural = {0: "%(count)s ngày"}
    assert i18n.format_mismatch(entry) is None
    entry.msgstr_plural = {0: "%(n)s ngày"}
    assert "msgstr[0]" in i18n.format_mismatch(entry)


# -- check_catalogue ----------------------------------------------------------------------


def test_complete_compiled_catalogue_passes(tmp_path):
    catalogue = make_app(tmp_path)
    write_catalogue(catalogue)

    report = i18n.check_catalogue(catalogue)

    assert report.ok, report.problems
    assert report.messages == 15


def test_missing_catalogue_lists_every_message_with_its_place(tmp_path):
    catalogue = make_app(tmp_path)

    report = i18n.check_catalogue(catalogue, relative_to=tmp_path)

    assert report.missing == report.messages == 15
    red = next(p for p in report.problems if p.msgid == "Red")
    assert str(red).startswith("fakeapp: fakeapp/models.py:8: missing: 'Red'")


def test_message_missing_from_catalogue_fails(tmp_path):
    catalogue = make_app(tmp_path)
    write_catalogue(catalogue)
    models_py = catalogue.root / "models.py"
    models_py.write_text(MODELS_PY + 'NEW = _("Added later")\n')

    report = i18n.check_catalogue(catalogue)

    assert [(p.kind, p.msgid) for p in report.problems] == [("missing", "Added later")]
    assert report.problems[0].where == f"models.py:{len(models_py.read_text().splitlines())}"


def test_untranslated_and_fuzzy_entries_fail(tmp_path):
    catalogue = make_app(tmp_path)

    def translate(entry):
        if entry.msgid == "Red":
            entry.msgstr = ""
        if entry.msgid == "Hello":
            entry.flags.append("fuzzy")

    write_catalogue(catalogue, translate)

    report = i18n.check_catalogue(catalogue)

    assert sorted((p.kind, p.msgid) for p in report.problems) == [
        ("fuzzy", "Hello"),
        ("untranslated", "Red"),
    ]
    assert (report.untranslated, report.fuzzy) == (1, 1)


def test_placeholder_mismatch_fails(tmp_path):
    catalogue = make_app(tmp_path)

    def translate(entry):
        if entry.msgid == "Welcome, %(name)s":
            entry.msgstr = "Chào mừng, %(ten)s"

    write_catalogue(catalogue, translate)

    problems = i18n.check_catalogue(catalogue).problems

    assert [(p.kind, p.msgid) for p in problems] == [("placeholders", "Welcome, %(name)s")]
    assert "%(ten)s" in problems[0].detail


def test_changed_plural_counts_as_missing(tmp_path):
    catalogue = make_app(tmp_path)

    def translate(entry):
        if entry.msgid == "One item":
            entry.msgid_plural = "%(counter)s things"

    write_catalogue(catalogue, translate)

    problems = i18n.check_catalogue(catalogue).problems

    assert [(p.kind, p.msgid) for p in problems] == [("plural differs", "One item")]


def test_mo_missing_or_out_of_date_fails(tmp_path):
    catalogue = make_app(tmp_path)
    write_catalogue(catalogue, compile_mo=False)
    assert [p.kind for p in i18n.check_catalogue(catalogue).problems] == ["not compiled"]

    po = polib.pofile(str(catalogue.po_path))
    po.save_as_mofile(str(catalogue.mo_path))
    po.find("Red").msgstr = "Đỏ"
    po.save()  # the .po moved on, the .mo did not

    problems = i18n.check_catalogue(catalogue).problems
    assert [(p.kind, p.detail.split(";")[0]) for p in problems] == [
        ("out of date", "1 message(s) differ from the .po")
    ]


def test_mo_compiled_by_polib_is_read_by_python_gettext(tmp_path):
    catalogue = make_app(tmp_path)
    write_catalogue(catalogue, compile_mo=False)

    i18n.compile_catalogue(catalogue)

    catalog = i18n.runtime_catalog(catalogue.mo_path.read_bytes())
    assert catalog["Red"] == "vi: Red"
    assert catalog["month\x04May"] == "vi: May"
    assert catalog[("One item", 0)] == "vi: %(counter)s items"


def test_unused_entries_are_counted_not_failed(tmp_path):
    catalogue = make_app(tmp_path)
    po = write_catalogue(catalogue)
    po.append(polib.POEntry(msgid="Gone", msgstr="Đã bỏ"))
    po.save()
    po.save_as_mofile(str(catalogue.mo_path))

    report = i18n.check_catalogue(catalogue)

    assert report.ok
    assert report.stale == 1


# -- The commands -------------------------------------------------------------------------


def test_check_translations_command_fails_listing_app_place_and_msgid(tmp_path, monkeypatch):
    catalogue = make_app(tmp_path)
    write_catalogue(catalogue, lambda e: setattr(e, "msgstr", "") if e.msgid == "Red" else None)
    monkeypatch.setattr(i18n, "project_catalogues", lambda: [catalogue])
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 translation problem"):
        call_command("check_translations", stdout=out)

    assert "fakeapp: fakeapp/locale/vi/LC_MESSAGES/django.po:" in out.getvalue()
    assert "untranslated: 'Red' — fakeapp/models.py:8" in out.getvalue()
    assert "fakeapp: 15 strings, 0 missing, 1 untranslated" in out.getvalue()


def test_check_translations_command_passes_when_complete(tmp_path, monkeypatch):
    catalogue = make_app(tmp_path)
    write_catalogue(catalogue)
    monkeypatch.setattr(i18n, "project_catalogues", lambda: [catalogue])
    out = io.StringIO()

    call_command("check_translations", stdout=out)

    assert "Translations complete and compiled." in out.getvalue()


def test_update_translations_explains_that_it_needs_gettext(monkeypatch):
    monkeypatch.setattr(update_translations.shutil, "which", lambda name: None)

    with pytest.raises(CommandError, match="GNU gettext is needed"):
        call_command("update_translations")


@needs_gettext
def test_update_translations_extracts_sorted_keeps_locations_and_compiles(
    tmp_path, monkeypatch, settings
):
    settings.LOCALE_PATHS = [tmp_path / "project-locale"]
    catalogue = make_app(tmp_path)
    empty = i18n.Catalogue(label="empty", root=tmp_path / "empty")
    empty.root.mkdir()
    (empty.root / "apps.py").write_text("X = 1\n")
    monkeypatch.setattr(i18n, "project_catalogues", lambda: [catalogue, empty])
    out = io.StringIO()

    call_command("update_translations", stdout=out)

    po = polib.pofile(str(catalogue.po_path))
    msgids = [e.msgid for e in po]
    assert msgids == sorted(msgids)
    assert {(e.msgctxt, e.msgid, e.msgid_plural or None) for e in po} == keys(
        i18n.extract(catalogue)[0]
    )
    assert po.find("Red").occurrences == [("models.py", "8")]
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"].startswith("nplurals=1")
    assert catalogue.mo_path.exists()
    assert not empty.locale_dir.exists()  # no strings, no catalogue
    assert "fakeapp: " in out.getvalue() and "15 strings, 15 untranslated" in out.getvalue()

    # Translated, the check passes; with no source change a run leaves the files alone.
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: "vi: " + entry.msgid_plural}
        else:
            entry.msgstr = "vi: " + entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    call_command("update_translations", stdout=io.StringIO())
    before = catalogue.po_path.read_bytes(), catalogue.mo_path.read_bytes()
    assert i18n.check_catalogue(catalogue).ok

    call_command("update_translations", stdout=io.StringIO())

    assert (catalogue.po_path.read_bytes(), catalogue.mo_path.read_bytes()) == before


@needs_gettext
def test_extractor_agrees_with_makemessages_on_the_whole_project(tmp_path, settings):
    """The pure-Python check must see exactly the msgids ``makemessages`` extracts."""
    real = i18n.package_dir()
    copy = tmp_path / "lamtheo"
    shutil.copytree(real, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static"))
    settings.LOCALE_PATHS = [copy / "locale"]

    def moved(path: Path) -> Path:
        return copy / path.relative_to(real)

    compared = 0
    for original in i18n.project_catalogues():
        catalogue = i18n.Catalogue(
            original.label, moved(original.root), tuple(moved(p) for p in original.exclude)
        )
        messages, errors = i18n.extract(catalogue)
        assert not errors
        if not messages:
            continue
        update_translations.update_catalogue(catalogue)
        po = polib.pofile(str(catalogue.po_path))
        made = {(e.msgctxt, e.msgid, e.msgid_plural or None) for e in po}
        assert keys(messages) == made, catalogue.label
        flagged = {e.msgid for e in po if "python-format" in e.flags}
        assert flagged == {
            m.msgid
            for m in messages.values()
            if i18n.python_format(m.msgid) is not None
            or (m.msgid_plural and i18n.python_format(m.msgid_plural) is not None)
        }, catalogue.label
        compared += len(made)
    assert compared > 0
