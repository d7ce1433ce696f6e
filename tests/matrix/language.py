"""The language switcher's route (Django's ``set_language``, base.html's footer): open to all."""

from django.urls import reverse

from tests.matrix import ALL, Case

CASES = [
    Case(
        "set_language",
        lambda w: reverse("set_language"),
        ALL,
        method="post",
        data=lambda w: {"language": "en", "next": reverse("home")},
        ok=frozenset({302}),
        anonymous="public",
    ),
]
