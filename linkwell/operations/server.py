"""The production web server: gunicorn running the project's WSGI application in-process.

gunicorn is embedded (not a separate `gunicorn config.wsgi` line to get right) so that every
deployment, the image, the systemd unit and the load test, runs the same settings: gthread
workers sized from the CPUs the process may really use (a container's quota, not the host's
count), the application loaded once in the master before forking (the need lexicon and the
gazetteer are built once and shared, docs/adr/0037), no access log (the application logs
each request by its route, never its path), and a graceful
stop on SIGTERM that lets requests in flight finish.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 (gunicorn's advice for its heartbeat files)


def available_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may use: those it is allowed to run on, capped by a cgroup (v2)
    quota such as `docker run --cpus 2`, which os.cpu_count() ignores (it gives the host's)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota readable: the affinity stands
    return max(cpus, 1)


def default_workers(cpus: int) -> int:
    """gunicorn's rule of thumb, (2 x cores) + 1 processes: while one waits on the database
    another uses the CPU."""
    return 2 * cpus + 1


def default_threads() -> int:
    """Two threads a process: a slow client or a slow query holds a thread, not a process."""
    return 2


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int
    timeout: int
    graceful_timeout: int

    def gunicorn_settings(self) -> dict[str, Any]:
        """The gunicorn settings for these options (hooks are added by LinkwellServer)."""
        return {
            "bind": [self.bind],
            "workers": self.workers,
            "worker_class": "gthread",
            "threads": self.threads,
            "timeout": self.timeout,
            "graceful_timeout": self.graceful_timeout,
            "preload_app": True,
            # No access log: its request line holds the path and query string (a search's
            # words and postcode, a questionnaire's token). The application logs each request
            # as JSON by its route instead (linkwell.operations.middleware).
            "accesslog": None,
            "errorlog": "-",
            "proc_name": "linkwell",
            # The heartbeat files on a memory file system: a container's disk may stall them.
            "worker_tmp_dir": str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() else None,
            # gunicorn's control socket sits in the user's home by default: two servers on one
            # host would share it, and a container's home may not be writable.
            "control_socket_disable": True,
        }


def prepare_metrics_directory(environ: dict[str, str] | os._Environ) -> tuple[Path, bool]:
    """The directory the worker processes share their Prometheus metrics through: a fresh one
    (made here, removed at exit) unless PROMETHEUS_MULTIPROC_DIR names one, whose files from a
    previous run are then deleted (counts from dead processes would be summed in).
    Returns (directory, made here)."""
    given = environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if given:
        directory = Path(given)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
        return directory, False
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="linkwell-metrics-"))
    environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    return directory, True


def _mark_process_dead() -> Callable[[int], None] | None:
    """The metrics module's clean-up for a dead worker, if the metrics are installed."""
    try:
        from linkwell.operations import metrics
    except ImportError:
        return None
    return getattr(metrics, "mark_process_dead", None)


class LinkwellServer(BaseApplication):
    """gunicorn's arbiter with Linkwell's settings, serving config.wsgi's application."""

    def __init__(self, options: ServerOptions, *, metrics_dir: Path, remove_metrics_dir: bool):
        self.options = options
        self.metrics_dir = metrics_dir
        self.remove_metrics_dir = remove_metrics_dir
        super().__init__(prog="linkwell serve")

    def load_config(self) -> None:
        for name, value in self.options.gunicorn_settings().items():
            self.cfg.set(name, value)
        self.cfg.set("child_exit", self._child_exit)
        self.cfg.set("on_exit", self._on_exit)

    def load(self) -> Callable[..., Any]:
        from config.wsgi import application

        return application

    @staticmethod
    def _child_exit(server: Any, worker: Any) -> None:
        mark_dead = _mark_process_dead()
        if mark_dead is not None:
            mark_dead(worker.pid)

    def _on_exit(self, server: Any) -> None:
        if self.remove_metrics_dir:
            shutil.rmtree(self.metrics_dir, ignore_errors=True)


def production_problems(settings: Any) -> list[str]:
    """What must be set before this server may face the public; empty when nothing is.
    Development (LINKWELL_DEV=1) is let off the host list, never off DEBUG."""
    problems = []
    if settings.DEBUG:
        problems.append(
            "DEBUG is on: it shows code and settings to anyone who causes an error. "
            "Unset DEBUG (or set DEBUG=0); use `linkwell runserver` to debug."
        )
    if not settings.DEVELOPMENT:
        if not settings.SECRET_KEY or len(settings.SECRET_KEY) < 50:
            problems.append(
                "SECRET_KEY is missing or shorter than 50 characters: set SECRET_KEY to a long "
                "random value, e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
            )
        if not settings.ALLOWED_HOSTS:
            problems.append(
                "ALLOWED_HOSTS is empty, so every request would be refused: set ALLOWED_HOSTS to "
                "the site's host names, separated by commas (e.g. linkwell.example.nhs.uk)."
            )
    return problems


def health_probe(path: str = "/healthz", environ: dict[str, str] | os._Environ = os.environ) -> int:
    """The container's health check: 0 when this host's server answers `path` with 200.

    It asks over plain HTTP on the loopback, naming the site's first host (ALLOWED_HOSTS would
    refuse "127.0.0.1"); the HTTPS redirect spares the health paths (SECURE_REDIRECT_EXEMPT).
    Reads only the environment: no Django start-up every 30 seconds."""
    import http.client

    bind = environ.get("LINKWELL_BIND", "").strip()
    port = environ.get("PORT", "").strip() or "8000"
    if bind and not bind.startswith("unix:"):
        port = bind.rsplit(":", 1)[-1]
    hosts = [h.strip().lstrip(".") for h in environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h and h != "*"), "localhost")
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=4)
    try:
        connection.request("GET", path, headers={"Host": host})
        return 0 if connection.getresponse().status == 200 else 1
    except OSError:
        return 1
    finally:
        connection.close()


if __name__ == "__main__":
    import sys

    sys.exit(health_probe(*sys.argv[1:2]))
