"""The flows pages' addresses."""

from django.urls import path

from linkwell.web.hub.flows import views

urlpatterns = [
    path("hub/flows/", views.flows, name="flows"),
]
