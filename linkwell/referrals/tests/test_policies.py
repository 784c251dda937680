"""Who may read contact requests: the permission matrix, as a table.

Alice at Alpha reads Alpha's requests; Beta's editor must not; practitioners, connectors and
analysts have no inbox at all; partnership admins read everything, even orphans'.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from linkwell.accounts.actions import grant_role
from linkwell.accounts.models import Role
from linkwell.referrals import policies
from linkwell.referrals.tests.conftest import PASSWORD
from linkwell.referrals.tests.helpers import make_request

# persona: (inbox page status, reads Alpha's request, reads orphan's request)
MATRIX = {
    "signed_out": (302, False, False),
    "alpha_editor": (200, True, False),
    "beta_editor": (200, False, False),
    "practitioner": (403, False, False),
    "connector": (403, False, False),
    "analyst": (403, False, False),
    "nobody": (403, False, False),
    "admin": (200, True, True),
}


@pytest.fixture
def requests_made(alpha_service, orphan_service):
    return make_request(alpha_service), make_request(orphan_service)


@pytest.mark.parametrize("persona", MATRIX)
def test_the_permission_matrix(client, people, requests_made, persona):
    inbox_status, reads_alpha, reads_orphan = MATRIX[persona]
    alpha_request, orphan_request = requests_made
    user = AnonymousUser() if persona == "signed_out" else people[persona]
    if persona != "signed_out":
        client.login(username=user.username, password=PASSWORD)

    assert client.get(reverse("referrals:inbox")).status_code == inbox_status
    assert policies.may_read(user, alpha_request) is reads_alpha
    assert policies.may_read(user, orphan_request) is reads_orphan
    readable = set(policies.readable_contact_requests(user))
    assert (alpha_request in readable, orphan_request in readable) == (reads_alpha, reads_orphan)

    detail = client.get(reverse("referrals:inbox_detail", args=[alpha_request.pk]))
    expected = 200 if reads_alpha else {302: 302, 403: 403, 200: 404}[inbox_status]
    assert detail.status_code == expected


def test_an_editor_of_a_partner_reads_its_departments_requests(alpha, alpha_housing, make_person):
    from linkwell.directory.tests.page_services import make_service

    housing_service = make_service("Housing Advice", partner_name="Alpha Council")
    housing_service.department = alpha_housing
    housing_service.save(update_fields=["department"])
    request = make_request(housing_service)
    department_editor = make_person("dept", Role.PROVIDER_EDITOR, alpha_housing)
    partner_editor = make_person("partner", Role.PROVIDER_EDITOR, alpha)
    assert policies.may_read(partner_editor, request)
    assert policies.may_read(department_editor, request)
    assert set(policies.provider_readers_of(housing_service)) == {
        department_editor,
        partner_editor,
    }


def test_a_deactivated_editor_reads_nothing(people, requests_made):
    editor = people["alpha_editor"]
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    assert not policies.may_use_inbox(editor)
    assert not policies.readable_contact_requests(editor).exists()


def test_a_superuser_reads_everything(django_user_model, requests_made):
    root = django_user_model.objects.create_superuser("root", "root@partner.test", PASSWORD)
    assert policies.readable_contact_requests(root).count() == 2


def test_a_practitioner_who_is_also_an_editor_elsewhere_reads_only_there(
    people, beta, requests_made
):
    practitioner = people["practitioner"]
    grant_role(actor=None, user=practitioner, organisation=beta, role=Role.PROVIDER_EDITOR)
    assert policies.may_use_inbox(practitioner)
    assert not policies.may_read(practitioner, requests_made[0])
