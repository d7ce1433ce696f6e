"""Document numbers: «Số 05-KH/CB» for party documents, «Số: 12/KH-UBND» for state ones.

Party documents are numbered per document type per committee term (nhiệm kỳ, QĐ 66-QĐ/TW,
HD 36-HD/VPTW); state documents per document type per calendar year (NĐ 30/2020/NĐ-CP).
The system proposes the next free number in the unit's numbering period and refuses a
number another document of the period already carries.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.org.models import Unit
from lamtheo.plans.models import DocumentFormat, Plan, PlanStatus

#: Party committee terms run five years from this year (2020-2025, 2025-2030…). The term
#: is a field of the plan: this only gives its default, and a unit may type another.
TERM_LENGTH = 5


def term_anchor() -> int:
    return int(getattr(settings, "LAMTHEO_PARTY_TERM_ANCHOR", 2020))


def default_term_label(day: dt.date) -> str:
    """The committee term a date falls in, e.g. «2025-2030». A congress year belongs to the
    term it opens (congresses are held in the first half of the year)."""
    anchor = term_anchor()
    start = anchor + ((day.year - anchor) // TERM_LENGTH) * TERM_LENGTH
    return f"{start}-{start + TERM_LENGTH}"


def doc_format_for(unit: Unit) -> str:
    return DocumentFormat.STATE if unit.is_state else DocumentFormat.PARTY


def numbering_period(*, doc_format: str, term_label: str, issue_date: dt.date) -> str:
    """The period numbers run in: the term for party documents, the year for state ones."""
    if doc_format == DocumentFormat.STATE:
        return str(issue_date.year)
    return term_label or default_term_label(issue_date)


def _same_series(*, unit: Unit, doc_type: str, period: str):
    return Plan.objects.filter(unit=unit, doc_type=doc_type, numbering_period=period).exclude(
        number__isnull=True
    )


def propose_number(*, unit: Unit, doc_type: str, period: str) -> int:
    """The next number after the highest one used in the unit's series (gaps stay gaps:
    a number once issued may have circulated on paper)."""
    highest = _same_series(unit=unit, doc_type=doc_type, period=period).aggregate(
        top=Max("number")
    )["top"]
    return (highest or 0) + 1


def ensure_number_free(*, plan: Plan) -> None:
    """Refuse a number that another document of the series carries. The version a
    correction replaces keeps its number (the correction may reuse it)."""
    if plan.number is None:
        return
    clash_q = _same_series(
        unit=plan.unit, doc_type=plan.doc_type, period=plan.numbering_period
    ).filter(number=plan.number)
    if plan.pk:
        clash_q = clash_q.exclude(pk=plan.pk)
    # Versions of the same document (the one corrected, and older ones) share the number.
    chain = Q(status=PlanStatus.SUPERSEDED)
    if plan.supersedes_id:
        chain |= Q(pk=plan.supersedes_id)
    clash = clash_q.exclude(chain).order_by("id").first()
    if clash is None:
        return
    raise DomainError(
        _(
            "Number %(symbol)s is already used by «%(title)s» dated %(date)s. "
            "The next free number is %(next)s."
        )
        % {
            "symbol": clash.symbol,
            "title": clash.title,
            "date": clash.issue_date.strftime("%d/%m/%Y"),
            "next": propose_number(
                unit=plan.unit, doc_type=plan.doc_type, period=plan.numbering_period
            ),
        },
        field="number",
        code="duplicate_number",
    )
