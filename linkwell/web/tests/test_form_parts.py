"""The building blocks of the pages' forms: the GOV.UK date input, languages by name, GP
practices by name or postcode, the error summary, and the fonts and small-screen styles."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

import linkwell
from linkwell.core.languages import (
    LOCAL_LANGUAGES,
    language_choices,
    language_code,
    language_label,
    language_name,
)
from linkwell.places.queries import find_gp_practices, gp_practice_choices
from linkwell.places.tests.helpers import csv_rows
from linkwell.web.forms import (
    DateInputField,
    DateOfBirthField,
    GPPracticeField,
    LanguageField,
    LinkwellFormMixin,
    errors_in_order,
)

WEB = Path(linkwell.__file__).parent / "web"
STATIC = WEB / "static"


@pytest.fixture
def web_templates(settings):
    """The pages' app, so its templates (and the widgets' own) are found."""
    if "linkwell.web" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "linkwell.web"]


class BirthForm(LinkwellFormMixin, forms.Form):
    date_of_birth = DateOfBirthField()


def _birth(day="", month="", year="") -> BirthForm:
    return BirthForm(
        {"date_of_birth-day": day, "date_of_birth-month": month, "date_of_birth-year": year}
    )


def _only_error(form) -> tuple[str, str]:
    assert not form.is_valid()
    (error,) = errors_in_order(form)
    return error


# --- Date input --------------------------------------------------------------------------


def test_a_whole_date_cleans_to_a_date():
    form = _birth(" 27 ", "3", "2007")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2007, 3, 27)


def test_a_month_may_be_typed_as_a_word():
    form = _birth("5", "Mar", "1980")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(1980, 3, 5)


def test_nothing_typed_asks_for_the_date_and_points_at_the_day():
    assert _only_error(_birth()) == ("id_date_of_birth-day", "Enter date of birth")


def test_an_optional_date_left_empty_is_none():
    class Optional(forms.Form):
        seen_on = DateInputField(required=False, label="Date seen")

    form = Optional({"seen_on-day": "", "seen_on-month": "", "seen_on-year": ""})
    assert form.is_valid()
    assert form.cleaned_data["seen_on"] is None


@pytest.mark.parametrize(
    ("typed", "message", "target"),
    [
        (("27", "", "2007"), "Date of birth must include a month", "month"),
        (("", "3", "2007"), "Date of birth must include a day", "day"),
        (("27", "3", ""), "Date of birth must include a year", "year"),
        (("", "", "2007"), "Date of birth must include a day and month", "day"),
        (("", "3", ""), "Date of birth must include a day and year", "day"),
        (("27", "", ""), "Date of birth must include a month and year", "month"),
    ],
)
def test_a_missing_part_is_named_and_linked(typed, message, target):
    assert _only_error(_birth(*typed)) == (f"id_date_of_birth-{target}", message)


@pytest.mark.parametrize(
    ("typed", "message", "target"),
    [
        (("31", "2", "2001"), "Date of birth must be a real date", "day"),
        (("29", "2", "2001"), "Date of birth must be a real date", "day"),
        (("32", "1", "2001"), "Date of birth must be a real date", "day"),
        (("1", "13", "2001"), "Date of birth must be a real date", "month"),
        (("1", "Smarch", "2001"), "Date of birth must be a real date", "month"),
        (("x", "1", "2001"), "Date of birth must be a real date", "day"),
        (("1", "1", "20o1"), "Date of birth must be a real date", "year"),
        (("1", "1", "01"), "Year must include 4 numbers", "year"),
        (("1", "1", "1900"), "Date of birth must be after 1900", "year"),
        (("1", "1", "1066"), "Date of birth must be after 1900", "year"),
    ],
)
def test_a_wrong_date_says_what_to_fix_and_points_at_the_wrong_part(typed, message, target):
    assert _only_error(_birth(*typed)) == (f"id_date_of_birth-{target}", message)


def test_29_february_of_a_leap_year_is_a_real_date():
    assert _birth("29", "2", "2000").is_valid()


def test_a_date_of_birth_must_be_in_the_past():
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    for day in (today, tomorrow):
        form = _birth(str(day.day), str(day.month), str(day.year))
        assert _only_error(form) == ("id_date_of_birth-day", "Date of birth must be in the past")
    yesterday = today - datetime.timedelta(days=1)
    assert _birth(str(yesterday.day), str(yesterday.month), str(yesterday.year)).is_valid()


def test_other_dates_may_be_in_the_future_and_limits_can_be_changed():
    class Appointment(forms.Form):
        held_on = DateInputField(label="Appointment date", after_year=None)

    next_year = timezone.localdate().year + 1
    assert Appointment(
        {"held_on-day": "1", "held_on-month": "1", "held_on-year": str(next_year)}
    ).is_valid()
    assert Appointment(
        {"held_on-day": "1", "held_on-month": "1", "held_on-year": "1850"}
    ).is_valid()
    form = Appointment({"held_on-day": "", "held_on-month": "", "held_on-year": ""})
    assert _only_error(form) == ("id_held_on-day", "Enter appointment date")


def test_the_date_input_keeps_what_was_typed_and_marks_the_wrong_part(web_templates):
    form = _birth("31", "13", "2001")
    form.is_valid()
    html = render_to_string("web/forms/_date_input.html", {"field": form["date_of_birth"]})

    assert '<fieldset class="lw-date-fieldset" role="group"' in html
    assert "<legend>Date of birth</legend>" in html
    assert '<p class="hint" id="id_date_of_birth_helptext">For example, 27 3 2007</p>' in html
    assert 'aria-describedby="id_date_of_birth_helptext id_date_of_birth_error"' in html
    assert re.search(
        r'<p class="error-message" id="id_date_of_birth_error">'
        r'<span class="visually-hidden">Error:</span> Date of birth must be a real date</p>',
        html,
    )
    inputs = {
        name: tag
        for tag in re.findall(r"<input [^>]*>", html)
        for name in re.findall(r'name="([^"]+)"', tag)
    }
    assert set(inputs) == {"date_of_birth-day", "date_of_birth-month", "date_of_birth-year"}
    for part, value, width in (("day", "31", 2), ("month", "13", 2), ("year", "2001", 4)):
        tag = inputs[f"date_of_birth-{part}"]
        assert f'id="id_date_of_birth-{part}"' in tag
        assert f'value="{value}"' in tag
        assert 'inputmode="numeric"' in tag
        assert 'type="text"' in tag
        assert f"lw-input--width-{width}" in tag
        assert f'autocomplete="bday-{part}"' in tag
        assert ("aria-invalid" in tag) == (part == "month")
        assert f'<label class="lw-date-input__label" for="id_date_of_birth-{part}">' in html
    # The error message comes before the boxes.
    assert html.index("error-message") < html.index("<input")


def test_the_date_input_shows_a_date_already_held(web_templates):
    form = BirthForm(initial={"date_of_birth": datetime.date(1961, 7, 4)})
    html = render_to_string("web/forms/_date_input.html", {"field": form["date_of_birth"]})
    assert re.search(r'name="date_of_birth-day"[^>]*value="4"', html)
    assert re.search(r'name="date_of_birth-month"[^>]*value="7"', html)
    assert re.search(r'name="date_of_birth-year"[^>]*value="1961"', html)
    assert "error-message" not in html
    assert "aria-invalid" not in html


def test_the_date_question_can_be_the_page_heading(web_templates):
    html = render_to_string(
        "web/forms/_date_input.html",
        {"field": BirthForm()["date_of_birth"], "is_page_heading": True},
    )
    assert "<legend><h1>Date of birth</h1></legend>" in html


# --- Languages -----------------------------------------------------------------------------


def test_bradfords_languages_come_first_in_order_then_the_rest_by_english_name():
    choices = language_choices()
    codes = [code for code, _label in choices]
    assert codes[:12] == [
        "en", "ur", "pa", "pl", "bn", "sk", "ro", "ar", "ps", "ku", "cs", "gu",
    ]  # fmt: skip
    assert tuple(codes[:12]) == LOCAL_LANGUAGES
    rest = [language_name(code).casefold() for code in codes[12:]]
    assert rest == sorted(rest)
    assert len(codes) == len(set(codes))
    # Every ISO 639-1 language, withdrawn codes left out.
    assert len(codes) >= 180
    assert {"fr", "zu", "yo", "he", "id", "tl"} <= set(codes)
    assert not {"iw", "in", "ji", "sh", "mo"} & set(codes)


def test_each_language_shows_its_own_name_beside_the_english_one():
    labels = dict(language_choices())
    assert labels["ur"] == "Urdu (اردو)"
    assert labels["en"] == "English"
    assert labels["bn"] == "Bengali (বাংলা)"
    assert labels["pl"] == "Polish (polski)"
    assert labels["ar"] == "Arabic (العربية)"
    assert "پنجابی" in labels["pa"] and "ਪੰਜਾਬੀ" in labels["pa"]
    assert labels["pa"].startswith("Punjabi (")
    assert language_label("ps") == "Pashto (پښتو)"


def test_a_language_can_be_named_in_another_language():
    assert language_name("ur") == "Urdu"
    assert language_name("ur", in_language="ur") == "اردو"
    assert language_name("pl", in_language="pl") == "polski"
    assert language_name("de", in_language="fr") == "allemand"
    assert language_name("xx") == "xx"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ur", "ur"),
        ("UR", "ur"),
        ("urd", "ur"),
        ("ur-PK", "ur"),
        ("urdu", "ur"),
        (" URDU ", "ur"),
        ("Urdu (اردو)", "ur"),
        ("اردو", "ur"),
        ("Punjabi", "pa"),
        ("panjabi", "pa"),
        ("پنجابی", "pa"),
        ("Bengali", "bn"),
        ("Bangla", "bn"),
        ("polski", "pl"),
        ("Slovak", "sk"),
        ("Pashto", "ps"),
        ("Farsi", "fa"),
        ("Hebrew", "he"),
        ("iw", "he"),
        ("Klingon", None),
        ("xx", None),
        ("", None),
        ("   ", None),
    ],
)
def test_a_language_is_found_by_its_code_or_any_of_its_names(text, code):
    assert language_code(text) == code


class LanguageForm(LinkwellFormMixin, forms.Form):
    language = LanguageField()


@pytest.mark.parametrize("typed", ["ur", "Urdu", "اردو", "Urdu (اردو)"])
def test_the_language_field_stores_the_code_of_a_picked_or_typed_language(typed):
    form = LanguageForm({"language": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["language"] == "ur"


def test_the_language_field_refuses_what_is_not_a_language():
    assert _only_error(LanguageForm({"language": "Klingon"})) == (
        "id_language",
        "Select a language from the list, or enter its name",
    )
    assert _only_error(LanguageForm({"language": ""})) == ("id_language", "Select a language")


def test_the_language_select_offers_every_language_with_a_blank_first(web_templates):
    html = render_to_string("web/forms/_field.html", {"field": LanguageForm()["language"]})
    options = re.findall(r'<option value="([^"]*)"', html)
    assert options[0] == ""
    assert options[1:] == [code for code, _label in language_choices()]
    assert '<label for="id_language">Language</label>' in html


# --- GP practices ----------------------------------------------------------------------------


@pytest.fixture
def practices_csv() -> list[dict[str, str]]:
    return csv_rows("gp_practices_*.csv")


def test_gp_practice_choices_are_every_practice_labelled_and_sorted_by_name(
    db, place_data, practices_csv
):
    choices = gp_practice_choices()
    assert {code for code, _label in choices} == {row["practice_code"] for row in practices_csv}
    labels = [label for _code, label in choices]
    assert labels == sorted(labels, key=str.casefold)
    by_code = dict(choices)
    assert by_code["B83005"] == "Thornbury Medical Practice, Bradford BD3 7HZ"
    assert by_code["B82007"] == "Townhead Surgery, Settle BD24 9JA"
    assert by_code["B83002"] == "Ilkley & Wharfedale Medical Practice, Ilkley LS29 8TQ"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("B83005", "B83005"),
        ("b83005", "B83005"),
        (" b83 005 ", "B83005"),
        ("BD3 7HZ", "B83005"),
        ("bd37hz", "B83005"),
        ("  bd3  7hz ", "B83005"),
        ("thornbury", "B83005"),
        ("Thornbury Medical", "B83005"),
        ("thorn", "B83005"),
        ("townhead", "B82007"),
    ],
)
def test_a_gp_practice_is_found_by_its_code_postcode_or_name(db, place_data, text, code):
    found = find_gp_practices(text)
    assert found and found[0].code == code


def test_an_outward_code_finds_every_practice_in_that_district_and_no_other(
    db, place_data, practices_csv
):
    for outward in ("BD3", "BD1", "LS29"):
        expected = {
            row["practice_code"]
            for row in practices_csv
            if row["postcode"].split(" ")[0] == outward
        }
        assert expected
        assert {practice.code for practice in find_gp_practices(outward.lower())} == expected


def test_every_word_typed_must_match_and_the_list_is_limited(db, place_data):
    assert [p.code for p in find_gp_practices("lister surgery")] == ["B83604"]
    assert [p.code for p in find_gp_practices("THE LISTER")] == ["B83604"]
    assert find_gp_practices("lister zebra") == []
    assert [p.code for p in find_gp_practices("thornbury bd3")] == ["B83005"]
    assert find_gp_practices("thornbury bd1") == []
    assert find_gp_practices("") == []
    assert find_gp_practices("!!!") == []
    assert len(find_gp_practices("medical", limit=3)) == 3
    keighley = find_gp_practices("keighley")
    assert keighley and all(p.postcode.startswith(("BD20", "BD21", "BD22")) for p in keighley)


class PracticeForm(LinkwellFormMixin, forms.Form):
    gp_practice = GPPracticeField()


@pytest.mark.parametrize("typed", ["B83005", "b83005", "BD3 7HZ", "Thornbury Medical Practice"])
def test_the_gp_practice_field_stores_the_ods_code(db, place_data, typed):
    form = PracticeForm({"gp_practice": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["gp_practice"] == "B83005"


def test_a_name_that_is_also_the_start_of_another_practices_name_picks_that_practice(
    db, place_data
):
    form = PracticeForm({"gp_practice": "Dr Gilkar"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["gp_practice"] == "B83653"


@pytest.mark.parametrize("typed", ["Z99999", "nowhere surgery", "ZZ1 1ZZ"])
def test_an_unknown_gp_practice_is_refused(db, place_data, typed):
    assert _only_error(PracticeForm({"gp_practice": typed})) == (
        "id_gp_practice",
        "Select a GP practice from the list, or search by its name or postcode",
    )


def test_a_search_matching_several_practices_asks_to_pick_one(db, place_data):
    field_id, message = _only_error(PracticeForm({"gp_practice": "bd3"}))
    assert field_id == "id_gp_practice"
    assert (
        message == "More than one GP practice matches ‘bd3’: select yours from the list"  # noqa: RUF001
    )


def test_no_gp_practice_given_asks_for_one(db, place_data):
    assert _only_error(PracticeForm({"gp_practice": ""})) == (
        "id_gp_practice",
        "Select a GP practice",
    )


# --- Errors in order, the summary and each field ---------------------------------------------


class ReferralForm(LinkwellFormMixin, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label="Full name", help_text="As on their GP record")
    contact = forms.ChoiceField(
        label="How to contact them",
        choices=[("phone", "Phone"), ("email", "Email")],
        widget=forms.RadioSelect,
    )
    date_of_birth = DateOfBirthField()

    def clean(self):
        raise forms.ValidationError("This referral was already sent")


REFERRAL_DATA = {
    "name": "",
    "contact": "",
    "date_of_birth-day": "3",
    "date_of_birth-month": "",
    "date_of_birth-year": "1970",
}


def test_errors_come_in_order_the_forms_own_first_each_linked_to_its_first_input():
    form = ReferralForm(REFERRAL_DATA)
    assert not form.is_valid()
    assert errors_in_order(form) == [
        ("", "This referral was already sent"),
        ("", "This field is required."),  # the hidden token: nothing to link to
        ("id_name", "This field is required."),
        ("id_contact_0", "This field is required."),
        ("id_date_of_birth-month", "Date of birth must include a month"),
    ]
    assert form.error_summary == errors_in_order(form)


def test_errors_in_order_works_for_any_form():
    class Plain(forms.Form):
        first = forms.CharField()
        second = forms.CharField()

    form = Plain({"first": "", "second": ""})
    assert [field_id for field_id, _message in errors_in_order(form)] == ["id_first", "id_second"]
    assert errors_in_order(Plain({"first": "a", "second": "b"})) == []


def test_the_error_summary_lists_every_error_as_a_link_in_order(web_templates):
    form = ReferralForm(REFERRAL_DATA)
    form.is_valid()
    html = render_to_string("web/forms/_error_summary.html", {"form": form})
    assert 'role="alert"' in html
    assert 'tabindex="-1"' in html
    assert "There is a problem" in html
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items == [
        "This referral was already sent",
        "This field is required.",
        '<a href="#id_name">This field is required.</a>',
        '<a href="#id_contact_0">This field is required.</a>',
        '<a href="#id_date_of_birth-month">Date of birth must include a month</a>',
    ]


def test_the_error_summary_takes_a_list_and_a_title_and_is_absent_without_errors(web_templates):
    html = render_to_string(
        "web/forms/_error_summary.html",
        {"errors": [("id_x", "Enter x")], "title": "Your request was not sent"},
    )
    assert "Your request was not sent" in html
    assert '<a href="#id_x">Enter x</a>' in html
    assert render_to_string("web/forms/_error_summary.html", {"form": BirthForm()}).strip() == ""


def test_the_error_summary_also_serves_a_form_without_the_mixin(web_templates):
    class Plain(forms.Form):
        date_of_birth = DateOfBirthField()
        name = forms.CharField()

    form = Plain({"date_of_birth-day": "1", "name": ""})
    form.is_valid()
    html = render_to_string("web/forms/_error_summary.html", {"form": form})
    assert '<a href="#id_date_of_birth-month">Date of birth must include a month and year</a>' in (
        html
    )
    assert '<a href="#id_name">This field is required.</a>' in html


def test_a_field_shows_its_label_hint_and_error_above_the_input_and_keeps_the_value(
    web_templates,
):
    form = ReferralForm({**REFERRAL_DATA, "name": "<b>Ann</b>"})
    form.add_error("name", "Enter their full name")
    html = render_to_string("web/forms/_field.html", {"field": form["name"]})
    assert '<div class="field field-error">' in html
    assert '<label for="id_name">Full name</label>' in html
    assert '<p class="hint" id="id_name_helptext">As on their GP record</p>' in html
    assert (
        '<p class="error-message" id="id_name_error"><span class="visually-hidden">Error:</span>'
        " Enter their full name</p>"
    ) in html
    (tag,) = re.findall(r"<input [^>]*>", html)
    assert 'value="&lt;b&gt;Ann&lt;/b&gt;"' in tag
    assert 'aria-describedby="id_name_helptext id_name_error"' in tag
    assert 'aria-invalid="true"' in tag
    assert html.index("error-message") < html.index("<input")


# --- Fonts and small screens -----------------------------------------------------------------


def test_the_arabic_script_fonts_are_served_from_our_own_files():
    css = (STATIC / "linkwell" / "fonts.css").read_text(encoding="utf-8")
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert len(urls) == 4
    for url in urls:
        assert not re.match(r"^[a-z]+:|^//", url), url  # no other host
        font = (STATIC / "linkwell" / url).resolve()
        assert font.is_file(), url
        assert font.read_bytes()[:4] == b"wOF2"
    assert css.count("font-display: swap;") == 4
    assert css.count("unicode-range: U+0600-06FF") == 4
    assert ":lang(ur)" in css and ":lang(pa-Arab)" in css and '[dir="rtl"]' in css
    assert "line-height: 2.2" in css


def test_each_font_has_its_licence_and_a_record_of_where_it_came_from():
    for name in ("noto-nastaliq-urdu", "noto-naskh-arabic"):
        folder = STATIC / "vendor" / name
        assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "OFL.txt").read_text()
        readme = (folder / "README.txt").read_text()
        assert f"@fontsource/{name} 5.3.0" in readme
        assert "SIL Open Font License 1.1" in readme
        assert {path.suffix for path in folder.iterdir()} == {".txt", ".woff2"}


def test_stacked_tables_and_long_words_fit_a_small_screen():
    css = (STATIC / "linkwell" / "responsive.css").read_text(encoding="utf-8")
    narrow = css[css.index("@media (max-width: 40em)") :]
    assert ".lw-table--stack td[data-label]::before" in narrow
    assert "content: attr(data-label)" in narrow
    assert "display: block" in narrow
    wrap = css[css.index(".lw-wrap") :]
    assert "overflow-wrap: anywhere" in wrap
    assert "max-width: 100%" in wrap


def test_the_static_files_are_where_the_pages_app_serves_them():
    assert (STATIC / "linkwell" / "fonts.css").is_file()
    assert str(STATIC).startswith(str(Path(settings.BASE_DIR)))
