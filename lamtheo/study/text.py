"""Free text typed into the study pages and API, stored in one form: NFC with the new tone
placement («hoà» → «hòa»), as unit and person names are (``lamtheo.core.text``). Phones and
some keyboards (VNI/Telex in decomposed mode, text pasted from a Mac) send decomposed
Unicode (NFD), which looks the same but matches nothing in a search or a comparison."""

from __future__ import annotations

from lamtheo.core.text import normalize_vi
from lamtheo.quality.normalize import canonical


def one_line(text: str | None) -> str:
    """A place, a topic, a reason: normalised, runs of spaces and line breaks made one space."""
    return normalize_vi(text or "")


def multi_line(text: str | None) -> str:
    """A note, a reflection, a comment: normalised, line breaks and inner spacing kept."""
    return canonical(text or "").strip()
