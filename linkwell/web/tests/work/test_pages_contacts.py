"""Recording a contact with its needs, then referring each need from the contact's page:
consent first (one click when given verbally), one referral per double-clicked submit."""

import re

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
    page = client.get(reverse("referrals:contact_detail", args=[visit.pk])).content.decode()
    refer = {
        "service": str(lunch.pk),
        "need": "loneliness",
        "idempotency_key": key_in(page, lunch),
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
