"""The API answers bad input in Vietnamese, DRF's own messages included (English for a person
who chose English): «Bad input gets a clear Vietnamese message and loses nothing»."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from lamtheo.core.api import TokenThrottle
from lamtheo.org.models import Unit

UNITS = "/api/v1/units/"
YEARS = "/api/v1/programme-years/"


@pytest.fixture
def admin(world, api):
    return api(world.user("admin"))


@pytest.fixture
def english_admin(world, api):
    client = api(world.user("admin"))
    client.cookies["django_language"] = "en"
    return client


def missing_unit_id() -> int:
    return (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


# Bad input (400) ---------------------------------------------------------------------------


def test_missing_required_fields_are_named_in_vietnamese(world, admin):
    response = admin.post(UNITS, {"parent": world.commune.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "kind": ["Trường này là bắt buộc."],
        "name": ["Trường này là bắt buộc."],
    }


def test_an_unknown_related_id_is_named_in_vietnamese(world, admin):
    unknown = missing_unit_id()
    response = admin.post(UNITS, {"kind": "cell", "name": "Chi bộ Mới", "parent": unknown})
    assert response.status_code == 400
    assert response.json()["parent"] == [f"Không tìm thấy đối tượng có mã (id) «{unknown}»."]
    assert not Unit.objects.filter(name="Chi bộ Mới").exists()


def test_a_word_where_a_number_belongs_is_refused_in_vietnamese(world, api):
    oversight = api(world.user("oversight"))
    data = {"issuer": world.commune.pk, "year": "hai nghìn", "theme_title": "Chuyên đề"}
    response = oversight.post(YEARS, data, format="json")
    assert response.status_code == 400
    assert response.json()["year"] == ["Hãy nhập một số nguyên."]


def test_an_unknown_choice_is_quoted_in_vietnamese(world, admin):
    data = {"kind": "bogus", "name": "Chi bộ Mới", "parent": world.commune.pk}
    response = admin.post(UNITS, data, format="json")
    assert response.json()["kind"] == ["«bogus» không phải là một lựa chọn hợp lệ."]


def test_a_list_instead_of_an_object_is_refused_in_vietnamese(world, admin):
    response = admin.post(UNITS, [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Dữ liệu không hợp lệ: cần một đối tượng JSON (dạng khóa: giá trị), nhưng nhận được list."
    ]


def test_malformed_json_says_where_in_vietnamese(world, admin):
    response = admin.post(UNITS, data='{"kind": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Nội dung yêu cầu không phải là JSON hợp lệ: thiếu một giá trị (dòng 1, cột 10)."
    }


def test_json_that_is_not_utf8_is_refused_in_vietnamese(world, admin):
    body = '{"name": "Chi bộ"}'.encode("utf-16")
    response = admin.post(UNITS, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Nội dung yêu cầu không phải là văn bản UTF-8 hợp lệ."


def test_broken_multipart_data_is_refused_in_vietnamese(world, admin):
    response = admin.post(UNITS, data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Nội dung yêu cầu không phải là dữ liệu biểu mẫu multipart hợp lệ."
    )


def test_an_unsupported_media_type_is_named_in_vietnamese(world, admin):
    response = admin.post(UNITS, data="kind=cell", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["detail"] == "Không hỗ trợ kiểu dữ liệu «text/plain» trong yêu cầu."


# Signing in, permissions, missing things ---------------------------------------------------


def test_an_anonymous_call_is_told_to_sign_in_in_vietnamese(world, api):
    response = api().get(UNITS)
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Chưa có thông tin xác thực: hãy đăng nhập hoặc gửi kèm token."
    )


def test_a_page_past_the_end_is_refused_in_vietnamese(world, admin):
    response = admin.get(UNITS, {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có trang này."}


def test_a_missing_object_is_not_found_in_vietnamese_without_naming_the_model(world, admin):
    response = admin.get(f"{UNITS}{missing_unit_id()}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_an_unoffered_method_is_named_in_vietnamese(world, admin):
    response = admin.delete(f"{UNITS}{world.cell_a.pk}/")
    assert response.status_code == 405
    assert response.json() == {"detail": "Địa chỉ này không nhận phương thức «DELETE»."}


def test_throttling_says_when_to_try_again_in_vietnamese(world, monkeypatch):
    monkeypatch.setattr(TokenThrottle, "rate", "1/min")
    client = APIClient()
    client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"})
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Có quá nhiều yêu cầu trong thời gian ngắn. Hãy thử lại sau 60 giây."
    )
    assert response["Retry-After"] == "60"


def test_a_session_write_without_csrf_is_explained_in_vietnamese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("admin"))
    response = client.post("/api/v1/sectors/", {"code": "x"}, content_type="application/json")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.startswith("Yêu cầu không qua được bước kiểm tra CSRF (")
    assert "X-CSRFToken" in detail


# English for those who chose it ------------------------------------------------------------


def test_a_person_who_chose_english_gets_drf_messages_in_english(world, english_admin):
    missing = english_admin.post(UNITS, {"parent": world.commune.pk}, format="json")
    assert missing.json()["kind"] == ["This field is required."]
    unknown = missing_unit_id()
    bad_parent = english_admin.post(UNITS, {"kind": "cell", "name": "X", "parent": unknown})
    assert bad_parent.json()["parent"] == [f'Invalid pk "{unknown}" - object does not exist.']
    assert english_admin.get(UNITS, {"page": 99}).json() == {"detail": "Invalid page."}
    malformed = english_admin.post(UNITS, data="{", content_type="application/json")
    assert malformed.json()["detail"] == (
        "The request body is not valid JSON: a property name in double quotes is expected "
        "(line 1, column 2)."
    )


def test_an_anonymous_english_call_gets_english(world, api):
    client = api()
    client.cookies["django_language"] = "en"
    response = client.get(UNITS)
    assert response.json() == {"detail": "Authentication credentials were not provided."}
