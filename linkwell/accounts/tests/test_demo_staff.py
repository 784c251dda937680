"""Demo staff are marked as such, so the password-alone exception can only ever reach them."""

import pytest
from django.contrib.auth import get_user_model

from linkwell.referrals.demo import STAFF, load_demo_referrals


@pytest.mark.django_db
def test_the_demo_staff_are_marked_demo_and_nobody_else_is(place_data, settings, make_person):
    settings.DEVELOPMENT = True
    someone = make_person("someone-real")

    load_demo_referrals("demo-password-1")

    users = get_user_model().objects
    assert set(users.filter(is_demo=True).values_list("username", flat=True)) == {
        username for username, _role, _org in STAFF
    }
    someone.refresh_from_db()
    assert someone.is_demo is False
