"""Input of the public pages, checked before anything is looked up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from linkwell.directory import vocabularies as vocab
from linkwell.places.queries import PlaceNotUnderstood, find_place

DISTANCE_CHOICES = [
    ("1", _("1 km")),
    ("2", _("2 km")),
    ("5", _("5 km")),
    ("10", _("10 km")),
]
DEFAULT_DISTANCE_KM = 5
DAY_CHOICES = [
    ("", _("Any day")),
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
MODE_CHOICES = [
    ("", _("In person or online")),
    ("in_person", _("In person")),
    ("online", _("Online")),
]
# Languages most spoken in the district after English (Census 2021), by ISO 639 code; each
# is named in English and in itself so a speaker finds their own.
LANGUAGE_CHOICES = [
    ("", _("Any language")),
    ("ur", _("Urdu (اردو)")),
    ("pa", _("Punjabi (ਪੰਜਾਬੀ / پنجابی)")),
    ("pl", _("Polish (polski)")),
    ("bn", _("Bengali (বাংলা)")),
    ("ar", _("Arabic (العربية)")),
    ("ro", _("Romanian (română)")),
    ("sk", _("Slovak (slovenčina)")),
    ("cs", _("Czech (čeština)")),
    ("ps", _("Pashto (پښتو)")),
    ("ku", _("Kurdish (Kurdî)")),
]

# The filters under "More filters" (shown open when one is in use).
FILTER_FIELDS = (
    "need",
    "life_stage",
    "age",
    "day",
    "start_time",
    "end_time",
    "free",
    "language",
    "accessible",
    "mode",
    "include_stale",
)


def _choices(vocabulary: vocab.Vocabulary, blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(t.code, _(t.name)) for t in vocabulary.terms]


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        help_text=_("For example: lunch club, debt advice, carers."),
        error_messages={"max_length": _("Use 200 characters or fewer (you used %(show_value)d).")},
    )
    postcode = forms.CharField(
        label=_("Postcode or place"),
        required=False,
        max_length=100,
        help_text=_(
            "Optional. Shows services near you first, then those covering your area, for "
            "example BD1 1AA, BD1 or Keighley."
        ),
        error_messages={"max_length": _("Use 100 characters or fewer (you used %(show_value)d).")},
    )
    distance = forms.TypedChoiceField(
        label=_("Distance"),
        required=False,
        choices=DISTANCE_CHOICES,
        coerce=int,
        empty_value=DEFAULT_DISTANCE_KM,
        initial=str(DEFAULT_DISTANCE_KM),
        help_text=_("How far from the postcode or place."),
    )
    need = forms.ChoiceField(
        label=_("Help with"), required=False, choices=_choices(vocab.NEEDS, _("Any need"))
    )
    life_stage = forms.ChoiceField(
        label=_("Life stage"),
        required=False,
        choices=_choices(vocab.LIFE_STAGES, _("Any life stage")),
    )
    age = forms.IntegerField(
        label=_("Age of the person"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("In years. Shows services open to someone of this age."),
        error_messages={
            "invalid": _("Enter an age in whole years, like 67."),
            "min_value": _("Age must be 0 or more."),
            "max_value": _("Age must be 120 or less."),
        },
    )
    day = forms.ChoiceField(label=_("Day"), required=False, choices=DAY_CHOICES)
    start_time = forms.TimeField(
        label=_("Starting from"),
        required=False,
        help_text=_("Sessions that start at or after this time, like 09:30."),
        error_messages={"invalid": _("Enter a time like 09:30 or 14:00.")},
    )
    end_time = forms.TimeField(
        label=_("Finishing by"),
        required=False,
        help_text=_("Sessions that end at or before this time, like 17:00."),
        error_messages={"invalid": _("Enter a time like 09:30 or 14:00.")},
    )
    free = forms.BooleanField(label=_("Free services only"), required=False)
    language = forms.ChoiceField(
        label=_("Language spoken"), required=False, choices=LANGUAGE_CHOICES
    )
    accessible = forms.BooleanField(label=_("Step-free or wheelchair access"), required=False)
    mode = forms.ChoiceField(label=_("How it is offered"), required=False, choices=MODE_CHOICES)
    include_stale = forms.BooleanField(
        label=_("Include listings not checked recently"),
        required=False,
        help_text=_("Their details may be out of date."),
    )

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        if data is not None and not data.get("distance"):
            data = data.copy()  # the default distance shows as chosen
            data["distance"] = str(DEFAULT_DISTANCE_KM)
        super().__init__(data, **kwargs)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_postcode(self) -> str:
        """The place as typed; the place it names is kept as `cleaned_data["place"]`."""
        text = " ".join(self.cleaned_data["postcode"].split())
        if not text:
            return ""
        try:
            self.cleaned_data["place"] = find_place(text)
        except PlaceNotUnderstood as exc:
            raise forms.ValidationError(str(exc), code="place_not_understood") from exc
        return text

    def clean(self) -> dict:
        data = super().clean()
        start: dt.time | None = data.get("start_time")
        end: dt.time | None = data.get("end_time")
        if start and end and end <= start:
            self.add_error(
                "end_time",
                forms.ValidationError(
                    _("The finishing time must be later than the starting time (%(start)s)."),
                    code="end_before_start",
                    params={"start": start.strftime("%H:%M")},
                ),
            )
        return data

    def filters_in_use(self) -> bool:
        """Whether any of the "More filters" was given (so they are shown open)."""
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in FILTER_FIELDS)
