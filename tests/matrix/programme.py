from django.urls import reverse

from tests.matrix import ALL, Case

CASES = [
    Case("programme:year-list", lambda w: reverse("programme:year-list"), ALL),
]
