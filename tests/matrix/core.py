from django.urls import reverse

from tests.matrix import ALL, Case

CASES = [
    Case("home", lambda w: reverse("home"), ALL),
    Case("health", lambda w: reverse("health"), ALL, anonymous="public"),
]
