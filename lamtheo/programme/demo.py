"""Demo programme years (step 20 of ``seed_demo``): 2020, issued by the historical district
committee with the theme of the source article, and the current year, issued by the province
under the «thực hành» wording used since 2026. Each year has the party form (the six
contents of Công văn 2952-CV/BTCTW; content 3 holds the concrete tasks) and the state form
for staff who are not party members.

The texts are demonstration data in Vietnamese, as a committee would type them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lamtheo.core.demo import DemoContext, DemoFootprint, demo_reset, demo_step, purge
from lamtheo.programme.models import Audience, FormContent, FormTemplate, ProgrammeYear

PRACTICE_NAME = "Thực hành tư tưởng, đạo đức, phong cách Hồ Chí Minh"


@dataclass(frozen=True)
class YearText:
    theme_title: str
    theme_text: str
    guiding_document: str
    guiding_document_date: dt.date
    display_name: str = ""
    congress: str = "XIV"


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
    congress="XII",
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


def party_form(year: int, text: YearText, issuer: str) -> tuple[dict[str, Any], list[dict]]:
    form = {
        "header": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "title": f"Bản cam kết tu dưỡng, rèn luyện, phấn đấu năm {year}",
        "preamble": (
            "Căn cứ Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị; Kết luận số 01-KL/TW "
            "ngày 18/5/2021 của Bộ Chính trị; Công văn số 2952-CV/BTCTW ngày 20/6/2017 của Ban "
            f"Tổ chức Trung ương; {text.guiding_document} ngày "
            f"{text.guiding_document_date:%d/%m/%Y} của {issuer}. Sau khi học tập chuyên đề năm "
            f"{year} «{text.theme_title}», tôi xin cam kết tu dưỡng, rèn luyện, phấn đấu như sau:"
        ),
        "closing": (
            f"Trên đây là bản cam kết tu dưỡng, rèn luyện, phấn đấu năm {year} của bản thân. Đề "
            "nghị chi bộ theo dõi, giúp đỡ, giám sát tôi thực hiện."
        ),
    }
    contents = [
        ("Về tư tưởng chính trị",
         "Trung thành với Đảng, kiên định chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh; chấp hành "
         "chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước."),
        ("Về phẩm chất đạo đức, lối sống",
         "Giữ gìn phẩm chất, đạo đức, lối sống; nêu gương trong gia đình và nơi cư trú."),
        ("Về thực hiện chức trách, nhiệm vụ được giao",
         "Ghi vài việc làm cụ thể của công việc mình gắn với chuyên đề năm, có chỉ tiêu, số liệu, "
         "thời hạn nếu được (ví dụ: «hằng tuần đến 5 hộ nghèo của ấp để vận động…»). Tránh ghi "
         "chung chung như «hoàn thành tốt chức trách nhiệm vụ được giao»: chi bộ sẽ kiểm điểm "
         "từng việc hằng tháng."),
        ("Về tổ chức kỷ luật",
         "Chấp hành nguyên tắc tập trung dân chủ, sinh hoạt chi bộ đầy đủ, đóng đảng phí đúng "
         "quy định."),
        ("Về khắc phục hạn chế, khuyết điểm",
         "Những hạn chế, khuyết điểm đã được chỉ ra trong kiểm điểm năm trước (nếu có) và cách "
         "khắc phục."),
        (f"Kế hoạch hành động thực hiện Nghị quyết Đại hội {text.congress} của Đảng",
         "Việc bản thân sẽ làm để thực hiện Nghị quyết Đại hội Đảng các cấp tại đơn vị, nơi cư "
         "trú."),
    ]  # fmt: skip
    return form, [
        {"number": n, "title": t, "prompt": p, "holds_tasks": n == 3}
        for n, (t, p) in enumerate(contents, start=1)
    ]


def state_form(year: int, text: YearText) -> tuple[dict[str, Any], list[dict]]:
    form = {
        "header": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "title": f"Bản đăng ký học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
        f"năm {year}",
        "preamble": (
            f"Thực hiện {text.guiding_document} ngày {text.guiding_document_date:%d/%m/%Y} và kế "
            f"hoạch của đơn vị về chuyên đề năm {year} «{text.theme_title}», tôi đăng ký "
            "những nội dung sau:"
        ),
        "closing": "Tôi xin thực hiện nghiêm túc những nội dung đã đăng ký.",
    }
    contents = [
        ("Về học tập chuyên đề năm", "Tham gia học tập đầy đủ, viết bài thu hoạch."),
        ("Về đạo đức, lối sống, tác phong", "Tác phong, lề lối làm việc; văn hóa công vụ."),
        ("Việc làm cụ thể gắn với nhiệm vụ chuyên môn",
         "Vài việc làm cụ thể của công việc mình, có chỉ tiêu, thời hạn nếu được (ví dụ: «trả "
         "100% hồ sơ hộ tịch đúng hẹn»)."),
        ("Về thái độ phục vụ nhân dân", "Tinh thần, thái độ phục vụ người dân, học sinh, người "
         "bệnh."),
    ]  # fmt: skip
    return form, [
        {"number": n, "title": t, "prompt": p, "holds_tasks": n == 3}
        for n, (t, p) in enumerate(contents, start=1)
    ]


def create_year(ctx: DemoContext, issuer: Any, year: int, text: YearText) -> ProgrammeYear:
    programme_year = ProgrammeYear.objects.create(
        issuer=issuer,
        year=year,
        display_name=text.display_name,
        theme_title=text.theme_title,
        theme_text=text.theme_text,
        guiding_document=text.guiding_document,
        guiding_document_date=text.guiding_document_date,
        study_deadline=dt.date(year, 3, 31),
        plan_deadline=dt.date(year, 2, 28),
        commitment_deadline=dt.date(year, 3, 15),
        mid_year_date=ProgrammeYear.default_mid_year(year),
        year_end_date=ProgrammeYear.default_year_end(year),
    )
    contents: list[FormContent] = []
    for audience, (form, rows) in (
        (Audience.PARTY, party_form(year, text, issuer.name)),
        (Audience.STATE, state_form(year, text)),
    ):
        template = FormTemplate.objects.create(
            programme_year=programme_year, audience=audience, **form
        )
        contents += [FormContent(form=template, **row) for row in rows]
    ctx.bulk_create(FormContent, contents)
    return programme_year


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
