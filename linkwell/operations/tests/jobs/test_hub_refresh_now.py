""" "Refresh now" on the hub's home page: an analyst or a partnership admin queues a refresh for
the worker (the page does not wait for it), sees it queued, then when it finished."""

import pytest
from django.urls import reverse

from linkwell.accounts.models import Role
from linkwell.audit.models import AuditEvent
from linkwell.intelligence.models import HubRefresh
from linkwell.intelligence.models.refresh import RefreshStatus
from linkwell.operations.tests.jobs.conftest import queued, work_off

pytestmark = pytest.mark.usefixtures("live_db")
HOME = "/hub/"


@pytest.fixture
def analyst(make_person, alpha):
    return make_person("analyst", Role.ANALYST, alpha)


@pytest.mark.usefixtures("worker_mode")
def test_an_analyst_queues_a_refresh_that_the_worker_runs(client, analyst):
    client.force_login(analyst)
    page = client.get(HOME)
    assert "Refresh the figures now</button>" in page.text
    assert "have not been worked out yet" in page.text

    response = client.post(HOME)
    assert response.status_code == 302 and response.url == reverse("hub:home") + "?refresh=queued"
    assert queued() == 1 and not HubRefresh.objects.exists()  # the request did not wait
    page = client.get(response.url)
    assert "Refresh queued." in page.text
    assert "is queued: it starts when the worker is free" in page.text
    assert "Refresh the figures now</button>" not in page.text  # no second one while it waits

    again = client.post(HOME)
    assert again.url.endswith("?refresh=busy") and queued() == 1

    assert work_off() == 1
    run = HubRefresh.objects.get()
    assert run.status == RefreshStatus.DONE
    page = client.get(HOME)
    assert "The last refresh finished" in page.text
    assert "Refresh the figures now</button>" in page.text
    asked = AuditEvent.objects.get(action="hub.refresh_requested")
    done = AuditEvent.objects.get(action="hub.refreshed")
    assert asked.actor == analyst and done.actor == analyst


def test_a_partnership_admin_may_refresh_and_inline_it_runs_after_the_request(
    client, make_person, alpha
):
    client.force_login(make_person("boss", Role.PARTNERSHIP_ADMIN, alpha))
    assert client.post(HOME).status_code == 302
    assert HubRefresh.objects.get().status == RefreshStatus.DONE


def test_a_practitioner_may_not_refresh(client, make_person, alpha):
    client.force_login(make_person("practitioner", Role.PRACTITIONER, alpha))
    assert client.post(HOME).status_code == 403
    assert not AuditEvent.objects.filter(action="hub.refresh_requested").exists()


def test_the_action_itself_refuses_anyone_who_may_not_see_the_hub(make_person, alpha):
    from django.core.exceptions import PermissionDenied

    from linkwell.intelligence.jobs import request_refresh

    with pytest.raises(PermissionDenied):
        request_refresh(actor=make_person("practitioner", Role.PRACTITIONER, alpha))
    with pytest.raises(PermissionDenied):
        request_refresh(actor=None)
    assert queued() == 0
