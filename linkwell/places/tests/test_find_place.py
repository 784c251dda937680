"""Places as people say them: a postcode, its first half, or a town, village or ward name."""

import pytest

from linkwell.places.gazetteer import edit_distance, name_key, towns_in_ward_name
from linkwell.places.models import Postcode, Ward
from linkwell.places.queries import PlaceNotUnderstood, find_place

pytestmark = pytest.mark.django_db


def _ward_names(match) -> set[str]:
    return set(Ward.objects.filter(pk__in=match.ward_ids).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("typed", "postcode", "ward"),
    [
        ("BD23 1UD", "BD23 1UD", "Mid Craven"),
        ("bd24 9ja", "BD24 9JA", "Settle & Penyghent"),
        ("bd11aa", "BD1 1AA", "City"),
    ],
)
def test_a_full_postcode_is_its_centroid_and_ward(place_data, typed, postcode, ward):
    match = find_place(typed)
    row = Postcode.objects.get(postcode=postcode)
    assert (match.kind, match.label, match.postcode, match.text) == (
        "postcode",
        postcode,
        postcode,
        typed,
    )
    assert (match.latitude, match.longitude) == (row.latitude, row.longitude)
    assert _ward_names(match) == {ward}
    assert match.constituency_ids == (row.ward.constituency_id,)
    assert match.place_id == place_data.pk


def test_an_outward_code_is_the_centroid_of_its_postcodes_in_the_wards_they_lie_in(place_data):
    postcodes = Postcode.objects.filter(postcode__startswith="BD1 ")
    match = find_place("bd1")

    assert (match.kind, match.label) == ("outward_code", "BD1 (Bradford)")
    assert match.latitude == pytest.approx(
        sum(p.latitude for p in postcodes) / len(postcodes), abs=1e-5
    )
    assert match.longitude == pytest.approx(
        sum(p.longitude for p in postcodes) / len(postcodes), abs=1e-5
    )
    assert set(match.ward_ids) == {p.ward_id for p in postcodes if p.ward_id}
    assert match.postcode == ""


@pytest.mark.parametrize(
    ("typed", "label"),
    [("BD23", "BD23 (Skipton)"), ("bd24", "BD24 (Settle)"), ("LA2", "LA2 (Lancaster)")],
)
def test_craven_outward_codes_are_labelled_with_their_post_town(place_data, typed, label):
    match = find_place(typed)
    assert (match.kind, match.label) == ("outward_code", label)
    assert Ward.objects.filter(pk__in=match.ward_ids, local_authority_name="Bradford").count() == 0


@pytest.mark.parametrize(
    ("typed", "label", "wards"),
    [
        (
            "Skipton",
            "Skipton",
            {
                "Skipton East & South",
                "Skipton North & Embsay-with-Eastby",
                "Skipton West & West Craven",
            },
        ),
        ("keighley", "Keighley", {"Keighley Central", "Keighley East", "Keighley West"}),
        ("cross hills", "Cross Hills", {"Glusburn, Cross Hills & Sutton-in-Craven"}),
        ("Cross Hills", "Cross Hills", {"Glusburn, Cross Hills & Sutton-in-Craven"}),
        ("CROSSHILLS", "Cross Hills", {"Glusburn, Cross Hills & Sutton-in-Craven"}),
        ("Settle", "Settle", {"Settle & Penyghent"}),
        ("Bentham", "Bentham", {"Bentham & Ingleton"}),
        ("sutton in craven", "Sutton-in-Craven", {"Glusburn, Cross Hills & Sutton-in-Craven"}),
        ("Embsay", "Embsay", {"Skipton North & Embsay-with-Eastby"}),
    ],
)
def test_a_town_named_in_ward_names_spans_those_wards(place_data, typed, label, wards):
    match = find_place(typed)
    assert (match.kind, match.label) == ("town", label)
    assert _ward_names(match) == wards
    postcodes = Postcode.objects.filter(ward_id__in=match.ward_ids)
    assert match.latitude == pytest.approx(
        sum(p.latitude for p in postcodes) / len(postcodes), abs=1e-5
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Ilkley",
        "shipley",
        "Bingley",
        "Bentham and Ingleton",
        "Glusburn, Cross Hills and Sutton in Craven",
    ],
)
def test_a_ward_name_is_that_ward(place_data, typed):
    match = find_place(typed)
    assert match.kind == "ward"
    (ward,) = Ward.objects.filter(pk__in=match.ward_ids)
    assert name_key(ward.name) == name_key(typed)
    assert match.constituency_ids == (ward.constituency_id,)


def test_bradford_is_its_post_town_across_its_postcode_districts(place_data):
    match = find_place("Bradford")
    assert (match.kind, match.label) == ("town", "Bradford")
    assert {"City", "Manningham", "Little Horton"} <= _ward_names(match)
    assert 53.7 < match.latitude < 53.9 and -1.9 < match.longitude < -1.6


def test_a_town_from_the_venues_addresses_is_where_its_venues_are(place_data):
    match = find_place("Menston")
    assert (match.kind, match.label) == ("town", "Menston")
    assert _ward_names(match) == {"Wharfedale"}
    assert match.latitude == pytest.approx(53.89, abs=0.02)


def test_the_craven_ward_in_bradford_is_not_the_craven_district(place_data):
    assert _ward_names(find_place("Craven")) == {"Craven"}
    assert find_place("Craven").kind == "ward"
    district = find_place("Craven district")
    assert district.kind == "locality"
    assert "Craven" not in _ward_names(district)
    assert "Settle & Penyghent" in _ward_names(district)


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Skiptn", "Skipton"),
        ("Kieghley", "Keighley"),
        ("bradfrod", "Bradford"),
        ("Setle", "Settle"),
        ("Skipton, North Yorkshire", "Skipton"),
    ],
)
def test_small_typos_still_find_the_place(place_data, typed, label):
    assert find_place(typed).label == label


def test_a_name_gives_the_same_answer_every_time(place_data):
    answers = {find_place("Wharfedale") for _ in range(3)}
    assert len(answers) == 1


@pytest.mark.parametrize(
    ("typed", "named"),
    [("Atlantis", "“Atlantis”"), ("LS1", "“LS1”"), ("LS1 4AP", "LS1 4AP"), ("Leeds", "“Leeds”")],
)
def test_text_naming_no_place_here_says_what_was_not_understood(place_data, typed, named):
    with pytest.raises(PlaceNotUnderstood) as caught:
        find_place(typed)
    message = str(caught.value)
    assert named in message
    assert "like BD5 0BQ" in message and "Skipton" in message


@pytest.mark.parametrize("typed", ["", "   ", "!!!"])
def test_no_place_at_all_asks_for_one(place_data, typed):
    with pytest.raises(PlaceNotUnderstood, match="postcode"):
        find_place(typed)


def test_a_reload_of_the_place_data_is_seen_by_the_names(place_data, tmp_path):
    from linkwell.places.actions import load_place
    from linkwell.places.tests.helpers import copy_place, rewrite_csv

    bradford, craven = copy_place(tmp_path)

    def drop_la2(fieldnames, rows):
        return fieldnames, [row for row in rows if not row["postcode"].startswith("LA2 ")]

    rewrite_csv(next(craven.glob("postcodes_*.csv")), drop_la2)
    assert find_place("LA2").label == "LA2 (Lancaster)"

    load_place([bradford, craven], slug=place_data.slug)

    with pytest.raises(PlaceNotUnderstood):
        find_place("LA2")


def test_ward_names_give_the_towns_they_are_named_after():
    assert towns_in_ward_name("Skipton North & Embsay-with-Eastby") == [
        "Skipton",
        "Embsay",
        "Eastby",
    ]
    assert towns_in_ward_name("Glusburn, Cross Hills & Sutton-in-Craven") == [
        "Glusburn",
        "Cross Hills",
        "Sutton-in-Craven",
    ]
    assert towns_in_ward_name("Keighley Central") == ["Keighley"]
    assert towns_in_ward_name("Skipton East & South") == ["Skipton"]
    assert towns_in_ward_name("Skipton West & West Craven") == ["Skipton", "West Craven"]
    assert towns_in_ward_name("Bolton and Undercliffe") == ["Bolton", "Undercliffe"]


def test_names_compare_without_case_accents_punctuation_or_and():
    assert name_key("Bentham & Ingleton") == name_key("bentham and ingleton")
    assert name_key("Sutton-in-Craven") == name_key("Sutton in Craven")
    assert name_key("St Luke\u2019s") == name_key("st lukes")
    assert name_key("Bradförd") == "bradford"


def test_a_swap_of_two_letters_is_one_typo():
    assert edit_distance("kieghley", "keighley", 2) == 1
    assert edit_distance("skiptn", "skipton", 1) == 1
    assert edit_distance("atlantis", "bentham", 2) == 3
