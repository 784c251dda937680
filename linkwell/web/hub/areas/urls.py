"""The areas pages' addresses."""

from django.urls import path

from linkwell.web.hub.areas import views

urlpatterns: list = [
    path("hub/map/", views.map_page, name="map"),
    path("hub/provision/", views.provision_page, name="provision"),
    path("hub/areas/<slug:level>/<str:code>/", views.area_page, name="area"),
]
