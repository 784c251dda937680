"""Under a server of several processes, a scrape of any one adds up what all of them served."""

import os
import subprocess
import sys

from django.conf import settings

from linkwell.operations import metrics
from linkwell.operations.tests.metrics.test_metrics import value

SERVE_ONE = """
from linkwell.operations import metrics
metrics.observe_request("/services/<uuid:service_id>/", "GET", 200, 0.05)
"""


def serve_one_request_in_another_process(directory):
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SERVE_ONE], env=env, cwd=settings.BASE_DIR, check=True, timeout=120
    )


def test_a_scrape_adds_up_every_process(client, db, tmp_path, monkeypatch):
    serve_one_request_in_another_process(tmp_path)
    serve_one_request_in_another_process(tmp_path)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    text = client.get("/metrics").content.decode()
    count = value(
        text,
        "linkwell_http_request_duration_seconds_count",
        route="/services/<uuid:service_id>/",
        method="GET",
        status="2xx",
    )
    assert count == 2
    # What the database holds is read once, not once a process.
    assert value(text, "linkwell_referrals", status="sent") == 0


def test_a_dead_process_is_marked_only_in_multiprocess_mode(tmp_path, monkeypatch):
    live = tmp_path / "gauge_livesum_4242.db"
    live.write_bytes(b"")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    metrics.mark_process_dead(4242)  # outside multiprocess mode: nothing to do, no error
    assert live.exists()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    metrics.mark_process_dead(4242)
    assert not live.exists()
