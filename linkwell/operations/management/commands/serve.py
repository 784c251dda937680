"""`linkwell serve`: the production web server (gunicorn), with its checks and static files."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from linkwell.operations import server


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Serve Linkwell in production: gunicorn with gthread workers (by default 2 x CPUs + 1 "
        "processes of 2 threads), one JSON log line per request by route, requests in "
        "flight finished on SIGTERM. Refuses to start with DEBUG on, or (outside "
        "LINKWELL_DEV) without SECRET_KEY and ALLOWED_HOSTS. Runs collectstatic first unless "
        "--no-collectstatic (or LINKWELL_COLLECTSTATIC=0, as the container image does: it "
        "collects at build)."
    )
    # Run below, in a child process: the checks import every view, DuckDB among them, and
    # DuckDB imported before gunicorn forks makes each worker abort as it exits (docs/adr/0037).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            help="ADDRESS:PORT to listen on (default LINKWELL_BIND, else 0.0.0.0:$PORT when "
            "PORT is set, else 127.0.0.1:8000); unix:PATH for a socket.",
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            help="Processes (default LINKWELL_WEB_WORKERS, else 2 x CPUs + 1).",
        )
        parser.add_argument(
            "--threads",
            type=_positive,
            help="Threads a process (default LINKWELL_WEB_THREADS, else 2).",
        )
        parser.add_argument(
            "--timeout",
            type=_positive,
            help="Seconds a request may run before its worker is replaced "
            "(default LINKWELL_REQUEST_TIMEOUT, else 60).",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=_positive,
            help="Seconds requests in flight may take to finish after SIGTERM "
            "(default LINKWELL_GRACEFUL_TIMEOUT, else 30).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Do not collect static files first (they were collected at build).",
        )

    def handle(self, *args, **options):
        problems = server.production_problems(settings)
        if problems:
            raise CommandError(
                "Linkwell will not serve until this is fixed:\n- " + "\n- ".join(problems)
            )
        self._run_checks()
        if settings.SERVER_COLLECTSTATIC and not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self._check_static_manifest()

        metrics_dir, made_here = server.prepare_metrics_directory(os.environ)
        if made_here and "prometheus_client.values" in sys.modules:
            # prometheus_client chose its storage when imported, before the directory existed:
            # start again in this same process (same pid for systemd and Docker), with it set.
            os.execv(sys.executable, [sys.executable, "-m", "linkwell.cli", *sys.argv[1:]])  # noqa: S606

        chosen = server.ServerOptions(
            bind=options["bind"] or settings.SERVER_BIND,
            workers=options["workers"]
            or settings.SERVER_WORKERS
            or server.default_workers(server.available_cpus()),
            threads=options["threads"] or settings.SERVER_THREADS or server.default_threads(),
            timeout=options["timeout"] or settings.SERVER_REQUEST_TIMEOUT,
            graceful_timeout=options["graceful_timeout"] or settings.SERVER_GRACEFUL_TIMEOUT,
        )
        self.stderr.write(
            f"Linkwell serving on {chosen.bind}: {chosen.workers} processes x "
            f"{chosen.threads} threads, requests time out after {chosen.timeout} s, "
            f"{chosen.graceful_timeout} s to finish them on SIGTERM."
        )
        server.LinkwellServer(chosen, metrics_dir=metrics_dir, remove_metrics_dir=made_here).run()

    def _run_checks(self) -> None:
        """Django's system checks (the deployment ones too), in a process of their own."""
        checked = subprocess.run(
            [sys.executable, "-m", "linkwell.cli", "check", "--deploy", "--fail-level", "ERROR"],
            capture_output=True,
            text=True,
            check=False,
        )
        if checked.returncode != 0:
            raise CommandError(
                "Linkwell will not serve until its checks pass:\n"
                + (checked.stderr or checked.stdout).strip()
            )

    def _check_static_manifest(self) -> None:
        """Hashed names need the manifest collectstatic writes: without it every page fails."""
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not staticfiles_storage.exists(manifest):
            raise CommandError(
                f"No static files manifest in {settings.STATIC_ROOT}: run `linkwell collectstatic "
                "--noinput` (with the same STATIC_ROOT), or start without --no-collectstatic "
                "and LINKWELL_COLLECTSTATIC=0."
            )
