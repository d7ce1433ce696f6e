from django.urls import path

from lamtheo.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.year_list, name="year-list"),
    path("add/", views.year_add, name="year-add"),
    path("<int:pk>/", views.year_detail, name="year-detail"),
    path("<int:pk>/edit/", views.year_edit, name="year-edit"),
    path("<int:pk>/copy/", views.year_copy, name="year-copy"),
    path("<int:pk>/default-forms/", views.year_default_forms, name="year-default-forms"),
    path("<int:pk>/history/", views.year_history, name="year-history"),
    path("forms/<int:pk>/", views.form_edit, name="form-edit"),
]
