"""Imports name partners and departments; accounts finds them (any case) or creates them,
audited, and never twice."""

import pytest

from linkwell.accounts.actions import (
    AccountsError,
    create_organisation,
    ensure_department,
    ensure_partner,
)
from linkwell.accounts.models import Organisation, OrganisationKind
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CREATED = "accounts.organisation.created"


def test_an_unknown_partner_is_created_and_audited_with_its_actor(make_person):
    importer = make_person("importer")

    partner = ensure_partner("  Gamma Trust ", actor=importer, via="import")

    assert (partner.name, partner.kind, partner.parent) == ("Gamma Trust", "other", None)
    [event] = AuditEvent.objects.filter(action=CREATED)
    assert (event.actor, event.target_id, event.via) == (importer, str(partner.pk), "import")


def test_a_known_partner_is_found_whatever_its_case_in_one_query(alpha, django_assert_num_queries):
    before = AuditEvent.objects.filter(action=CREATED).count()
    with django_assert_num_queries(1):
        assert ensure_partner("ALPHA council", actor=None) == alpha
    assert AuditEvent.objects.filter(action=CREATED).count() == before


def test_a_department_of_the_same_name_is_not_taken_for_a_partner(alpha_housing):
    partner = ensure_partner("Housing", actor=None)
    assert partner != alpha_housing and partner.parent is None


def test_a_councils_new_department_is_a_council_department(alpha):
    housing = ensure_department(alpha, "Housing", actor=None, via="import")

    assert (housing.parent, housing.kind) == (alpha, OrganisationKind.COUNCIL_DEPARTMENT)
    event = AuditEvent.objects.filter(action=CREATED).latest("id")
    assert event.target_id == str(housing.pk) and event.via == "import"


def test_another_partners_department_takes_its_kind_and_demo_flag(db):
    trust = create_organisation(actor=None, name="Demo Trust", kind="nhs_trust", is_demo=True)
    ward = ensure_department(trust, "Ward 7", actor=None)
    assert (ward.kind, ward.is_demo) == ("nhs_trust", True)


def test_a_known_department_is_found_whatever_its_case(alpha_housing, alpha):
    assert ensure_department(alpha, "HOUSING", actor=None) == alpha_housing
    assert Organisation.objects.filter(parent=alpha).count() == 1


def test_departments_do_not_nest(alpha_housing):
    with pytest.raises(AccountsError, match="is itself a department"):
        ensure_department(alpha_housing, "Repairs", actor=None)


@pytest.mark.parametrize("name", ["", "   "])
def test_a_name_is_needed(alpha, name):
    with pytest.raises(AccountsError, match="name:"):
        ensure_partner(name, actor=None)
    with pytest.raises(AccountsError, match="name:"):
        ensure_department(alpha, name, actor=None)
