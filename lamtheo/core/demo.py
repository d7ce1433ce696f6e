"""The demo registry: how ``manage.py seed_demo`` builds a demonstration site, app by app.

Each lamtheo app that has something to show adds a module ``lamtheo/<app>/demo.py`` with one or
more functions decorated with :func:`demo_step`. ``seed_demo`` imports ``<app>.demo`` for every
installed ``lamtheo.*`` app (apps without one are skipped), then runs all steps in ``order``
inside ONE transaction: if any step fails, nothing is left behind. Steps share a
:class:`DemoContext` that earlier steps fill and later steps read::

    # lamtheo/plans/demo.py
    from lamtheo.core.demo import DemoContext, DemoFootprint, demo_reset, demo_step, purge

    @demo_step(order=30)
    def plans(ctx: DemoContext) -> None:
        commune = ctx.home_commune                      # Đảng ủy xã Thoại Sơn and its parts
        year = ctx.years[ctx.today.year]                # ProgrammeYear of the current year
        for cell in commune.cells:                      # DemoCell: unit, kind, sector, commune
            members = ctx.members_by_cell[cell.unit.id] # person ids, current members
            ...
        ctx.bulk_create(Plan, plans)                    # bulk insert + one history row each

    @demo_reset(order=30)
    def remove_plans(footprint: DemoFootprint) -> None:
        purge(Plan.objects.filter(unit__in=footprint.units))

Orders in use: 10 organisation (``lamtheo.org.demo``: units, people, accounts), 20 programme
years and forms (``lamtheo.programme.demo``), ~30 plans, ~40 study. Reset hooks run in the
reverse order before the organisation is deleted: an app whose rows PROTECT a unit or a person
must register one (``purge`` deletes rows and their history rows without writing new ones).

Sizes: ``ctx.members`` is the number of party members asked for (default 300: one commune).
Large numbers add communes under the province (about 1,500 members each), and the step code
must stay linear: build lists and call :meth:`DemoContext.bulk_create`, never one query per
person. ``ctx.rng`` is the only source of randomness (``--seed``), so a seed gives the same data.

The demo is found again by its root unit (``code == DEMO_ROOT_CODE``) and its account names
(``DEMO_ACCOUNTS``); that is what ``--reset`` removes and what makes a second run refuse.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router, transaction
from django.test.utils import override_settings
from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet

    from lamtheo.org.models import Person, Sector, Unit
    from lamtheo.programme.models import ProgrammeYear

#: Marks the root unit of the demo tree (Tỉnh ủy An Giang).
DEMO_ROOT_CODE = "demo:an-giang"
#: The password of every demo account.
DEMO_PASSWORD = "demo12345"
#: The demo accounts, created only by ``seed_demo``: username → what the account is for.
DEMO_ACCOUNTS: dict[str, str] = {
    "quantri": "administrator (also Django admin)",
    "tuyengiao": "oversight of the whole commune committee",
    "bithu": "secretary of a hamlet cell, and a member of it",
    "dangvien": "member of that hamlet cell",
    "bithu2": "secretary of the school's cell",
    "dangvien2": "member of the school's cell",
    "congchuc": "civil servant at the commune People's Committee, not a party member",
}
#: ``history_change_reason`` of every history row the demo writes.
DEMO_CHANGE_REASON = "seed_demo"
#: The default ``--members`` and ``--seed``.
DEFAULT_MEMBERS = 300
DEFAULT_SEED = 5


# --- What steps share -------------------------------------------------------------------


@dataclass
class DemoCell:
    """A party cell (chi bộ) of the demo. ``kind`` says what the cell gathers, which decides
    the members' sector and positions: ``hamlet`` (chi bộ ấp), ``school`` (THCS),
    ``high_school`` (a cell of the THPT's đảng bộ), ``health``, ``police``, ``military``,
    ``peoples_committee`` (the cell of the UBND's staff), ``party_office`` (the cell of the
    commune's party, Fatherland Front and mass organisations)."""

    unit: Unit
    kind: str
    sector: str
    commune: Unit
    #: The state unit whose staff the cell's members are (school, health station, UBND), if any.
    state_unit: Unit | None = None


@dataclass
class DemoStateUnit:
    """A state unit beside the party tree: ``peoples_committee``, ``school``, ``health``."""

    unit: Unit
    kind: str
    sector: str
    commune: Unit


@dataclass
class DemoCommune:
    """A commune committee (đảng ủy xã) with its parts."""

    committee: Unit
    advisory: Unit
    cells: list[DemoCell] = field(default_factory=list)
    #: Party organisations that are committees below the commune (đảng bộ cơ sở).
    grassroots_committees: list[Unit] = field(default_factory=list)
    state_units: list[DemoStateUnit] = field(default_factory=list)

    @property
    def peoples_committee(self) -> Unit:
        return next(s.unit for s in self.state_units if s.kind == "peoples_committee")

    def cell(self, kind: str) -> DemoCell:
        """The first cell of that kind (the hamlet cells come in order, Đông Bình first)."""
        return next(c for c in self.cells if c.kind == kind)


@dataclass
class DemoAccount:
    username: str
    user: AbstractBaseUser
    person: Person
    #: Where the account's role applies (None for the administrator).
    unit: Unit | None
    role: str
    description: str


@dataclass
class DemoContext:
    """Everything the steps share. Steps of order 10 fill the organisation, order 20 the
    programme years; later steps read them and may keep their own results in ``extra``."""

    rng: random.Random
    members: int
    today: dt.date
    log: Callable[[str], None] = print
    #: Tỉnh ủy An Giang, the root; its advisory body (Ban Tuyên giáo và Dân vận Tỉnh ủy).
    province: Unit | None = None
    province_advisory: Unit | None = None
    #: Huyện ủy Thoại Sơn (đến 30/06/2025): the historical district committee.
    district: Unit | None = None
    #: Commune committees, «Thoại Sơn» first (it holds the demo accounts).
    communes: list[DemoCommune] = field(default_factory=list)
    #: Current members (person ids) of each cell, by unit id.
    members_by_cell: dict[int, list[int]] = field(default_factory=dict)
    #: Current staff (person ids, members or not) of each state unit, by unit id.
    staff_by_unit: dict[int, list[int]] = field(default_factory=dict)
    #: Person ids of staff who are not party members.
    non_member_ids: list[int] = field(default_factory=list)
    accounts: dict[str, DemoAccount] = field(default_factory=dict)
    sectors: dict[str, Sector] = field(default_factory=dict)
    #: Programme years by year (2020, issued by the district; the current year, by the province).
    years: dict[int, ProgrammeYear] = field(default_factory=dict)
    #: Free room for later steps to hand results on (key by app, e.g. ``extra["plans"]``).
    extra: dict[str, Any] = field(default_factory=dict)
    #: Seconds each step took, by step name (filled by ``seed``).
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def home_commune(self) -> DemoCommune:
        """Đảng ủy xã Thoại Sơn, the commune of the demo accounts."""
        return self.communes[0]

    @property
    def cells(self) -> list[DemoCell]:
        return [cell for commune in self.communes for cell in commune.cells]

    @property
    def state_units(self) -> list[DemoStateUnit]:
        return [s for commune in self.communes for s in commune.state_units]

    def bulk_create(
        self, model: type[models.Model], objs: list[Any], *, batch_size: int = 2000
    ) -> list[Any]:
        """Insert ``objs`` in bulk, with one history row each when the model keeps history
        (see :func:`insert_history_rows`). Returns them with their ids."""
        return bulk_create(model, objs, batch_size=batch_size)


def bulk_create(model: type[models.Model], objs: list[Any], *, batch_size: int = 2000) -> list[Any]:
    """See :meth:`DemoContext.bulk_create`."""
    if not objs:
        return objs
    if not insert_rows(model, objs):
        objs = model._default_manager.bulk_create(objs, batch_size=batch_size)
    history = _history_model(model)
    if history is not None and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        insert_history_rows(history, objs)
    return objs


#: Use :func:`insert_rows` where it applies (a switch for the test that compares both ways).
FAST_INSERT = True


def insert_rows(model: type[models.Model], objs: list[Any]) -> bool:
    """Insert new objects with ``executemany``, ids reserved beforehand; False (nothing done)
    where this does not apply, and ``bulk_create`` does the work.

    Why: Django's bulk insert compiles every value into the SQL text, which is most of the
    time of seeding 100,000 members; ``executemany`` sends the same values as parameters.
    It does what ``QuerySet.bulk_create`` does for plain models (related objects saved after
    assignment, ``pre_save`` for ``auto_now_add``, ``_state`` afterwards) and applies only to
    plain models with an auto-increment key on SQLite (inside the seeding transaction, which
    holds SQLite's write lock, so the next ids are known) and PostgreSQL (ids drawn from the
    column's sequence).
    """
    meta = model._meta
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = meta.concrete_fields
    if (
        not FAST_INSERT
        or connection.vendor not in ("sqlite", "postgresql")
        or not connection.in_atomic_block  # the ids are only ours inside a transaction
        or meta.parents
        or not isinstance(meta.pk, models.AutoField | models.BigAutoField)
        or any(f.generated or f.db_default is not models.NOT_PROVIDED for f in fields)
        or any(obj.pk is not None for obj in objs)
    ):
        return False
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    table, column = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            first = max(highest, row[0] if row else 0) + 1
            ids = range(first, first + len(objs))
        else:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, len(objs)],
            )
            ids = [r[0] for r in cursor.fetchall()]
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
        sql = _insert_sql(connection, table, fields)
        for chunk in _chunks(objs):  # values prepared a chunk at a time: less memory
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(f.pre_save(o, True), connection) for f in fields]
                    for o in chunk
                ],
            )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return True


def insert_history_rows(history: type[models.Model], objs: list[Any]) -> None:
    """One "+" history row per saved object, the row ``simple_history``'s
    ``bulk_history_create`` would write (``_history_user``, ``_history_date`` and
    ``_change_reason`` on an object are honoured; the reason defaults to «seed_demo»), but
    sent with ``executemany``: through Django's bulk insert, which compiles every value into
    the SQL, the history rows took two thirds of the seeding time."""
    if objs[0].pk is None:  # every supported backend returns the ids of a bulk insert
        raise RuntimeError(f"{type(objs[0]).__name__}: bulk_create returned no ids")
    connection = connections[router.db_for_write(history)]
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    special = ("history_date", "history_type", "history_change_reason", "history_user_id")
    tracked = [(i, f.attname) for i, f in enumerate(fields) if f.attname not in special]
    where = {f.attname: i for i, f in enumerate(fields) if f.attname in special}
    now = timezone.now()

    def prepared(obj: Any) -> list[Any]:
        row: list[Any] = [None] * len(fields)
        for i, attname in tracked:
            row[i] = getattr(obj, attname)
        user = getattr(obj, "_history_user", None)
        row[where["history_date"]] = getattr(obj, "_history_date", now)
        row[where["history_type"]] = "+"
        row[where["history_change_reason"]] = (
            getattr(obj, "_change_reason", None) or DEMO_CHANGE_REASON
        )
        row[where["history_user_id"]] = user.pk if user is not None else None
        return [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]

    sql = _insert_sql(connection, history._meta.db_table, fields)
    with connection.cursor() as cursor:
        for chunk in _chunks(objs):
            cursor.executemany(sql, [prepared(obj) for obj in chunk])


def _insert_sql(connection: Any, table: str, fields: list[Any]) -> str:
    quote = connection.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )


def _chunks(objs: list[Any], size: int = 5000) -> Iterator[list[Any]]:
    for start in range(0, len(objs), size):
        yield objs[start : start + size]


# --- The registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    func: Callable[..., None]


STEPS: list[DemoStep] = []
RESETS: list[DemoStep] = []


def _register(registry: list[DemoStep], order: int, func: Callable[..., None]) -> None:
    name = f"{func.__module__}.{func.__qualname__}"
    registry[:] = [s for s in registry if s.name != name]  # re-import: replace, not repeat
    registry.append(DemoStep(order=order, name=name, func=func))


def demo_step(*, order: int) -> Callable[[Callable[[DemoContext], None]], Callable]:
    """Register ``func(ctx: DemoContext)`` as a seeding step; steps run by ascending order."""

    def decorator(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _register(STEPS, order, func)
        return func

    return decorator


def demo_reset(*, order: int) -> Callable[[Callable[[DemoFootprint], None]], Callable]:
    """Register ``func(footprint: DemoFootprint)`` to delete an app's demo rows on
    ``--reset``; reset hooks run by DEScending order (plans before the organisation)."""

    def decorator(func: Callable[[DemoFootprint], None]) -> Callable[[DemoFootprint], None]:
        _register(RESETS, order, func)
        return func

    return decorator


def load_demo_modules() -> list[str]:
    """Import ``<app>.demo`` for every installed lamtheo app; return the modules found."""
    found: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lamtheo."):
            continue
        module = f"{config.name}.demo"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # the module exists but one of its imports is missing
                raise
            continue
        found.append(module)
    return found


def ordered(registry: Iterable[DemoStep], *, reverse: bool = False) -> list[DemoStep]:
    return sorted(registry, key=lambda s: (s.order, s.name), reverse=reverse)


# --- Finding and removing the demo ---------------------------------------------------------------


@dataclass
class DemoFootprint:
    """What ``--reset`` removes: the units under the demo root, the people who belong to them
    (or hold a demo account) and the demo accounts. Querysets, so they can be used as
    subqueries at any size."""

    units: QuerySet[Unit]
    people: QuerySet[Person]
    users: QuerySet[Any]


def demo_footprint() -> DemoFootprint:
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from lamtheo.org.models import Employment, PartyMembership, Person, Unit

    roots = Unit.objects.filter(depth=1, code=DEMO_ROOT_CODE)
    q = Q(pk__in=[])
    for path in roots.values_list("path", flat=True):
        q |= Q(path__startswith=path)
    units = Unit.objects.filter(q)
    users = get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)
    # Subqueries rather than joins: no duplicates, so the queryset can be deleted as it is.
    people = Person.objects.filter(
        Q(pk__in=PartyMembership.objects.filter(cell__in=units).values("person"))
        | Q(pk__in=Employment.objects.filter(unit__in=units).values("person"))
        | Q(user__in=users)
    )
    return DemoFootprint(units=units, people=people, users=users)


def demo_presence() -> list[str]:
    """Why the database already holds the demo (empty when it does not)."""
    from django.contrib.auth import get_user_model

    from lamtheo.org.models import Unit

    reasons = [str(u) for u in Unit.objects.filter(depth=1, code=DEMO_ROOT_CODE)]
    reasons += sorted(
        get_user_model()
        .objects.filter(username__in=DEMO_ACCOUNTS)
        .values_list("username", flat=True)
    )
    return reasons


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager_name).model if manager_name else None


@contextmanager
def history_paused() -> Iterator[None]:
    """Write no history rows (simple_history reads this setting on every signal)."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        yield


def purge_history(queryset: QuerySet[Any]) -> None:
    """Delete the history rows of the rows of ``queryset`` (not the rows themselves)."""
    history = _history_model(queryset.model)
    if history is not None:
        history._default_manager.filter(id__in=queryset.values("pk")).delete()


def purge(queryset: QuerySet[Any]) -> int:
    """Delete the rows of ``queryset`` and their history rows, writing no new history: a
    demo reset leaves the audit tables as if the demo had never been there."""
    purge_history(queryset)
    with history_paused():
        deleted, _ = queryset.delete()
    return deleted


def reset_demo(log: Callable[[str], None] = print) -> None:
    """Run every reset hook (latest step first). Call inside a transaction."""
    footprint = demo_footprint()
    for step in ordered(RESETS, reverse=True):
        log(f"reset: {step.name}")
        step.func(footprint)


def _peak_rss_mib() -> float:
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- Running ----------------------------------------------------------------------------------


def seed(
    *,
    members: int = DEFAULT_MEMBERS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    reset: bool = False,
    log: Callable[[str], None] = print,
) -> DemoContext:
    """Build the demo in one transaction (after removing the old one if ``reset``)."""
    load_demo_modules()
    ctx = DemoContext(
        rng=random.Random(seed), members=members, today=today or timezone.localdate(), log=log
    )
    # DEBUG makes every query be formatted and kept for connection.queries: a quarter of
    # the CPU time and ~80 MB at 10,000 members, for a log nobody reads here.
    with override_settings(DEBUG=False), transaction.atomic():
        if reset:
            reset_demo(log)
        for step in ordered(STEPS):
            log(f"step {step.order}: {step.name}")
            started, cpu = time.perf_counter(), time.process_time()
            step.func(ctx)
            ctx.timings[step.name] = time.perf_counter() - started
            cpu = time.process_time() - cpu
            log(
                f"step {step.order} took {ctx.timings[step.name]:.1f} s (CPU {cpu:.1f} s, "
                f"peak memory so far {_peak_rss_mib():.0f} MiB)"
            )
    return ctx


__all__ = [
    "DEFAULT_MEMBERS",
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "DEMO_CHANGE_REASON",
    "DEMO_PASSWORD",
    "DEMO_ROOT_CODE",
    "RESETS",
    "STEPS",
    "DemoAccount",
    "DemoCell",
    "DemoCommune",
    "DemoContext",
    "DemoFootprint",
    "DemoStateUnit",
    "DemoStep",
    "bulk_create",
    "demo_footprint",
    "demo_presence",
    "demo_reset",
    "demo_step",
    "history_paused",
    "insert_history_rows",
    "insert_rows",
    "load_demo_modules",
    "purge",
    "purge_history",
    "reset_demo",
    "seed",
]
