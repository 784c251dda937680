"""What the operations app keeps: each worker's heartbeat."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One `linkwell worker` process: when it started and when it last said it was alive.
    `/readyz` reads the newest `last_seen`; rows of workers gone for a week are pruned."""

    worker = models.CharField(_("worker"), max_length=255, unique=True)  # host:pid
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
