"""/metrics: Prometheus's format, for this machine or the holder of the metrics token only."""

import datetime as dt
import re
import uuid

import pytest
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from linkwell.directory.tests.page_services import make_service
from linkwell.operations import metrics
from linkwell.referrals.models import Person, Referral

TOKEN = "t" * 40
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def value(text, name, **labels):
    """A sample's value in the exposition text, or None if it is not there."""
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if not match or match[1] != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match[2] or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match[3])
    return None


class TestWhoMayRead:
    def test_this_machine_may(self, client, db):
        response = client.get("/metrics")  # the test client comes from 127.0.0.1
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        assert "no-store" in response["Cache-Control"]

    def test_elsewhere_is_refused_and_told_how_when_no_token_is_set(self, client, settings):
        settings.METRICS_TOKEN = ""
        response = client.get("/metrics", **ELSEWHERE)
        assert response.status_code == 403
        assert "LINKWELL_METRICS_TOKEN" in response.json()["detail"]

    def test_a_proxy_on_this_machine_does_not_make_its_clients_local(self, client, settings):
        settings.METRICS_TOKEN = ""
        response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert response.status_code == 403

    @pytest.mark.parametrize(
        "authorization", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "]
    )
    def test_elsewhere_without_the_token_is_refused(self, client, settings, authorization):
        settings.METRICS_TOKEN = TOKEN
        headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
        response = client.get("/metrics", **ELSEWHERE, **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in response.json()["detail"]
        assert "no-store" in response["Cache-Control"]

    def test_elsewhere_with_the_token_may(self, client, settings, db):
        settings.METRICS_TOKEN = TOKEN
        response = client.get("/metrics", **ELSEWHERE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200

    def test_it_is_served_on_plain_http_and_any_host_name(self, client, settings, db):
        settings.SECURE_SSL_REDIRECT = True
        settings.ALLOWED_HOSTS = ["linkwell.example"]
        assert client.get("/metrics", HTTP_HOST="10.0.0.5:8000").status_code == 200


def test_a_request_is_counted_by_its_route_method_and_status_class(client, db):
    service = make_service("Testshire Lunch Club")
    labels = {"route": "/services/<uuid:service_id>/", "method": "GET", "status": "2xx"}
    name = "linkwell_http_request_duration_seconds_count"
    before = value(client.get("/metrics").content.decode(), name, **labels) or 0
    assert client.get(f"/services/{service.id}/").status_code == 200
    text = client.get("/metrics").content.decode()
    assert value(text, name, **labels) == before + 1
    assert str(service.id) not in text


def test_an_unknown_method_is_one_label(client, db):
    client.generic("BREW", "/healthz")
    text = client.get("/metrics").content.decode()
    assert value(text, "linkwell_http_request_duration_seconds_count", method="OTHER")
    assert "BREW" not in text


def test_referrals_are_counted_by_status(client, db):
    service = make_service("Testshire Lunch Club")
    person = Person.objects.create(
        given_name="Sam", family_name="Example", birth_date=dt.date(1950, 1, 1)
    )
    for status in ["sent", "sent", "accepted"]:
        Referral.objects.create(
            person=person,
            service=service,
            status=status,
            status_changed_at=timezone.now(),
            created_at=timezone.now(),
            referrer_label="Someone",
        )
    text = client.get("/metrics").content.decode()
    assert value(text, "linkwell_referrals", status="sent") == 2
    assert value(text, "linkwell_referrals", status="accepted") == 1
    assert value(text, "linkwell_referrals", status="declined") == 0
    assert value(text, "linkwell_metrics_collector_up", collector="referrals") == 1


def test_the_text_is_valid_exposition_format(client, db):
    client.get("/healthz")
    text = client.get("/metrics").content.decode()
    families = {family.name for family in text_string_to_metric_families(text)}
    assert {"linkwell_http_request_duration_seconds", "linkwell_referrals"} <= families
    # Prometheus refuses a scrape that describes a metric twice.
    types = [line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")]
    assert len(types) == len(set(types)), "each metric is described once"


def test_a_database_that_cannot_answer_leaves_those_metrics_out(client, db, monkeypatch):
    def broken(self):
        raise DatabaseError("gone")

    monkeypatch.setattr(metrics.ReferralsByStatus, "read", broken)
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert value(text, "linkwell_metrics_collector_up", collector="referrals") == 0
    assert value(text, "linkwell_referrals", status="sent") is None


def test_without_django_q_there_are_no_job_metrics(client, db, monkeypatch):
    real = metrics.apps.is_installed
    monkeypatch.setattr(metrics.apps, "is_installed", lambda app: app != "django_q" and real(app))
    text = client.get("/metrics").content.decode()
    assert value(text, "linkwell_metrics_collector_up", collector="jobs") == 1
    assert "linkwell_job_runs" not in text


def test_jobs_are_counted_by_name_and_outcome(client, db):
    from django.apps import apps

    if not apps.is_installed("django_q"):
        pytest.skip("django-q2 is not installed here (the jobs layer adds it)")
    from django_q.models import Task

    def run(func, success, group=None):
        Task.objects.create(
            id=uuid.uuid4().hex,
            name=uuid.uuid4().hex,
            func=func,
            group=group,
            started=timezone.now(),
            stopped=timezone.now(),
            success=success,
        )

    run("linkwell.referrals.jobs.escalate", True)
    run("linkwell.referrals.jobs.escalate", False)
    run("linkwell.referrals.jobs.escalate", False)
    run("linkwell.operations.jobs.run", True, group="linkwell.notifications.jobs.deliver")
    text = client.get("/metrics").content.decode()
    escalate = "linkwell.referrals.jobs.escalate"
    assert value(text, "linkwell_job_runs", job=escalate, outcome="success") == 1
    assert value(text, "linkwell_job_runs", job=escalate, outcome="failure") == 2
    deliver = "linkwell.notifications.jobs.deliver"
    assert value(text, "linkwell_job_runs", job=deliver, outcome="success") == 1
    assert value(text, "linkwell_jobs_queued") == 0
