from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from lamtheo.core import api as core_api
from lamtheo.core import views as core_views
from lamtheo.core.api_index import api_index_view
from lamtheo.documents import api as documents_api
from lamtheo.org import api as org_api
from lamtheo.plans import api as plans_api
from lamtheo.programme import api as programme_api
from lamtheo.study import api as study_api

api_patterns = [
    path("auth/token/", core_api.obtain_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(org_api.router.urls)),
    path("", include(programme_api.router.urls)),
    path("", include(plans_api.router.urls)),
    path("", include(study_api.router.urls)),
    path("", include(documents_api.router.urls)),
    path(
        "",
        api_index_view(
            (
                org_api.router,
                programme_api.router,
                plans_api.router,
                study_api.router,
                documents_api.router,
            ),
            schema="schema",
        ),
        name="index",
    ),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("org/", include("lamtheo.org.urls")),
    path("programme/", include("lamtheo.programme.urls")),
    path("plans/", include("lamtheo.plans.urls")),
    path("study/", include("lamtheo.study.urls")),
    path("documents/", include("lamtheo.documents.urls")),
    # The schema, readable: Swagger UI from drf-spectacular-sidecar's static files (no CDN).
    # HTML, so outside the «api» namespace, whose routes are all in the schema.
    path(
        "api/v1/docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema"),
        name="api-docs",
    ),
    path("api/v1/", include((api_patterns, "api"))),
    # set_language: the language switcher of base.html posts here (django_language cookie).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Unknown URLs under /api/ answer in JSON, like the API's other errors; the HTML page elsewhere.
handler404 = core_views.not_found
