"""Issue 4 on a phone: a cell secretary issues a study plan from the commune committee's,
deploys it (a member acknowledges it), records a study session for 25 members and a make-up
session, all on a 360-px screen by tapping and typing. And the same pages are a 404 for a
member of another cell.

Set-up goes through the services and factories (not the UI): the commune committee's issued
study plan, 25 current members in the secretary's cell, the programme year of this year.
Labels are looked up in the Vietnamese catalogue (``vi``) so the journey reads what the
secretary reads, and survives the translator rewording a label.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext
from playwright.sync_api import Page, expect

from lamtheo.plans import services as plan_services
from lamtheo.plans.models import Plan, PlanKind
from lamtheo.programme.models import ProgrammeYear
from lamtheo.study import services as study_services
from tests.e2e.conftest import fits_phone
from tests.factories import make_member, make_programme_year

#: 22 members besides the three of the ``world`` cell (member, secretary, colleague): 25.
MORE_MEMBERS = [
    "Nguyễn Thị An",
    "Trần Văn Bình",
    "Lê Thị Cúc",
    "Phạm Văn Dũng",
    "Hoàng Thị Dung",
    "Huỳnh Văn Giàu",
    "Phan Thị Hà",
    "Vũ Văn Hải",
    "Võ Thị Hằng",
    "Đặng Văn Hiếu",
    "Bùi Văn Bảy",
    "Đỗ Thị Tám",
    "Hồ Văn Chín",
    "Ngô Thị Lan",
    "Dương Văn Lộc",
    "Lý Thị Mai",
    "Trương Văn Minh",
    "Đinh Thị Nga",
    "Mai Văn Phúc",
    "Tạ Thị Quyên",
    "Châu Văn Sang",
    "La Thị Thu",
]
#: Absent from the session: two with a reason, one without. Two of them come to the make-up.
EXCUSED = {"Bùi Văn Bảy": "Ốm, nằm viện", "Đỗ Thị Tám": "Đi công tác tỉnh"}
UNEXCUSED = "Hồ Văn Chín"
MADE_UP = ["Bùi Văn Bảy", "Hồ Văn Chín"]

CELL = "Chi bộ ấp Đông Bình"
SUPERIOR_TITLE = "Học tập, quán triệt chuyên đề năm về học tập và làm theo tư tưởng Hồ Chí Minh"
SUPERIOR_SECTIONS = [
    ("I. MỤC ĐÍCH, YÊU CẦU", "Cán bộ, đảng viên nắm vững nội dung chuyên đề."),
    ("II. NỘI DUNG", "Học tập chuyên đề; mỗi đảng viên viết bản thu hoạch."),
    ("III. TỔ CHỨC THỰC HIỆN", "Các chi bộ xây dựng kế hoạch của chi bộ và tổ chức học tập."),
]
CELL_TITLE = "Học tập, quán triệt chuyên đề năm tại Chi bộ ấp Đông Bình"
CELL_CONTENT = "Học tập chuyên đề tại hội trường ấp; đảng viên vắng mặt học bù trong tuần."
PLACE = "Hội trường ấp Đông Bình"
PARTY_SYMBOL = re.compile(r"Số \d{2}-KH\/CB")  # «/» escaped for Playwright


def vi(msgid: str, context: str | None = None) -> str:
    """What the Vietnamese interface shows for an English msgid."""
    with translation.override("vi"):
        return pgettext(context, msgid) if context else gettext(msgid)


def vi_n(singular: str, plural: str, count: int, **values: object) -> str:
    with translation.override("vi"):
        return ngettext(singular, plural, count) % values


#: What the person sees or hears: the text, and placeholders, titles and ARIA labels.
VISIBLE_TEXT_JS = """() => {
  const attrs = [...document.querySelectorAll("[placeholder],[title],[aria-label]")]
    .map((el) => ["placeholder", "title", "aria-label"].map((a) => el.getAttribute(a)))
    .flat().filter(Boolean);
  return [document.title, document.body.innerText, ...attrs].join("\\n");
}"""


def shot(page: Page, step: str) -> None:
    """The page fits 360 px (nothing to scroll sideways). Leaves a full-page screenshot
    and the page's text (for spotting untranslated strings) in /tmp."""
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=f"/tmp/e2e-journey-{step}.png", full_page=True)
    Path(f"/tmp/e2e-journey-{step}.txt").write_text(page.evaluate(VISIBLE_TEXT_JS))
    assert fits_phone(page), f"{step}: the page is {width} px wide on a 360-px screen"


def expect_figure(page: Page, label: str, value: str) -> None:
    """The big number of the summary card labelled ``label`` (deployment, session, stats)
    reads ``value`` (waiting for the page that shows it)."""
    card = page.locator("main .card-body").filter(has=page.get_by_text(label, exact=True))
    expect(card.locator(".fw-bold").first).to_have_text(value)


def save_sheet(page: Page) -> None:
    # By its name attribute: the button's icon (no aria-hidden) adds a glyph to its name.
    save = page.locator('#attendance-sheet button[name="action"][value="save"]')
    expect(save).to_contain_text(vi("Save"))
    save.tap()


def open_menu_item(page: Page, url: str) -> None:
    page.locator(".navbar-toggler").tap()
    page.locator(f'#mainnav a[href="{url}"]').tap()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))


def ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- set-up ---------------------------------------------------------------------------


def _this_year(world) -> ProgrammeYear:
    year = timezone.localdate().year
    existing = ProgrammeYear.objects.filter(issuer=world.commune, year=year).first()
    return existing or make_programme_year(world.commune, year)


def _issued_commune_plan(world) -> Plan:
    today = timezone.localdate()
    plan = plan_services.create_plan(
        unit=world.commune,
        kind=PlanKind.STUDY,
        year=today.year,
        title=SUPERIOR_TITLE,
        issue_date=max(today - dt.timedelta(days=7), dt.date(today.year, 1, 1)),
        by=world.user("oversight"),
        sections=SUPERIOR_SECTIONS,
    )
    return plan_services.issue_plan(plan=plan, by=world.user("oversight"))


@pytest.fixture
def cell_of_25(world):
    """The ``world`` with 25 current members in the secretary's cell, this year's
    programme and the commune committee's issued study plan."""
    for name in MORE_MEMBERS:
        make_member(world.cell_a, name)
    _this_year(world)
    world.superior_plan = _issued_commune_plan(world)
    return world


# --- the journey ----------------------------------------------------------------------


def test_secretary_follows_the_superior_plan_deploys_it_and_records_a_session_and_a_makeup(
    phone, new_phone, cell_of_25, log_in
):
    world = cell_of_25
    today = ddmmyyyy(timezone.localdate())

    # 1. From the inbox, start from the commune's plan; edit the draft; issue it.
    log_in(phone, "secretary")
    phone.get_by_role("link", name=vi("Open the inbox")).tap()
    expect(phone.locator("main")).to_contain_text(SUPERIOR_TITLE)
    shot(phone, "1-inbox")
    phone.get_by_role("link", name=vi("Issue your own plan based on this")).tap()

    expect(phone.get_by_role("heading", name=vi("Start from the superior's plan"))).to_be_visible()
    expect(phone.locator("#id_unit")).to_have_value(str(world.cell_a.pk))
    shot(phone, "1-follow")
    phone.get_by_role("button", name=vi("Create the draft")).tap()

    expect(phone.get_by_role("heading", name=vi("Edit the draft"))).to_be_visible()
    header = phone.locator("main p.text-muted").first
    expect(header).to_contain_text(CELL)
    expect(header).to_contain_text(PARTY_SYMBOL)
    expect(phone.locator("#id_title")).to_have_value(SUPERIOR_TITLE)
    for i, (heading, text) in enumerate(SUPERIOR_SECTIONS):
        expect(phone.locator(f"#id_s-{i}-heading")).to_have_value(heading)
        expect(phone.locator(f"#id_s-{i}-text")).to_have_value(text)
    shot(phone, "1-draft")
    phone.locator("#id_title").fill(CELL_TITLE)
    phone.locator("#id_s-1-text").fill(CELL_CONTENT)
    phone.get_by_role("button", name=vi("Save the draft")).tap()

    main = phone.locator("main")
    expect(main.locator(".alert-success")).to_contain_text(vi("Draft saved."))
    expect(main.locator("article")).to_contain_text(CELL_TITLE)
    expect(main.locator("article")).to_contain_text(CELL_CONTENT)
    # The cell's own header: its name under the commune committee's, its own number.
    expect(main.locator("article .fw-bold.text-uppercase")).to_have_text(CELL)
    expect(main.locator("article").get_by_text(PARTY_SYMBOL)).to_be_visible()
    expect(main.locator("article")).to_contain_text(world.superior_plan.symbol_cited)
    expect(main.locator(".badge").first).to_have_text(vi("Draft"))
    shot(phone, "1-draft-saved")
    main.get_by_role("link", name=vi("Issue"), exact=True).tap()

    expect(main).to_contain_text(
        vi_n(
            "It will be delivered to %(n)s person.",
            "It will be delivered to %(n)s people.",
            25,
            n=25,
        )
    )
    shot(phone, "1-issue-confirm")
    phone.get_by_role("button", name=vi("Issue and deliver")).tap()

    # 2. Issuing deploys: 25 members have it, nobody has read it yet.
    expect(main.locator(".alert-success")).to_contain_text(vi("Plan issued and delivered."))
    expect(phone.get_by_role("heading", name=vi("Deployment"))).to_be_visible()
    expect_figure(phone, vi("delivered"), "25")
    expect_figure(phone, vi("read"), "0")
    expect_figure(phone, vi("not yet read"), "25")
    shot(phone, "2-deployment")
    main.get_by_role("link", name=PARTY_SYMBOL).tap()

    symbol = main.locator("article").get_by_text(PARTY_SYMBOL)
    expect(symbol).to_be_visible()
    expect(main.locator(".badge").first).to_have_text(vi("Issued"))
    issued_symbol = symbol.inner_text().strip()
    shot(phone, "1-issued")

    member = new_phone()
    log_in(member, "member")
    member.get_by_role("link", name=vi("Open the inbox")).tap()
    card = member.locator("main .card").filter(has_text=CELL_TITLE)
    expect(card).to_contain_text(issued_symbol)
    shot(member, "2-member-inbox")
    card.get_by_role("button", name=vi("I have read it")).tap()
    expect(member.locator("main .alert-success").first).to_contain_text(
        vi("Thank you: marked as read.")
    )
    expect(member.locator("main")).to_contain_text(vi("Nothing waiting for you."))
    shot(member, "2-member-acknowledged")

    main.get_by_role("link", name=vi("Who has read it")).tap()
    expect_figure(phone, vi("read"), "1")
    expect_figure(phone, vi("not yet read"), "24")
    read_list = main.get_by_role("heading", name=vi("Read"), exact=True).locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(read_list).to_contain_text(world.people.member.full_name)
    shot(phone, "2-deployment-after-read")

    # 3. A study session of the cell deploying that plan: 22 present, 3 absent.
    open_menu_item(phone, reverse("study:session-list"))
    phone.get_by_role("link", name=vi("Plan a session")).tap()
    expect(phone.locator("#id_unit")).to_have_value(str(world.cell_a.pk))
    phone.locator("#id_date").fill(today)
    phone.locator("#id_start_time").fill("19:30")
    phone.locator("#id_place").fill(PLACE)
    phone.locator("#id_plan").select_option(label=f"{issued_symbol} ({today}) — {CELL}")
    shot(phone, "3-session-form")
    main.get_by_role("button", name=vi("Save"), exact=True).tap()

    expect(main.locator(".alert-success")).to_contain_text(
        vi("Session planned: %(count)s people expected.") % {"count": 25}
    )
    expect(main.locator("dl")).to_contain_text(f"{issued_symbol} ({today}) — {CELL}")
    shot(phone, "3-session")
    main.get_by_role("link", name=vi("Record attendance")).tap()

    expect(phone.locator(".att-row")).to_have_count(25)
    phone.get_by_role("button", name=vi("Mark all present")).tap()
    expect(phone.locator(".att-status:checked")).to_have_count(25)
    for name, reason in EXCUSED.items():
        row = phone.locator(".att-row").filter(has_text=name)
        row.get_by_text(vi("Excused", "attendance toggle"), exact=True).tap()
        reason_box = row.get_by_label(vi("Reason for absence"))
        expect(reason_box).to_be_focused()  # the sheet asks for the reason at once
        reason_box.fill(reason)
        reason_box.blur()  # like tapping elsewhere: the row saves on its own
        expect(row.locator(".att-saved")).to_have_text(vi("Saved"))
    row = phone.locator(".att-row").filter(has_text=UNEXCUSED)
    row.get_by_text(vi("Unexcused", "attendance toggle"), exact=True).tap()
    expect(row.locator(".att-saved")).to_have_text(vi("Saved"))
    expect(row.get_by_label(vi("Reason for absence"))).to_be_hidden()
    shot(phone, "3-attendance")
    save_sheet(phone)

    expect(main.locator(".alert-success")).to_be_visible()
    expect_figure(phone, vi("Expected"), "25")
    expect_figure(phone, vi("Present"), "22")
    expect_figure(phone, vi("Absent with reason"), "2")
    expect_figure(phone, vi("Absent without reason"), "1")
    expect_figure(phone, vi("Not recorded"), "0")
    for name, reason in EXCUSED.items():
        expect(main.locator("li").filter(has_text=name)).to_contain_text(reason)
    shot(phone, "3-session-recorded")

    # 4. The make-up session expects exactly the three absentees; two of them come.
    main.get_by_role(
        "link",
        name=vi_n(
            "Create a make-up session for the %(counter)s absent person",
            "Create a make-up session for the %(counter)s absent people",
            3,
            counter=3,
        ),
    ).tap()
    owed = main.locator("ul.list-group > li")
    expect(owed).to_have_count(3)
    for name in [*EXCUSED, UNEXCUSED]:
        expect(owed.filter(has_text=name)).to_have_count(1)
    expect(phone.locator("#id_place")).to_have_value(PLACE)
    phone.locator("#id_date").fill(today)
    phone.locator("#id_start_time").fill("07:30")
    shot(phone, "4-makeup-form")
    main.get_by_role("button", name=vi("Plan the make-up session")).tap()

    expect(main.locator(".alert-success")).to_contain_text(
        vi("Make-up session planned for %(count)s people.") % {"count": 3}
    )
    expect(main.get_by_role("heading", level=1)).to_contain_text(vi("Make-up session"))
    expect_figure(phone, vi("Expected"), "3")
    expected = main.locator("li.list-group-item")
    expect(expected).to_have_count(3)
    for name in [*EXCUSED, UNEXCUSED]:
        expect(expected.filter(has_text=name)).to_have_count(1)
    shot(phone, "4-makeup")
    main.get_by_role("link", name=vi("Record attendance")).tap()

    expect(phone.locator(".att-row")).to_have_count(3)
    for name in MADE_UP:
        row = phone.locator(".att-row").filter(has_text=name)
        row.get_by_text(vi("Present"), exact=True).tap()
        expect(row.locator(".att-saved")).to_have_text(vi("Saved"))
    shot(phone, "4-makeup-attendance")
    save_sheet(phone)

    expect_figure(phone, vi("Present"), "2")
    expect_figure(phone, vi("Not recorded"), "1")
    shot(phone, "4-makeup-recorded")
    main.locator("dl").get_by_role("link", name=today).tap()  # «Makes up»: the session

    made_up = main.locator("li.list-group-item").filter(
        has=phone.get_by_text(vi("Made up"), exact=True)
    )
    expect(made_up).to_have_count(2)
    for name in MADE_UP:
        expect(made_up.filter(has_text=name)).to_have_count(1)
    shot(phone, "4-session-made-up")

    open_menu_item(phone, reverse("study:session-list"))
    main.get_by_role("link", name=vi("Statistics")).tap()
    expect_figure(phone, vi("Present or made up / expected"), "24/25")
    expect_figure(phone, vi("Still absent"), "1")
    cell_row = main.locator("table tbody tr").filter(has_text=CELL)
    cells = cell_row.locator("td")
    # Expected, present, made up, excused, absent, not recorded.
    expect(cells.nth(0)).to_have_text("25")
    expect(cells.nth(1)).to_have_text("22")
    expect(cells.nth(2)).to_have_text("2")
    shot(phone, "4-stats")


# --- outside the cell -----------------------------------------------------------------


def test_member_of_another_cell_gets_the_404_page_for_this_cells_plan_and_session(
    phone, cell_of_25, log_in
):
    world = cell_of_25
    secretary = world.user("secretary")
    plan = plan_services.start_from_superior(
        superior=world.superior_plan, unit=world.cell_a, by=secretary
    )
    plan = plan_services.issue_plan(plan=plan, by=secretary)
    session = study_services.create_study_session(
        unit=world.cell_a, date=timezone.localdate(), plan=plan, place=PLACE, by=secretary
    )

    log_in(phone, "other_member")
    for url in (
        reverse("plans:plan-detail", args=[plan.pk]),
        reverse("plans:plan-deployment", args=[plan.pk]),
        reverse("study:session-detail", args=[session.pk]),
        reverse("study:session-attendance", args=[session.pk]),
    ):
        response = phone.goto(url)
        assert response is not None and response.status == 404, url
        expect(phone.get_by_role("heading", name=vi("Page not found"))).to_be_visible()
        expect(phone.locator("main")).not_to_contain_text(plan.symbol)
        expect(phone.locator("main")).not_to_contain_text(PLACE)
    shot(phone, "5-other-cell-404")
