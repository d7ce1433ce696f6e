"""``manage.py seed_demo`` and the demo registry (``lamtheo.core.demo``)."""

from __future__ import annotations

import importlib.util
import random
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from lamtheo.core import demo
from lamtheo.org.demo import NameMaker, apportion, commune_sizes
from lamtheo.org.models import (
    CELL_KINDS,
    Employment,
    MembershipStatus,
    PartyMembership,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    UnitSuccession,
)
from lamtheo.org.scope import people_for, units_for
from lamtheo.programme.models import Audience, ProgrammeYear

User = get_user_model()


def seed(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):  # the messages checked below are the English msgids
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def user(username: str):
    # A fresh object each time: the scope is cached on the user instance.
    return User.objects.get(username=username)


def cell_of(username: str) -> Unit:
    return PartyMembership.objects.current().get(person__user__username=username).cell


@pytest.fixture
def seeded(db) -> str:
    return seed()


# --- Pure helpers ---------------------------------------------------------------------------------


def test_apportion_splits_the_whole_total_and_respects_the_minimum():
    parts = apportion(100, [1.0, 2.0, 0.01], minimum=4)
    assert sum(parts) == 100
    assert min(parts) >= 4
    assert parts[1] > parts[0]


def test_a_commune_of_1500_members_has_hamlet_cells_of_about_17():
    institutions, hamlets = commune_sizes(1500, random.Random(1))
    assert sum(institutions) + sum(hamlets) == 1500
    assert 15 <= sum(hamlets) / len(hamlets) <= 19
    assert min(hamlets) >= 4


def test_names_are_vietnamese_shaped_and_depend_only_on_the_seed():
    first = [NameMaker(random.Random(3))("female") for _ in range(50)]
    again = [NameMaker(random.Random(3))("female") for _ in range(50)]
    assert first == again
    assert all(len(name.split()) >= 3 for name in first)
    assert sum(" Thị " in name for name in first) > 15


def test_nguyen_is_the_most_common_family_name():
    make = NameMaker(random.Random(9))
    families = Counter(make("male").split()[0] for _ in range(2000))
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert 0.30 < families["Nguyễn"] / 2000 < 0.46


# --- The registry ------------------------------------------------------------------------------------


def test_demo_modules_of_installed_apps_are_found_and_apps_without_one_skipped():
    found = demo.load_demo_modules()
    assert "lamtheo.org.demo" in found
    assert "lamtheo.programme.demo" in found
    assert found == [
        f"{config.name}.demo"
        for config in apps.get_app_configs()
        if config.name.startswith("lamtheo.") and importlib.util.find_spec(f"{config.name}.demo")
    ]
    orders = {s.name: s.order for s in demo.STEPS}
    assert orders["lamtheo.org.demo.organisation"] == 10
    assert orders["lamtheo.programme.demo.programme_years"] == 20


def test_registering_a_step_twice_replaces_it(monkeypatch):
    monkeypatch.setattr(demo, "STEPS", [])

    def step(ctx):
        pass

    demo.demo_step(order=30)(step)
    demo.demo_step(order=31)(step)
    assert [(s.order, s.func) for s in demo.STEPS] == [(31, step)]


@pytest.mark.django_db
def test_a_later_step_sees_what_the_organisation_and_programme_steps_built(monkeypatch):
    demo.load_demo_modules()
    monkeypatch.setattr(demo, "STEPS", list(demo.STEPS))
    seen = {}

    @demo.demo_step(order=30)
    def plans_like(ctx: demo.DemoContext) -> None:
        home = ctx.home_commune
        seen["commune"] = home.committee.name
        seen["years"] = sorted(ctx.years)
        seen["hamlet_members"] = len(ctx.members_by_cell[home.cell("hamlet").unit.id])
        seen["kinds"] = {c.kind for c in home.cells}
        seen["staff"] = len(ctx.staff_by_unit[home.peoples_committee.id])
        seen["rng"] = ctx.rng.random()

    seed()
    assert seen["commune"] == "Đảng ủy xã Thoại Sơn"
    assert seen["years"][0] == 2020 and len(seen["years"]) == 2
    assert seen["hamlet_members"] >= 4
    assert {"hamlet", "school", "health", "police", "military", "peoples_committee"} <= (
        seen["kinds"]
    )
    assert seen["staff"] > 10


@pytest.mark.django_db
def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    demo.load_demo_modules()
    monkeypatch.setattr(demo, "STEPS", list(demo.STEPS))

    @demo.demo_step(order=99)
    def broken(ctx):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        seed()
    assert not Unit.objects.exists()
    assert not Person.objects.exists()
    assert not User.objects.filter(username__in=demo.DEMO_ACCOUNTS).exists()


# --- The default demo ------------------------------------------------------------------------------


def test_default_demo_has_one_commune_of_about_300_members_and_40_staff(seeded):
    commune = Unit.objects.get(kind=UnitKind.COMMUNE_COMMITTEE)
    assert commune.name == "Đảng ủy xã Thoại Sơn"
    assert (commune.doc_abbreviation, commune.place_name) == ("ĐU", "Thoại Sơn")
    province = Unit.objects.get(kind=UnitKind.PROVINCE_COMMITTEE)
    assert (province.name, province.doc_abbreviation, province.place_name) == (
        "Tỉnh ủy An Giang",
        "TU",
        "An Giang",
    )
    current = PartyMembership.objects.current()
    assert current.count() == 300
    cells = Unit.objects.filter(kind__in=CELL_KINDS, path__startswith=commune.path)
    assert 14 <= cells.count() <= 20
    hamlets = cells.filter(name__startswith="Chi bộ ấp")
    assert list(hamlets.values_list("name", flat=True)[:5]) == [
        "Chi bộ ấp Đông Bình",
        "Chi bộ ấp Tây Bình",
        "Chi bộ ấp Trung Bình",
        "Chi bộ ấp Phú Hòa",
        "Chi bộ ấp Mỹ Thạnh",
    ]
    per_hamlet = current.filter(cell__in=hamlets).count() / hamlets.count()
    assert 14 <= per_hamlet <= 20
    school = current.filter(cell__name="Chi bộ Trường THCS Thoại Sơn").count()
    assert school > per_hamlet
    non_members = Person.objects.filter(memberships__isnull=True)
    assert non_members.count() == 40
    assert all(p.employments.exists() for p in non_members)
    assert Unit.objects.filter(kind=UnitKind.ADVISORY_BODY, name__contains="Xây dựng Đảng").exists()
    assert Unit.objects.filter(kind=UnitKind.PUBLIC_SERVICE_UNIT).count() == 2
    high_school = Unit.objects.get(kind=UnitKind.GRASSROOTS_COMMITTEE, name__contains="THPT")
    assert high_school.numchild == 2


def test_members_have_realistic_sectors_positions_and_party_dates(seeded):
    current = PartyMembership.objects.current().select_related("person__sector", "cell")
    by_cell = {}
    for m in current:
        by_cell.setdefault(m.cell.name, []).append(m)
    school = by_cell["Chi bộ Trường THCS Thoại Sơn"]
    assert {m.person.sector.code for m in school} == {"giaoduc"}
    assert {m.person.sector.code for m in by_cell["Chi bộ Trạm Y tế xã Thoại Sơn"]} == {"yte"}
    assert {m.person.sector.code for m in by_cell["Chi bộ Công an xã Thoại Sơn"]} == {"canqs"}
    hamlet = {m.person.sector.code for m in by_cell["Chi bộ ấp Đông Bình"]}
    assert hamlet <= {"ap", "nongnghiep", "khac", "doanhnghiep", "canqs"} and "ap" in hamlet
    for members in by_cell.values():
        positions = Counter(m.person.party_position for m in members)
        secretaries = [p for p in positions.elements() if "Bí thư chi bộ" in p]
        assert len([p for p in secretaries if "Phó Bí thư chi bộ" not in p]) == 1
    probationary = [m for m in current if m.status == MembershipStatus.PROBATIONARY]
    assert 0.01 <= len(probationary) / len(current) <= 0.12
    assert all(m.official_on is None for m in probationary)
    official = [m for m in current if m.status == MembershipStatus.OFFICIAL]
    assert all(m.official_on.year == m.joined_on.year + 1 for m in official)
    births = [m.person.birth_date.year for m in current]
    assert min(births) >= 1955 and max(births) <= 2000
    assert {m.person.gender for m in current} == {"male", "female"}
    families = Counter(m.person.full_name.split()[0] for m in current)
    assert families.most_common(1)[0][0] == "Nguyễn"


def test_some_members_moved_cells_and_keep_their_closed_membership(seeded):
    closed = PartyMembership.objects.filter(valid_to__isnull=False)
    assert closed.exists()
    for old in closed:
        new = PartyMembership.objects.current().get(person=old.person)
        assert new.cell != old.cell
        assert new.valid_from > old.valid_to


def test_the_tree_built_in_bulk_has_no_problems(seeded):
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_bulk_created_rows_are_what_save_would_have_written(seeded):
    for unit in Unit.objects.all()[:10]:
        before = (unit.name, unit.short_name, unit.sort_key)
        unit.save()
        unit.refresh_from_db()
        assert (unit.name, unit.short_name, unit.sort_key) == before
    for person in Person.objects.all()[:20]:
        before = (person.full_name, person.sort_key, person.search_key)
        person.save()
        person.refresh_from_db()
        assert (person.full_name, person.sort_key, person.search_key) == before


def test_every_seeded_row_has_one_history_row(seeded):
    for model in (Unit, Person, PartyMembership, Employment, RoleAssignment, ProgrammeYear):
        assert model.history.filter(history_type="+").count() == model.objects.count()


def test_history_rows_written_in_bulk_read_back_as_the_objects(seeded):
    person = Person.objects.get(user__username="bithu")
    row = person.history.get()
    assert (row.history_type, row.history_change_reason) == ("+", demo.DEMO_CHANGE_REASON)
    assert row.history_user is None
    copy = row.instance
    for field in ("full_name", "birth_date", "sector_id", "user_id", "party_position", "code"):
        assert getattr(copy, field) == getattr(person, field), field
    membership = PartyMembership.history.get(id=person.memberships.get().pk)
    assert membership.cell_id == cell_of("bithu").pk
    assert membership.instance.joined_on == person.memberships.get().joined_on
    unit = Unit.history.get(id=cell_of("bithu").pk)
    assert (unit.name, unit.valid_to) == ("Chi bộ ấp Đông Bình", None)


def test_fast_inserts_store_what_bulk_create_stores(db, monkeypatch, settings):
    def snapshot() -> dict[str, object]:
        counts = {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model._meta.app_label in {"org", "programme", "plans", "study"}
        }
        people = list(
            Person.objects.order_by("id").values_list(
                "full_name",
                "birth_date",
                "sector__code",
                "sort_key",
                "search_key",
                "user__username",
            )
        )
        memberships = list(
            PartyMembership.objects.order_by("id").values_list(
                "person__full_name", "cell__name", "joined_on", "official_on", "status", "valid_to"
            )
        )
        return {"counts": counts, "people": people, "memberships": memberships}

    monkeypatch.setattr(demo, "FAST_INSERT", False)
    seed()
    slow = snapshot()
    monkeypatch.setattr(demo, "FAST_INSERT", True)
    seed("--reset", "--force")
    assert snapshot() == slow
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_the_district_committee_is_history_merged_into_the_commune(seeded):
    district = Unit.objects.get(kind=UnitKind.DISTRICT_COMMITTEE)
    assert district.name == "Huyện ủy Thoại Sơn"
    assert str(district.valid_to) == "2025-06-30"
    succession = UnitSuccession.objects.get(predecessor=district)
    assert succession.successor.name == "Đảng ủy xã Thoại Sơn"
    assert (succession.kind, str(succession.effective_on)) == ("merge", "2025-07-01")


def test_programme_years_2020_from_the_district_and_this_year_from_the_province(seeded):
    y2020 = ProgrammeYear.objects.get(year=2020)
    assert y2020.issuer.kind == UnitKind.DISTRICT_COMMITTEE
    assert y2020.theme_title.startswith("Tăng cường khối đại đoàn kết toàn dân tộc")
    current = ProgrammeYear.objects.exclude(year=2020).get()
    assert current.issuer.kind == UnitKind.PROVINCE_COMMITTEE
    assert "thực hành" in current.theme_title
    for year in (y2020, current):
        party = year.forms.get(audience=Audience.PARTY)
        contents = list(party.contents.order_by("number"))
        assert [c.number for c in contents] == [1, 2, 3, 4, 5, 6]
        assert [c.number for c in contents if c.holds_tasks] == [3]
        assert year.forms.filter(audience=Audience.STATE).exists()


# --- Accounts and scopes ------------------------------------------------------------------------------


def test_the_seven_accounts_log_in_with_the_demo_password(seeded, client):
    for username in demo.DEMO_ACCOUNTS:
        assert client.login(username=username, password=demo.DEMO_PASSWORD), username
        assert Person.objects.filter(user__username=username).exists()
        assert RoleAssignment.objects.filter(user__username=username).exists()
        client.logout()
        assert username in seeded  # printed at the end


def test_quantri_is_administrator_and_may_use_django_admin(seeded, client):
    quantri = user("quantri")
    assert quantri.is_staff and quantri.is_superuser
    assert RoleAssignment.objects.filter(user=quantri, role=Role.ADMIN, unit=None).exists()
    client.login(username="quantri", password=demo.DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_bithu_manages_only_their_hamlet_cell_and_is_a_member_of_it(seeded):
    cell = cell_of("bithu")
    assert cell.name == "Chi bộ ấp Đông Bình"
    assert list(units_for(user("bithu"), manage=True)) == [cell]
    assert Person.objects.get(user__username="bithu").party_position == "Bí thư chi bộ"
    managed = set(people_for(user("bithu"), manage=True))
    assert Person.objects.get(user__username="dangvien") in managed
    assert Person.objects.get(user__username="dangvien2") not in managed


def test_bithu2_manages_another_cell_with_dangvien2_in_it(seeded):
    cell = cell_of("bithu2")
    assert cell != cell_of("bithu")
    assert cell_of("dangvien2") == cell
    assert list(units_for(user("bithu2"), manage=True)) == [cell]


def test_tuyengiao_reads_the_whole_commune_and_manages_nothing(seeded):
    commune = Unit.objects.get(kind=UnitKind.COMMUNE_COMMITTEE)
    tuyengiao = user("tuyengiao")
    assert set(units_for(tuyengiao)) == set(Unit.objects.within(commune))
    assert people_for(tuyengiao).count() == Person.objects.count()
    assert not units_for(user("tuyengiao"), manage=True).exists()


def test_dangvien_sees_only_themself_among_people(seeded):
    dangvien = user("dangvien")
    assert list(people_for(dangvien)) == [Person.objects.get(user=dangvien)]
    assert list(units_for(user("dangvien"))) == [cell_of("dangvien")]


def test_congchuc_is_staff_of_the_peoples_committee_and_not_a_party_member(seeded):
    person = Person.objects.get(user__username="congchuc")
    assert not person.memberships.exists()
    employment = person.employments.get()
    assert employment.unit.kind == UnitKind.PEOPLES_COMMITTEE
    assert employment.unit.name == "Ủy ban nhân dân xã Thoại Sơn"
    assert list(people_for(user("congchuc"))) == [person]
    assert list(units_for(user("congchuc"))) == [employment.unit]


# --- Options -------------------------------------------------------------------------------------------


def test_a_second_run_refuses_and_says_how_to_rebuild(seeded):
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert PartyMembership.objects.current().count() == 300


def test_if_empty_does_nothing_when_units_exist(seeded):
    counts = (Unit.objects.count(), Person.objects.count())
    out = seed("--if-empty")
    assert "already" in out
    assert (Unit.objects.count(), Person.objects.count()) == counts


def test_if_empty_does_nothing_either_when_a_demo_username_is_taken(db):
    User.objects.create_user(username="quantri", password="x")
    seed("--if-empty")
    assert not Unit.objects.exists()


def test_reset_needs_force_when_debug_is_off(seeded, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed("--reset")


def test_same_seed_gives_the_same_names_and_another_seed_other_names(seeded, settings):
    def names() -> list[str]:
        return list(Person.objects.order_by("id").values_list("full_name", flat=True))

    first = names()
    seed("--reset", "--force")
    assert names() == first
    seed("--reset", "--force", "--seed", "6")
    assert names() != first


def test_reset_leaves_no_duplicate_and_no_history_of_the_old_demo(seeded, settings):
    settings.DEBUG = True
    seed("--reset")
    assert Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).count() == 1
    assert Person.history.count() == Person.objects.count() == 340
    assert Unit.history.count() == Unit.objects.count()
    assert User.objects.filter(username__in=demo.DEMO_ACCOUNTS).count() == 7


def test_reset_stops_cleanly_when_an_app_without_a_hook_protects_demo_rows(
    seeded, monkeypatch, settings
):
    monkeypatch.setattr(demo, "RESETS", [s for s in demo.RESETS if "programme" not in s.name])
    with pytest.raises(CommandError, match="ProgrammeYear"):
        seed("--reset", "--force")
    assert Unit.objects.filter(kind=UnitKind.PROVINCE_COMMITTEE).count() == 1
    assert Person.objects.count() == 340


def test_too_few_members_is_refused(db):
    with pytest.raises(CommandError, match="at least"):
        seed("--members", "20")


def test_more_members_add_communes_and_keep_the_accounts_in_thoai_son(db):
    seed("--members", "3000")
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE))
    assert len(communes) == 2
    assert communes[0].name == "Đảng ủy xã Thoại Sơn"
    assert PartyMembership.objects.current().count() == 3000
    assert Person.objects.filter(memberships__isnull=True).count() == 400
    cells = Unit.objects.filter(kind__in=CELL_KINDS).count()
    assert 3000 / 22 <= cells <= 3000 / 15
    for username in ("bithu", "dangvien", "bithu2", "dangvien2"):
        assert cell_of(username).path.startswith(communes[0].path)
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_check_dates_finds_the_planted_violation_in_the_demo_and_passes_once_it_is_fixed(seeded):
    """Issue 4: the demo carries one imported plan dated before its superior's plan."""
    import datetime as dt

    from lamtheo.plans import services as plan_services
    from lamtheo.plans.dates import check

    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_dates", stdout=out, stderr=StringIO())
    assert exit_info.value.code != 0
    found = check()
    assert len(found) == 1
    assert "Trạm Y tế" in out.getvalue()

    plan, superior = found[0].subject, found[0].other
    plan_services.change_issue_date(
        plan=plan, new_date=superior.issue_date + dt.timedelta(days=1), by=None, reason="sửa ngày"
    )
    out = StringIO()
    call_command("check_dates", stdout=out, stderr=StringIO())
    assert "Trạm Y tế" not in out.getvalue()
