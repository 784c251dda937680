"""A person's sex and ethnic group (ONS 2021 categories, optional): recorded through the
people API, shown to whoever sees the whole record, refused naming the field when unknown."""

from linkwell.referrals.models import Person
from linkwell.referrals.tests.api_scene import call, client_for, scene_fixture  # noqa: F401

NEW = {"given_name": "Dee", "family_name": "Ward", "birth_date": "1960-01-02"}


def test_sex_and_ethnic_group_are_recorded_and_read_back(scene):
    gp = client_for(scene, "gp")
    made = call(gp, "POST", "/people/", {**NEW, "sex": "female", "ethnic_group": "asian"})
    assert made.status_code == 201, made.content
    person = Person.objects.get(pk=made.json()["id"])
    assert (person.sex, person.ethnic_group) == ("female", "asian")
    read = call(gp, "GET", f"/people/{person.pk}").json()
    assert (read["sex"], read["ethnic_group"]) == ("female", "asian")


def test_they_are_optional_and_prefer_not_to_say_is_an_answer(scene):
    gp = client_for(scene, "gp")
    made = call(gp, "POST", "/people/", {**NEW, "ethnic_group": "prefer_not_to_say"})
    person = Person.objects.get(pk=made.json()["id"])
    assert (person.sex, person.ethnic_group) == ("", "prefer_not_to_say")


def test_an_unknown_category_is_refused_naming_the_field(scene):
    gp = client_for(scene, "gp")
    refused = call(gp, "POST", "/people/", {**NEW, "sex": "unknown"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["parameter"] == "sex"
    refused = call(gp, "POST", "/people/", {**NEW, "ethnic_group": "martian"})
    assert refused.json()["errors"][0]["parameter"] == "ethnic_group"
    assert not Person.objects.filter(family_name="Ward").exists()
