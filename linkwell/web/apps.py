from django.apps import AppConfig


class WebConfig(AppConfig):
    """The front: every HTML page. It may import any domain app; none imports it."""

    name = "linkwell.web"
    label = "web"

    def ready(self) -> None:
        from linkwell.intelligence.signals import refreshed
        from linkwell.web.hub.warming import warm_after_refresh

        refreshed.connect(warm_after_refresh, dispatch_uid="hub-flows-warm")
