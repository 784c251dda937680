"""The staff home: what needs each member of staff today, by role, and finding a person (only
the people the caller may open, every search audited), with registering one beside it."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions
from linkwell.referrals.models import Referral
from linkwell.referrals.tests.pages_world import NHS_NUMBERS, sign_in

HOME = reverse("referrals:staff_home")


def home(client, **query):
    return client.get(HOME, query)


def results_of(response) -> str:
    """The search results, as the page shows them (from their heading to the section's end)."""
    page = response.content.decode()
    start = page.index('id="results-title"')
    return page[start : page.index("</section>", start)]


# --- Who may open it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("firefighter", 200),
        ("gp", 200),
        ("connector", 200),
        ("falls_editor", 200),
        ("admin", 200),
        ("analyst", 302),  # to the hub, their own page
        ("outsider", 403),
    ],
)
def test_it_is_for_staff_who_work_with_people(client, world, persona, status):
    sign_in(client, persona)

    assert home(client).status_code == status


def test_it_asks_the_signed_out_to_sign_in(client, world):
    response = home(client)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/")


# --- What needs me today ------------------------------------------------------------------


def test_a_provider_sees_the_referrals_to_answer_each_linked_and_audited(client, pages):
    sign_in(client, "falls_editor")

    page = home(client).content.decode()

    referral = pages["falls_referral"]
    assert "Referrals to answer" in page and "Your waiting list" in page
    link = reverse("referrals:referral_detail", args=[referral.pk])
    assert f'<a href="{link}">Ada Okafor, Falls prevention</a>' in page
    assert "Follow-ups due" not in page
    assert "Register a person" not in page  # providers answer, they do not register
    assert AuditEvent.objects.filter(
        action="referrals.person.viewed",
        target_id=str(pages["person"].pk),
        actor=pages["falls_editor"],
        via="page:staff_home",
    ).exists()


def test_a_practitioner_sees_no_referrals_to_answer_but_may_register(client, pages):
    sign_in(client, "firefighter")

    page = home(client).content.decode()

    assert "Referrals to answer" not in page and "Follow-ups due" not in page
    assert "Answers overdue" in page and "Nothing is overdue" in page
    assert f'href="{reverse("referrals:person_new")}"' in page


def test_an_unanswered_referral_past_its_time_is_overdue_for_its_referrer(client, pages):
    referral = pages["falls_referral"]
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    sign_in(client, "firefighter")

    page = home(client).content.decode()

    assert "Answers overdue <span" in page and "(1)" in page
    assert "Ada Okafor, Falls prevention" in page
    assert f"{referral.reference}, an answer was due on" in page


def test_a_connector_sees_the_follow_ups_due(client, pages):
    case = pages["case"]
    actions.set_follow_up(
        case, timezone.localdate() - dt.timedelta(days=1), actor=pages["connector"], via="test"
    )
    sign_in(client, "connector")

    page = home(client).content.decode()

    assert "Follow-ups due" in page
    assert f'<a href="{reverse("referrals:case_detail", args=[case.pk])}">Cara Jones</a>' in page


def test_empty_lists_say_there_is_nothing(client, world):
    sign_in(client, "connector")

    page = home(client).content.decode()

    assert "No referrals are waiting for your answer." in page
    assert "No one is on your waiting list." in page
    assert "No follow-ups are due today." in page
    assert "You have no unread notifications." in page


def test_unread_notifications_are_counted_and_linked(client, pages):
    sign_in(client, "falls_editor")  # told of the firefighter's referral

    page = home(client).content.decode()

    assert re.search(r"Read your \d+ unread notification", page)
    assert f'href="{reverse("referrals:notifications")}"' in page


# --- Finding a person ---------------------------------------------------------------------


def test_a_person_is_found_by_part_of_their_name_and_the_search_is_audited(client, world):
    ada = world["person"]
    sign_in(client, "firefighter")

    response = home(client, q="okaf")

    found = results_of(response)
    assert response.status_code == 200
    assert "1 person found" in found
    assert f'<a href="{reverse("referrals:person_detail", args=[ada.pk])}">Ada Okafor</a>' in found
    assert "2 May 1941" in found and "BD3" in found and "7HZ" not in found
    searched = AuditEvent.objects.get(action="referrals.people.searched", via="page:staff_home")
    assert searched.actor == world["firefighter"]
    assert searched.details == {"criteria": ["text"], "found": [str(ada.pk)]}


def test_a_person_is_found_by_nhs_number_typed_with_spaces(client, world):
    sign_in(client, "firefighter")
    number = NHS_NUMBERS[0]

    found = results_of(home(client, q=f"{number[:3]} {number[3:6]} {number[6:]}"))

    assert "Ada Okafor" in found


def test_a_person_is_found_by_date_of_birth_and_postcode(client, world):
    sign_in(client, "firefighter")
    query = {
        "q": "",
        "birth_date-day": "2",
        "birth_date-month": "5",
        "birth_date-year": "1941",
        "postcode": "bd37hz",
    }

    found = results_of(home(client, **query))

    assert "Ada Okafor" in found
    searched = AuditEvent.objects.get(action="referrals.people.searched")
    assert searched.details["criteria"] == ["birth_date", "postcode"]


def test_someone_the_caller_may_not_open_is_not_found_and_nothing_tells(client, world):
    ada = world["person"]
    sign_in(client, "gp")  # no relationship with Ada, recorded by the fire service

    held = home(client, q="Okafor")
    nobody = home(client, q="Zzyzx")

    assert held.status_code == nobody.status_code == 200
    assert results_of(held) == results_of(nobody)
    assert "No one found" in results_of(held)
    assert str(ada.pk) not in held.content.decode() and "2 May 1941" not in held.content.decode()
    assert AuditEvent.objects.filter(action="referrals.people.searched").count() == 2


@pytest.mark.parametrize(
    ("query", "field_id", "message"),
    [
        ({"q": "a"}, "id_q", "Enter at least 2 letters of their name, or their NHS number"),
        ({"q": "999 000 001"}, "id_q", "NHS number must be 10 digits, like 485 777 3456"),
        ({"q": "9990000019"}, "id_q", "Check the NHS number: this is not a valid one"),
        ({"q": ""}, "id_q", "Enter a name or NHS number, a date of birth or a postcode"),
        ({"q": "Ada", "postcode": "XYZ"}, "id_postcode", "Enter a full UK postcode, like BD3 7HZ"),
        (
            {"q": "Ada", "birth_date-day": "2", "birth_date-year": "1941"},
            "id_birth_date-month",
            "Date of birth must include a month",
        ),
    ],
)
def test_bad_input_is_said_at_its_field_and_in_the_summary(client, world, query, field_id, message):
    sign_in(client, "firefighter")

    response = home(client, **query)

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count(message) == 2  # in the summary, linked, and at the field
    assert f'<a href="#{field_id}">{message}' in page
    assert "<title>Error: Staff home" in page
    assert 'id="results-title"' not in page
    assert not AuditEvent.objects.filter(action="referrals.people.searched").exists()


def test_what_was_typed_is_kept_when_the_search_is_refused(client, world):
    sign_in(client, "firefighter")

    page = home(client, q="Ada", postcode="XYZ", **{"birth_date-year": "1941"}).content.decode()

    assert 'value="Ada"' in page and 'value="XYZ"' in page and 'value="1941"' in page


def test_the_search_is_a_get_form_so_back_and_forward_work(client, world):
    sign_in(client, "firefighter")

    page = home(client).content.decode()

    assert re.search(r'<form[^>]* method="get" action="/staff/"', page)
    assert 'id="results-title"' not in page  # nothing searched for yet: no results, no error
    assert "There is a problem" not in page


# --- Navigation ---------------------------------------------------------------------------


def test_staff_are_offered_their_home_and_their_account_in_the_navigation(client, world):
    sign_in(client, "firefighter")

    page = client.get(reverse("referrals:my_referrals")).content.decode()

    assert f'<a href="{HOME}">Staff home</a>' in page
    assert '<a href="/accounts/">Your account</a>' in page


def test_the_staff_home_link_is_marked_as_the_current_page(client, world):
    sign_in(client, "firefighter")

    page = home(client).content.decode()

    assert f'<a href="{HOME}" aria-current="page">Staff home</a>' in page


def test_an_analyst_is_offered_their_account_but_no_staff_home(client, world):
    sign_in(client, "analyst")

    page = client.get("/").content.decode()

    assert "Staff home" not in page
    assert '<a href="/accounts/">Your account</a>' in page


def test_an_analyst_who_opens_the_staff_home_is_sent_to_the_hub(client, world):
    sign_in(client, "analyst")

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == "/hub/"
    assert "Intelligence hub" in client.get("/").content.decode()
