"""Password rules as the NCSC advises: long enough, not a known or guessable one; no
composition rules. Every refusal says what to do instead."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from linkwell.accounts.actions import AccountsError, create_user

pytestmark = pytest.mark.django_db


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


def test_a_short_all_digit_password_is_refused_saying_what_to_do():
    found = " ".join(refusals("83749201"))

    assert "at least 12 characters" in found
    assert "not only numbers" in found
    assert "three random words" in found


def test_a_long_all_digit_password_is_still_refused():
    assert refusals("837492019283746")


def test_a_common_password_is_refused():
    assert "often used" in " ".join(refusals("password1234"))


def test_a_password_like_the_username_is_refused(django_user_model):
    person = django_user_model(username="margaret.okonkwo", email="m@partner.test")

    assert "your username" in " ".join(refusals("margaret.okonkwo1", person))


def test_three_random_words_are_accepted_with_no_composition_rules():
    assert refusals("purple kettle orbit") == []


def test_creating_an_account_with_83749201_is_refused():
    with pytest.raises(AccountsError, match="at least 12 characters"):
        create_user(actor=None, username="newstarter", password="83749201")


def test_the_change_password_page_refuses_83749201(client, django_user_model):
    user = django_user_model.objects.create_user("newstarter", password="old enough passphrase")
    client.force_login(user)

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "old enough passphrase",
            "new_password1": "83749201",
            "new_password2": "83749201",
        },
    )

    assert response.status_code == 200
    assert "not only numbers" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("old enough passphrase")
