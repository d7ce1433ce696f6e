"""Client tests of the plans pages: happy paths, refused input kept, permission edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from lamtheo.plans import forms, services
from lamtheo.plans.models import Plan, PlanKind, PlanStatus
from lamtheo.plans.selectors import items_of
from tests.plans.conftest import D, draft, issued


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _form(unit, **extra):
    data = {
        "unit": unit.pk,
        "kind": "study",
        "year": "2026",
        "title": "Kế hoạch học tập chuyên đề",
        "issue_date": "20/01/2026",
        "number": "",
        "term_label": "",
        "s-TOTAL_FORMS": "1",
        "s-INITIAL_FORMS": "0",
        "s-MIN_NUM_FORMS": "0",
        "s-MAX_NUM_FORMS": "60",
        "s-0-heading": "I. MỤC ĐÍCH",
        "s-0-text": "Nắm vững chuyên đề",
    }
    data.update(extra)
    return data


def test_secretary_creates_a_draft_with_the_next_number(world, login):
    client = login(world.user("secretary"))
    response = client.post(reverse("plans:plan-create"), _form(world.cell_a))
    plan = Plan.objects.get(unit=world.cell_a)
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/")
    assert plan.number == 1 and plan.status == PlanStatus.DRAFT
    assert plan.sections.get().heading == "I. MỤC ĐÍCH"


def test_page_refuses_a_date_before_the_superiors_plan_and_keeps_the_input(world, login):
    superior = issued(world.commune, day=D(2026, 1, 22))
    client = login(world.user("secretary"))
    response = client.post(
        reverse("plans:plan-create"),
        _form(world.cell_a, issue_date="20/01/2026", title="Tiêu đề của tôi"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert superior.symbol in text and "22/01/2026" in text
    assert "Tiêu đề của tôi" in text and "Nắm vững chuyên đề" in text
    assert not Plan.objects.filter(unit=world.cell_a).exists()


def test_page_refuses_a_duplicate_number(world, login):
    draft(world.cell_a, day=D(2026, 1, 5), number=7)
    client = login(world.user("secretary"))
    response = client.post(reverse("plans:plan-create"), _form(world.cell_a, number="7"))
    assert response.status_code == 200
    assert "07-KH/CB" in response.content.decode()


def test_issued_plan_cannot_be_edited_from_the_page(cascade, login):
    client = login(cascade.user("secretary"))
    url = reverse("plans:plan-edit", args=[cascade.cell_plan.pk])
    response = client.post(url, _form(cascade.cell_a, title="Đổi"), follow=True)
    assert "locked" in response.content.decode()
    cascade.cell_plan.refresh_from_db()
    assert cascade.cell_plan.title != "Đổi"


def test_issue_page_confirms_on_get_and_acts_on_post(world, login):
    plan = draft(world.cell_a, day=D(2026, 1, 5))
    client = login(world.user("secretary"))
    url = reverse("plans:plan-issue", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 200 and "3" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    response = client.post(url)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_issuing_a_correction_that_would_invalidate_plans_below_lists_them(cascade, login):
    w = cascade
    correction = services.create_correction(plan=w.commune_plan, by=None, reason="Sai ngày")
    services.update_plan(plan=correction, by=None, issue_date=D(2026, 1, 25))
    client = login(w.user("oversight"))
    url = reverse("plans:plan-issue", args=[correction.pk])
    assert w.cell_plan.symbol in client.get(url).content.decode()
    response = client.post(url)
    text = response.content.decode()
    assert response.status_code == 400
    assert w.cell_plan.symbol in text and "15/01/2026" in text and "Đông Bình" in text


def test_correction_page_needs_a_reason_then_opens_the_new_draft(cascade, login):
    client = login(cascade.user("secretary"))
    url = reverse("plans:plan-correct", args=[cascade.cell_plan.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Bổ sung mô hình"})
    correction = Plan.objects.get(supersedes=cascade.cell_plan)
    assert response["Location"] == reverse("plans:plan-edit", args=[correction.pk])


def test_start_from_superior_creates_a_draft_copy_for_the_unit(world, login):
    superior = issued(world.commune, day=D(2026, 1, 10))
    client = login(world.user("secretary"))
    url = reverse("plans:plan-follow", args=[superior.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"unit": world.cell_a.pk})
    plan = Plan.objects.get(unit=world.cell_a)
    assert response["Location"] == reverse("plans:plan-edit", args=[plan.pk])
    assert plan.based_on == superior and plan.sections.count() == 2


def test_member_acknowledges_from_the_plan_page_once(cascade, login):
    client = login(cascade.user("member"))
    page = client.get(reverse("plans:plan-detail", args=[cascade.cell_plan.pk]))
    assert "I have read it" in page.content.decode()
    item = items_of(cascade.cell_plan).get(person=cascade.people.member)
    url = reverse("plans:inbox-acknowledge", args=[item.pk])
    client.post(url, {"next": "plan"})
    item.refresh_from_db()
    first = item.acknowledged_at
    client.post(url)
    item.refresh_from_db()
    assert first is not None and item.acknowledged_at == first
    page = client.get(reverse("plans:plan-detail", args=[cascade.cell_plan.pk]))
    assert "I have read it" not in page.content.decode()


def test_inbox_lists_the_unread_plan_and_the_home_card_counts_it(cascade, login):
    client = login(cascade.user("member"))
    assert cascade.cell_plan.title in client.get(reverse("plans:inbox")).content.decode()
    assert "1 item waiting" in client.get(reverse("home")).content.decode()


def test_secretary_inbox_has_the_committees_plan_to_follow(world, login):
    issued(world.commune, day=D(2026, 1, 10))
    client = login(world.user("other_secretary"))
    text = client.get(reverse("plans:inbox")).content.decode()
    assert "Issue your own plan based on this" in text


def test_deployment_page_names_who_has_not_read(cascade, login):
    services.acknowledge(
        item=items_of(cascade.cell_plan).get(person=cascade.people.member), by=None
    )
    client = login(cascade.user("secretary"))
    text = client.get(reverse("plans:plan-deployment", args=[cascade.cell_plan.pk])).content
    text = text.decode()
    assert "Lê Văn Đồng Chí" in text and "Trần Thị Bí Thư" in text
    assert client.post(reverse("plans:plan-remind", args=[cascade.cell_plan.pk])).status_code == 302
    assert items_of(cascade.cell_plan).filter(reminder_count=1).count() == 2


def test_member_of_another_cell_gets_404_for_plan_and_delivery(cascade, login):
    client = login(cascade.user("other_member"))
    item = items_of(cascade.cell_plan).get(person=cascade.people.member)
    assert client.get(reverse("plans:plan-detail", args=[cascade.cell_plan.pk])).status_code == 404
    assert client.post(reverse("plans:inbox-acknowledge", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.acknowledged_at is None


def test_member_reads_the_superior_plan_their_cell_follows_but_not_drafts(cascade, login):
    own_draft = draft(cascade.cell_a, day=D(2026, 1, 20), kind=PlanKind.IMPLEMENTATION)
    client = login(cascade.user("member"))
    detail = "plans:plan-detail"
    assert client.get(reverse(detail, args=[cascade.commune_plan.pk])).status_code == 200
    assert client.get(reverse(detail, args=[own_draft.pk])).status_code == 404


def test_state_plan_page_shows_the_state_header(world, login):
    plan = issued(world.ubnd, day=D(2026, 1, 5), kind=PlanKind.IMPLEMENTATION)
    text = login(world.user("staff")).get(reverse("plans:plan-detail", args=[plan.pk]))
    text = text.content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 1/KH-UBND" in text and "ngày 05 tháng 01 năm 2026" in text


def test_party_plan_page_shows_the_party_header(cascade, login):
    text = login(cascade.user("member")).get(
        reverse("plans:plan-detail", args=[cascade.cell_plan.pk])
    )
    text = text.content.decode()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số 02-KH/CB" not in text
    assert "Số 01-KH/CB" in text and "T/M CHI BỘ" in text


def test_attachment_type_and_size_are_checked(world, login, media, settings):
    plan = draft(world.cell_a, day=D(2026, 1, 5))
    client = login(world.user("secretary"))
    url = reverse("plans:attachment-add", args=[plan.pk])
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    assert client.post(url, {"file": bad}).status_code == 200
    assert not plan.attachments.exists()
    monkey = services.ATTACHMENT_MAX_BYTES
    try:
        services.ATTACHMENT_MAX_BYTES = 3
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.4")
        assert client.post(url, {"file": big}).status_code == 200
    finally:
        services.ATTACHMENT_MAX_BYTES = monkey
    good = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client.post(url, {"file": good}).status_code == 302
    attachment = plan.attachments.get()
    response = client.get(reverse("plans:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200 and response.content == b"%PDF-1.4"
    services.issue_plan(plan=plan, by=None)
    again = SimpleUploadedFile("annex.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, {"file": again})
    assert response.status_code == 200 and "locked" in response.content.decode()
    assert plan.attachments.count() == 1


def test_coverage_page_shows_counts_and_the_violation(cascade, login):
    bad = Plan.objects.create(
        unit=cascade.cell_b,
        year=2026,
        kind="study",
        issuer_abbreviation="CB",
        number=9,
        numbering_period="2025-2030",
        issue_date=D(2026, 1, 2),
        title="Nhập",
        status=PlanStatus.ISSUED,
    )
    client = login(cascade.user("oversight"))
    response = client.get(reverse("plans:coverage"), {"year": 2026, "kind": "study"})
    text = response.content.decode()
    assert bad.symbol in text and "02/01/2026" in text
    assert "Chi bộ ấp Tây Bình" in text


def test_model_registration_refuses_bad_input_and_keeps_it(world, login):
    client = login(world.user("secretary"))
    data = {
        "unit": world.cell_a.pk,
        "name": "",
        "description": "Mô tả giữ lại",
        "t-TOTAL_FORMS": "1",
        "t-INITIAL_FORMS": "0",
        "t-MIN_NUM_FORMS": "0",
        "t-MAX_NUM_FORMS": "30",
        "t-0-description": "Hộ dân",
        "t-0-target_value": "-3",
        "t-0-unit_of_measure": "hộ",
    }
    response = client.post(reverse("plans:model-create") + "?year=2026", data)
    assert response.status_code == 200 and "Mô tả giữ lại" in response.content.decode()
    data.update({"name": "Dân vận khéo", "t-0-target_value": "30"})
    response = client.post(reverse("plans:model-create") + "?year=2026", data)
    assert response.status_code == 302


def test_member_reads_the_model_but_cannot_record_progress(world, login):
    model = services.register_model(unit=world.cell_a, year=2026, name="Mô hình", by=None)
    client = login(world.user("member"))
    assert client.get(reverse("plans:model-detail", args=[model.pk])).status_code == 200
    assert client.get(reverse("plans:model-progress", args=[model.pk])).status_code == 404


def test_plan_list_query_count_does_not_grow_with_plans(
    world, login, django_assert_max_num_queries
):
    client = login(world.user("oversight"))
    for i in range(12):
        issued(world.cell_a if i % 2 else world.cell_b, day=D(2026, 1, 10 + i))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("plans:plan-list")).status_code == 200


def test_coverage_page_query_count_does_not_grow_with_units(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lamtheo.org.models import UnitKind
    from tests.factories import make_unit

    client = login(world.user("oversight"))
    url = reverse("plans:coverage") + "?year=2026&kind=study"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    issued(world.commune, day=D(2026, 1, 5))
    before = count()
    for i in range(10):
        cell = make_unit(kind=UnitKind.CELL, name=f"Chi bộ ấp {i}", parent=world.commune)
        issued(cell, day=D(2026, 1, 20))
    assert count() == before


def _households_model(world, *targets):
    targets = targets or (
        {
            "description": "Số hộ thoát nghèo",
            "target_value": Decimal("10"),
            "unit_of_measure": "hộ",
        },
    )
    return services.register_model(
        unit=world.cell_a, year=2026, name="Giảm nghèo bền vững", by=None, targets=list(targets)
    )


def _households_and_road_model(world):
    """A model with a count target (10 hộ) and a decimal one (2,5 km)."""
    return _households_model(
        world,
        {
            "description": "Số hộ thoát nghèo",
            "target_value": Decimal("10"),
            "unit_of_measure": "hộ",
        },
        {"description": "Tuyến đường hoa", "target_value": Decimal("2.5"), "unit_of_measure": "km"},
    )


def test_progress_page_refuses_a_negative_value_and_keeps_the_input(world, login):
    model = _households_model(world)
    target = model.targets.get()
    client = login(world.user("secretary"))
    url = reverse("plans:model-progress", args=[model.pk])
    data = {"date": "02/03/2026", "note": "Ghi nhầm dấu", "target": target.pk, "value": "-3"}
    response = client.post(url, data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "A progress value cannot be negative" in text
    assert 'value="-3"' in text and "Ghi nhầm dấu" in text
    assert not model.progress_entries.exists()


def test_progress_form_preselects_the_only_target(world, login):
    model = _households_model(world)
    target = model.targets.get()
    client = login(world.user("secretary"))
    text = client.get(reverse("plans:model-progress", args=[model.pk])).content.decode()
    assert f'<option value="{target.pk}" selected>' in text
    two = _households_model(
        world,
        {"description": "Hộ thoát nghèo", "target_value": Decimal("10"), "unit_of_measure": "hộ"},
        {"description": "Đường hoa", "target_value": Decimal("2"), "unit_of_measure": "km"},
    )
    text = client.get(reverse("plans:model-progress", args=[two.pk])).content.decode()
    assert '<option value="" selected>' in text


def test_model_page_shows_quantities_without_useless_decimals(world, login):
    model = _households_and_road_model(world)
    _households, road = model.targets.all()
    services.add_progress(
        model=model, date=D(2026, 3, 1), note="Trồng", value=Decimal("1.5"), target=road, by=None
    )
    text = login(world.user("member")).get(reverse("plans:model-detail", args=[model.pk]))
    text = text.content.decode()
    assert "10 hộ" in text and "2.5 km" in text and "+1.5 km" in text
    assert "10.00" not in text and "2.50" not in text and "1.50" not in text


def test_model_page_and_refusal_are_in_vietnamese_by_default(world, login, settings):
    settings.LANGUAGE_CODE = "vi"
    model = _households_and_road_model(world)
    client = login(world.user("secretary"))
    text = client.get(reverse("plans:model-detail", args=[model.pk])).content.decode()
    assert "10 hộ" in text and "2,5 km" in text and "10,00" not in text
    url = reverse("plans:model-progress", args=[model.pk])
    data = {"date": "02/03/2026", "note": "Nhầm", "target": model.targets.first().pk, "value": "-3"}
    text = client.post(url, data).content.decode()
    assert "Giá trị tiến độ không được âm" in text


@pytest.fixture
def three_levels(cascade):
    """The province's plan above the commune's (which is now based on it), and a model the
    commune registered with its plan."""
    w = cascade
    w.province_plan = issued(w.province, day=D(2026, 1, 5), title="Kế hoạch của Tỉnh ủy")
    Plan.objects.filter(pk=w.commune_plan.pk).update(based_on=w.province_plan)
    w.commune_model = services.register_model(
        unit=w.commune, year=2026, name="Dân hỏi - cán bộ trả lời", plan=w.commune_plan, by=None
    )
    return w


@pytest.mark.parametrize(
    ("persona", "plan_link", "model_link"),
    [
        ("member", False, False),
        ("secretary", True, False),
        ("oversight", True, True),
        ("admin", True, True),
    ],
)
def test_plan_page_links_only_the_plans_and_models_the_viewer_can_open(
    three_levels, login, persona, plan_link, model_link
):
    w = three_levels
    client = login(w.user(persona))
    text = client.get(reverse("plans:plan-detail", args=[w.commune_plan.pk])).content.decode()
    plan_url = reverse("plans:plan-detail", args=[w.province_plan.pk])
    model_url = reverse("plans:model-detail", args=[w.commune_model.pk])
    # The text stays, as plain text when it cannot be opened.
    assert w.province_plan.symbol in text and "Dân hỏi - cán bộ trả lời" in text
    assert (f'href="{plan_url}"' in text) is plan_link
    assert (f'href="{model_url}"' in text) is model_link
    # Each link shown opens.
    assert (client.get(plan_url).status_code == 200) is plan_link
    assert (client.get(model_url).status_code == 200) is model_link


def test_model_page_shows_a_draft_plan_as_text_to_a_member(world, login):
    plan = draft(world.cell_a, day=D(2026, 1, 5))
    model = services.register_model(
        unit=world.cell_a, year=2026, name="Mô hình", plan=plan, by=None
    )
    plan_url = reverse("plans:plan-detail", args=[plan.pk])
    member = login(world.user("member"))
    text = member.get(reverse("plans:model-detail", args=[model.pk])).content.decode()
    assert plan.symbol in text and f'href="{plan_url}"' not in text
    secretary = login(world.user("secretary"))
    text = secretary.get(reverse("plans:model-detail", args=[model.pk])).content.decode()
    assert f'href="{plan_url}"' in text


def test_plan_page_query_count_does_not_grow_with_its_models(three_levels, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = three_levels
    client = login(w.user("member"))
    url = reverse("plans:plan-detail", args=[w.commune_plan.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        services.register_model(
            unit=w.commune, year=2026, name=f"Mô hình {i}", plan=w.commune_plan, by=None
        )
    assert count() == before


@freeze_time("2026-11-26 10:00:00+07:00")
def test_plan_list_asks_the_cell_to_deploy_its_nearest_superiors_plans_only(world, login):
    province_plan = issued(world.province, day=D(2026, 1, 2))
    commune_plan = issued(world.commune, day=D(2026, 1, 10), based_on=province_plan)
    client = login(world.user("secretary"))
    text = client.get(reverse("plans:plan-list")).content.decode()
    assert reverse("plans:plan-follow", args=[commune_plan.pk]) in text
    assert reverse("plans:plan-follow", args=[province_plan.pk]) not in text
    assert "Nothing left to deploy" not in text
    issued(world.cell_a, day=D(2026, 1, 15), based_on=commune_plan)
    text = client.get(reverse("plans:plan-list")).content.decode()
    assert reverse("plans:plan-follow", args=[commune_plan.pk]) not in text
    assert "Nothing left to deploy: Chi bộ ấp Đông Bình has deployed" in text


@freeze_time("2026-11-26 10:00:00+07:00")
def test_plan_list_says_in_vietnamese_when_nothing_is_left_to_deploy(world, login, settings):
    settings.LANGUAGE_CODE = "vi"
    text = login(world.user("secretary")).get(reverse("plans:plan-list")).content.decode()
    assert "Kế hoạch cấp trên cần triển khai" in text
    assert "Không còn kế hoạch cấp trên nào cần triển khai" in text


@pytest.fixture
def based_on_candidates(world):
    """Plans a cell's new plan could cite: the commune's 2026 and 2025 plans, and a 2020
    plan of the town committee the commune succeeded (which the cell's secretary cannot
    open)."""
    from lamtheo.org.models import SuccessionKind, UnitKind, UnitSuccession
    from tests.factories import make_unit

    w = world
    town = make_unit(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="Đảng ủy thị trấn Núi Sập",
        parent=w.province,
        doc_abbreviation="ĐU",
    )
    UnitSuccession.objects.create(
        predecessor=town, successor=w.commune, kind=SuccessionKind.MERGE, effective_on=D(2025, 7, 1)
    )
    w.town_plan = issued(town, day=D(2020, 1, 10), year=2020, title="Kế hoạch của thị trấn")
    w.commune_2026 = issued(w.commune, day=D(2026, 1, 10), title="Kế hoạch xã năm 2026")
    w.commune_2025 = issued(w.commune, day=D(2025, 1, 10), year=2025, title="Kế hoạch xã 2025")
    return w


def _based_on_options(text):
    import re

    select = re.search(r'<select name="based_on".*?</select>', text, re.S).group(0)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select)}


def test_new_plan_offers_only_plans_of_its_year_the_user_can_open(based_on_candidates, login):
    w = based_on_candidates
    client = login(w.user("secretary"))
    url = reverse("plans:plan-create") + f"?unit={w.cell_a.pk}"
    assert client.get(reverse("plans:plan-detail", args=[w.town_plan.pk])).status_code == 404
    assert _based_on_options(client.get(url + "&year=2026").content.decode()) == {w.commune_2026.pk}
    # The year field asks the same page for another year's choices (htmx).
    text = client.get(url + "&year=2025").content.decode()
    assert _based_on_options(text) == {w.commune_2025.pk}
    assert 'hx-get="/plans/new/?unit=' in text and 'hx-select="#id_based_on"' in text
    assert _based_on_options(client.get(url + "&year=2020").content.decode()) == set()


def test_a_bound_plan_form_offers_the_submitted_years_plans_and_refuses_another(
    based_on_candidates, login
):
    w = based_on_candidates
    client = login(w.user("secretary"))
    data = _form(w.cell_a, year="2025", issue_date="20/01/2025", based_on=str(w.commune_2026.pk))
    response = client.post(reverse("plans:plan-create"), data)
    text = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.filter(unit=w.cell_a).exists()
    assert "Choose one of the listed plans" in text
    assert _based_on_options(text) == {w.commune_2025.pk}
    data["based_on"] = str(w.town_plan.pk)
    assert (
        "Choose one of the listed plans"
        in client.post(reverse("plans:plan-create"), data).content.decode()
    )
    data["based_on"] = str(w.commune_2025.pk)
    assert client.post(reverse("plans:plan-create"), data).status_code == 302
    assert Plan.objects.get(unit=w.cell_a).based_on == w.commune_2025


def test_editing_a_draft_keeps_the_superseded_plan_it_cites(world, login):
    superior = issued(world.commune, day=D(2026, 1, 10))
    own = draft(world.cell_a, day=D(2026, 1, 15), based_on=superior)
    correction = services.create_correction(plan=superior, by=None, reason="Sửa")
    services.issue_plan(plan=correction, by=None)
    client = login(world.user("secretary"))
    text = client.get(reverse("plans:plan-edit", args=[own.pk])).content.decode()
    assert _based_on_options(text) == {superior.pk, correction.pk}
    assert f'<option value="{superior.pk}" selected>' in text


def test_based_on_line_cites_the_number_in_lower_case(cascade, login):
    text = login(cascade.user("member")).get(
        reverse("plans:plan-detail", args=[cascade.cell_plan.pk])
    )
    text = text.content.decode()
    assert f"số {cascade.commune_plan.symbol}," in text
    assert f"Số {cascade.commune_plan.symbol}" not in text


@pytest.mark.parametrize("year", ["99999", "-5", "2015", "2101"])
def test_plan_year_out_of_range_gets_one_clear_message_and_keeps_the_input(world, login, year):
    client = login(world.user("secretary"))
    response = client.post(reverse("plans:plan-create"), _form(world.cell_a, year=year))
    text = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.exists()
    assert "The year must be from 2016 to 2100." in text
    assert f'value="{year}"' in text and "Nắm vững chuyên đề" in text


def test_plan_year_message_is_plain_vietnamese_by_default(world, login, settings):
    settings.LANGUAGE_CODE = "vi"
    client = login(world.user("secretary"))
    text = client.post(reverse("plans:plan-create"), _form(world.cell_a, year="99999"))
    text = text.content.decode()
    assert "Năm phải từ 2016 đến 2100." in text
    assert "2100 ." not in text and "Đảm bảo" not in text


def test_attachment_field_tells_the_phone_which_types_are_allowed(world, login):
    plan = draft(world.cell_a, day=D(2026, 1, 5))
    client = login(world.user("secretary"))
    text = client.get(reverse("plans:attachment-add", args=[plan.pk])).content.decode()
    assert 'accept=".doc,.docx,.jpeg,.jpg,.ods,.odt,.pdf,.png,.xls,.xlsx"' in text


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2,5", "2.5"),
        ("2.5", "2.5"),
        ("1.500", "1500"),
        ("12.000,5", "12000.5"),
        (" 3 ", "3"),
        ("0.250", "0.25"),
        ("0,25", "0.25"),
    ],
)
def test_progress_value_is_read_as_vietnamese_write_numbers(world, login, settings, typed, stored):
    settings.LANGUAGE_CODE = "vi"
    model = _households_model(world)
    client = login(world.user("secretary"))
    url = reverse("plans:model-progress", args=[model.pk])
    data = {"date": "02/03/2026", "note": "Vận động", "target": model.targets.get().pk}
    response = client.post(url, {**data, "value": typed})
    assert response.status_code == 302
    assert model.progress_entries.get().value == Decimal(stored)


def test_quantity_fields_show_stored_values_without_useless_decimals(world, login, settings):
    settings.LANGUAGE_CODE = "vi"
    model = _households_and_road_model(world)
    client = login(world.user("secretary"))
    text = client.get(reverse("plans:model-progress", args=[model.pk])).content.decode()
    assert 'inputmode="decimal"' in text
    with translation.override("vi"):
        form = forms.TargetForm(initial={"target_value": Decimal("10.00")})
        assert 'value="10"' in str(form["target_value"])
        form = forms.TargetForm(initial={"target_value": Decimal("2.50")})
        assert 'value="2,5"' in str(form["target_value"])


def test_a_reminded_person_sees_the_reminder_first_in_the_inbox(cascade, login):
    other = issued(
        cascade.cell_a,
        day=D(2026, 2, 20),
        kind=PlanKind.IMPLEMENTATION,
        title="Kế hoạch sau, chưa nhắc",
    )
    assert items_of(other).filter(person=cascade.people.member).exists()
    with freeze_time("2026-03-02 09:00"):
        services.remind(plan=cascade.cell_plan, by=None)
    with freeze_time("2026-03-09 09:00"):
        services.remind(plan=cascade.cell_plan, by=None)
    text = login(cascade.user("member")).get(reverse("plans:inbox")).content.decode()
    assert "Reminded 2 times, last on 09/03/2026" in text
    assert text.index(cascade.cell_plan.title) < text.index("Kế hoạch sau, chưa nhắc")


def test_the_reminder_reads_in_vietnamese(cascade, login):
    services.remind(plan=cascade.cell_plan, by=None)
    client = login(cascade.user("member"))
    with translation.override("vi"):
        client.cookies["django_language"] = "vi"
        text = client.get(reverse("plans:inbox")).content.decode()
    assert "Đã được nhắc 1 lần, lần cuối ngày" in text
