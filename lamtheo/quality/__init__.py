"""Pure-Python checks of commitment text (content 3): no Django import anywhere here.

Public API:

* :func:`classify` — label a content-3 item ``generic`` / ``specific_no_target`` /
  ``specific_with_target`` with a score, reasons in Vietnamese and the extracted targets;
* :func:`extract_targets` — the measurable targets of an item as dicts;
* :func:`find_copies` — batch near-copy detection (optionally per scope);
* :class:`CopyIndex` — incremental near-copy index (add, remove, check, save, load);
* :func:`canonical`, :func:`fold` — comparison keys of Vietnamese text.

The data an administrator may edit (catalogue of generic formulas, sector vocabulary, target
words) lives in ``lamtheo/quality/data/``; see ``docs/quality.md``.
"""

from .classify import (
    GENERIC,
    LABELS,
    SPECIFIC_NO_TARGET,
    SPECIFIC_WITH_TARGET,
    Classification,
    classify,
    extract_targets,
)
from .copies import CopyParams, Pair, find_copies
from .index import CopyIndex
from .normalize import canonical, fold

__all__ = [
    "GENERIC",
    "LABELS",
    "SPECIFIC_NO_TARGET",
    "SPECIFIC_WITH_TARGET",
    "Classification",
    "CopyIndex",
    "CopyParams",
    "Pair",
    "canonical",
    "classify",
    "extract_targets",
    "find_copies",
    "fold",
]
