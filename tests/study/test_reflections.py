"""Reflections (bài thu hoạch): who writes, who reads, who assesses, and when they lock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from lamtheo.core.errors import DomainError
from lamtheo.study import services
from lamtheo.study.models import Grade, Reflection
from lamtheo.study.selectors import reflections_for


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member_reflection(world):
    return services.submit_reflection(
        person=world.people.member, year=2026, text="Bài thu hoạch", by=world.user("member")
    )


def test_member_writes_and_rewrites_their_reflection_until_assessed(world, member_reflection):
    again = services.submit_reflection(
        person=world.people.member, year=2026, text="Bản sửa", by=world.user("member")
    )
    assert again.pk == member_reflection.pk
    assert again.text == "Bản sửa"
    assert (again.unit, again.audience) == (world.cell_a, "party")
    services.assess_reflection(reflection=again, grade=Grade.GOOD, by=world.user("secretary"))
    with pytest.raises(DomainError) as error:
        services.submit_reflection(
            person=world.people.member, year=2026, text="Sửa nữa", by=world.user("member")
        )
    assert error.value.code == "assessed"


def test_a_fail_reopens_the_reflection_for_a_rewrite(world, member_reflection):
    with pytest.raises(DomainError) as error:
        services.assess_reflection(
            reflection=member_reflection, grade=Grade.FAIL, by=world.user("secretary")
        )
    assert error.value.field == "comment"
    services.assess_reflection(
        reflection=member_reflection,
        grade=Grade.FAIL,
        comment="Còn chung chung",
        by=world.user("secretary"),
    )
    rewritten = services.submit_reflection(
        person=world.people.member, year=2026, text="Viết lại cụ thể", by=world.user("member")
    )
    assert (rewritten.grade, rewritten.assessed_at) == ("", None)
    assert rewritten.history.first().history_change_reason == "rewritten after assessment"


def test_empty_reflection_is_refused(world):
    with pytest.raises(DomainError) as error:
        services.submit_reflection(
            person=world.people.member, year=2026, text="  ", by=world.user("member")
        )
    assert error.value.field == "text"


def test_nobody_writes_someone_elses_reflection_but_their_secretary(world):
    with pytest.raises(DomainError) as error:
        services.submit_reflection(
            person=world.people.member, year=2026, text="x", by=world.user("other_member")
        )
    assert error.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.submit_reflection(
            person=world.people.member, year=2026, text="x", by=world.user("oversight")
        )
    proxy = services.submit_reflection(
        person=world.people.colleague, year=2026, text="Nhờ bí thư gõ", by=world.user("secretary")
    )
    assert proxy.entered_by == world.user("secretary")


def test_secretary_cannot_assess_their_own_reflection(world):
    own = services.submit_reflection(
        person=world.people.secretary, year=2026, text="x", by=world.user("secretary")
    )
    with pytest.raises(DomainError) as error:
        services.assess_reflection(reflection=own, grade=Grade.GOOD, by=world.user("secretary"))
    assert error.value.code == "forbidden"


def test_unknown_grade_is_refused(world, member_reflection):
    with pytest.raises(DomainError) as error:
        services.assess_reflection(
            reflection=member_reflection, grade="brilliant", by=world.user("secretary")
        )
    assert error.value.field == "grade"


def test_staff_reflection_belongs_to_their_state_unit(world):
    r = services.submit_reflection(
        person=world.people.staff, year=2026, text="x", by=world.user("staff")
    )
    assert (r.unit, r.audience) == (world.ubnd, "state")


def test_session_reflection_needs_the_person_expected_there(world, held_session_a):
    r = services.submit_reflection(
        person=world.people.member,
        year=2026,
        text="Sau buổi học",
        session=held_session_a,
        by=world.user("member"),
    )
    assert r.session == held_session_a
    with pytest.raises(DomainError) as error:
        services.submit_reflection(
            person=world.people.other_member,
            year=2026,
            text="x",
            session=held_session_a,
            by=world.user("other_member"),
        )
    assert error.value.field == "session"


def test_members_read_only_their_own_reflection(world, member_reflection):
    colleague = services.submit_reflection(
        person=world.people.colleague, year=2026, text="x", by=world.user("secretary")
    )
    assert list(reflections_for(world.user("member"))) == [member_reflection]
    assert set(reflections_for(world.user("secretary"))) == {member_reflection, colleague}
    assert set(reflections_for(world.user("oversight"))) == {member_reflection, colleague}
    assert not reflections_for(world.user("other_secretary")).exists()
    assert not reflections_for(None).exists()


# --- Pages ----------------------------------------------------------------------------------


def test_member_writes_a_reflection_on_the_page(world, login):
    client = login(world.user("member"))
    url = reverse("study:reflection-write") + "?year=2026"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Qua học tập chuyên đề…"})
    reflection = Reflection.objects.get(person=world.people.member)
    assert response.status_code == 302
    assert response["Location"] == reverse("study:reflection-detail", args=[reflection.pk])


def test_empty_reflection_page_keeps_the_form(world, login):
    client = login(world.user("member"))
    response = client.post(reverse("study:reflection-write") + "?year=2026", {"text": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not Reflection.objects.exists()


def test_reflection_with_a_file_is_downloaded_through_the_scope(world, login, media):
    client = login(world.user("member"))
    upload = SimpleUploadedFile("thu-hoach.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(reverse("study:reflection-write") + "?year=2026", {"file": upload})
    reflection = Reflection.objects.get(person=world.people.member)
    url = reverse("study:reflection-file", args=[reflection.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 demo"
    assert "attachment" in response["Content-Disposition"]
    assert login(world.user("other_member")).get(url).status_code == 404


def test_wrong_file_type_is_refused(world, login, media):
    client = login(world.user("member"))
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("study:reflection-write") + "?year=2026", {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_member_of_another_cell_gets_404_on_a_reflection(world, login, member_reflection):
    client = login(world.user("other_member"))
    assert (
        client.get(reverse("study:reflection-detail", args=[member_reflection.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("api:study-reflection-detail", args=[member_reflection.pk])).status_code
        == 404
    )


def test_secretary_assesses_on_the_page(world, login, member_reflection):
    client = login(world.user("secretary"))
    url = reverse("study:reflection-assess", args=[member_reflection.pk])
    response = client.post(url, {"grade": "fail", "comment": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    response = client.post(url, {"grade": "excellent", "comment": "Rất cụ thể"})
    assert response.status_code == 302
    member_reflection.refresh_from_db()
    assert (member_reflection.grade, member_reflection.assessed_by) == (
        "excellent",
        world.user("secretary"),
    )


def test_member_cannot_assess_their_own_reflection_on_the_page(world, login, member_reflection):
    client = login(world.user("member"))
    url = reverse("study:reflection-assess", args=[member_reflection.pk])
    assert client.post(url, {"grade": "excellent"}).status_code == 403


def test_assessed_reflection_write_page_sends_back_to_the_detail(world, login, member_reflection):
    services.assess_reflection(
        reflection=member_reflection, grade=Grade.PASS, by=world.user("secretary")
    )
    response = login(world.user("member")).get(reverse("study:reflection-write") + "?year=2026")
    assert response.status_code == 302


# --- API ------------------------------------------------------------------------------------


def test_api_member_submits_and_lists_only_their_own(world, login, member_reflection):
    services.submit_reflection(
        person=world.people.colleague, year=2026, text="x", by=world.user("secretary")
    )
    client = login(world.user("member"))
    data = client.get(reverse("api:study-reflection-list"), {"year": 2026}).json()
    assert [r["person"] for r in data["results"]] == [world.people.member.pk]
    assert data["results"][0]["file_url"] is None


def test_api_assessment_rules(world, login, member_reflection):
    url = reverse("api:study-reflection-assess", args=[member_reflection.pk])
    assert login(world.user("member")).post(url, {"grade": "good"}).status_code == 403
    client = login(world.user("secretary"))
    response = client.post(url, {"grade": "fail"}, content_type="application/json")
    assert response.status_code == 400
    assert "comment" in response.json()
    response = client.post(url, {"grade": "good"}, content_type="application/json")
    assert response.json()["grade"] == "good"


def test_api_session_reflection_takes_the_sessions_year(world, login, held_session_a):
    client = login(world.user("member"))
    response = client.post(
        reverse("api:study-reflection-list"),
        {"session": held_session_a.pk, "text": "Sau buổi học"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["year"] == 2026


def test_api_member_cannot_write_for_someone_else(world, login):
    client = login(world.user("member"))
    response = client.post(
        reverse("api:study-reflection-list"),
        {"year": 2026, "text": "x", "person": world.people.colleague.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Reflection.objects.exists()


def test_reflection_cannot_precede_its_session(world, today):
    session = services.create_study_session(unit=world.cell_a, date=dt.date(2026, 3, 25), by=None)
    with pytest.raises(DomainError):
        services.submit_reflection(
            person=world.people.member,
            year=2026,
            text="x",
            session=session,
            by=world.user("member"),
        )


def test_secretary_sees_who_has_not_handed_in_and_can_type_for_them(
    world, login, member_reflection
):
    client = login(world.user("secretary"))
    response = client.get(reverse("study:reflection-list"), {"year": 2026})
    assert response.context["missing_count"] == 2
    assert set(response.context["missing"]) == {world.people.secretary, world.people.colleague}
    url = reverse("study:reflection-write") + f"?year=2026&person={world.people.colleague.pk}"
    assert url.replace("&", "&amp;") in response.content.decode()
    assert client.post(url, {"text": "Bí thư gõ hộ"}).status_code == 302
    proxy = Reflection.objects.get(person=world.people.colleague)
    assert proxy.entered_by == world.user("secretary")
    assert (
        login(world.user("member")).get(reverse("study:reflection-list")).context["missing_count"]
        == 0
    )


def test_service_refuses_a_web_page_or_an_oversized_file(world, media):
    wrong_kind, too_big = (
        _("This kind of file is not accepted."),
        _("The file is larger than 10 MB."),
    )
    for upload, expected in [
        (SimpleUploadedFile("evil.html", b"<script>alert(1)</script>"), wrong_kind),
        (SimpleUploadedFile("no-extension", b"%PDF-1.4"), wrong_kind),
        (SimpleUploadedFile("big.pdf", b"x" * (10 * 1024 * 1024 + 1)), too_big),
    ]:
        with pytest.raises(DomainError) as error:
            services.submit_reflection(
                person=world.people.member, year=2026, file=upload, by=world.user("member")
            )
        assert error.value.field == "file"
        assert str(error.value.message) == expected
    assert not Reflection.objects.exists()
    assert not any(media.rglob("*.*"))


def test_service_accepts_a_photo_whatever_the_case_of_its_extension(world, media):
    upload = SimpleUploadedFile("THU-HOACH.JPG", b"\xff\xd8\xff demo", content_type="image/jpeg")
    reflection = services.submit_reflection(
        person=world.people.member, year=2026, file=upload, by=world.user("member")
    )
    assert reflection.file_basename == "THU-HOACH.JPG"


def test_api_refuses_an_html_file_and_stores_nothing(world, login, media):
    client = login(world.user("member"))
    upload = SimpleUploadedFile("evil.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(reverse("api:study-reflection-list"), {"year": 2026, "file": upload})
    assert response.status_code == 400
    assert list(response.json()) == ["detail", "code", "file"]
    assert not Reflection.objects.exists()
    assert not any(media.rglob("*.html"))


def test_api_reflection_without_a_person_asks_for_one_in_the_users_language(world, login):
    """The admin has no person of their own: the API asks for ``person`` (in Vietnamese)."""
    from rest_framework.fields import Field

    response = login(world.user("admin")).post(
        reverse("api:study-reflection-list"),
        {"year": 2026, "text": "Bài thu hoạch"},
        content_type="application/json",
    )
    assert response.status_code == 400
    required = str(Field.default_error_messages["required"])
    assert required != "This field is required."
    assert response.json() == {"person": [required]}
