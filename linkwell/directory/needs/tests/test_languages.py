"""Urdu, Polish and Punjabi words, and the site's own translated need labels, find the needs."""

from pathlib import Path

import polib
import pytest

from linkwell.directory.needs import SHOWN_FROM, infer_needs
from linkwell.directory.vocabularies import NEEDS

LOCALE = Path(__file__).resolve().parents[3] / "locale"


def shown(text: str, **kwargs) -> set[str]:
    return {n.code for n in infer_needs(text, **kwargs) if n.confidence >= SHOWN_FROM}


def translated_labels():
    for po_file in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        language = po_file.parts[-3]
        translations = {e.msgid: e.msgstr for e in polib.pofile(str(po_file)) if e.msgstr}
        for term in NEEDS.terms:
            if term.name in translations:
                label = translations[term.name]
                yield pytest.param(language, label, term.code, id=f"{language}-{term.code}")


@pytest.mark.parametrize(("language", "label", "code"), list(translated_labels()))
def test_the_sites_translated_need_label_finds_its_need(language, label, code):
    assert code in shown(label), label
    assert code in shown(label, language=language), label


@pytest.mark.parametrize("term", NEEDS.terms, ids=lambda t: t.code)
def test_the_english_need_label_finds_its_need(term):
    assert term.code in shown(term.name)


def test_the_first_word_of_the_urdu_loneliness_label_alone_finds_loneliness():
    assert shown("تنہائی") == {"loneliness"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Urdu: Arabic-script variants (Arabic yeh and heh) typed on other keyboards.
        ("تنهائي", "loneliness"),
        ("میں بہت اکیلی ہوں", "loneliness"),
        ("ابو سیڑھیوں سے گر گئے", "falls_frailty"),
        ("مجھ پر بہت قرض ہے", "money_debt"),
        ("بہت پریشان اور اداس رہتی ہوں", "mental_wellbeing"),
        ("شوہر کا انتقال ہو گیا", "bereavement"),
        ("akeli rehti hoon, bohat pareshan", "loneliness"),
        # Polish, with and without its letters.
        ("Jestem bardzo samotna", "loneliness"),
        ("jestem bardzo samotna", "loneliness"),
        ("samotnosc", "loneliness"),
        ("Mama upadła dwa razy", "falls_frailty"),
        ("mam długi i komornika", "money_debt"),
        ("nie stać mnie na ogrzewanie", "fuel_poverty"),
        ("depresja i lęk", "mental_wellbeing"),
        ("nie mówię po angielsku", "english_language"),
        # Punjabi: Shahmukhi, Gurmukhi and Roman.
        ("میں بہت اکلا ہاں", "loneliness"),
        ("ابا جی ڈگ پئے", "falls_frailty"),
        ("ਮੈਂ ਬਹੁਤ ਇਕੱਲਾ ਹਾਂ", "loneliness"),
        ("ਬਹੁਤ ਕਰਜ਼ਾ ਹੈ", "money_debt"),
        ("ਉਹ ਸ਼ਰਾਬ ਪੀਂਦਾ ਹੈ", "alcohol_drugs"),
    ],
)
def test_phrases_in_the_districts_languages_find_their_need(text, code):
    assert code in shown(text)


def test_urdu_negation_comes_after_the_word():
    assert "loneliness" not in shown("میں اکیلا نہیں ہوں")


def test_polish_negation_comes_before_the_word():
    assert "loneliness" not in shown("nie jestem samotna")


def test_a_polish_word_is_not_read_as_an_english_abbreviation():
    # "dla" is Polish for "for", not Disability Living Allowance.
    assert "money_debt" not in shown("zajęcia dla syna", language="pl")


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("میں benefits کے forms نہیں بھر سکتی", "ur", "money_debt"),  # cannot fill in the forms
        ("روٹی وی نئیں پکا سکدا", "pa", "food"),  # cannot even cook a meal
    ],
)
def test_cannot_after_the_negation_says_a_lack_in_urdu_and_punjabi(text, language, code):
    assert code in shown(text, language=language)


def test_a_plain_denial_in_urdu_still_denies():
    assert "alcohol_drugs" not in shown("میں شراب نہیں پیتا", language="ur")


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("ابا جی مسجد جانا چھوڑ گئے ہیں، گھر میں چپ چاپ بیٹھے رہتے ہیں", "ur", "loneliness"),
        ("روٹی پکاندے ہوئے دادی دا دوپٹہ جل گیا", "pa", "fire_safety"),
        ("مہینے کے آخر میں گھر میں کچھ نہیں بچتا", "ur", "money_debt"),
        ("نانی نوں کناں توں کجھ نئیں سندا", "pa", "equipment_adaptations"),
        ("میں سولاں سال دا آں تے سکول نئیں جاندا", "pa", "youth"),
        ("میری بھین نوں بال ہویا اے", "pa", "parenting_early_years"),
        ("اوہدا گھر والا اوہنوں ساڈے کول نئیں آن دیندا", "pa", "domestic_abuse"),
        ("Mieszka sama i z nikim nie rozmawia całymi dniami", "pl", "loneliness"),
        ("Ktoś zadzwonił, że jest jej wnuczkiem i chce pieniędzy", "pl", "home_security_scams"),
        ("Znalazłam ją na podłodze w kuchni", "pl", "falls_frailty"),
        ("Muszę go myć i ubierać, sama mam 75 lat", "pl", "carers"),
        ("Syn znowu bierze, boję się", "pl", "alcohol_drugs"),
    ],
)
def test_a_fifth_writers_phrasing_in_the_districts_languages(text, language, code):
    assert code in shown(text, language=language)


def test_polish_years_are_not_a_toddlers_age():
    # "82 lata" is 82 years; one letter from "latka" (a small child's years), not a typo of it.
    assert "parenting_early_years" not in shown("Tata ma 82 lata", language="pl")


def test_children_gone_to_london_are_not_a_bereavement_in_punjabi():
    # "چلے گئے" (gone) is how people say someone died, but not when they went somewhere.
    assert "bereavement" not in shown("بچے London چلے گئے نیں", language="pa")


def test_a_polish_son_at_the_computer_is_not_a_digital_need():
    assert "digital_inclusion" not in shown("Syn siedzi przy komputerze do nocy", language="pl")
