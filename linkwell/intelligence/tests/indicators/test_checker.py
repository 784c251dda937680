"""An indicator is defined in a file: a definition the hub could not work out or rate is
refused with the field to fix named, and every shipped definition passes."""

from __future__ import annotations

import copy

import pytest

from linkwell.intelligence.indicators.checker import check
from linkwell.intelligence.indicators.errors import IndicatorInvalid
from linkwell.intelligence.indicators.loader import FOLDER, load, read_dir

GOOD = {
    "key": "accepted",
    "name": "Referrals accepted",
    "definition": "Of the referrals answered, the share accepted.",
    "direction": "higher",
    "target": 80,
    "unit": "%",
    "scale": 100,
    "sql": "SELECT period, area, count(*) AS numerator, count(*) AS denominator "
    "FROM hub_referrals GROUP BY period, area",
    "thresholds": {"green": 80, "red": 65},
}


def changed(**fields):
    data = copy.deepcopy(GOOD)
    for name, value in fields.items():
        if value is None:
            data.pop(name)
        else:
            data[name] = value
    return data


def test_a_good_definition_becomes_an_indicator():
    indicator = check(GOOD, "accepted.toml")
    assert (indicator.key, indicator.green, indicator.red, indicator.scale) == (
        "accepted",
        80.0,
        65.0,
        100.0,
    )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (changed(name=None), "name", "is missing"),
        (changed(sql=None), "sql", "is missing"),
        (changed(thresholds=None), "thresholds", "is missing"),
        (changed(colour="red"), "colour", "is not a field here"),
        (changed(key="Accepted Share"), "key", "lower-case letters"),
        (changed(direction="up"), "direction", "write higher or lower"),
        (changed(target="80"), "target", "must be a number"),
        (changed(thresholds={"green": 80}), "thresholds.red", "is missing"),
        (changed(thresholds={"green": 80, "red": 90}), "thresholds.red", "at or below green"),
        (
            changed(direction="lower", thresholds={"green": 10, "red": 5}),
            "thresholds.red",
            "at or above green",
        ),
        (
            changed(thresholds={"green": 80, "red": 60, "amber": 70}),
            "thresholds.amber",
            "write green or red",
        ),
        (changed(sql="DELETE FROM hub_referrals"), "sql", "starting with SELECT"),
        (changed(sql=GOOD["sql"] + "; SELECT 1"), "sql", "take out the ;"),
        (
            changed(sql="SELECT period, area, given_name FROM app.referrals_person"),
            "sql",
            "reads the operational database",
        ),
        (changed(sql="SELECT period, area FROM somewhere"), "sql", "reads none of the hub's"),
        (changed(sql="SELECT 1 AS x FROM hub_referrals"), "sql", "must give a period column"),
        (changed(scale=0), "scale", "more than 0"),
        (changed(levels=["district"]), "levels", '"ward" and/or "place"'),
        (changed(counts_people="yes"), "counts_people", "true or false"),
    ],
)
def test_a_malformed_definition_is_refused_naming_the_field(data, field, words):
    with pytest.raises(IndicatorInvalid) as refused:
        check(data, "bad.toml")
    assert refused.value.field == field
    assert words in refused.value.message
    assert str(refused.value).startswith(f"bad.toml: {field}: ")


def test_two_files_with_one_key_are_refused(tmp_path):
    text = (FOLDER / "01_referrals_accepted.toml").read_text()
    (tmp_path / "a.toml").write_text(text)
    (tmp_path / "b.toml").write_text(text)
    with pytest.raises(IndicatorInvalid) as refused:
        read_dir(tmp_path)
    assert (refused.value.source, refused.value.field) == ("b.toml", "key")


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text('key = "x\n')
    with pytest.raises(IndicatorInvalid) as refused:
        read_dir(tmp_path)
    assert refused.value.field == "(file)"


def test_the_shipped_indicators_are_all_valid():
    assert list(load()) == [
        "referrals_accepted",
        "days_to_first_answer",
        "cases_with_both_scores",
        "wellbeing_change",
        "wards_with_falls_service",
        "services_in_tiers_1_2",
        "declined_per_1000",
    ]
