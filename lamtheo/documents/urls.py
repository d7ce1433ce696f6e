from django.urls import path

from lamtheo.documents import views

app_name = "documents"
urlpatterns = [
    path("import/", views.import_start, name="import-start"),
    path("import/template.xlsx", views.import_template, name="import-template"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/status/", views.import_status, name="import-status"),
]
