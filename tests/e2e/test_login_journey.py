"""First journeys: a member on a phone logs in, finds their cell, uses the menu, logs out."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import no_horizontal_scroll

SCREENSHOT = "/tmp/e2e-home.png"


def test_member_logs_in_on_a_phone_sees_their_cell_and_opens_units_from_the_menu(
    phone, world, log_in
):
    log_in(phone, "member")

    expect(phone).to_have_url(re.compile(r"/$"))
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    main = phone.locator("main")
    expect(main).to_contain_text("Nguyễn Văn Đảng")
    expect(main.get_by_role("link", name="Chi bộ ấp Đông Bình")).to_be_visible()
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=SCREENSHOT, full_page=True)

    menu = phone.locator("#mainnav")
    expect(menu).to_be_hidden()
    phone.locator(".navbar-toggler").tap()
    expect(menu).to_be_visible()
    units = reverse("org:unit-list")
    menu.locator(f'a[href="{units}"]').tap()

    expect(phone).to_have_url(re.compile(re.escape(units) + "$"))
    expect(phone.locator("main")).to_contain_text("Chi bộ ấp Đông Bình")
    assert no_horizontal_scroll(phone)


def test_wrong_password_shows_the_error_and_keeps_the_username(phone, world):
    phone.goto(reverse("login"))
    phone.locator("#id_username").fill("member")
    phone.locator("#id_password").fill("not-the-password")
    phone.locator("main form button[type=submit]").tap()

    expect(phone.locator("main .alert-danger")).to_be_visible()
    expect(phone.locator("#id_username")).to_have_value("member")
    expect(phone.locator("#id_password")).to_have_value("")
    expect(phone).to_have_url(re.compile(re.escape(reverse("login")) + "$"))
    assert no_horizontal_scroll(phone)


def test_member_logs_out_from_the_menu_and_the_home_page_asks_to_log_in_again(phone, world, log_in):
    log_in(phone, "member")

    phone.locator(".navbar-toggler").tap()
    phone.locator(f'#mainnav form[action="{reverse("logout")}"] button').tap()

    expect(phone).to_have_url(re.compile(re.escape(reverse("login")) + "$"))
    expect(phone.locator("#id_username")).to_be_visible()
    phone.goto(reverse("home"))
    expect(phone).to_have_url(re.compile(re.escape(reverse("login")) + r"\?next=/$"))


def test_secretary_on_a_desktop_sees_the_menu_open_without_the_toggler(desktop, world, log_in):
    log_in(desktop, "secretary")

    expect(desktop.locator(".navbar-toggler")).to_be_hidden()
    expect(desktop.locator(f'#mainnav a[href="{reverse("org:unit-list")}"]')).to_be_visible()
    expect(desktop.locator("main")).to_contain_text("Chi bộ ấp Đông Bình")


CONTRAST_JS = """(el) => {
  const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let bg = el;
  while (bg && getComputedStyle(bg).backgroundColor === "rgba(0, 0, 0, 0)") bg = bg.parentElement;
  const [r, g, b, a = 1] = rgb(getComputedStyle(el).color);
  const back = rgb(getComputedStyle(bg).backgroundColor);
  const fore = [r, g, b].map((v, i) => v * a + back[i] * (1 - a));
  const [hi, lo] = [lum(fore), lum(back)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def test_menu_links_on_a_phone_are_legible_on_the_party_red(phone, world, log_in):
    log_in(phone, "member")
    phone.locator(".navbar-toggler").tap()
    link = phone.locator(f'#mainnav a[href="{reverse("org:unit-list")}"]')
    expect(link).to_be_visible()

    assert link.evaluate(CONTRAST_JS) >= 4.5  # WCAG AA for body text
    assert link.bounding_box()["height"] >= 40  # a thumb-sized target
