"""The language switcher in base.html's footer (Django's ``set_language``)."""

from django.conf import settings
from django.urls import reverse


def switch(client, language: str, next_url: str):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_switching_to_english_sets_the_cookie_and_the_next_page_is_english(world, login):
    client = login(world.user("member"))
    response = switch(client, "en", reverse("org:unit-list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit-list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response["Location"])
    assert page["Content-Language"] == "en"
    assert "Log out" in page.content.decode()


def test_switching_back_gives_vietnamese(world, login):
    client = login(world.user("member"))
    switch(client, "en", reverse("home"))
    response = switch(client, "vi", reverse("home"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    page = client.get(reverse("home"))
    assert page["Content-Language"] == "vi"
    assert "Đăng xuất" in page.content.decode()


def test_an_anonymous_visitor_can_switch_on_the_login_page(client, db):
    login_page = client.get(reverse("login"))
    html = login_page.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="next" value="/accounts/login/"' in html
    response = switch(client, "en", reverse("login"))
    assert response["Location"] == reverse("login")
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode()


def test_the_switcher_offers_both_languages_by_their_own_names(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Tiếng Việt" in html
    assert "English" in html
    assert 'aria-current="true">Tiếng Việt' in html


def test_an_unsafe_next_address_is_not_followed(client, db):
    response = switch(client, "en", "https://evil.example/")
    assert "evil.example" not in response.get("Location", "")


def test_an_english_browser_still_gets_vietnamese_after_the_route_exists(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
