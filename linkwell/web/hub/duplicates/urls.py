"""The duplicates pages' addresses."""

from django.urls import path

from linkwell.web.hub.duplicates import views

urlpatterns: list = [
    path("hub/duplicates/", views.duplicates, name="duplicates"),
]
