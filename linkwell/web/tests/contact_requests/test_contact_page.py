"""The public page /services/<id>/contact/: asking a service to contact you."""

import re

import pytest
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import ContactRequest


def url(service):
    return reverse("referrals:self_referral", args=[service.pk])


def fresh_token(client, service) -> str:
    page = client.get(url(service)).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def post(client, service, token=None, **changes):
    data = {
        "name": "Sam Example",
        "contact_method": "phone",
        "phone": "01274 123456",
        "email": "",
        "best_time": "Weekday mornings",
        "message": "I would like to come to the lunch club.",
        "consent": "on",
        "website": "",
        "form_token": token if token is not None else fresh_token(client, service),
    }
    data.update(changes)
    return client.post(url(service), data)


def test_the_page_asks_for_contact_details_and_explains_consent(client, alpha_service):
    response = client.get(url(alpha_service))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ask Alpha Lunch Club to contact you" in page
    assert "I agree that Example Community Trust may use these details" in page
    assert "Up to 500 characters" in page
    assert "delete them 365 days after it is closed" in page
    # Alpha Council's editors keep the listing run by Example Community Trust: both are named.
    assert "Alpha Council" in page
    # The honeypot is hidden from everyone (display:none via `hidden`) and labelled.
    assert re.search(r'<div class="referrals-hp" hidden>\s*<label for="id_website">', page)


def test_an_unknown_service_is_not_found(client, db):
    response = client.get("/services/00000000-0000-0000-0000-000000000000/contact/")
    assert response.status_code == 404


def test_a_closed_down_service_takes_no_requests(client, alpha_service):
    alpha_service.status = "defunct"
    alpha_service.save(update_fields=["status"])
    assert client.get(url(alpha_service)).status_code == 404


def test_a_good_request_is_stored_audited_and_confirmed(client, alpha_service, people):
    response = post(client, alpha_service)
    assert response.status_code == 302
    stored = ContactRequest.objects.get()
    assert (stored.service, stored.name, stored.phone) == (
        alpha_service,
        "Sam Example",
        "01274 123456",
    )
    assert stored.status == "new"
    assert stored.language == "en-gb"
    assert "Example Community Trust" in stored.consent_text
    event = AuditEvent.objects.get(action="referrals.contact_request.created")
    assert event.target_id == str(stored.pk)
    assert "Sam" not in event.target_label  # the log keeps no personal details

    confirmation = client.get(response["Location"])
    page = confirmation.content.decode()
    assert "Request sent" in page
    assert stored.reference in page
    assert "01274 000000" in page  # the service's own number, for those who would rather call
    assert "Sam Example" not in page


def test_the_language_the_person_used_is_recorded(client, alpha_service, settings):
    settings.LANGUAGES = [("en-gb", "English"), ("pl", "Polish")]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    post(client, alpha_service)
    assert ContactRequest.objects.get().language == "pl"


def test_the_confirmation_page_needs_a_request_sent_from_this_browser(client, alpha_service):
    response = client.get(reverse("referrals:self_referral_sent", args=[alpha_service.pk]))
    assert response.status_code == 302
    assert response["Location"] == url(alpha_service)


def test_errors_show_at_the_field_and_in_a_summary_and_keep_what_was_typed(client, alpha_service):
    response = post(
        client,
        alpha_service,
        phone="12345",
        message="Please ring after <b>ten</b>",
        best_time="After school",
        consent="",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert '<a href="#id_phone">Enter a UK phone number' in page
    assert '<p class="error-message" id="id_message-error">' in page
    assert "web page code (HTML)" in page
    # What was typed is still there, shown as text (escaped), not as markup.
    assert 'value="12345"' in page
    assert 'value="After school"' in page
    assert "Please ring after &lt;b&gt;ten&lt;/b&gt;</textarea>" in page
    assert "<b>ten</b>" not in page
    assert ContactRequest.objects.count() == 0


def test_the_honeypot_refuses_politely_and_keeps_the_text(client, alpha_service):
    response = post(client, alpha_service, website="http://spam.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your request was not sent" in page
    assert "Your details are still here." in page
    assert "I would like to come to the lunch club.</textarea>" in page
    assert "spam.example" not in page
    assert ContactRequest.objects.count() == 0


def test_a_form_sent_too_fast_is_refused_and_kept(client, alpha_service, settings):
    settings.REFERRALS_FORM_MIN_SECONDS = 60
    response = post(client, alpha_service)
    page = response.content.decode()
    assert response.status_code == 400
    assert "faster than a person usually fills it in" in page
    assert 'value="Sam Example"' in page
    assert ContactRequest.objects.count() == 0


def test_a_form_without_a_valid_token_is_refused(client, alpha_service):
    response = post(client, alpha_service, token="forged")
    assert response.status_code == 400
    assert ContactRequest.objects.count() == 0


def test_requests_are_limited_per_address(client, django_user_model, alpha_service, settings):
    settings.REFERRALS_RATE_LIMIT_PER_IP = 2
    for n in range(2):
        assert post(client, alpha_service, message=f"request {n}").status_code == 302
    response = post(client, alpha_service, message="one too many")
    assert response.status_code == 429
    assert "please wait an hour" in response.content.decode()
    assert "one too many</textarea>" in response.content.decode()
    assert ContactRequest.objects.count() == 2


def test_requests_are_limited_per_session_too(client, alpha_service, settings):
    settings.REFERRALS_RATE_LIMIT_PER_SESSION = 1
    assert post(client, alpha_service, message="first").status_code == 302
    # A new address, same browser session: still limited.
    token = fresh_token(client, alpha_service)
    response = client.post(
        url(alpha_service),
        {
            "name": "Sam",
            "contact_method": "phone",
            "phone": "01274 123456",
            "message": "second",
            "consent": "on",
            "form_token": token,
        },
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429


def test_the_same_request_sent_twice_makes_one_request(client, alpha_service):
    token = fresh_token(client, alpha_service)
    first = post(client, alpha_service, token=token)
    second = post(client, alpha_service, token=token)  # a double click
    third = post(client, alpha_service)  # the page reloaded and sent again within a minute
    assert first.status_code == second.status_code == third.status_code == 302
    assert ContactRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="referrals.contact_request.created").count() == 1


def test_a_used_form_replayed_with_other_details_is_refused(client, alpha_service):
    token = fresh_token(client, alpha_service)
    post(client, alpha_service, token=token)
    response = post(client, alpha_service, token=token, message="Something else entirely")
    assert response.status_code == 400
    assert "already used to send a request" in response.content.decode()
    assert ContactRequest.objects.count() == 1


@pytest.mark.parametrize("has_editor", [True, False])
def test_the_page_says_who_reads_requests_when_no_one_at_the_provider_does(
    client, alpha_service, make_person, alpha, has_editor
):
    if has_editor:
        make_person("ed", "provider_editor", alpha)
    page = client.get(url(alpha_service)).content.decode()
    assert ("reads requests on Linkwell yet" in page) is not has_editor
