"""The lexicon files: the checker names the file and key of each mistake; shipped files pass."""

from pathlib import Path

import pytest

from linkwell.directory.needs import lexicon
from linkwell.directory.vocabularies import NEED_CODES


def test_the_shipped_lexicon_files_pass_the_checker():
    assert lexicon.check() == []
    assert {"en", "ur", "pl", "pa"} <= set(lexicon.languages())


def test_every_need_code_has_strong_signals_in_english():
    english = lexicon.load(("en",))
    for code in NEED_CODES:
        strong = [p for p in english.phrases_for(code) if p.weight == lexicon.WEIGHTS["strong"]]
        assert len(strong) >= 20, code


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "xx.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[needs.lonelyness]\nstrong = ["lonely"]', "xx.toml: needs.lonelyness: unknown need code"),
        ('[needs.loneliness]\nstrong = [""]', "xx.toml: needs.loneliness.strong[0]: empty"),
        ('[needs.loneliness]\nstrong = ["  "]', "xx.toml: needs.loneliness.strong[0]: empty"),
        ('[needs.loneliness]\nmedium = ["lonely"]', "xx.toml: needs.loneliness.medium: bad weight"),
        ('[needs.loneliness]\nstrong = "lonely"', "needs.loneliness.strong: expected a list"),
        ('[needs.loneliness]\nstrong = ["* alone"]', "cannot start or end with *"),
        ('[needs.loneliness]\nstrong = ["sa*"]', "a prefix (word*) needs at least 3 letters"),
        ('[needs.loneliness]\nweak = ["", "ok", "lo*"]', "needs.loneliness.weak[2]: a prefix"),
        ("[needs.loneliness]\nweak = [{a = 1}, 2]", "needs.loneliness.weak[0]: empty or not text"),
        ('[cues]\nnegation = ["no"]', "xx.toml: cues.negation: unknown cue kind"),
        ('stemmer = "klingon"\n', "xx.toml: stemmer: 'klingon' is not one of"),
        ("[needs.loneliness\n", "xx.toml: cannot be read"),
    ],
)
def test_the_checker_names_the_file_and_key_of_each_mistake(tmp_path, body, message):
    if not body.startswith(("language", "stemmer", "[needs.loneliness\n")):
        body = 'language = "xx"\n' + body
    errors = lexicon.check([write(tmp_path, body)])
    assert any(message in e for e in errors), errors


def test_a_file_without_a_language_is_refused(tmp_path):
    errors = lexicon.check([write(tmp_path, '[needs.loneliness]\nstrong = ["lonely"]\n')])
    assert errors == ["xx.toml: language: missing (a language code such as 'en')"]


def test_declined_phrases_are_a_kind_the_checker_accepts_and_not_signals(tmp_path):
    body = 'language = "xx"\n[needs.smoking]\nstrong = ["smokes"]\ndeclined = ["declines help"]\n'
    assert lexicon.check([write(tmp_path, body)]) == []
    assert all(not p.declined for p in lexicon.load().phrases_for("smoking"))


def test_a_good_file_has_no_mistakes(tmp_path):
    body = 'language = "xx"\n[needs.loneliness]\nstrong = ["lonely"]\nweak = ["alone"]\n'
    assert lexicon.check([write(tmp_path, body)]) == []
