"""Signing in to the API: the token endpoint, the two header forms, session + CSRF."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lamtheo.core.api import TokenThrottle

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
PASSWORD = "demo12345"  # tests.factories.UserFactory


def test_token_url_is_under_api_v1():
    assert reverse("api:token") == TOKEN_URL


def test_good_password_returns_the_users_token(world):
    response = APIClient().post(TOKEN_URL, {"username": "member", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=world.user("member")).key}


def test_same_token_comes_back_on_every_sign_in(world):
    client = APIClient()
    first = client.post(TOKEN_URL, {"username": "member", "password": PASSWORD}).json()
    second = client.post(TOKEN_URL, {"username": "member", "password": PASSWORD}).json()
    assert first == second


def test_token_sign_in_records_last_login(world):
    APIClient().post(TOKEN_URL, {"username": "member", "password": PASSWORD})
    world.user("member").refresh_from_db()
    assert world.user("member").last_login is not None


def test_wrong_password_is_400_with_a_translatable_message(world):
    response = APIClient().post(TOKEN_URL, {"username": "member", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Sai tên đăng nhập hoặc mật khẩu.",
        "code": "invalid_credentials",
    }
    assert not Token.objects.exists()


def test_wrong_password_message_reaches_the_user_in_vietnamese(world, vi_catalogue):
    vi_catalogue({"Wrong username or password.": "Sai tên đăng nhập hoặc mật khẩu."})
    response = APIClient().post(TOKEN_URL, {"username": "member", "password": "wrong"})
    assert response.json()["detail"] == "Sai tên đăng nhập hoặc mật khẩu."


def test_the_api_answers_in_vietnamese_by_default(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response["Content-Language"] == "vi"
    assert response.json()["username"] == ["Trường này là bắt buộc."]


def test_unknown_user_is_400(db):
    response = APIClient().post(TOKEN_URL, {"username": "nobody", "password": "x"})
    assert response.status_code == 400


def test_missing_fields_are_400_per_field(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_inactive_user_gets_no_token(world):
    user = world.user("member")
    user.is_active = False
    user.save()
    response = APIClient().post(TOKEN_URL, {"username": "member", "password": PASSWORD})
    assert response.status_code == 400


def test_token_endpoint_answers_only_post(db):
    assert APIClient().get(TOKEN_URL).status_code == 405


def test_failures_lock_the_account_after_the_axes_limit(world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    bad = {"username": "member", "password": "wrong"}
    assert client.post(TOKEN_URL, bad).status_code == 400
    assert client.post(TOKEN_URL, bad).status_code == 400
    locked = client.post(TOKEN_URL, bad)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["code"] == "locked_out"
    # Now even the right password is refused, as on the log-in page.
    right = client.post(TOKEN_URL, {"username": "member", "password": PASSWORD})
    assert right.status_code == 429
    assert not Token.objects.exists()


def test_token_failures_count_toward_the_log_in_page_lockout(world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    APIClient().post(TOKEN_URL, {"username": "member", "password": "wrong"})
    APIClient().post(TOKEN_URL, {"username": "member", "password": "wrong"})
    page = Client().post(reverse("login"), {"username": "member", "password": PASSWORD})
    assert page.status_code == 429


def test_a_success_resets_the_failure_count(world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    client = APIClient()
    assert client.post(TOKEN_URL, {"username": "member", "password": "wrong"}).status_code == 400
    assert client.post(TOKEN_URL, {"username": "member", "password": PASSWORD}).status_code == 200
    assert client.post(TOKEN_URL, {"username": "member", "password": "wrong"}).status_code == 400


def test_token_endpoint_is_throttled_per_address(world, monkeypatch):
    monkeypatch.setattr(TokenThrottle, "rate", "2/min")
    client = APIClient()
    good = {"username": "member", "password": PASSWORD}
    assert client.post(TOKEN_URL, good).status_code == 200
    assert client.post(TOKEN_URL, good).status_code == 200
    assert client.post(TOKEN_URL, good).status_code == 429


def test_a_made_up_x_forwarded_for_does_not_escape_the_token_throttle(world, monkeypatch):
    # DRF's default identity is the whole X-Forwarded-For header, whoever sends it.
    monkeypatch.setattr(TokenThrottle, "rate", "2/min")
    good = {"username": "member", "password": PASSWORD}
    codes = [
        APIClient(HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(TOKEN_URL, good).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_behind_a_trusted_proxy_the_token_throttle_counts_per_client(world, monkeypatch, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    monkeypatch.setattr(TokenThrottle, "rate", "1/min")
    good = {"username": "member", "password": PASSWORD}
    client_a = APIClient(HTTP_X_FORWARDED_FOR="203.0.113.7")
    client_b = APIClient(HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert client_a.post(TOKEN_URL, good).status_code == 200
    assert client_a.post(TOKEN_URL, good).status_code == 429
    assert client_b.post(TOKEN_URL, good).status_code == 200


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_token_authenticates_with_either_header_scheme(world, scheme):
    token = Token.objects.create(user=world.user("member"))
    client = APIClient(HTTP_AUTHORIZATION=f"{scheme} {token.key}")
    response = client.get(ME_URL)
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "member"


@pytest.mark.parametrize("header", ["Bearer nope", "Token nope", "Bearer", "Bearer a b"])
def test_bad_token_header_is_401(world, header):
    response = APIClient(HTTP_AUTHORIZATION=header).get(ME_URL)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_of_a_disabled_account_is_401(world):
    token = Token.objects.create(user=world.user("member"))
    world.user("member").is_active = False
    world.user("member").save()
    response = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.key}").get(ME_URL)
    assert response.status_code == 401


def test_anonymous_call_is_401_with_a_challenge(db):
    response = APIClient().get(ME_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_other_authorization_schemes_are_left_alone(db):
    response = APIClient(HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==").get(ME_URL)
    assert response.status_code == 401


def test_token_writes_need_no_csrf_token(world):
    token = Token.objects.create(user=world.user("admin"))
    client = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token.key}")
    response = client.post("/api/v1/sectors/", {"code": "moi", "name": "Mới"}, format="json")
    assert response.status_code == 201


def test_session_reads_work_without_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("member"))
    assert client.get(ME_URL).status_code == 200


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))  # the log-in page sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    client.force_login(world.user("admin"))
    data = {"code": "moi", "name": "Mới"}
    refused = client.post("/api/v1/sectors/", data, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    accepted = client.post(
        "/api/v1/sectors/", data, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 201
