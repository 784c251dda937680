"""Recording a contact with its needs, then referring each need from the contact's page:
offers with their facts, one consent conversation covering the services ticked, then one
"Refer" click each; one referral per double-clicked submit."""

import re
import uuid

from django.urls import reverse

from linkwell.referrals.models import Consent, Encounter, Referral, ReferralStatus
from linkwell.referrals.tests.pages_world import pages_fixture, sign_in  # noqa: F401 (fixture)


def key_in(page: str, service) -> str:
    """The idempotency key the page drew for the "Refer" form of `service`."""
    block = page[page.index(f'value="{service.pk}"') :]
    return re.search(r'name="idempotency_key" value="([^"]+)"', block).group(1)


def test_a_contact_with_needs_is_recorded_and_offers_matching_services(client, world):
    ada = world["person"]
    sign_in(client, "firefighter")

    response = client.post(
        reverse("referrals:contact_new", args=[ada.pk]),
        {
            "kind": "safe_and_well",
            "need_loneliness": "on",
            "urgency_loneliness": "soon",
            "need_food": "on",
            "urgency_food": "routine",
            "note": "Lives alone.",
        },
        follow=True,
    )

    visit = Encounter.objects.get(person=ada)
    assert {(n.need, n.urgency) for n in visit.needs.all()} == {
        ("loneliness", "soon"),
        ("food", "routine"),
    }
    page = response.content.decode()
    assert "Loneliness and isolation" in page and "Soon (within a week)" in page
    assert "Lunch club" in page and "Falls prevention" in page
    assert "has not agreed to their details being shared with Lunch club" in page


def test_a_contact_without_a_need_is_refused_at_the_checklist(client, world):
    sign_in(client, "firefighter")

    response = client.post(
        reverse("referrals:contact_new", args=[world["person"].pk]),
        {"kind": "safe_and_well", "note": "Nothing noticed?"},
    )

    assert response.status_code == 400
    assert "Tick at least one need you noticed." in response.content.decode()
    assert "Nothing noticed?" in response.content.decode()
    assert not Encounter.objects.exists()


def test_refusing_without_consent_keeps_the_reason_and_offers_the_consent_form(client, pages):
    visit, lunch = pages["visit"], pages["lunch"]
    sign_in(client, "firefighter")
    refer = {  # as an older page's "Refer" form sent it, before consent was recorded
        "service": str(lunch.pk),
        "need": "loneliness",
        "idempotency_key": str(uuid.uuid4()),
        "reason": "Would enjoy company at lunch",
    }

    refused = client.post(reverse("referrals:contact_refer", args=[visit.pk]), refer)

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "has not agreed to their details being shared with Lunch club" in text
    assert "Would enjoy company at lunch" in text
    assert not Referral.objects.filter(service=lunch).exists()

    client.post(reverse("referrals:contact_consent", args=[visit.pk]), {"service": str(lunch.pk)})
    client.post(reverse("referrals:contact_refer", args=[visit.pk]), refer)

    assert Consent.objects.get(person=pages["person"], service=lunch).how == "given verbally"
    made = Referral.objects.get(service=lunch)
    assert (made.status, made.reason, made.encounter) == (
        ReferralStatus.SENT,
        "Would enjoy company at lunch",
        visit,
    )


def test_a_double_clicked_refer_button_makes_one_referral(client, pages):
    visit, connectors = pages["visit"], pages["connectors"]
    sign_in(client, "firefighter")
    client.post(
        reverse("referrals:contact_consent", args=[visit.pk]), {"service": str(connectors.pk)}
    )
    page = client.get(reverse("referrals:contact_detail", args=[visit.pk])).content.decode()
    refer = {
        "service": str(connectors.pk),
        "need": "loneliness",
        "idempotency_key": key_in(page, connectors),
    }

    first = client.post(reverse("referrals:contact_refer", args=[visit.pk]), refer)
    second = client.post(reverse("referrals:contact_refer", args=[visit.pk]), refer)

    assert first.status_code == second.status_code == 302
    assert Referral.objects.filter(service=connectors, referrer=pages["firefighter"]).count() == 1
    after = client.get(reverse("referrals:contact_detail", args=[visit.pk])).content.decode()
    assert "Referred:" in after


def test_the_contact_page_is_the_recorders_only(client, pages):
    sign_in(client, "gp")

    response = client.get(reverse("referrals:contact_detail", args=[pages["visit"].pk]))

    assert response.status_code == 404


def consent_box(page: str, service) -> str:
    """The consent checkbox the page drew for `service` (tied to the one consent form)."""
    return re.search(rf'<input type="checkbox" name="service" value="{service.pk}"[^>]*>', page)[0]


def test_offers_say_how_far_when_what_it_costs_and_places_left(client, pages):
    sign_in(client, "firefighter")

    page = client.get(reverse("referrals:contact_detail", args=[pages["visit"].pk])).content
    page = page.decode()

    lunch = page[page.index("Lunch club</a></h3>") :]
    lunch = lunch[: lunch.index("</section>")]
    assert "When it runs" in lunch and "Every Tuesday, 11:30 to 14:00" in lunch
    assert "Cost" in lunch and "Distance" in lunch
    assert "1 place left now" in lunch
    assert "Taking referrals" in page  # Community Connectors: places not counted
    assert "capacity is not recorded" not in page


def test_one_consent_conversation_covers_two_services_then_each_is_one_click(client, pages):
    visit, lunch, connectors = pages["visit"], pages["lunch"], pages["connectors"]
    ada = pages["person"]
    sign_in(client, "firefighter")
    url = reverse("referrals:contact_detail", args=[visit.pk])
    before = client.get(url).content.decode()
    assert 'form="consent-form"' in consent_box(before, lunch)
    assert 'form="consent-form"' in consent_box(before, connectors)
    assert 'id="consent-form"' in before

    recorded = client.post(
        reverse("referrals:contact_consent", args=[visit.pk]),
        {"service": [str(lunch.pk), str(connectors.pk)], "how": "given verbally"},
        follow=True,
    )

    consents = Consent.objects.filter(person=ada, service__in=[lunch, connectors])
    assert consents.count() == 2
    assert len({c.conversation for c in consents}) == 1
    page = recorded.content.decode()
    assert "agreed to share their details with Lunch club and Community Connectors" in page
    assert 'id="consent-form"' not in page  # nobody left to ask about
    for service in (lunch, connectors):
        response = client.post(
            reverse("referrals:contact_refer", args=[visit.pk]),
            {
                "service": str(service.pk),
                "need": "loneliness",
                "idempotency_key": key_in(page, service),
            },
        )
        assert response.status_code == 302
    made = Referral.objects.filter(person=ada, encounter=visit, service__in=[lunch, connectors])
    assert made.count() == 2


def test_consent_with_nothing_ticked_says_what_to_do_and_writes_nothing(client, pages):
    visit = pages["visit"]
    sign_in(client, "firefighter")

    response = client.post(
        reverse("referrals:contact_consent", args=[visit.pk]), {"how": "given verbally"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index('class="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert "Tick each service they agreed to share their details with." in summary
    assert 'href="#consent-loneliness-' in summary
    assert "<title>Error:" in page
    assert not Consent.objects.filter(conversation__isnull=False, service=pages["lunch"]).exists()


def test_a_refused_consent_keeps_what_was_ticked(client, pages):
    visit, lunch, connectors = pages["visit"], pages["lunch"], pages["connectors"]
    sign_in(client, "firefighter")

    response = client.post(
        reverse("referrals:contact_consent", args=[visit.pk]),
        {"service": [str(lunch.pk)], "how": "shrugged"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose how they agreed." in page
    assert "checked" in consent_box(page, lunch)
    assert "checked" not in consent_box(page, connectors)
    assert not Consent.objects.filter(service=lunch).exists()


def test_another_partners_practitioner_cannot_record_consent_on_the_contact(client, pages):
    sign_in(client, "housing_officer")

    response = client.post(
        reverse("referrals:contact_consent", args=[pages["visit"].pk]),
        {"service": [str(pages["lunch"].pk)]},
    )

    assert response.status_code == 404
    assert "Okafor" not in response.content.decode()
    assert not Consent.objects.filter(service=pages["lunch"]).exists()
