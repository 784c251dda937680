"""How `linkwell serve` sizes and places itself, and what it refuses to start without."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from config.settings import server_bind
from linkwell.operations import server


def test_workers_follow_the_cpus_a_container_is_given_not_the_hosts(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("150000 100000\n")  # docker run --cpus 1.5

    assert server.available_cpus(cpu_max) <= 2
    assert server.default_workers(2) == 5


def test_without_a_quota_every_cpu_the_process_may_run_on_counts(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("max 100000\n")
    import os

    assert server.available_cpus(cpu_max) == len(os.sched_getaffinity(0))
    assert server.available_cpus(tmp_path / "missing") == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    ("bind", "port", "expected"),
    [
        ("", "", "127.0.0.1:8000"),
        ("", "5000", "0.0.0.0:5000"),
        ("10.0.0.5:9000", "5000", "10.0.0.5:9000"),
        ("unix:/run/linkwell/web.sock", "", "unix:/run/linkwell/web.sock"),
    ],
)
def test_the_address_comes_from_linkwell_bind_else_port(bind, port, expected):
    assert server_bind(bind, port) == expected


def test_the_gunicorn_settings_stop_gracefully_and_keep_paths_out_of_the_log():
    options = server.ServerOptions("127.0.0.1:8000", 3, 2, 60, 30)
    chosen = options.gunicorn_settings()

    assert chosen["worker_class"] == "gthread"
    assert chosen["graceful_timeout"] == 30
    assert chosen["accesslog"] is None  # paths and query strings may hold personal data
    assert chosen["errorlog"] == "-"
    assert chosen["control_socket_disable"] is True


def test_a_fresh_metrics_directory_is_made_when_none_is_given():
    environ: dict[str, str] = {}
    directory, made = server.prepare_metrics_directory(environ)
    try:
        assert made
        assert environ["PROMETHEUS_MULTIPROC_DIR"] == str(directory)
        assert directory.is_dir()
    finally:
        directory.rmdir()


def test_a_given_metrics_directory_loses_the_last_runs_files(tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"old")
    (tmp_path / "keep.txt").write_text("not ours")

    directory, made = server.prepare_metrics_directory({"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})

    assert (directory, made) == (tmp_path, False)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_it_refuses_to_serve_with_debug_on(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="Unset DEBUG"):
        call_command("serve")


def test_it_refuses_to_serve_the_public_without_allowed_hosts_or_a_real_secret_key(settings):
    settings.DEVELOPMENT = False
    settings.ALLOWED_HOSTS = []
    settings.SECRET_KEY = "short"

    with pytest.raises(CommandError) as refused:
        call_command("serve")

    assert "set ALLOWED_HOSTS to the site's host names" in str(refused.value)
    assert "set SECRET_KEY to a long random value" in str(refused.value)


def test_it_refuses_hashed_static_names_without_their_manifest(settings, tmp_path, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    monkeypatch.setattr(
        "linkwell.operations.management.commands.serve.Command._run_checks", lambda self: None
    )

    with pytest.raises(CommandError, match="run `linkwell collectstatic --noinput`"):
        call_command("serve", "--no-collectstatic")
