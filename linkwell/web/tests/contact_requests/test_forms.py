"""What the contact form accepts and what it says at the field when it does not."""

import pytest

from linkwell.web.contact_requests.forms import ContactRequestForm, StatusUpdateForm


def form(**changes):
    data = {
        "name": "Sam Example",
        "contact_method": "phone",
        "phone": "01274 123456",
        "email": "",
        "best_time": "",
        "message": "",
        "consent": "on",
    }
    data.update(changes)
    return ContactRequestForm(data, organisation_name="Alpha Council")


def test_a_complete_request_is_valid_and_the_phone_number_is_tidied():
    f = form(phone="+44 1274 123456")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["phone"] == "01274 123456"


@pytest.mark.parametrize("number", ["12345", "01632 960000", "+33 1 23 45 67 89", "phone me"])
def test_it_refuses_numbers_that_are_not_uk_numbers(number):
    f = form(phone=number)
    assert not f.is_valid()
    assert "Enter a UK phone number" in f.errors["phone"][0]


def test_a_text_message_needs_a_mobile_number():
    assert form(contact_method="text", phone="07400 123456").is_valid()
    f = form(contact_method="text", phone="01274 123456")
    assert not f.is_valid()
    assert "mobile" in f.errors["phone"][0]


def test_the_chosen_way_of_contact_needs_its_number_or_address():
    f = form(contact_method="phone", phone="")
    assert not f.is_valid()
    assert f.errors["phone"] == ["Enter the phone number the service should call."]
    f = form(contact_method="email", phone="", email="")
    assert not f.is_valid()
    assert f.errors["email"] == ["Enter the email address the service should write to."]
    assert form(contact_method="email", phone="", email="sam@example.com").is_valid()


def test_it_refuses_a_badly_formed_email_address():
    f = form(contact_method="email", email="sam@")
    assert not f.is_valid()
    assert "email address like" in f.errors["email"][0]


def test_over_long_text_is_refused_saying_how_long_it_is():
    f = form(message="x" * 501)
    assert not f.is_valid()
    assert f.errors["message"] == [
        "This is 501 characters long: shorten it to 500 characters or fewer."
    ]
    assert form(message="x" * 500).is_valid()


@pytest.mark.parametrize("field", ["name", "best_time", "message"])
@pytest.mark.parametrize(
    "markup", ["<script>alert(1)</script>", "Sam <b>bold</b>", "<img src=x onerror=alert(1)>"]
)
def test_markup_in_any_text_field_is_refused_at_that_field(field, markup):
    f = form(**{field: markup})
    assert not f.is_valid()
    assert "web page code (HTML)" in f.errors[field][0]


def test_markup_in_the_phone_field_is_refused_too():
    f = form(phone="<b>01274 123456</b>")
    assert not f.is_valid()
    assert "phone" in f.errors


def test_a_less_than_sign_in_plain_words_is_fine():
    f = form(message="I am <5 ft tall and love the club <3")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["message"] == "I am <5 ft tall and love the club <3"


def test_consent_is_required_and_names_the_organisation():
    f = form(consent="")
    assert not f.is_valid()
    assert f.errors["consent"] == ["Tick the box to agree, so the service may contact you."]
    assert f.fields["consent"].label == (
        "I agree that Alpha Council may use these details to contact me about this service."
    )


def test_errors_are_tied_to_their_inputs_for_screen_readers():
    f = form(name="", phone="nope")
    f.is_valid()
    html = str(f["name"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-describedby="id_phone-hint id_phone-error"' in str(f["phone"])


def test_the_message_box_does_not_cut_pasted_text_silently():
    html = str(form()["message"])
    assert " maxlength=" not in html
    assert 'data-maxlength="500"' in html  # for the count shown as the person types


def test_a_status_update_note_is_plain_text_and_limited():
    assert StatusUpdateForm({"status": "contacted", "note": "Called, left a message"}).is_valid()
    assert not StatusUpdateForm({"status": "contacted", "note": "<i>x</i>"}).is_valid()
    assert not StatusUpdateForm({"status": "contacted", "note": "x" * 1001}).is_valid()
    assert not StatusUpdateForm({"status": "new"}).is_valid()


def test_a_status_update_offers_only_the_next_statuses():
    assert [v for v, _ in StatusUpdateForm(current="new").fields["status"].choices] == [
        "contacted",
        "closed",
    ]
    form = StatusUpdateForm({"status": "contacted"}, current="contacted")
    assert not form.is_valid()
    assert form.errors["status"] == [
        "This request is already contacted: it cannot be changed to that."
    ]
    assert StatusUpdateForm({"status": "closed"}, current="contacted").is_valid()
