"""Pages in the person's language: direction, the language picker and its remembered choice."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


def _html_tag(content: bytes) -> str:
    match = re.search(r"<html[^>]*>", content.decode())
    assert match, "no <html> tag"
    return match.group(0)


def _in(client, language: str):
    client.cookies[LANGUAGE_COOKIE] = language
    return client


def _translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize(
    ("language", "direction"), [("ur", "rtl"), ("pa-arab", "rtl"), ("pl", "ltr"), ("en-gb", "ltr")]
)
def test_the_home_page_declares_its_language_and_direction(client, language, direction):
    response = _in(client, language).get(reverse("directory:home"))

    assert response.status_code == 200
    assert _html_tag(response.content) == f'<html lang="{language}" dir="{direction}">'
    has_rtl_css = "linkwell/rtl.css" in response.content.decode()
    assert has_rtl_css is (direction == "rtl")


@pytest.mark.parametrize("language", ["ur", "pl", "pa-arab"])
def test_the_home_page_is_in_the_chosen_language(client, language):
    skip_link = _translated(language, "Skip to main content")
    assert skip_link != "Skip to main content", f"no {language} translation is loaded"

    response = _in(client, language).get(reverse("directory:home"))

    assert skip_link in response.content.decode()
    assert "Skip to main content" not in response.content.decode()


def test_a_browser_asking_for_urdu_gets_urdu_until_the_person_chooses_otherwise(client):
    response = client.get(reverse("directory:home"), HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9")
    assert 'lang="ur"' in _html_tag(response.content)

    response = _in(client, "pl").get(
        reverse("directory:home"), HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9"
    )
    assert 'lang="pl"' in _html_tag(response.content)


def test_the_picker_names_every_language_in_itself_and_marks_the_current_one(client):
    content = _in(client, "pl").get(reverse("directory:home")).content.decode()

    for code, name in [("en-gb", "English"), ("ur", "اردو"), ("pa-arab", "پنجابی")]:
        button = rf'<button[^>]*value="{code}"[^>]*lang="{code}"[^>]*>{name}</button>'
        assert re.search(button, content), f"no button for {name}"
    assert re.search(r'<span[^>]*aria-current="true"[^>]*lang="pl"[^>]*>Polski</span>', content)
    assert not re.search(r'<button[^>]*value="pl"', content), "the current one is not a button"
    assert f'action="{reverse("set_language")}"' in content


def test_the_picker_returns_to_the_page_it_is_on_with_its_query_string(client):
    path = reverse("directory:service_list") + "?q=lunch+club&distance=5"
    content = client.get(path).content.decode()

    assert '<input type="hidden" name="next" value="/services/?q=lunch+club&amp;distance=5">' in (
        content
    )


def test_choosing_a_language_remembers_it_and_goes_back_to_the_page(client):
    next_url = reverse("directory:service_list") + "?q=lunch+club&postcode=BD21+3AB"

    response = client.post(reverse("set_language"), {"language": "ur", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == next_url
    cookie = response.cookies[LANGUAGE_COOKIE]
    assert cookie.value == "ur"
    assert int(cookie["max-age"]) >= 30 * 24 * 60 * 60, "kept across visits, not one session"
    assert 'lang="ur"' in _html_tag(client.get(reverse("directory:about")).content)


@pytest.mark.parametrize(
    "unsafe_next", ["https://evil.example/", "//evil.example/services/", "http:evil.example"]
)
def test_the_picker_does_not_follow_a_next_address_on_another_site(client, unsafe_next):
    response = client.post(reverse("set_language"), {"language": "pl", "next": unsafe_next})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response.cookies[LANGUAGE_COOKIE].value == "pl"


def test_a_language_that_is_not_offered_is_not_set(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert LANGUAGE_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("language", "need", "life_stage"),
    [
        ("ur", "تنہائی اور الگ تھلگ رہنا", "اچھا بڑھاپا"),
        ("pl", "Samotność i izolacja", "Dobry start"),
    ],
)
def test_the_search_filters_name_needs_and_life_stages_in_the_chosen_language(
    client, language, need, life_stage
):
    client.cookies[LANGUAGE_COOKIE] = language
    page = client.get(reverse("directory:service_list")).content.decode()
    assert f'value="loneliness">{need}</option>' in page
    assert life_stage in page
    assert "Loneliness and isolation" not in page
