"""Programme-year services: creation with the default forms, duplicates, copying to another
year (dates, 29/02, the Congress number) and editing a form's ordered contents."""

from __future__ import annotations

import datetime as dt

import pytest

from lamtheo.core.errors import DomainError
from lamtheo.programme import services
from lamtheo.programme.models import Audience, FormContent, ProgrammeYear
from lamtheo.programme.services import ContentData, congress_for_year, shift_year

D = dt.date


@pytest.fixture
def year_2026(world):
    return services.create_programme_year(
        issuer=world.province,
        year=2026,
        theme_title="Học tập và làm theo tấm gương Bác Hồ về chăm lo đời sống nhân dân",
        guiding_document="Hướng dẫn số 12-HD/BTGDVTU",
        commitment_deadline=D(2026, 2, 28),
        by=world.user("admin"),
    )


def _contents(py: ProgrammeYear, audience: str) -> list[FormContent]:
    return list(py.forms.get(audience=audience).contents.order_by("number"))


@pytest.mark.parametrize(
    ("year", "congress"),
    [(2020, "XII"), (2021, "XIII"), (2025, "XIII"), (2026, "XIV"), (2031, "XV")],
)
def test_congress_follows_the_five_year_terms(year, congress):
    assert congress_for_year(year) == congress


def test_new_year_gets_the_six_contents_of_cong_van_2952(year_2026):
    contents = _contents(year_2026, Audience.PARTY)
    assert [c.number for c in contents] == [1, 2, 3, 4, 5, 6]
    assert contents[0].title == "Về tư tưởng chính trị"
    assert contents[2].title == "Về thực hiện chức trách, nhiệm vụ được giao"
    assert [c.holds_tasks for c in contents] == [False, False, True, False, False, False]
    assert "Đại hội XIV" in contents[5].title
    form = year_2026.forms.get(audience=Audience.PARTY)
    assert form.header == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert form.title.endswith("NĂM 2026")


def test_new_year_gets_a_state_form_for_non_members(year_2026):
    form = year_2026.forms.get(audience=Audience.STATE)
    assert form.header.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    contents = _contents(year_2026, Audience.STATE)
    assert len(contents) >= 3
    assert sum(c.holds_tasks for c in contents) == 1


def test_calendar_defaults_to_30_june_and_15_december(year_2026):
    assert (year_2026.mid_year_date, year_2026.year_end_date) == (D(2026, 6, 30), D(2026, 12, 15))


def test_a_2020_year_acts_on_the_twelfth_congress(world):
    py = services.create_programme_year(
        issuer=world.province, year=2020, theme_title="Tăng cường khối đại đoàn kết", by=None
    )
    assert "Đại hội XII của Đảng" in _contents(py, Audience.PARTY)[5].title


def test_duplicate_year_is_refused_with_a_clear_message(world):
    # The world fixture already has the commune's 2026.
    with pytest.raises(DomainError) as exc:
        services.create_programme_year(
            issuer=world.commune, year=2026, theme_title="Lần hai", by=None
        )
    assert exc.value.field == "year"
    assert "2026" in str(exc.value.message)
    assert "Đảng ủy xã Thoại Sơn" in str(exc.value.message)
    assert ProgrammeYear.objects.filter(issuer=world.commune).count() == 1


def test_only_a_committee_issues_a_year(world):
    with pytest.raises(DomainError) as exc:
        services.create_programme_year(issuer=world.cell_a, year=2026, theme_title="x", by=None)
    assert exc.value.field == "issuer"


def test_year_end_must_follow_mid_year(world):
    with pytest.raises(DomainError) as exc:
        services.create_programme_year(
            issuer=world.province,
            year=2026,
            theme_title="x",
            mid_year_date=D(2026, 6, 30),
            year_end_date=D(2026, 6, 1),
            by=None,
        )
    assert exc.value.field == "year_end_date"
    assert not ProgrammeYear.objects.filter(issuer=world.province).exists()


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2025, 6, 30), 1, D(2026, 6, 30)),
        (D(2026, 1, 31), -2, D(2024, 1, 31)),
        (None, 1, None),
    ],
)
def test_shift_year_is_safe_on_29_february(day, years, expected):
    assert shift_year(day, years) == expected


def test_copy_moves_the_calendar_and_copies_theme_and_forms(world):
    source = services.create_programme_year(
        issuer=world.province,
        year=2024,
        theme_title="Chuyên đề 2024",
        theme_text="Nội dung chuyên đề",
        guiding_document="Hướng dẫn số 05-HD/BTGTU",
        guiding_document_date=D(2024, 1, 15),
        commitment_deadline=D(2024, 2, 29),
        monthly_review_day=7,
        by=None,
    )
    copy = services.copy_programme_year(source=source, year=2025, by=world.user("admin"))
    assert (copy.issuer, copy.year) == (world.province, 2025)
    assert (copy.theme_title, copy.theme_text) == ("Chuyên đề 2024", "Nội dung chuyên đề")
    assert copy.commitment_deadline == D(2025, 2, 28)
    assert copy.guiding_document_date == D(2025, 1, 15)
    assert (copy.mid_year_date, copy.year_end_date) == (D(2025, 6, 30), D(2025, 12, 15))
    assert copy.monthly_review_day == 7
    party = _contents(copy, Audience.PARTY)
    assert [c.title for c in party] == [c.title for c in _contents(source, Audience.PARTY)]
    assert copy.forms.get(audience=Audience.PARTY).title.endswith("NĂM 2025")
    assert copy.forms.count() == 2
    # The source is untouched.
    assert _contents(source, Audience.PARTY)[0].form.programme_year_id == source.pk


def test_copy_into_the_next_term_updates_the_congress(world):
    source = services.create_programme_year(
        issuer=world.province, year=2025, theme_title="Chuyên đề 2025", by=None
    )
    form = source.forms.get(audience=Audience.PARTY)
    services.update_form(
        form=form,
        contents=[
            ContentData(id=c.pk, title=c.title, prompt=c.prompt, holds_tasks=c.holds_tasks)
            for c in _contents(source, Audience.PARTY)
        ]
        + [ContentData(title="Về tác phong, lề lối làm việc")],
        by=None,
    )
    copy = services.copy_programme_year(source=source, year=2026, by=None)
    titles = [c.title for c in _contents(copy, Audience.PARTY)]
    assert len(titles) == 7
    assert "Đại hội XIV" in titles[5]
    assert "Đại hội XIII" in _contents(source, Audience.PARTY)[5].title


def test_copy_to_an_existing_year_is_refused(world):
    source = services.create_programme_year(
        issuer=world.commune, year=2025, theme_title="Chuyên đề 2025", by=None
    )
    with pytest.raises(DomainError) as exc:
        services.copy_programme_year(source=source, year=2026, by=None)
    assert exc.value.field == "year"
    assert ProgrammeYear.objects.filter(issuer=world.commune).count() == 2


def test_update_form_reorders_adds_and_removes_contents(year_2026):
    form = year_2026.forms.get(audience=Audience.PARTY)
    c = _contents(year_2026, Audience.PARTY)
    services.update_form(
        form=form,
        contents=[
            ContentData(id=c[5].pk, title=c[5].title.replace("XIV", "XIV (sửa)")),
            ContentData(id=c[0].pk, title=c[0].title, prompt=c[0].prompt),
            ContentData(id=c[2].pk, title=c[2].title, holds_tasks=True),
            ContentData(title="Về tác phong, lề lối làm việc", prompt="Mới"),
        ],
        title="BẢN CAM KẾT NĂM 2026",
        by=None,
        reason="Mẫu của tỉnh",
    )
    after = _contents(year_2026, Audience.PARTY)
    assert [x.number for x in after] == [1, 2, 3, 4]
    assert [x.pk for x in after[:3]] == [c[5].pk, c[0].pk, c[2].pk]
    assert "XIV (sửa)" in after[0].title
    assert after[2].holds_tasks
    assert after[3].title == "Về tác phong, lề lối làm việc"
    form.refresh_from_db()
    assert form.title == "BẢN CAM KẾT NĂM 2026"
    # Removals and changes are in the history, with the reason.
    deleted = FormContent.history.filter(id=c[1].pk, history_type="-").get()
    assert deleted.history_change_reason == "Mẫu của tỉnh"


def test_update_form_refuses_an_empty_list_or_a_foreign_content(year_2026, world):
    form = year_2026.forms.get(audience=Audience.PARTY)
    with pytest.raises(DomainError):
        services.update_form(form=form, contents=[], by=None)
    other = services.create_programme_year(
        issuer=world.province, year=2027, theme_title="x", by=None
    )
    foreign = _contents(other, Audience.PARTY)[0]
    with pytest.raises(DomainError):
        services.update_form(form=form, contents=[ContentData(id=foreign.pk, title="x")], by=None)
    assert len(_contents(year_2026, Audience.PARTY)) == 6


def test_default_forms_are_added_to_a_year_without_them(world):
    made = services.create_default_forms(programme_year=world.programme_year, by=None)
    assert {f.audience for f in made} == {Audience.PARTY, Audience.STATE}
    assert services.create_default_forms(programme_year=world.programme_year, by=None) == []
