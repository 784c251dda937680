"""Folding, stemming and tokens: the helpers search shares with need inference."""

from hypothesis import given, settings
from hypothesis import strategies as st

from linkwell.directory.needs import correct_typo, infer_needs, normalise, stems
from linkwell.directory.needs.text import tokenize


def test_normalise_casefolds_and_strips_latin_accents():
    assert normalise("Samotność, ŁÓDŹ and Café") == ["samotnosc", "lodz", "and", "cafe"]


def test_normalise_folds_arabic_script_variants_and_keeps_urdu_letters():
    # Arabic yeh and heh, as typed on an Arabic keyboard, become the Urdu letters.
    assert normalise("تنهائي") == normalise("تنہائی")
    assert normalise("كمزوری") == normalise("کمزوری")
    # Tatweel and vowel marks go; the letters stay Urdu.
    assert normalise("تنہـــائی") == normalise("تنہائی")
    assert normalise("تَنہائی") == normalise("تنہائی")
    assert normalise("تنہائی")[0].startswith("تنہا")


def test_gurmukhi_words_are_not_split_at_their_vowel_signs():
    assert normalise("ਮੈਂ ਇਕੱਲਾ ਹਾਂ") == ["ਮੈੰ", "ਇਕੱਲਾ", "ਹਾੰ"]


def test_apostrophes_join_and_hyphens_split():
    assert normalise("can't ex-smoker") == ["cant", "ex", "smoker"]


def test_stems_conflate_english_word_forms():
    assert stems("falls falling fall") == ["fall", "fall", "fall"]
    assert stems("Depressed depression") == ["depress", "depress"]


def test_tokens_know_where_they_stand_in_the_text():
    text = "Lonely, since"
    first, second = tokenize(text)
    assert text[first.start : first.end] == "Lonely"
    assert second.breaks_before


def test_a_5000_character_note_is_read_to_its_end():
    # Latency is measured by the benchmarks (no timed assertions here); resolving overlaps and
    # negations is by position, so a long note costs in proportion to its length.
    note = ("Lives alone, since wife died, x2 falls, no smoke alarm. " * 100)[:4950]
    note += " and skint"
    assert len(note) <= 5000
    needs = {n.code: n for n in infer_needs(note)}
    assert {"loneliness", "bereavement", "falls_frailty", "fire_safety"} <= set(needs)
    assert needs["money_debt"].evidence == ("skint",)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_no_text_whatever_raises(text):
    for need in infer_needs(text):
        assert 0 < need.confidence <= 1
        assert all(word and word in text for word in need.evidence)
    normalise(text)
    stems(text)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from([None, "ur", "pl", "pa_Arab", "en-GB", "", "zz"]),
)
def test_no_language_whatever_raises(text, language):
    infer_needs(text, language=language)


def test_a_misspelt_need_word_is_corrected_for_did_you_mean():
    assert correct_typo("lonley") == "lonely"
    assert correct_typo("Dementa") == "dementia"
    assert correct_typo("lonely") is None  # known
    assert correct_typo("hall") is None  # a real word
    assert correct_typo("two words") is None
