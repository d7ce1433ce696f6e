from django.conf import settings
from django.http import HttpRequest

from lamtheo.org.scope import get_scope


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "PROGRAMME_NAME": settings.LAMTHEO_PROGRAMME_NAME,
        "scope": get_scope(user) if user is not None else None,
    }
