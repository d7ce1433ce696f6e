"""The API's index (``/api/v1/``) and its readable schema page (``/api/v1/docs/``)."""

from django.urls import reverse

from tests.matrix import ALL, Case

CASES = [
    Case("api:index", lambda w: reverse("api:index"), ALL, anonymous="api"),
    # Public like the raw schema (drf-spectacular's SERVE_PERMISSIONS): it holds no data.
    Case("api-docs", lambda w: reverse("api-docs"), ALL, anonymous="public"),
]
