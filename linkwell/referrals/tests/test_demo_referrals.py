"""The demo staff and people a newcomer signs in with: development only, all marked demo."""

import pytest
from django.contrib.auth import authenticate
from django.http import HttpRequest

from linkwell.referrals.demo import DemoRefused, load_demo_referrals
from linkwell.referrals.models import Person


def test_demo_accounts_are_refused_outside_development(db, settings):
    settings.DEBUG, settings.DEVELOPMENT = False, False
    with pytest.raises(DemoRefused, match="development only"):
        load_demo_referrals("demo-password-1")
    assert not Person.objects.exists()


def test_demo_staff_sign_in_and_demo_people_are_marked(db, place_data, settings):
    settings.DEVELOPMENT = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    loaded = load_demo_referrals("demo-password-1")
    again = load_demo_referrals("demo-password-1")

    assert "demo-connector" in loaded.users and again.referrals == 0
    # A request, as django-axes throttles every password check by account and address.
    signing_in = HttpRequest()
    assert authenticate(signing_in, username="demo-firefighter", password="demo-password-1")
    people = Person.objects.all()
    assert people.count() == loaded.people > 0
    assert all(p.is_demo and p.nhs_number.startswith("999") for p in people)
