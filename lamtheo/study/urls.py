from django.urls import path

from lamtheo.study.views import reflections, sessions, stats

app_name = "study"
urlpatterns = [
    path("", sessions.session_list, name="session-list"),
    path("new/", sessions.session_create, name="session-create"),
    path("<int:pk>/", sessions.session_detail, name="session-detail"),
    path("<int:pk>/edit/", sessions.session_edit, name="session-edit"),
    path("<int:pk>/attendance/", sessions.session_attendance, name="session-attendance"),
    path("<int:pk>/expected/", sessions.session_expected, name="session-expected"),
    path(
        "<int:pk>/expected/<int:attendance_pk>/remove/",
        sessions.session_expected_remove,
        name="session-expected-remove",
    ),
    path("<int:pk>/close/", sessions.session_close, name="session-close"),
    path("<int:pk>/reopen/", sessions.session_reopen, name="session-reopen"),
    path("<int:pk>/makeup/", sessions.session_makeup, name="session-makeup"),
    path("reflections/", reflections.reflection_list, name="reflection-list"),
    path("reflections/write/", reflections.reflection_write, name="reflection-write"),
    path("reflections/<int:pk>/", reflections.reflection_detail, name="reflection-detail"),
    path("reflections/<int:pk>/assess/", reflections.reflection_assess, name="reflection-assess"),
    path("reflections/<int:pk>/file/", reflections.reflection_file, name="reflection-file"),
    path("stats/", stats.stats, name="stats"),
]
