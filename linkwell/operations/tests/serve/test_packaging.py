"""The image, compose file and service units can't be built or started here; what they run
can be checked: each is a real `linkwell` command, the image serves with `linkwell serve` and
checks /healthz, and every setting the product reads is in the example and the README."""

import http.server
import re
import shlex
import threading
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from linkwell.operations import server

ROOT = Path(__file__).resolve().parents[4]
# Commands that arrive with other work on the running of the product: checked once they exist.
COMING = {"worker": "linkwell worker arrives with the background jobs"}


def _linkwell_commands(text: str) -> list[str]:
    """The subcommand of every `linkwell SUBCOMMAND` in a command line."""
    return re.findall(r"(?:^|[\s/\"'])linkwell\s+([a-z_]+)", text)


def _check_commands(found: list[str]) -> None:
    assert found
    for name in found:
        if name not in get_commands() and name in COMING:
            pytest.skip(COMING[name])
        assert name in get_commands(), f"`linkwell {name}` is not a command"


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.mark.parametrize("service", ["web", "worker", "backup"])
def test_each_compose_service_runs_a_real_linkwell_command(service):
    command = _compose()["services"][service]["command"]
    line = " ".join(command) if isinstance(command, list) else command

    _check_commands(_linkwell_commands(line))


def test_compose_keeps_postgresql_on_a_named_volume_and_serves_with_linkwell_serve():
    compose = _compose()

    assert compose["services"]["web"]["command"] == ["linkwell", "serve"]
    assert compose["services"]["db"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pgdata" in compose["volumes"]
    assert compose["services"]["backup"]["command"][-1].startswith("linkwell backup ")


def _dockerfile_instruction(name: str) -> str:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return next(line.split(None, 1)[1] for line in text.splitlines() if line.startswith(name + " "))


def test_the_image_runs_linkwell_serve_as_a_user_not_root():
    assert _dockerfile_instruction("CMD") == '["linkwell", "serve"]'
    assert _dockerfile_instruction("FROM").startswith("python:3.11-slim")
    assert _dockerfile_instruction("USER") != "root"
    assert "collectstatic" in _dockerfile_instruction("RUN pip install --no-deps")


def test_the_image_health_check_asks_for_healthz():
    check = _dockerfile_instruction("HEALTHCHECK")
    assert '"linkwell.operations.server", "/healthz"]' in check


@pytest.mark.parametrize(
    "unit", ["linkwell-web.service", "linkwell-worker.service", "linkwell-backup.service"]
)
def test_each_systemd_unit_runs_a_real_linkwell_command(unit):
    text = (ROOT / "deploy" / unit).read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)

    _check_commands(_linkwell_commands(exec_start))


def test_the_backup_timer_starts_the_backup_unit():
    timer = (ROOT / "deploy" / "linkwell-backup.timer").read_text()
    assert "OnCalendar=" in timer
    assert (ROOT / "deploy" / "linkwell-backup.service").exists()


def _settings_read() -> set[str]:
    """Every environment variable config/settings.py reads."""
    text = (ROOT / "config" / "settings.py").read_text()
    found = set(
        re.findall(r"(?:os\.environ\.get|env_int|env_bool|origins)\(\s*\"([A-Z][A-Z0-9_]*)\"", text)
    )
    return found | {"DATABASE_URL"}  # read by dj_database_url


def test_the_readme_names_every_setting_the_product_reads():
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Run in production", 1)[1].split("\n## ", 1)[0]

    missing = sorted(name for name in _settings_read() if f"`{name}`" not in production)

    assert not missing, f"README's Run in production section lacks {missing}"


def test_the_env_example_only_names_settings_the_product_reads():
    example = (ROOT / "deploy" / "linkwell.env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    readme = (ROOT / "README.md").read_text()

    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= named
    assert not [n for n in named if f"`{n}`" not in readme]


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):
        self.seen.append((self.path, self.headers["Host"]))
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_health_probe_asks_this_host_for_the_path_as_the_site():
    listener = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    port = listener.server_address[1]
    threading.Thread(target=listener.handle_request, daemon=True).start()
    env = {"LINKWELL_BIND": f"0.0.0.0:{port}", "ALLOWED_HOSTS": ".example.nhs.uk,other"}

    assert server.health_probe("/healthz", env) == 0
    listener.server_close()
    assert _Recorder.seen == [("/healthz", "example.nhs.uk")]


def test_the_health_probe_fails_when_nothing_answers():
    listener = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    port = listener.server_address[1]
    listener.server_close()

    assert server.health_probe("/healthz", {"LINKWELL_BIND": f"127.0.0.1:{port}"}) == 1


def test_compose_command_lines_split_as_a_shell_would():
    backup = _compose()["services"]["backup"]["command"]
    assert shlex.split(backup[-1])[:2] == ["linkwell", "backup"]
