from django.urls import reverse

from tests.matrix import ALL, Case

READS_COMMUNE = frozenset({"oversight", "admin"})

CASES = [
    Case("org:unit-list", lambda w: reverse("org:unit-list"), ALL),
    Case(
        "org:unit-detail",
        lambda w: reverse("org:unit-detail", args=[w.cell_a.pk]),
        frozenset({"member", "secretary"}) | READS_COMMUNE,
        label="cell A",
    ),
    Case(
        "org:unit-detail",
        lambda w: reverse("org:unit-detail", args=[w.cell_b.pk]),
        frozenset({"other_member", "other_secretary"}) | READS_COMMUNE,
        label="cell B",
    ),
    Case("org:person-list", lambda w: reverse("org:person-list"), ALL),
    Case(
        "org:person-detail",
        lambda w: reverse("org:person-detail", args=[w.people.member.pk]),
        frozenset({"member", "secretary"}) | READS_COMMUNE,
        label="member of cell A",
    ),
    Case(
        "org:person-detail",
        lambda w: reverse("org:person-detail", args=[w.people.staff.pk]),
        frozenset({"staff"}) | READS_COMMUNE,
        label="non-member staff",
    ),
]
