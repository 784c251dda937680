from django.apps import AppConfig


class WebConfig(AppConfig):
    """The front: every HTML page. It may import any domain app; none imports it."""

    name = "linkwell.web"
    label = "web"
