"""The programme-years API: reading, writing with nested forms, copying to another year."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.programme.models import FormContent, FormTemplate, ProgrammeYear
from tests.api.conftest import ids
from tests.factories import make_programme_year

URL = "/api/v1/programme-years/"

PARTY_FORM = {
    "audience": "party",
    "header": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "title": "Bản cam kết tu dưỡng, rèn luyện, phấn đấu năm 2027",
    "preamble": "Căn cứ Kế hoạch số 05-KH/CB…",
    "closing": "Tôi xin cam kết…",
    "contents": [
        {"title": "Tư tưởng chính trị", "prompt": "Kiên định…"},
        {"title": "Phẩm chất đạo đức, lối sống"},
        {"title": "Thực hiện chức trách, nhiệm vụ", "holds_tasks": True},
    ],
}


def detail(year) -> str:
    return f"{URL}{year.pk}/"


@pytest.fixture
def oversight(world, api):
    return api(world.user("oversight"))


def new_year(world, **extra):
    return {"issuer": world.commune.pk, "year": 2027, "theme_title": "Chuyên đề 2027", **extra}


def with_form(year: ProgrammeYear) -> FormTemplate:
    form = FormTemplate.objects.create(programme_year=year, audience="party", title="Bản cam kết")
    for number, title in [(1, "Tư tưởng"), (2, "Đạo đức"), (3, "Nhiệm vụ")]:
        FormContent.objects.create(form=form, number=number, title=title, holds_tasks=number == 3)
    return form


# Reading -----------------------------------------------------------------------------------


def test_filter_by_year_and_issuer(world, oversight):
    older = make_programme_year(world.commune, 2025)
    assert ids(oversight.get(URL, {"year": 2025})) == {older.pk}
    assert ids(oversight.get(URL, {"issuer": world.commune.pk})) == {
        older.pk,
        world.programme_year.pk,
    }


def test_list_is_newest_year_first(world, oversight):
    make_programme_year(world.commune, 2025)
    years = [row["year"] for row in oversight.get(URL).json()["results"]]
    assert years == [2026, 2025]


def test_detail_has_forms_with_contents_in_order(world, api):
    with_form(world.programme_year)
    body = api(world.user("member")).get(detail(world.programme_year)).json()
    assert body["issuer"]["id"] == world.commune.pk
    assert body["programme_name"]
    (form,) = body["forms"]
    assert [c["number"] for c in form["contents"]] == [1, 2, 3]
    assert [c["holds_tasks"] for c in form["contents"]] == [False, False, True]


# Creating ----------------------------------------------------------------------------------


def test_oversight_creates_a_year_with_default_forms(world, oversight):
    response = oversight.post(URL, new_year(world, study_deadline="2027-03-31"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mid_year_date"] == "2027-06-30"  # defaults
    assert body["year_end_date"] == "2027-12-15"
    forms = {form["audience"]: form for form in body["forms"]}
    assert set(forms) == {"party", "state"}
    assert len(forms["party"]["contents"]) == 6  # Công văn 2952-CV/BTCTW
    year = ProgrammeYear.objects.get(pk=body["id"])
    assert year.history.get().history_user == world.user("oversight")


def test_forms_sent_on_creation_replace_the_defaults_for_their_audience(world, oversight):
    response = oversight.post(URL, new_year(world, forms=[PARTY_FORM]), format="json")
    assert response.status_code == 201, response.content
    forms = {form["audience"]: form for form in response.json()["forms"]}
    party = forms["party"]
    assert party["header"] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert [(c["number"], c["title"]) for c in party["contents"]] == [
        (1, "Tư tưởng chính trị"),
        (2, "Phẩm chất đạo đức, lối sống"),
        (3, "Thực hiện chức trách, nhiệm vụ"),
    ]
    assert [c["holds_tasks"] for c in party["contents"]] == [False, False, True]
    assert len(forms["state"]["contents"]) == 5  # untouched default


def test_a_second_year_for_the_same_issuer_is_400(world, oversight):
    response = oversight.post(URL, new_year(world, year=2026), format="json")
    assert response.status_code == 400
    assert "year" in response.json()


def test_only_a_committee_issues_a_programme_year(world, oversight):
    response = oversight.post(URL, new_year(world, issuer=world.cell_a.pk), format="json")
    assert response.status_code == 400
    assert "issuer" in response.json()


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"mid_year_date": "2027-06-30", "year_end_date": "2027-06-01"}, "year_end_date"),
        ({"monthly_review_day": 30}, "monthly_review_day"),
    ],
)
def test_calendar_that_does_not_hold_together_is_400(world, oversight, dates, field):
    response = oversight.post(URL, new_year(world, **dates), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ProgrammeYear.objects.filter(year=2027).exists()


def test_a_content_without_title_is_400(world, oversight):
    form = {**PARTY_FORM, "contents": [{"title": "A"}, {"prompt": "no title"}]}
    response = oversight.post(URL, new_year(world, forms=[form]), format="json")
    assert response.status_code == 400
    assert "forms" in response.json()
    assert not ProgrammeYear.objects.filter(year=2027).exists()


def test_a_form_without_contents_is_400(world, oversight):
    response = oversight.post(
        URL, new_year(world, forms=[{**PARTY_FORM, "contents": []}]), format="json"
    )
    assert response.status_code == 400
    assert "forms" in response.json()
    assert not ProgrammeYear.objects.filter(year=2027).exists()


def test_two_forms_for_one_audience_are_400(world, oversight):
    response = oversight.post(URL, new_year(world, forms=[PARTY_FORM, PARTY_FORM]), format="json")
    assert response.status_code == 400
    assert "forms" in response.json()


def test_secretary_cannot_create_a_year_for_the_commune(world, api):
    response = api(world.user("secretary")).post(URL, new_year(world), format="json")
    assert response.status_code == 400  # the commune is not a unit they can name
    assert "issuer" in response.json()


def test_member_cannot_create_a_year(world, api):
    response = api(world.user("member")).post(URL, new_year(world), format="json")
    assert response.status_code == 403


# Editing -----------------------------------------------------------------------------------


def test_editing_contents_keeps_listed_ones_in_the_new_order_and_drops_the_rest(world, oversight):
    form = with_form(world.programme_year)
    first, _second, third = form.contents.order_by("number")
    response = oversight.patch(
        detail(world.programme_year),
        {
            "forms": [
                {
                    "audience": "party",
                    "title": "Bản cam kết năm 2026",
                    "contents": [
                        {"id": third.pk, "title": "Nhiệm vụ", "holds_tasks": True},
                        {"id": first.pk, "title": "Tư tưởng chính trị"},
                        {"title": "Tổ chức kỷ luật"},
                    ],
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    (body_form,) = response.json()["forms"]
    assert body_form["id"] == form.pk
    assert body_form["title"] == "Bản cam kết năm 2026"
    rows = [(c["number"], c["id"], c["title"]) for c in body_form["contents"]]
    assert rows[:2] == [(1, third.pk, "Nhiệm vụ"), (2, first.pk, "Tư tưởng chính trị")]
    assert rows[2][0] == 3 and rows[2][2] == "Tổ chức kỷ luật"
    assert form.contents.count() == 3


def test_editing_with_a_content_of_another_form_is_400(world, oversight):
    with_form(world.programme_year)
    other = with_form(make_programme_year(world.commune, 2025))
    response = oversight.patch(
        detail(world.programme_year),
        {
            "forms": [
                {
                    "audience": "party",
                    "contents": [{"id": other.contents.first().pk, "title": "X"}],
                }
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert "forms" in response.json()


def test_editing_without_forms_leaves_them_alone(world, oversight):
    with_form(world.programme_year)
    response = oversight.patch(
        detail(world.programme_year), {"theme_title": "Chuyên đề mới"}, format="json"
    )
    assert response.status_code == 200
    assert len(response.json()["forms"][0]["contents"]) == 3


def test_issuer_and_year_are_fixed_once_created(world, oversight):
    response = oversight.patch(detail(world.programme_year), {"year": 2030}, format="json")
    assert response.status_code == 400
    assert "year" in response.json()


def test_editing_checks_the_calendar_against_stored_dates(world, oversight):
    response = oversight.patch(
        detail(world.programme_year), {"year_end_date": "2026-06-01"}, format="json"
    )
    assert response.status_code == 400
    assert "year_end_date" in response.json()


def test_member_reads_but_cannot_edit_the_year(world, api):
    client = api(world.user("member"))
    assert client.get(detail(world.programme_year)).status_code == 200
    response = client.patch(detail(world.programme_year), {"theme_title": "X"}, format="json")
    assert response.status_code == 403


# Copying -----------------------------------------------------------------------------------


def test_copy_moves_the_calendar_and_copies_the_forms(world, oversight):
    year = world.programme_year
    year.study_deadline = dt.date(2026, 3, 31)
    year.save()
    form = with_form(year)
    form.title = "BẢN CAM KẾT NĂM 2026"
    form.save()
    response = oversight.post(f"{detail(year)}copy/", {"year": 2027}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["year"], body["theme_title"]) == (2027, year.theme_title)
    assert body["issuer"]["id"] == world.commune.pk
    assert body["study_deadline"] == "2027-03-31"
    assert body["mid_year_date"] == "2027-06-30"
    (copied,) = body["forms"]
    assert copied["title"] == "BẢN CAM KẾT NĂM 2027"
    assert [c["number"] for c in copied["contents"]] == [1, 2, 3]
    assert FormContent.objects.count() == 6


def test_copy_onto_an_existing_year_is_400(world, oversight):
    make_programme_year(world.commune, 2027)
    response = oversight.post(f"{detail(world.programme_year)}copy/", {"year": 2027})
    assert response.status_code == 400
    assert "year" in response.json()


def test_member_cannot_copy_a_year(world, api):
    response = api(world.user("member")).post(
        f"{detail(world.programme_year)}copy/", {"year": 2027}
    )
    assert response.status_code == 403
