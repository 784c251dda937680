from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the product: the server, the worker and its schedule, health and metrics."""

    name = "linkwell.operations"
    label = "operations"
