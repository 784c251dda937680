"""django-q2's lists (queued, successful and failed tasks, schedules) and the workers'
heartbeats are in the partnership's admin site, for those the admin is open to only."""

import pytest
from django.urls import reverse

from linkwell.accounts.models import Role

LISTS = [
    "admin:django_q_ormq_changelist",
    "admin:django_q_success_changelist",
    "admin:django_q_failure_changelist",
    "admin:django_q_schedule_changelist",
    "admin:operations_workerheartbeat_changelist",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_partnership_admin_sees_the_job_lists(client, make_person, alpha, name):
    client.force_login(make_person("boss", Role.PARTNERSHIP_ADMIN, alpha))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_an_analyst_does_not(client, make_person, alpha, name):
    client.force_login(make_person("analyst", Role.ANALYST, alpha))
    assert client.get(reverse(name), follow=True).status_code == 403  # via the sign-in: refused


@pytest.mark.usefixtures("live_db", "worker_mode")
def test_a_failed_try_is_listed_in_the_failed_tasks(client, make_person, alpha):
    from django.db import transaction

    from linkwell.core import jobs
    from linkwell.operations.tests.jobs.conftest import work_off

    with transaction.atomic():
        jobs.enqueue("linkwell.operations.tests.jobs.sample.fail_always", "the listing")
    work_off()
    client.force_login(make_person("boss", Role.PARTNERSHIP_ADMIN, alpha))
    page = client.get(reverse("admin:django_q_failure_changelist"))
    assert "sample.fail_always(&#x27;the listing&#x27;) (try 1 of 3)" in page.text
