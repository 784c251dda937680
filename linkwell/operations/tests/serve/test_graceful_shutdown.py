"""SIGTERM (how systemd, Docker and Kubernetes stop a service) lets requests in flight finish:
the server stops listening at once, the request being answered still gets its whole answer,
and the process then exits cleanly."""

import http.client
import json
import threading

from linkwell.operations.tests.serve.servers import HOST, production_env, serving, wait_for
from linkwell.operations.tests.serve.slow_urls import BODY


def test_a_request_in_flight_is_answered_whole_after_sigterm(live_db, tmp_path):
    slow_dir = tmp_path / "slow"
    slow_dir.mkdir()
    static_root = tmp_path / "static"
    env = production_env(
        DJANGO_SETTINGS_MODULE="linkwell.operations.tests.serve.slow_site",
        LINKWELL_TEST_SLOW_DIR=str(slow_dir),
        STATIC_ROOT=str(static_root),
    )
    answers: list = []

    def slow_request(port: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        connection.request("GET", "/test-slow/")
        response = connection.getresponse()
        answers.append((response.status, response.read()))
        connection.close()

    # Collecting the static files at start is part of what is tested: the manifest is there.
    with serving(tmp_path, "--workers", "1", "--threads", "2", env=env) as server:
        assert (static_root / "staticfiles.json").exists()
        client = threading.Thread(target=slow_request, args=(server.port,))
        client.start()
        wait_for((slow_dir / "started").exists, "the slow request began", server)

        server.process.send_signal(15)  # SIGTERM
        wait_for(lambda: "Handling signal: term" in server.log_text(), "SIGTERM seen", server)
        (slow_dir / "release").touch()  # only now may the page answer
        client.join(timeout=120)
        status = server.process.wait(timeout=120)

    assert answers == [(200, BODY)]
    assert status == 0
    log = server.log_text()
    assert "SIGABRT" not in log and "terminate called" not in log, log[-3000:]
    # The application's request log (JSON, by route): the answered request is there.
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(
        "test-slow" in line.get("route", "") and line.get("status") == 200 for line in lines
    ), log[-3000:]
