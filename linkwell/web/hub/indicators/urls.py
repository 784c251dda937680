"""The indicators pages' addresses."""

from django.urls import path

from linkwell.web.hub.indicators import views

urlpatterns = [
    path("hub/indicators/", views.indicators, name="indicators"),
]
