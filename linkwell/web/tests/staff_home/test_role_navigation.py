"""The links the navigation offers each role, worked out cheaply on every page."""

import pytest
from django.test import RequestFactory

from linkwell.accounts.models import Role
from linkwell.accounts.policies import Action, can
from linkwell.web.context_processors import permissions


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("provider_editor", {"edit": True, "review": False, "inbox": True, "admin": False}),
        ("partnership_admin", {"edit": False, "review": True, "inbox": True, "admin": True}),
        ("practitioner", {"edit": False, "review": False, "inbox": False, "admin": False}),
        ("nobody", {"edit": False, "review": False, "inbox": False, "admin": False}),
    ],
)
def test_each_role_is_offered_its_links(people, persona, expected):
    request = RequestFactory().get("/")
    request.user = people[persona]

    found = permissions(request)

    assert {
        "edit": found["may_edit_listings"],
        "review": found["may_review_listings"],
        "inbox": found["may_use_inbox"],
        "admin": found["may_use_admin"],
    } == expected


def test_signed_out_people_are_offered_nothing_and_cost_no_query(django_assert_num_queries, db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert permissions(request) == {"may_use_admin": False}


def test_the_review_count_is_read_only_when_the_link_is_shown(people, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = people[Role.PARTNERSHIP_ADMIN]
    found = permissions(request)
    with django_assert_num_queries(1):
        assert found["listings_to_review"]() == 0


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        (Role.PARTNERSHIP_ADMIN, True),
        (Role.PROVIDER_EDITOR, False),
        (Role.CONNECTOR, False),
        ("nobody", False),
    ],
)
def test_only_partnership_admins_review_listings(people, persona, allowed):
    assert can(people[persona], Action.REVIEW_LISTINGS) is allowed


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        (Role.PRACTITIONER, True),
        (Role.CONNECTOR, True),
        (Role.PROVIDER_EDITOR, True),
        (Role.PARTNERSHIP_ADMIN, True),
        (Role.ANALYST, False),
        ("nobody", False),
    ],
)
def test_the_staff_home_is_offered_to_those_it_opens_for(people, persona, offered):
    from linkwell.web.staff_home.landing import may_use_staff_home

    request = RequestFactory().get("/")
    request.user = people[persona]

    assert permissions(request)["may_use_staff_home"] is offered
    assert may_use_staff_home(people[persona]) is offered
