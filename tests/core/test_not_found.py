"""Unknown URLs: JSON under /api/ (the API's error shape, in the request's language), the
HTML page everywhere else (``handler404`` = lamtheo.core.views.not_found)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

NOT_FOUND_PAGE = "Trang không tồn tại hoặc nằm ngoài phạm vi phụ trách của đồng chí."


@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing/", "/api/v1/units/1/nope/", "/api/v2/units/", "/api/", "/api"]
)
def test_an_unknown_api_url_answers_json_in_vietnamese(db, path):
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Content-Language"] == "vi"
    assert response.json() == {"detail": "Không tìm thấy."}


def test_the_unknown_api_url_answer_is_the_apis_own_404(world):
    # What DRF answers for a missing object, from a route the API does not have.
    admin = APIClient()
    admin.force_authenticate(world.user("admin"))
    missing_object = admin.get("/api/v1/units/999999/")
    unknown_url = admin.get("/api/v1/unitz/999999/")
    assert (missing_object.status_code, unknown_url.status_code) == (404, 404)
    assert unknown_url["Content-Type"] == missing_object["Content-Type"]
    assert unknown_url.json() == missing_object.json()


def test_an_unknown_api_url_answers_in_english_for_a_person_who_chose_english(db):
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unknown_api_url_answers_json_to_every_method(db, method):
    response = getattr(Client(), method)(
        "/api/v1/no-such-thing/", "{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_an_api_url_without_its_slash_is_still_redirected(db):
    response = Client().get("/api/v1/units")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/units/"


@pytest.mark.parametrize("path", ["/no-such-page/", "/org/units/nope/", "/apix/", "/static-api/"])
def test_an_unknown_page_still_gets_the_html_page(world, login, path):
    response = login(world.user("member")).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert NOT_FOUND_PAGE in response.content.decode()


def test_an_unknown_page_is_html_for_an_anonymous_visitor_too(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert NOT_FOUND_PAGE in response.content.decode()
