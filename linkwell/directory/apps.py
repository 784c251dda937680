from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_vocabularies(sender, **kwargs) -> None:
    from linkwell.directory.actions import ensure_vocabularies

    ensure_vocabularies()


class DirectoryConfig(AppConfig):
    name = "linkwell.directory"
    label = "directory"

    def ready(self) -> None:
        post_migrate.connect(_ensure_vocabularies, sender=self)
