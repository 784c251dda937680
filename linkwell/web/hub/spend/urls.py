"""The spend pages' addresses."""

from django.urls import path

from linkwell.web.hub.spend import views

urlpatterns: list = [
    path("hub/spend/", views.spend, name="spend"),
]
