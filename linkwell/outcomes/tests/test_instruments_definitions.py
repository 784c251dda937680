"""Definitions as a partnership writes them: a file scores with no code change (reverse
items, subscales, bands), a folder named in the settings adds its instruments, and every
malformed definition is refused naming the field to fix."""

# ruff: noqa: E501 (the table of malformed definitions reads best one case a line)
from pathlib import Path

import pytest

from linkwell.outcomes import instruments
from linkwell.outcomes.instruments import InstrumentInvalid, score
from linkwell.outcomes.instruments.loader import read_dirs, read_file

MOOD = """\
key = "mood"
version = "1"
languages = ["en", "pl"]
source = "A test instrument"
licence = "None"
meaningful_change = 2

[wording]
pl = "unvalidated"

[name]
en = "Mood"
pl = "Nastrój"

[missing]
max_missing = 1
method = "prorate"

[[options]]
value = 0
label = { en = "Never", pl = "Nigdy" }

[[options]]
value = 1
label = { en = "Sometimes", pl = "Czasami" }

[[options]]
value = 2
label = { en = "Often", pl = "Często" }

[[items]]
id = "calm"
text = { en = "I felt calm", pl = "Czułem/czułam spokój" }

[[items]]
id = "tense"
text = { en = "I felt tense", pl = "Czułem/czułam napięcie" }
reverse = true

[[items]]
id = "cheerful"
text = { en = "I felt cheerful", pl = "Czułem/czułam radość" }

[[subscales]]
id = "ease"
name = { en = "Ease", pl = "Swoboda" }
items = ["calm", "tense"]
scoring = "mean"

[[bands]]
code = "low"
low = 0
high = 2
label = { en = "Low", pl = "Niski" }

[[bands]]
code = "high"
low = 3
high = 6
label = { en = "High", pl = "Wysoki" }
"""
TOP_BAND = '\n[[bands]]\ncode = "top"\nlow = 7\nhigh = 9\nlabel = { en = "Top", pl = "Góra" }\n'
CONVERSION = '\n[conversion]\n"0" = 0\n"1" = 1\n"2" = 2\n"3" = 3\n"4" = 4\n"5" = 5\n'


def write(folder: Path, text: str, name: str = "mood.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fresh_catalogue():
    instruments.catalogue.cache_clear()
    yield
    instruments.catalogue.cache_clear()


def test_a_reverse_scored_item_counts_the_other_way(tmp_path):
    mood = read_file(write(tmp_path, MOOD))
    calm_tense = score(mood, {"calm": 2, "tense": 0, "cheerful": 2})
    assert (calm_tense.total, calm_tense.band) == (6, "high")
    assert calm_tense.subscales["ease"].score == 2.0
    anxious = score(mood, {"calm": 0, "tense": 2, "cheerful": 0})
    assert (anxious.total, anxious.band, anxious.subscales["ease"].score) == (0, "low", 0.0)


def test_a_mean_subscale_with_an_item_left_out_is_the_mean_of_those_answered(tmp_path):
    mood = read_file(write(tmp_path, MOOD))
    scored = score(mood, {"calm": 1, "cheerful": 2})
    assert scored.subscales["ease"].score == 1.0
    assert (scored.total, scored.prorated) == (5, ("tense",))  # 3 over two items -> 4.5 -> 5


def test_a_folder_in_the_settings_adds_its_instruments(tmp_path, settings, fresh_catalogue):
    write(tmp_path, MOOD)
    settings.LINKWELL_INSTRUMENTS_DIRS = str(tmp_path)
    assert set(instruments.catalogue()) == {"ons4", "swemwbs", "ucla3", "mood"}
    assert instruments.get("mood").item("tense").reverse is True


def test_a_key_defined_twice_is_refused_in_the_second_file(tmp_path):
    write(tmp_path, MOOD, "a.toml")
    second = write(tmp_path, MOOD, "b.toml")
    with pytest.raises(InstrumentInvalid) as invalid:
        read_dirs([tmp_path])
    assert (invalid.value.source, invalid.value.field) == (str(second), "key")


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(InstrumentInvalid, match="does not exist"):
        read_dirs([tmp_path / "nowhere"])


MALFORMED = [
    # (what is wrong, text replaced, its replacement, the field named, words in the message)
    (
        "an unknown key",
        'licence = "None"',
        'licence = "None"\ncolour = "red"',
        "colour",
        "write one of",
    ),
    (
        "an unknown item key",
        'id = "calm"',
        'id = "calm"\ncolour = "red"',
        "items[0].colour",
        "not a field",
    ),
    ("no English name", 'en = "Mood"\n', "", "name.en", "write the English wording"),
    ("an item without English", '{ en = "I felt calm", pl', "{ pl", "items[0].text.en", "English"),
    ("a translation missing", ', pl = "Swoboda"', "", "subscales[0].name.pl", "pl wording"),
    (
        "a language not declared",
        'pl = "Nastrój"',
        'pl = "Nastrój"\nur = "موڈ"',
        "name.ur",
        "add it to languages",
    ),
    ("English not offered", 'languages = ["en", "pl"]', 'languages = ["pl"]', "languages", '"en"'),
    (
        "no wording status",
        '[wording]\npl = "unvalidated"',
        "[wording]",
        "wording.pl",
        "unvalidated",
    ),
    (
        "an unknown wording status",
        'pl = "unvalidated"',
        'pl = "ok"',
        "wording.pl",
        "published, licensed, unvalidated",
    ),
    ("a value not an integer", "value = 1\n", "value = 1.5\n", "options[1].value", "whole number"),
    ("a value in quotes", "value = 1\n", 'value = "1"\n', "options[1].value", "whole number"),
    ("a value duplicated", "value = 2\n", "value = 1\n", "options[2].value", "earlier option"),
    ("an item id duplicated", 'id = "cheerful"', 'id = "calm"', "items[2].id", "earlier item"),
    ("a bad item id", 'id = "cheerful"', 'id = "Cheerful!"', "items[2].id", "lower-case"),
    ("bands overlapping", "low = 3", "low = 2", "bands[1].low", "overlaps band 'low'"),
    ("bands leaving a gap", "high = 2\n", "high = 1\n", "bands", "score of 2 falls in no band"),
    ("a band upside down", "low = 3\nhigh = 6", "low = 6\nhigh = 3", "bands[1].high", "swap them"),
    (
        "a subscale naming an unknown item",
        '["calm", "tense"]',
        '["calm", "sad"]',
        "subscales[0].items[1]",
        "'sad' is not an item",
    ),
    (
        "reverse not true or false",
        "reverse = true",
        'reverse = "yes"',
        "items[1].reverse",
        "true or false",
    ),
    (
        "more missing allowed than items",
        "max_missing = 1",
        "max_missing = 3",
        "missing.max_missing",
        "write at most 2",
    ),
    (
        "missing allowed without a method",
        'method = "prorate"',
        'method = "none"',
        "missing.method",
        "prorate",
    ),
    (
        "an unknown scoring",
        'scoring = "mean"',
        'scoring = "median"',
        "subscales[0].scoring",
        "sum, mean",
    ),
    ("no source", 'source = "A test instrument"\n', "", "source", "is missing"),
    (
        "a meaningful change of 0",
        "meaningful_change = 2",
        "meaningful_change = 0",
        "meaningful_change",
        "more than 0",
    ),
    ("not TOML", 'key = "mood"', "key = mood", "(file)", "not valid TOML"),
]
MALFORMED += [
    ("a single option", MOOD.split("[[options]]\nvalue = 1")[0] + "[[items]]" + MOOD.split("[[items]]", 1)[1], None, "options", "at least 2"),
    ("a conversion not covering a total", MOOD + CONVERSION.replace('"5" = 5\n', ""), None, "conversion.5", "every raw total from 0 to 6"),
    ("a conversion of a total no answers give", MOOD + CONVERSION + '"6" = 6\n"7" = 7\n', None, "conversion.7", "no answers add up to 7"),
    ("a band past the range", MOOD + TOP_BAND, None, "bands[2]", "covers no score"),
    ("a conversion of a mean", MOOD.replace('version = "1"', 'version = "1"\ntotal = "mean"') + CONVERSION, None, "conversion", 'total = "sum"'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_a_malformed_definition_is_refused_naming_its_field(tmp_path, old, new, field, words):
    if new is None:  # the whole text is given
        text = old
    else:
        assert old in MOOD, old
        text = MOOD.replace(old, new, 1)
    path = write(tmp_path, text)
    with pytest.raises(InstrumentInvalid) as invalid:
        read_file(path)
    assert (invalid.value.source, invalid.value.field) == (str(path), field)
    assert words in invalid.value.message


def test_the_test_definition_itself_is_valid(tmp_path):
    assert read_file(write(tmp_path, MOOD + CONVERSION + '"6" = 6\n')).conversion[6] == 6


# The shipped definitions


def test_the_shipped_instruments_are_read(fresh_catalogue):
    assert set(instruments.catalogue()) == {"ons4", "swemwbs", "ucla3"}


@pytest.mark.parametrize("key", ["ons4", "swemwbs", "ucla3"])
def test_each_shipped_instrument_is_in_four_languages_only_english_as_published(key):
    instrument = instruments.get(key)
    assert instrument.languages == ("en", "pl", "ur", "pa")
    assert instrument.wording == {
        "en": "published",
        "pl": "unvalidated",
        "ur": "unvalidated",
        "pa": "unvalidated",
    }
    assert instrument.source and instrument.licence


def test_swemwbs_carries_its_copyright_line():
    assert instruments.get("swemwbs").copyright == (
        "Short Warwick-Edinburgh Mental Well-Being Scale (SWEMWBS) © NHS Health Scotland, "
        "University of Warwick and University of Edinburgh, 2008, all rights reserved."
    )


def test_ons4_is_open_government_licence():
    assert "Open Government Licence" in instruments.get("ons4").licence
