from django.urls import path

from lamtheo.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.year_list, name="year-list"),
]
