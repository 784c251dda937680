"""Registering a person: sex and ethnic group may be recorded (for the evaluation's
breakdowns), or left unasked; an answer that is not one of the choices is refused at its
field."""

import pytest
from django.urls import reverse

from linkwell.referrals.models import Person
from linkwell.referrals.tests.pages_world import sign_in
from linkwell.web.tests.work.test_pages_people import typed

NEW = reverse("referrals:person_new")


def test_sex_and_ethnic_group_are_kept_when_given(client, world):
    sign_in(client, "firefighter")

    client.post(NEW, typed(sex="female", ethnic_group="asian"))

    bea = Person.objects.get(family_name="Smith")
    assert (bea.sex, bea.ethnic_group) == ("female", "asian")


def test_they_may_be_left_unasked(client, world):
    sign_in(client, "firefighter")

    page = client.get(NEW).content.decode()
    client.post(NEW, typed())

    assert "<legend>Sex (optional)</legend>" in page
    assert "<legend>Ethnic group (optional)</legend>" in page
    bea = Person.objects.get(family_name="Smith")
    assert (bea.sex, bea.ethnic_group) == ("", "")


@pytest.mark.parametrize("field", ["sex", "ethnic_group"])
def test_an_answer_not_offered_is_refused_at_its_field(client, world, field):
    sign_in(client, "firefighter")

    response = client.post(NEW, typed(**{field: "unknown"}))

    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="#id_{field}_0"' in page
    assert "Select one of the answers, or leave it empty" in page
    assert not Person.objects.filter(family_name="Smith").exists()
