from django.urls import path

from lamtheo.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/acknowledge/", views.inbox_acknowledge, name="inbox-acknowledge"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/delete/", views.plan_delete, name="plan-delete"),
    path("<int:pk>/issue/", views.plan_issue, name="plan-issue"),
    path("<int:pk>/correct/", views.plan_correct, name="plan-correct"),
    path("<int:pk>/follow/", views.plan_follow, name="plan-follow"),
    path("<int:pk>/deployment/", views.plan_deployment, name="plan-deployment"),
    path("<int:pk>/remind/", views.plan_remind, name="plan-remind"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("models/", views.model_list, name="model-list"),
    path("models/new/", views.model_create, name="model-create"),
    path("models/<int:pk>/", views.model_detail, name="model-detail"),
    path("models/<int:pk>/edit/", views.model_edit, name="model-edit"),
    path("models/<int:pk>/progress/", views.model_progress, name="model-progress"),
    path("models/<int:pk>/results/", views.model_results, name="model-results"),
    path("coverage/", views.coverage, name="coverage"),
]
