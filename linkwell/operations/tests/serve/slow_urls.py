"""The product's addresses, plus /test-slow/: it says it has started (a file), then waits for
the test to create a second file before it answers with a body the test can check whole."""

import os
import time
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BODY = b"finished " + b"x" * 100_000


def slow(request: HttpRequest) -> HttpResponse:
    folder = Path(os.environ["LINKWELL_TEST_SLOW_DIR"])
    (folder / "started").touch()
    deadline = time.monotonic() + 60
    while not (folder / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return HttpResponse(BODY, content_type="text/plain")


urlpatterns = [path("test-slow/", slow), path("", include("config.urls"))]
