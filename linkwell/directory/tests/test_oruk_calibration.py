"""The schema checks agree with the official validator's own mock feeds."""

import pytest

from linkwell.directory.tests.oruk_validation import mock, page_problems, problems


@pytest.mark.parametrize("profile", ["Default", "Warn"])
def test_passing_mock_services_validate(profile):
    assert problems(mock(profile, "service_full"), "service.json") == []
    assert page_problems(mock(profile, "service_list"), "service_list.json") == []


def test_failing_mock_services_are_caught():
    full = problems(mock("Fail", "service_full"), "service.json")
    listed = page_problems(mock("Fail", "service_list"), "service_list.json")

    assert any("is not a 'email'" in p for p in full)
    assert any("is not a 'uri'" in p for p in full)
    assert any("'name' is a required property" in p for p in listed)


def test_the_default_mock_service_at_location_validates_against_its_own_schema():
    document = mock("Default", "service_at_location_full")
    assert problems(document, "service_at_location.json") == []
    listed = mock("Default", "service_at_location_list")
    assert page_problems(listed, "service_at_location_list.json") == []


def test_taxonomy_mocks_pass_by_default_and_warn_on_a_term_without_description():
    assert problems(mock("Default", "taxonomy"), "taxonomy.json") == []
    assert problems(mock("Default", "taxonomy_term"), "taxonomy_term.json") == []
    warned = problems(mock("Warn", "taxonomy_term"), "taxonomy_term.json")
    assert any("'description' is a required property" in p for p in warned)
    assert any("is not a 'uri'" in p for p in warned)
