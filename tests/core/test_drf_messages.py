"""DRF's built-in messages have Vietnamese in our catalogue (``lamtheo/core/drf_messages.py``),
and that Vietnamese is what Django picks when the request is in Vietnamese."""

from __future__ import annotations

import re
from pathlib import Path

import rest_framework
from django.utils import translation

from lamtheo.core import authentication, drf_messages, i18n

#: ``{max_length}``, ``{code_point:X}``, ``%(pk)s``, ``%(num)d``.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[a-z]")

#: Written the same in Vietnamese.
SAME_IN_VIETNAMESE = {"Token"}

#: The DRF modules whose messages an API answer can carry.
DRF_MODULES = (
    "fields",
    "relations",
    "exceptions",
    "serializers",
    "authentication",
    "pagination",
    "parsers",
    "validators",
    "authtoken/serializers",
)


def messages_of(path: Path) -> list[i18n.Found]:
    return i18n.extract_python(path.read_text(encoding="utf-8"), str(path))


def ours() -> list[i18n.Found]:
    """The msgids of the module, plus the ones the API's exception handler words itself."""
    return [*messages_of(Path(drf_messages.__file__)), *messages_of(Path(authentication.__file__))]


def compiled_core() -> dict:
    core = next(c for c in i18n.project_catalogues() if c.label == "core")
    return i18n.runtime_catalog(core.mo_path.read_bytes())


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_module_lists_every_message_of_the_drf_modules_the_api_uses():
    root = Path(rest_framework.__file__).parent
    drf = {item.msgid for module in DRF_MODULES for item in messages_of(root / f"{module}.py")}
    listed = {text for item in ours() for text in (item.msgid, item.msgid_plural) if text}
    assert drf - listed == set(), "DRF has new messages: add them to lamtheo/core/drf_messages.py"


def test_every_message_has_vietnamese_with_the_same_placeholders():
    catalogue = compiled_core()
    problems = []
    for found in ours():
        if found.msgid_plural:
            vietnamese = catalogue.get((found.msgid, 0), "")
            if placeholders(found.msgid_plural) != placeholders(found.msgid):
                problems.append(f"{found.msgid!r}: singular and plural differ")
        else:
            vietnamese = catalogue.get(found.msgid, "")
        if not vietnamese.strip() or (
            vietnamese == found.msgid and found.msgid not in SAME_IN_VIETNAMESE
        ):
            problems.append(f"{found.msgid!r}: no Vietnamese")
        elif placeholders(vietnamese) != placeholders(found.msgid):
            problems.append(f"{found.msgid!r}: placeholders {placeholders(vietnamese)}")
    assert len(ours()) > 100
    assert problems == []


def test_our_vietnamese_wins_over_the_catalogue_of_drf():
    # DRF's own vi catalogue translates a few of these differently; lamtheo.core comes
    # before rest_framework in INSTALLED_APPS, so ours is the one a request gets.
    catalogue = compiled_core()
    with translation.override("vi"):
        for found in ours():
            if not found.msgid_plural:
                assert translation.gettext(found.msgid) == catalogue[found.msgid], found.msgid
        assert translation.gettext("Not found.") == "Không tìm thấy."
    with translation.override("en"):
        assert translation.gettext("Invalid page.") == "Invalid page."
