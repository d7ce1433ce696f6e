"""factory_boy factories shared by every test module."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from lamtheo.org.models import (
    Employment,
    PartyMembership,
    Person,
    RoleAssignment,
    Sector,
    Unit,
    UnitKind,
)
from lamtheo.programme.models import ProgrammeYear

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo12345")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = "khac"
    name = "Khác"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = "male"
    birth_date = dt.date(1980, 5, 17)


def make_unit(*, kind: str, name: str, parent: Unit | None = None, **fields) -> Unit:
    """Create a unit as a root or a child (treebeard needs add_root/add_child)."""
    fields.setdefault("short_name", name)
    if parent is None:
        return Unit.objects.add_root(instance=Unit(kind=kind, name=name, **fields))
    parent.refresh_from_db()
    return Unit.objects.add_child(parent, instance=Unit(kind=kind, name=name, **fields))


def make_member(
    cell: Unit, name: str, *, user: User | None = None, since: dt.date = dt.date(2015, 1, 1)
) -> Person:
    person = PersonFactory(full_name=name, user=user)
    PartyMembership.objects.create(
        person=person, cell=cell, joined_on=dt.date(2010, 3, 3), valid_from=since
    )
    return person


def make_staff(unit: Unit, name: str, *, user: User | None = None) -> Person:
    person = PersonFactory(full_name=name, user=user)
    Employment.objects.create(person=person, unit=unit, valid_from=dt.date(2018, 1, 1))
    return person


def grant(user: User, role: str, unit: Unit | None) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, unit=unit)


def make_programme_year(issuer: Unit, year: int, **fields) -> ProgrammeYear:
    fields.setdefault("theme_title", f"Chuyên đề năm {year}")
    fields.setdefault("mid_year_date", dt.date(year, 6, 30))
    fields.setdefault("year_end_date", dt.date(year, 12, 15))
    return ProgrammeYear.objects.create(issuer=issuer, year=year, **fields)


__all__ = [
    "PersonFactory",
    "SectorFactory",
    "UnitKind",
    "UserFactory",
    "grant",
    "make_member",
    "make_programme_year",
    "make_staff",
    "make_unit",
]
