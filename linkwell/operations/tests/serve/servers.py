"""`linkwell serve` started for real, in a process of its own, with production settings, on the
test database (whose rows must be committed: `live_db`), and a cookie-keeping HTTP client."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from linkwell.core.tests.other_process import database_url

ROOT = Path(__file__).resolve().parents[4]
HOST = "127.0.0.1"
SECRET = "a-test-secret-key-that-is-long-enough-for-the-deploy-checks-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(**extra: str) -> dict[str, str]:
    """Production settings (no LINKWELL_DEV, no DEBUG), over plain HTTP on the loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests set it in this process; a real server
        # never has it (and `check --deploy` refuses to serve with it).
        if key
        not in {
            "LINKWELL_DEV",
            "DEBUG",
            "CACHE_URL",
            "REDIS_URL",
            "PORT",
            "LINKWELL_BIND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not key.startswith("PYTEST")
        and not key.startswith("PROMETHEUS")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url(),
        SECURE_COOKIES="0",
        LINKWELL_SSL_REDIRECT="0",
        LINKWELL_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, as systemd and Docker stop a service; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def wait_for(predicate, what: str, server: Server, timeout: float = 600) -> None:
    """Poll until predicate() is true; fail with the server's log if it dies or never is. The
    bound is generous: a loaded machine may take minutes to collect the static files."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if server.process.poll() is not None:
            raise AssertionError(f"the server ended before {what}:\n{server.log_text()[-4000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen:\n{server.log_text()[-4000:]}")
        time.sleep(0.1)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        connection.request("GET", "/accounts/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def serving(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, name: str = "server"
) -> Iterator[Server]:
    """`linkwell serve` on a free port, until it answers; stopped with SIGTERM after."""
    port = free_port()
    log = tmp_path / f"{name}.log"
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "linkwell.cli", "serve", "--bind", f"{HOST}:{port}", *args],
        cwd=ROOT,
        env=env or production_env(),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, port, log)
    try:
        wait_for(lambda: _answers(port), "the server answered", server)
        yield server
    finally:
        if process.poll() is None:
            server.stop()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept across servers, as a browser behind a load balancer keeps them (cookies
    are not told apart by port)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            request = urllib.request.Request(url, data=body)  # noqa: S310 (http:// only)
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.read().decode(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def post_form(self, url: str, data: dict[str, str]) -> tuple[int, str, dict]:
        """GET the page for its form's CSRF token, then POST the form with it."""
        status, page, _headers = self.request(url)
        assert status == 200, page[:2000]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the form has no CSRF token"
        return self.request(url, {"csrfmiddlewaretoken": token.group(1), **data})
