from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "linkwell.places"
    label = "places"
