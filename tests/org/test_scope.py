from lamtheo.org.scope import get_scope, people_for, units_for


def test_member_reads_own_cell_only(world):
    units = set(units_for(world.user("member")))
    assert units == {world.cell_a}


def test_secretary_reads_and_manages_own_cell(world):
    scope = get_scope(world.user("secretary"))
    assert scope.manages_unit(world.cell_a)
    assert not scope.manages_unit(world.cell_b)
    assert world.people.colleague in people_for(world.user("secretary"))
    assert world.people.other_member not in people_for(world.user("secretary"))


def test_oversight_reads_whole_commune_but_manages_nothing(world):
    user = world.user("oversight")
    assert set(units_for(user)) >= {world.commune, world.cell_a, world.cell_b, world.ubnd}
    assert not units_for(user, manage=True).exists()
    assert world.people.staff in people_for(user)


def test_member_sees_only_themself_among_people(world):
    assert list(people_for(world.user("member"))) == [world.people.member]


def test_anonymous_sees_nothing(world):
    assert not units_for(None).exists()
    assert not people_for(None).exists()


def test_secretary_no_longer_manages_a_member_who_moved_away_but_still_reads_them(world):
    import datetime as dt

    from lamtheo.org.models import PartyMembership

    colleague = world.people.colleague
    PartyMembership.objects.filter(person=colleague).update(valid_to=dt.date(2024, 12, 31))
    PartyMembership.objects.create(
        person=colleague, cell=world.cell_b, valid_from=dt.date(2025, 1, 1)
    )
    secretary = world.user("secretary")
    assert colleague not in people_for(secretary, manage=True)
    assert colleague in people_for(secretary)
    assert colleague in people_for(world.user("other_secretary"), manage=True)


def test_a_member_who_left_the_party_stays_with_the_cell_they_last_belonged_to(world):
    import datetime as dt

    from lamtheo.org.models import PartyMembership

    colleague = world.people.colleague
    PartyMembership.objects.filter(person=colleague).update(valid_to=dt.date(2024, 12, 31))
    assert colleague in people_for(world.user("secretary"), manage=True)
    assert colleague not in people_for(world.user("other_secretary"), manage=True)
