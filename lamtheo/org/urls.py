from django.urls import path

from lamtheo.org import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/add/", views.unit_add_root, name="unit-add-root"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/add/", views.unit_add, name="unit-add"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/close/", views.unit_close, name="unit-close"),
    path("units/<int:pk>/succession/", views.unit_succession, name="unit-succession"),
    path("units/<int:pk>/history/", views.unit_history, name="unit-history"),
    path("units/<int:pk>/people/add/", views.person_add, name="person-add"),
    path("units/<int:pk>/roles/grant/", views.role_grant, name="role-grant"),
    path("people/", views.person_list, name="person-list"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/move/", views.person_move, name="person-move"),
    path("people/<int:pk>/official/", views.person_official, name="person-official"),
    path("people/<int:pk>/login/", views.person_login, name="person-login"),
    path("people/<int:pk>/history/", views.person_history, name="person-history"),
    path("sectors/", views.sector_list, name="sector-list"),
    path("sectors/add/", views.sector_add, name="sector-add"),
    path("sectors/<int:pk>/edit/", views.sector_edit, name="sector-edit"),
    path("roles/", views.role_list, name="role-list"),
    path("roles/<int:pk>/end/", views.role_end, name="role-end"),
]
