"""Who is told about a new request (inbox and e-mail), when, and what neither says."""

from django.core import mail

from linkwell.accounts.models import Role
from linkwell.directory.tests.page_services import make_service
from linkwell.notifications.models import Notification, NotificationKind
from linkwell.referrals.policies import told_of_new_requests
from linkwell.referrals.tests.helpers import make_request


def notification_recipients(service):
    return sorted(u.email for u in told_of_new_requests(service) if u.email)


def test_the_provider_editors_of_the_services_organisation_are_told(
    people, make_person, alpha, alpha_service, django_capture_on_commit_callbacks
):
    make_person("alpha_editor_two", Role.PROVIDER_EDITOR, alpha)
    make_person("no_address", Role.PROVIDER_EDITOR, alpha, email="")
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(alpha_service, name="Sam Secret", phone="01274 654321")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alpha_editor@partner.test",
        "alpha_editor_two@partner.test",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)  # no one sees the others' addresses
    message = mail.outbox[0]
    assert "Alpha Lunch Club" in message.subject
    assert f"/inbox/{request.pk}/" in message.body
    for personal in ("Sam", "Secret", "654321", request.message):
        assert personal not in message.body and personal not in message.subject


def test_the_request_is_in_each_editors_inbox_with_or_without_an_address(
    people, make_person, alpha, alpha_service
):
    make_person("no_address", Role.PROVIDER_EDITOR, alpha, email="")
    request = make_request(alpha_service, name="Sam Secret")
    told = Notification.objects.about(request)
    assert sorted(told.values_list("user__username", flat=True)) == ["alpha_editor", "no_address"]
    notice = told.first()
    assert notice.kind == NotificationKind.NEW_CONTACT_REQUEST
    assert notice.link == f"/inbox/{request.pk}/"
    assert "Alpha Lunch Club" in notice.message and "Sam" not in notice.message


def test_editors_without_addresses_have_the_admins_told_too(
    people, make_person, db, django_capture_on_commit_callbacks
):
    gamma_service = make_service("Gamma Choir", partner_name="Gamma Trust")
    from linkwell.accounts.models import Organisation

    gamma = Organisation.objects.get(name="Gamma Trust")
    make_person("gamma_editor", Role.PROVIDER_EDITOR, gamma, email="")
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(gamma_service)
    told = Notification.objects.about(request).values_list("user__username", flat=True)
    assert sorted(told) == ["admin", "gamma_editor"]
    assert [m.to for m in mail.outbox] == [["admin@partner.test"]]


def test_no_mail_is_sent_before_the_request_is_committed(people, alpha_service):
    make_request(alpha_service)  # the test's transaction never commits
    assert mail.outbox == []


def test_invented_demo_contact_addresses_are_never_used(
    people, db, django_capture_on_commit_callbacks
):
    demo = make_service(
        "Demo Club",
        partner_name="Beta Trust",
        email="demo-club@example.org",
        is_demo=True,
        demo_fields=["email", "contacts"],
    )
    assert demo.email == "demo-club@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        make_request(demo)
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients == ["beta_editor@partner.test"]
    assert not any("example.org" in r for r in recipients)


def test_without_provider_editors_the_partnership_admins_are_told(people, orphan_service):
    assert notification_recipients(orphan_service) == ["admin@partner.test"]


def test_other_organisations_editors_and_other_roles_are_not_told(people, beta_service):
    assert notification_recipients(beta_service) == ["beta_editor@partner.test"]


def test_a_mail_failure_does_not_lose_the_request(
    people, alpha_service, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "linkwell.referrals.tests.test_notify.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(alpha_service)
    request.refresh_from_db()
    assert request.status == "new"
    assert Notification.objects.about(request).exists()  # still in the inbox
    assert "Could not e-mail" in caplog.text


def test_purging_a_request_forgets_its_notices(people, alpha_service):
    from linkwell.referrals.actions import (
        purge_closed_contact_requests,
        update_contact_request_status,
    )

    request = make_request(alpha_service)
    update_contact_request_status(
        actor=people["alpha_editor"], contact_request=request, status="closed", note=""
    )
    assert Notification.objects.about(request).exists()
    assert purge_closed_contact_requests(actor=None, older_than_days=0) == 1
    assert not Notification.objects.about(request).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
