"""Programme-year pages: creating, editing, copying, the form editor and the history."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lamtheo.programme import services
from lamtheo.programme.models import Audience, FormContent, ProgrammeYear

D = dt.date


def _editor_data(form, contents, *, order=None, extra=None, delete=(), blank_title=None):
    data = {
        "header": form.header,
        "title": form.title,
        "preamble": form.preamble,
        "closing": form.closing,
        "contents-TOTAL_FORMS": len(contents) + 1,
        "contents-INITIAL_FORMS": len(contents),
        "contents-MIN_NUM_FORMS": 0,
        "contents-MAX_NUM_FORMS": 1000,
    }
    order = order or list(range(1, len(contents) + 1))
    for i, c in enumerate(contents):
        data[f"contents-{i}-id"] = c.pk
        data[f"contents-{i}-title"] = "" if c.pk == blank_title else c.title
        data[f"contents-{i}-prompt"] = c.prompt
        data[f"contents-{i}-ORDER"] = order[i]
        if c.holds_tasks:
            data[f"contents-{i}-holds_tasks"] = "on"
        if c.pk in delete:
            data[f"contents-{i}-DELETE"] = "on"
    if extra:
        data[f"contents-{len(contents)}-title"] = extra
    return data


def _party(py):
    form = py.forms.get(audience=Audience.PARTY)
    return form, list(form.contents.order_by("number"))


def test_oversight_creates_a_year_with_default_forms(world, login):
    response = login(world.user("oversight")).post(
        reverse("programme:year-add"),
        {
            "issuer": world.commune.pk,
            "year": 2027,
            "theme_title": "Chuyên đề năm 2027",
            "monthly_review_day": 5,
        },
    )
    py = ProgrammeYear.objects.get(issuer=world.commune, year=2027)
    assert response.status_code == 302
    assert py.mid_year_date == D(2027, 6, 30)
    assert py.forms.count() == 2
    html = login(world.user("member")).get(reverse("programme:year-detail", args=[py.pk]))
    assert "Về thực hiện chức trách, nhiệm vụ được giao" in html.content.decode()


def test_duplicate_year_keeps_the_input_and_says_why(world, login):
    response = login(world.user("oversight")).post(
        reverse("programme:year-add"),
        {
            "issuer": world.commune.pk,
            "year": 2026,
            "theme_title": "Một chuyên đề khác",
            "guiding_document": "Hướng dẫn số 3-HD/ĐU",
            "monthly_review_day": 5,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Một chuyên đề khác" in html
    assert 'value="Hướng dẫn số 3-HD/ĐU"' in html
    assert "Đảng ủy xã Thoại Sơn" in html and "2026" in html
    assert ProgrammeYear.objects.filter(issuer=world.commune).count() == 1


def test_secretary_cannot_create_a_year_for_their_cell(world, login):
    assert login(world.user("secretary")).get(reverse("programme:year-add")).status_code == 404


def test_member_reads_the_year_but_cannot_edit_it(world, login):
    client = login(world.user("member"))
    py = world.programme_year
    detail = client.get(reverse("programme:year-detail", args=[py.pk]))
    assert detail.status_code == 200
    assert reverse("programme:year-edit", args=[py.pk]) not in detail.content.decode()
    assert client.get(reverse("programme:year-edit", args=[py.pk])).status_code == 404
    assert (
        client.post(reverse("programme:year-edit", args=[py.pk]), {"theme_title": "x"}).status_code
        == 404
    )


def test_year_of_another_province_is_not_found(world, login):
    from lamtheo.org.models import UnitKind
    from tests.factories import make_programme_year, make_unit

    other = make_unit(kind=UnitKind.PROVINCE_COMMITTEE, name="Tỉnh ủy Đồng Tháp")
    py = make_programme_year(other, 2026)
    for persona in ("member", "oversight", "secretary"):
        response = login(world.user(persona)).get(reverse("programme:year-detail", args=[py.pk]))
        assert response.status_code == 404


def test_edit_with_a_wrong_calendar_keeps_the_input(world, login):
    py = world.programme_year
    response = login(world.user("oversight")).post(
        reverse("programme:year-edit", args=[py.pk]),
        {
            "theme_title": "Chuyên đề đã sửa",
            "monthly_review_day": 5,
            "mid_year_date": "30/06/2026",
            "year_end_date": "01/06/2026",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chuyên đề đã sửa" in html
    assert 'value="01/06/2026"' in html
    py.refresh_from_db()
    assert py.theme_title == "Chuyên đề năm 2026"


def test_copy_page_creates_the_next_year_and_opens_it_for_editing(world, login):
    py = world.programme_year
    response = login(world.user("oversight")).post(
        reverse("programme:year-copy", args=[py.pk]), {"year": 2027}
    )
    new = ProgrammeYear.objects.get(issuer=world.commune, year=2027)
    assert response["Location"] == reverse("programme:year-edit", args=[new.pk])
    duplicate = login(world.user("oversight")).post(
        reverse("programme:year-copy", args=[py.pk]), {"year": 2027}
    )
    assert duplicate.status_code == 200
    assert 'value="2027"' in duplicate.content.decode()


def test_form_editor_reorders_adds_and_removes(world, login):
    services.create_default_forms(programme_year=world.programme_year, by=None)
    form, contents = _party(world.programme_year)
    data = _editor_data(
        form,
        contents,
        order=[2, 1, 3, 4, 5, 6],
        extra="Về tác phong, lề lối làm việc",
        delete=(contents[4].pk,),
    )
    response = login(world.user("oversight")).post(
        reverse("programme:form-edit", args=[form.pk]), data
    )
    assert response.status_code == 302
    _form, after = _party(world.programme_year)
    assert [c.number for c in after] == [1, 2, 3, 4, 5, 6]
    assert after[0].pk == contents[1].pk
    assert after[1].pk == contents[0].pk
    assert contents[4].pk not in {c.pk for c in after}
    assert after[-1].title == "Về tác phong, lề lối làm việc"
    assert after[2].holds_tasks


def test_form_editor_ignores_the_empty_card(world, login):
    services.create_default_forms(programme_year=world.programme_year, by=None)
    form, contents = _party(world.programme_year)
    data = _editor_data(form, contents)
    data["contents-6-ORDER"] = 7  # the page's script numbers the empty card too
    response = login(world.user("oversight")).post(
        reverse("programme:form-edit", args=[form.pk]), data
    )
    assert response.status_code == 302
    assert FormContent.objects.filter(form=form).count() == 6


def test_form_editor_refuses_a_content_without_title_and_keeps_the_rest(world, login):
    services.create_default_forms(programme_year=world.programme_year, by=None)
    form, contents = _party(world.programme_year)
    data = _editor_data(form, contents, blank_title=contents[1].pk, extra="Nội dung mới")
    response = login(world.user("oversight")).post(
        reverse("programme:form-edit", args=[form.pk]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nội dung mới"' in html
    assert "is-invalid" in html
    assert FormContent.objects.filter(form=form).count() == 6


def test_member_cannot_open_the_form_editor(world, login):
    services.create_default_forms(programme_year=world.programme_year, by=None)
    form, _contents = _party(world.programme_year)
    url = reverse("programme:form-edit", args=[form.pk])
    assert login(world.user("member")).get(url).status_code == 404
    assert login(world.user("secretary")).get(url).status_code == 404


def test_year_history_lists_changes_of_the_year_and_its_forms(world, login):
    client = login(world.user("oversight"))
    py = world.programme_year
    client.post(
        reverse("programme:year-edit", args=[py.pk]),
        {
            "theme_title": "Chuyên đề năm 2026 (sửa)",
            "monthly_review_day": 10,
            "mid_year_date": "30/06/2026",
            "year_end_date": "15/12/2026",
            "reason": "Theo hướng dẫn mới",
        },
    )
    services.create_default_forms(programme_year=py, by=world.user("oversight"))
    html = client.get(reverse("programme:year-history", args=[py.pk])).content.decode()
    assert "Chuyên đề năm 2026 (sửa)" in html
    assert "Theo hướng dẫn mới" in html
    assert "Về tư tưởng chính trị" in html  # a content created
    assert "Đặng Văn Tuyên Giáo" in html  # who
    assert (
        login(world.user("secretary"))
        .get(reverse("programme:year-history", args=[py.pk]))
        .status_code
        == 404
    )
