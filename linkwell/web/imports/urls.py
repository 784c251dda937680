"""The imports pages' addresses (namespace `imports`)."""

from django.urls import path

from linkwell.web.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/<int:run_id>/", views.import_detail, name="detail"),
]
