from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linkwell.core"
    label = "core"
