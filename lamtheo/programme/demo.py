"""Demo programme years (step 20 of ``seed_demo``): 2020, issued by the historical district
committee with the theme of the source article, and the current year, issued by the province
under the «thực hành» wording used since 2026. Years are made by
``programme.services.create_programme_year``, which adds the party form (the six contents of
Công văn 2952-CV/BTCTW; content 3 holds the concrete tasks) and the state form for staff who
are not party members.

The themes are demonstration data in Vietnamese, as a committee would type them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lamtheo.core.demo import DemoContext, DemoFootprint, demo_reset, demo_step, purge
from lamtheo.org.models import Unit
from lamtheo.programme.models import FormContent, FormTemplate, ProgrammeYear
from lamtheo.programme.services import create_programme_year

PRACTICE_NAME = "Thực hành tư tưởng, đạo đức, phong cách Hồ Chí Minh"


@dataclass(frozen=True)
class YearText:
    theme_title: str
    theme_text: str
    guiding_document: str
    guiding_document_date: dt.date
    display_name: str = ""


THEME_2020 = YearText(
    theme_title=(
        "Tăng cường khối đại đoàn kết toàn dân tộc, xây dựng Đảng và hệ thống chính trị trong "
        "sạch, vững mạnh theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    ),
    theme_text=(
        "Chuyên đề toàn khóa giai đoạn 2016–2021, năm 2020 tập trung vào khối đại đoàn kết toàn "
        "dân tộc và xây dựng Đảng, hệ thống chính trị trong sạch, vững mạnh. Các chi, đảng bộ "
        "học tập, quán triệt chuyên đề; xây dựng kế hoạch làm theo của đơn vị; mỗi đảng viên, "
        "công chức, viên chức đăng ký việc làm cụ thể gắn với nhiệm vụ được giao; hằng tháng "
        "kiểm điểm trong sinh hoạt chi bộ, sơ kết giữa năm và tổng kết cuối năm."
    ),
    guiding_document="Hướng dẫn số 02-HD/BTGHU",
    guiding_document_date=dt.date(2020, 1, 6),
)


def current_theme(year: int) -> YearText:
    return YearText(
        theme_title=(
            "An Giang thực hành tư tưởng, đạo đức, phong cách Hồ Chí Minh, noi gương Bác Tôn "
            "về chăm lo đời sống nhân dân, xây dựng chính quyền địa phương hai cấp gần dân, "
            "sát dân, phục vụ nhân dân"
        ),
        theme_text=(
            f"Năm {year}, năm đầu thực hiện Nghị quyết Đại hội XIV của Đảng và Nghị quyết Đại hội "
            "Đảng bộ tỉnh nhiệm kỳ 2025–2030. Mỗi cán bộ, đảng viên, công chức, viên chức chọn "
            "vài việc làm cụ thể của công việc mình để thực hành: thái độ phục vụ người dân, giải "
            "quyết thủ tục hành chính đúng hẹn, chăm lo hộ nghèo, hộ khó khăn, giữ gìn an ninh "
            "trật tự, vệ sinh môi trường ở ấp, khu dân cư."
        ),
        guiding_document="Hướng dẫn số 15-HD/BTGDVTU",
        guiding_document_date=dt.date(year, 1, 12),
        display_name=PRACTICE_NAME,
    )


def create_year(ctx: DemoContext, issuer: Unit, year: int, text: YearText) -> ProgrammeYear:
    """Through the service, as a committee would: the year and its two default forms."""
    return create_programme_year(
        issuer=issuer,
        year=year,
        theme_title=text.theme_title,
        theme_text=text.theme_text,
        display_name=text.display_name,
        guiding_document=text.guiding_document,
        guiding_document_date=text.guiding_document_date,
        study_deadline=dt.date(year, 3, 31),
        plan_deadline=dt.date(year, 2, 28),
        commitment_deadline=dt.date(year, 3, 15),
        by=ctx.accounts["quantri"].user if "quantri" in ctx.accounts else None,
    )


@demo_step(order=20)
def programme_years(ctx: DemoContext) -> None:
    """2020 (district committee, theme of the source article) and the current year (province)."""
    ctx.years[2020] = create_year(ctx, ctx.district, 2020, THEME_2020)
    year = ctx.today.year
    if year != 2020:
        ctx.years[year] = create_year(ctx, ctx.province, year, current_theme(year))


@demo_reset(order=20)
def remove_programme_years(footprint: DemoFootprint) -> None:
    years = ProgrammeYear.objects.filter(issuer__in=footprint.units)
    purge(FormContent.objects.filter(form__programme_year__in=years))
    purge(FormTemplate.objects.filter(programme_year__in=years))
    purge(years)
