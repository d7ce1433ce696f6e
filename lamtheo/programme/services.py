"""Writes to programme years: create one with its two default commitment forms, edit it,
copy it to another year, and edit a form's ordered contents.

Keyword-only functions, one transaction each, history attributed to ``by``; a broken rule
raises ``DomainError`` with a translated message. Whether ``by`` may write over the issuer
is decided before (``scope.plans_for_unit(issuer)``).

The default texts are Vietnamese data, not interface strings: they are what is printed on
the forms, and the committee edits them afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats
from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.org.models import COMMITTEE_KINDS, Unit
from lamtheo.programme.models import Audience, FormContent, FormTemplate, ProgrammeYear

YEAR_FIELDS = (
    "display_name",
    "theme_title",
    "theme_text",
    "guiding_document",
    "guiding_document_date",
    "study_deadline",
    "plan_deadline",
    "commitment_deadline",
    "monthly_review_day",
    "mid_year_date",
    "year_end_date",
)
DATE_FIELDS = (
    "guiding_document_date",
    "study_deadline",
    "plan_deadline",
    "commitment_deadline",
    "mid_year_date",
    "year_end_date",
)

# --------------------------------------------------------------------------------------------
# Default forms
# --------------------------------------------------------------------------------------------

_ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def congress_for_year(year: int) -> str:
    """The Party Congress whose resolution a year's commitment acts on: the XII Congress
    (January 2016) for 2016–2020, XIII for 2021–2025, XIV from 2026; every five years."""
    return _roman(12 + (max(year, 2016) - 2016) // 5)


def party_form_contents(year: int) -> list[tuple[str, str, bool]]:
    """The six contents of the commitment form of Công văn 2952-CV/BTCTW (20/06/2017), as
    listed by the source article: (title, prompt, holds concrete tasks)."""
    congress = congress_for_year(year)
    return [
        (
            "Về tư tưởng chính trị",
            "Tuyệt đối trung thành với lợi ích của Đảng, của quốc gia - dân tộc và nhân dân; "
            "kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, mục tiêu, lý tưởng về độc "
            "lập dân tộc, chủ nghĩa xã hội, đường lối đổi mới của Đảng.",
            False,
        ),
        (
            "Về phẩm chất đạo đức, lối sống",
            "Nêu gương cần, kiệm, liêm, chính, chí công vô tư; không tham nhũng, lãng phí, "
            "quan liêu, cơ hội, vụ lợi; gần gũi, lắng nghe và có trách nhiệm với nhân dân.",
            False,
        ),
        (
            "Về thực hiện chức trách, nhiệm vụ được giao",
            "Chọn một vài nhiệm vụ cụ thể trong công việc của mình, phù hợp với chuyên đề "
            "năm, để làm thật tốt theo gương Bác; mỗi dòng một nhiệm vụ, có chỉ tiêu, số liệu "
            "hoặc thời hạn nếu có thể (để kiểm điểm hằng tháng, sơ kết, tổng kết). Không ghi "
            "chung chung như «hoàn thành tốt chức trách nhiệm vụ được giao».",
            True,
        ),
        (
            "Về tổ chức kỷ luật",
            "Chấp hành nguyên tắc tập trung dân chủ, quy chế làm việc, chế độ công tác; tham "
            "gia đầy đủ sinh hoạt chi bộ; giữ mối liên hệ với chi ủy, đảng ủy nơi cư trú.",
            False,
        ),
        (
            "Về khắc phục, sửa chữa những hạn chế, khuyết điểm thời gian qua và qua kiểm "
            "điểm, đánh giá chất lượng cán bộ, đảng viên cuối năm (nếu có)",
            "Nêu hạn chế, khuyết điểm đã được chỉ ra và việc làm cụ thể để khắc phục.",
            False,
        ),
        (
            f"Về kế hoạch hành động thực hiện Nghị quyết Đại hội {congress} của Đảng",
            f"Những việc bản thân làm để thực hiện Nghị quyết Đại hội {congress} của Đảng và "
            "nghị quyết đại hội đảng bộ các cấp.",
            False,
        ),
    ]


def state_form_contents(year: int) -> list[tuple[str, str, bool]]:
    """A default registration form for staff who are not party members: no central
    template exists, so this is a starting point for the province to adapt."""
    return [
        (
            "Về tư tưởng chính trị, phẩm chất đạo đức, lối sống",
            "Chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; giữ gìn phẩm "
            "chất đạo đức, lối sống giản dị, trung thực, khiêm tốn.",
            False,
        ),
        (
            "Về tác phong, lề lối làm việc, thái độ phục vụ nhân dân",
            "Chấp hành giờ giấc, nội quy cơ quan; tận tình hướng dẫn, hỗ trợ người dân.",
            False,
        ),
        (
            "Về thực hiện chức trách, nhiệm vụ được giao",
            "Chọn một vài nhiệm vụ cụ thể trong công việc của mình, phù hợp với chuyên đề "
            "năm; mỗi dòng một nhiệm vụ, có chỉ tiêu, số liệu hoặc thời hạn nếu có thể.",
            True,
        ),
        (
            "Về chấp hành kỷ luật, kỷ cương hành chính",
            "Thực hiện nghiêm quy chế làm việc, quy tắc ứng xử của cán bộ, công chức, viên chức.",
            False,
        ),
        (
            "Về khắc phục hạn chế, khuyết điểm (nếu có)",
            "Nêu hạn chế, khuyết điểm đã được chỉ ra và việc làm cụ thể để khắc phục.",
            False,
        ),
    ]


def _default_form_fields(audience: str, year: int, theme_title: str) -> dict[str, str]:
    if audience == Audience.PARTY:
        return {
            "header": "ĐẢNG CỘNG SẢN VIỆT NAM",
            "title": f"BẢN CAM KẾT TU DƯỠNG, RÈN LUYỆN, PHẤN ĐẤU NĂM {year}",
            "preamble": (
                "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học "
                "tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh và chuyên đề năm "
                f"{year} «{theme_title}», tôi xin cam kết tu dưỡng, rèn luyện, phấn đấu năm "
                f"{year} với những nội dung sau:"
            ),
            "closing": (
                "Trên đây là bản cam kết tu dưỡng, rèn luyện, phấn đấu của bản thân, đề nghị "
                "chi bộ giúp đỡ, giám sát để tôi thực hiện tốt."
            ),
        }
    return {
        "header": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "title": (
            f"BẢN ĐĂNG KÝ HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH NĂM {year}"
        ),
        "preamble": (
            "Thực hiện kế hoạch của cơ quan, đơn vị về học tập và làm theo tư tưởng, đạo đức, "
            f"phong cách Hồ Chí Minh năm {year}, chuyên đề «{theme_title}», tôi đăng ký thực "
            "hiện những nội dung sau:"
        ),
        "closing": (
            "Trên đây là bản đăng ký của bản thân, đề nghị thủ trưởng cơ quan, đơn vị theo "
            "dõi, giúp đỡ để tôi thực hiện tốt."
        ),
    }


def _create_form(
    programme_year: ProgrammeYear,
    audience: str,
    fields: dict[str, str],
    contents: list[tuple[str, str, bool]],
    by: Any,
) -> FormTemplate:
    form = FormTemplate(programme_year=programme_year, audience=audience, **fields)
    form._history_user = by
    form.save()
    for number, (title, prompt, holds_tasks) in enumerate(contents, start=1):
        content = FormContent(
            form=form, number=number, title=title, prompt=prompt, holds_tasks=holds_tasks
        )
        content._history_user = by
        content.save()
    return form


@transaction.atomic
def create_default_forms(*, programme_year: ProgrammeYear, by: Any) -> list[FormTemplate]:
    """The default party and state forms for a year that lacks them (a year created
    before, or by an import); forms that exist are left alone."""
    existing = set(programme_year.forms.values_list("audience", flat=True))
    year, theme = programme_year.year, programme_year.theme_title
    made = []
    if Audience.PARTY not in existing:
        made.append(
            _create_form(
                programme_year,
                Audience.PARTY,
                _default_form_fields(Audience.PARTY, year, theme),
                party_form_contents(year),
                by,
            )
        )
    if Audience.STATE not in existing:
        made.append(
            _create_form(
                programme_year,
                Audience.STATE,
                _default_form_fields(Audience.STATE, year, theme),
                state_form_contents(year),
                by,
            )
        )
    return made


# --------------------------------------------------------------------------------------------
# Programme years
# --------------------------------------------------------------------------------------------


def _d(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _refuse_duplicate(issuer: Unit, year: int) -> None:
    if ProgrammeYear.objects.filter(issuer=issuer, year=year).exists():
        raise DomainError(
            _("«%(issuer)s» already has a programme year %(year)s.")
            % {"issuer": issuer, "year": year},
            field="year",
            code="duplicate",
        )


def _check_calendar(py: ProgrammeYear) -> None:
    if not 2016 <= py.year <= 2100:
        raise DomainError(_("The year must be between 2016 and 2100."), field="year")
    if not 1 <= py.monthly_review_day <= 28:
        raise DomainError(
            _("The monthly review day must be between 1 and 28."), field="monthly_review_day"
        )
    if py.year_end_date <= py.mid_year_date:
        raise DomainError(
            _("The year-end report date must be after the mid-year report date (%(date)s).")
            % {"date": _d(py.mid_year_date)},
            field="year_end_date",
        )


def _save_year(py: ProgrammeYear) -> None:
    try:
        with transaction.atomic():
            py.save()
    except IntegrityError:
        # Two people creating the same year at once: the constraint decides, we explain.
        _refuse_duplicate(py.issuer, py.year)
        raise


@transaction.atomic
def create_programme_year(
    *,
    issuer: Unit,
    year: int,
    theme_title: str,
    by: Any,
    theme_text: str = "",
    display_name: str = "",
    guiding_document: str = "",
    guiding_document_date: dt.date | None = None,
    study_deadline: dt.date | None = None,
    plan_deadline: dt.date | None = None,
    commitment_deadline: dt.date | None = None,
    monthly_review_day: int = 5,
    mid_year_date: dt.date | None = None,
    year_end_date: dt.date | None = None,
) -> ProgrammeYear:
    """A programme year issued by a party committee, with the default party form (the six
    contents of Công văn 2952-CV/BTCTW) and the default form for staff who are not members.
    The mid-year date defaults to 30/06 and the year-end date to 15/12."""
    if issuer.kind not in COMMITTEE_KINDS:
        raise DomainError(_("Only a party committee issues a programme year."), field="issuer")
    _refuse_duplicate(issuer, year)
    py = ProgrammeYear(
        issuer=issuer,
        year=year,
        theme_title=theme_title.strip(),
        theme_text=theme_text,
        display_name=display_name,
        guiding_document=guiding_document,
        guiding_document_date=guiding_document_date,
        study_deadline=study_deadline,
        plan_deadline=plan_deadline,
        commitment_deadline=commitment_deadline,
        monthly_review_day=monthly_review_day,
        mid_year_date=mid_year_date or ProgrammeYear.default_mid_year(year),
        year_end_date=year_end_date or ProgrammeYear.default_year_end(year),
    )
    _check_calendar(py)
    py._history_user = by
    _save_year(py)
    create_default_forms(programme_year=py, by=by)
    return py


@transaction.atomic
def update_programme_year(
    *, programme_year: ProgrammeYear, by: Any, reason: str = "", **fields: Any
) -> ProgrammeYear:
    """Change the theme, name or calendar of a year (not its issuer or number)."""
    unknown = set(fields) - set(YEAR_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme year fields: {sorted(unknown)}")
    py = ProgrammeYear.objects.select_for_update(of=("self",)).get(pk=programme_year.pk)
    for name, value in fields.items():
        setattr(py, name, value)
    _check_calendar(py)
    py._history_user = by
    if reason:
        py._change_reason = reason
    py.save()
    return py


def shift_year(day: dt.date | None, years: int) -> dt.date | None:
    """``day`` moved by ``years`` years; 29/02 becomes 28/02 in a year that has none."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _retarget_text(text: str, source_year: int, year: int) -> str:
    """Carry a form text to another year: «NĂM 2025» → «NĂM 2026», and the Congress of
    content 6 when the new year falls in the next term («Đại hội XIII» → «Đại hội XIV»)."""
    text = re.sub(rf"\b{source_year}\b", str(year), text)
    old, new = congress_for_year(source_year), congress_for_year(year)
    if old != new:
        text = re.sub(rf"(Đại hội\s+){old}\b", rf"\g<1>{new}", text)
    return text


@transaction.atomic
def copy_programme_year(*, source: ProgrammeYear, year: int, by: Any) -> ProgrammeYear:
    """A new year for the same issuer with ``source``'s theme fields (to edit afterwards),
    its forms and their contents, and its calendar moved by the difference in years."""
    if year == source.year:
        raise DomainError(_("Choose another year than the one copied."), field="year")
    _refuse_duplicate(source.issuer, year)
    shift = year - source.year
    py = ProgrammeYear(
        issuer=source.issuer,
        year=year,
        display_name=source.display_name,
        theme_title=source.theme_title,
        theme_text=source.theme_text,
        guiding_document=source.guiding_document,
        monthly_review_day=source.monthly_review_day,
        **{name: shift_year(getattr(source, name), shift) for name in DATE_FIELDS},
    )
    _check_calendar(py)
    py._history_user = by
    py._change_reason = _("Copied from %(year)s") % {"year": source.year}
    _save_year(py)
    for form in source.forms.prefetch_related("contents"):
        _create_form(
            py,
            form.audience,
            {
                "header": form.header,
                "title": _retarget_text(form.title, source.year, year),
                "preamble": _retarget_text(form.preamble, source.year, year),
                "closing": _retarget_text(form.closing, source.year, year),
            },
            [
                (
                    _retarget_text(c.title, source.year, year),
                    _retarget_text(c.prompt, source.year, year),
                    c.holds_tasks,
                )
                for c in form.contents.all()
            ],
            by,
        )
    return py


# --------------------------------------------------------------------------------------------
# Form contents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentData:
    """One content as the editor submits it; ``id`` is None for a new one."""

    title: str
    prompt: str = ""
    holds_tasks: bool = False
    id: int | None = None


@transaction.atomic
def update_form(
    *,
    form: FormTemplate,
    contents: list[ContentData],
    by: Any,
    header: str | None = None,
    title: str | None = None,
    preamble: str | None = None,
    closing: str | None = None,
    reason: str = "",
) -> FormTemplate:
    """Save a form's texts and its contents in the given order: contents are numbered
    1, 2, 3… as listed, those not listed are removed, those without ``id`` are added."""
    form = FormTemplate.objects.select_for_update(of=("self",)).get(pk=form.pk)
    if not contents:
        raise DomainError(_("A form needs at least one content."), field="contents")
    if not all(c.title.strip() for c in contents):
        raise DomainError(_("Every content needs a title."), field="contents")
    changed = False
    for name, value in (
        ("header", header),
        ("title", title),
        ("preamble", preamble),
        ("closing", closing),
    ):
        if value is not None and getattr(form, name) != value:
            setattr(form, name, value)
            changed = True
    if changed:
        form._history_user = by
        if reason:
            form._change_reason = reason
        form.save()

    existing = {c.pk: c for c in form.contents.select_for_update(of=("self",))}
    wanted_ids = {c.id for c in contents if c.id is not None}
    stray = wanted_ids - set(existing)
    if stray:
        raise DomainError(_("The form changed meanwhile; reload the page."), field="contents")
    for pk in set(existing) - wanted_ids:
        gone = existing.pop(pk)
        gone._history_user = by
        if reason:
            gone._change_reason = reason
        gone.delete()
    # Numbers are unique per form: park the kept contents out of the way first (no history
    # for this intermediate step), then give every content its final number.
    moving = [
        c.id for n, c in enumerate(contents, 1) if c.id is not None and existing[c.id].number != n
    ]
    if moving:
        FormContent.objects.filter(pk__in=moving).update(number=F("number") + 10000)
    for number, data in enumerate(contents, start=1):
        content = FormContent(form=form) if data.id is None else existing[data.id]
        new_values = {
            "number": number,
            "title": data.title.strip(),
            "prompt": data.prompt,
            "holds_tasks": data.holds_tasks,
        }
        unchanged = all(getattr(content, k) == v for k, v in new_values.items())
        if data.id is not None and data.id not in moving and unchanged:
            continue
        for key, value in new_values.items():
            setattr(content, key, value)
        content._history_user = by
        if reason:
            content._change_reason = reason
        content.save()
    return form
