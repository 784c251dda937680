"""What a provider may change in a listing, checked field by field, and turned into a record.

Every message names the field's problem in words; markup is refused (plain text only), so
nothing typed as HTML is stored, and a refused form shows back everything that was entered.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from linkwell.directory import vocabularies as vocab
from linkwell.directory.listings.records import Listing
from linkwell.directory.records import (
    AddressRecord,
    ContactRecord,
    CostOptionRecord,
    LocationRecord,
    PhoneRecord,
    ScheduleRecord,
    TermRef,
)
from linkwell.places.queries import PostcodeError, lookup_postcode, normalise_postcode

DAYS = (
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
)
DAY_CODES = {code for code, _label in DAYS}

# Languages most asked for in the district, by ISO 639-1 code.
LANGUAGES = (
    ("en", _("English")),
    ("ur", _("Urdu")),
    ("pa", _("Punjabi")),
    ("pl", _("Polish")),
    ("bn", _("Bengali")),
    ("ar", _("Arabic")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("cs", _("Czech")),
    ("ku", _("Kurdish")),
    ("fa", _("Persian (Farsi)")),
    ("so", _("Somali")),
    ("gu", _("Gujarati")),
    ("hi", _("Hindi")),
    ("sgn", _("British Sign Language")),
)
LANGUAGE_NAMES = {
    "en": "English",
    "ur": "Urdu",
    "pa": "Punjabi",
    "pl": "Polish",
    "bn": "Bengali",
    "ar": "Arabic",
    "ro": "Romanian",
    "sk": "Slovak",
    "cs": "Czech",
    "ku": "Kurdish",
    "fa": "Persian",
    "so": "Somali",
    "gu": "Gujarati",
    "hi": "Hindi",
    "sgn": "British Sign Language",
}
NEED_TERM_IDS = {
    vocab.stable_id("term", vocab.NEEDS.key, t.code): t.code for t in vocab.NEEDS.terms
}
FREE = "free"
CHARGE = "charge"
IN_PERSON, ONLINE, BOTH = "in_person", "online", "both"
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,30}$")
MAX_LOCATIONS = 10
MAX_TIMES = 30


def _plain_text(value: str) -> str:
    """Trimmed text; markup is refused rather than silently changed."""
    value = (value or "").strip()
    if strip_tags(value) != value or re.search(r"<\s*/?\s*[a-zA-Z!]", value):
        raise forms.ValidationError(
            _("Remove the HTML or code (anything in < >): this field takes plain text only."),
            code="markup",
        )
    return value


class PlainTextForm(forms.Form):
    """Every text field refuses markup; whitespace is trimmed."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and isinstance(cleaned.get(name), str):
                try:
                    cleaned[name] = _plain_text(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class ListingForm(PlainTextForm):
    name = forms.CharField(label=_("Name of the service"), max_length=255)
    description = forms.CharField(
        label=_("What the service does"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain words: what happens, and what someone gets from it."),
    )
    eligibility_description = forms.CharField(
        label=_("Who it is for"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: carers of anyone living in Bradford District."),
    )
    minimum_age = forms.IntegerField(
        label=_("Youngest age"), min_value=0, max_value=120, required=False
    )
    maximum_age = forms.IntegerField(
        label=_("Oldest age"), min_value=0, max_value=120, required=False
    )
    email = forms.EmailField(label=_("Email address"), required=False, max_length=254)
    url = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The full address, starting https://"),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One number on each line, for example 01274 123456."),
    )
    cost = forms.ChoiceField(
        label=_("Does it cost anything?"),
        choices=((FREE, _("It is free")), (CHARGE, _("There is a charge"))),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it is free or there is a charge.")},
    )
    fees = forms.CharField(
        label=_("What it costs"),
        required=False,
        max_length=500,
        help_text=_("Only if there is a charge. For example: £2 a session."),
    )
    delivery = forms.ChoiceField(
        label=_("How people take part"),
        choices=(
            (IN_PERSON, _("In person")),
            (ONLINE, _("Online or by phone")),
            (BOTH, _("Both in person and online")),
        ),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how people take part.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages it is offered in"),
        required=False,
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs it helps with"),
        choices=[(t.code, t.name) for t in vocab.NEEDS.terms],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one need the service helps with.")},
    )

    def __init__(self, *args: Any, extra_languages: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if extra_languages:  # languages already listed that are not in our short list
            self.fields["languages"].choices = [*LANGUAGES, *extra_languages.items()]

    def clean_phones(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["phones"].splitlines()]
        numbers = [line for line in lines if line]
        for number in numbers:
            if not PHONE_RE.match(number):
                raise forms.ValidationError(
                    _("“%(number)s” is not a phone number: use digits and spaces only."),
                    code="phone",
                    params={"number": number[:40]},
                )
        return numbers

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age",
                forms.ValidationError(
                    _("The oldest age must be the same as or more than the youngest (%(low)s)."),
                    code="age_order",
                    params={"low": low},
                ),
            )
        if cleaned.get("cost") == CHARGE and not cleaned.get("fees") and "fees" not in self.errors:
            self.add_error("fees", _("Say what it costs, as there is a charge."))
        return cleaned


class LocationForm(PlainTextForm):
    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of the place"), required=False, max_length=255)
    address_1 = forms.CharField(label=_("Address line 1"), max_length=255)
    address_2 = forms.CharField(label=_("Address line 2"), required=False, max_length=255)
    city = forms.CharField(label=_("Town or city"), max_length=100)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)

    def clean_postcode(self) -> str:
        text = self.cleaned_data["postcode"]
        try:
            code = normalise_postcode(text)
        except PostcodeError:
            raise forms.ValidationError(
                _("Enter a full UK postcode, like BD1 1AA."), code="invalid_postcode"
            ) from None
        if lookup_postcode(code) is None:
            raise forms.ValidationError(
                _("We cannot find %(postcode)s in the district's postcodes. Check it."),
                code="unknown_postcode",
                params={"postcode": code},
            )
        return code


class BaseLocationFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[tuple[int, forms.Form]]:
        """(position in the formset, form) of locations kept or added, in order."""
        return [
            (i, form)
            for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]


LocationFormSet = forms.formset_factory(
    LocationForm,
    formset=BaseLocationFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_LOCATIONS,
    validate_max=True,
)


class OpeningTimeForm(PlainTextForm):
    place = forms.TypedChoiceField(
        label=_("Where"), required=False, coerce=int, empty_value=None, choices=()
    )
    days = forms.MultipleChoiceField(
        label=_("Days"),
        choices=DAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    opens_at = forms.TimeField(
        label=_("Opens"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter the opening time as hours and minutes, like 09:30.")},
    )
    closes_at = forms.TimeField(
        label=_("Closes"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter the closing time as hours and minutes, like 17:00.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_at",
                forms.ValidationError(
                    _("The closing time must be after the opening time (%(opens)s)."),
                    code="closes_before_opens",
                    params={"opens": opens.strftime("%H:%M")},
                ),
            )
        return cleaned


class BaseOpeningTimeFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, place_choices: list[tuple[str, str]] = (), **kwargs: Any):
        self.place_choices = [("", _("Everywhere the service runs")), *place_choices]
        super().__init__(*args, **kwargs)

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        form.fields["place"].choices = self.place_choices
        return form

    @property
    def empty_form(self) -> forms.Form:
        form = super().empty_form
        form.fields["place"].choices = self.place_choices
        return form

    def kept_forms(self) -> list[forms.Form]:
        return [
            form
            for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]


OpeningTimeFormSet = forms.formset_factory(
    OpeningTimeForm,
    formset=BaseOpeningTimeFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_TIMES,
    validate_max=True,
)


# From a listing to the forms' initial values ---------------------------------------------------


def _is_simple_weekly(schedule: ScheduleRecord) -> bool:
    days = [d.strip() for d in schedule.byday.split(",") if d.strip()]
    return (
        schedule.freq in ("", "WEEKLY")
        and (schedule.interval or 1) == 1
        and bool(days)
        and all(d in DAY_CODES for d in days)
        and schedule.opens_at is not None
        and schedule.closes_at is not None
        and not schedule.bymonthday
    )


def physical_locations(listing: Listing) -> list[tuple[int, LocationRecord]]:
    return [
        (i, loc) for i, loc in enumerate(listing.record.locations) if loc.location_type != "virtual"
    ]


def listing_initial(listing: Listing) -> dict[str, Any]:
    record = listing.record
    phones = [p.number for p in record.contacts[0].phones] if record.contacts else []
    costs = record.cost_options
    is_free = any(c.option.strip().lower() == "free" for c in costs)
    has_virtual = any(loc.location_type == "virtual" for loc in record.locations)
    has_physical = bool(physical_locations(listing))
    delivery = BOTH if has_virtual and has_physical else ONLINE if has_virtual else IN_PERSON
    return {
        "name": record.name,
        "description": record.description,
        "eligibility_description": listing.eligibility_description,
        "minimum_age": record.minimum_age,
        "maximum_age": record.maximum_age,
        "email": record.email,
        "url": record.url,
        "phones": "\n".join(phones),
        "cost": FREE if is_free else CHARGE if record.fees or costs else None,
        "fees": record.fees,
        "delivery": delivery if (has_virtual or has_physical) else None,
        "languages": [code for code, _name in record.languages],
        "needs": [NEED_TERM_IDS[t.id] for t in record.terms if t.id in NEED_TERM_IDS],
    }


def extra_languages(listing: Listing) -> dict[str, str]:
    known = {code for code, _label in LANGUAGES}
    return {code: name or code for code, name in listing.record.languages if code not in known}


def locations_initial(listing: Listing) -> list[dict[str, Any]]:
    rows = []
    for _i, loc in physical_locations(listing):
        address = loc.addresses[0] if loc.addresses else None
        rows.append(
            {
                "id": loc.id,
                "name": loc.name,
                "address_1": address.address_1 if address else "",
                "address_2": address.address_2 if address else "",
                "city": address.city if address else "",
                "postcode": loc.postcode or (address.postal_code if address else ""),
            }
        )
    return rows


def _form_position(listing: Listing) -> dict[int, int]:
    """Record location index -> position of its form in the locations formset."""
    return {index: pos for pos, (index, _loc) in enumerate(physical_locations(listing))}


def times_initial(listing: Listing) -> list[dict[str, Any]]:
    positions = _form_position(listing)
    rows = []
    for schedule, where in zip(listing.record.schedules, listing.schedule_locations, strict=True):
        if not _is_simple_weekly(schedule):
            continue
        rows.append(
            {
                "place": positions.get(where) if where is not None else None,
                "days": [d.strip() for d in schedule.byday.split(",") if d.strip()],
                "opens_at": schedule.opens_at,
                "closes_at": schedule.closes_at,
            }
        )
    return rows


def other_schedules(listing: Listing) -> list[ScheduleRecord]:
    """Schedules the form cannot show (monthly, fortnightly...): kept as they are."""
    return [s for s in listing.record.schedules if not _is_simple_weekly(s)]


def place_choices(listing: Listing, data: Any = None, prefix: str = "locations") -> list:
    """Choices naming each location form by position, from what was typed if anything."""
    choices = []
    if data is not None:
        try:
            total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_LOCATIONS)
        except (TypeError, ValueError):
            total = 0
        for pos in range(total):
            label = data.get(f"{prefix}-{pos}-name") or data.get(f"{prefix}-{pos}-address_1")
            choices.append((str(pos), str(label or _("New place")).strip()[:80]))
        return choices
    for pos, row in enumerate(locations_initial(listing)):
        choices.append((str(pos), (row["name"] or row["address_1"] or str(pos + 1))[:80]))
    return choices


# From valid forms to the proposed listing --------------------------------------------------------


def _schedule_places(
    listing: Listing,
    times: BaseOpeningTimeFormSet,
    kept: dict[int, int],
    new_locations: list[LocationRecord],
) -> tuple[list[ScheduleRecord], list[int | None]]:
    schedules, places = [], []
    for form in times.kept_forms():
        data = form.cleaned_data
        where = data.get("place")
        schedules.append(
            ScheduleRecord(
                freq="WEEKLY",
                byday=",".join(code for code, _label in DAYS if code in data["days"]),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        )
        places.append(kept.get(where) if where is not None else None)
    new_index = {loc.id: i for i, loc in enumerate(new_locations) if loc.id}
    for schedule, where in zip(listing.record.schedules, listing.schedule_locations, strict=True):
        if not _is_simple_weekly(schedule):
            location_id = listing.record.locations[where].id if where is not None else None
            if where is not None and location_id not in new_index:
                continue  # its place is gone, and so are its times
            schedules.append(copy.deepcopy(schedule))
            places.append(new_index[location_id] if where is not None else None)
    return schedules, places


def check_times_places(times: BaseOpeningTimeFormSet, locations: BaseLocationFormSet) -> bool:
    """Opening times must not point at a location being removed. Adds errors; True if fine."""
    kept = {pos for pos, _form in locations.kept_forms()}
    fine = True
    for form in times.kept_forms():
        where = form.cleaned_data.get("place")
        if where is not None and where not in kept:
            form.add_error("place", _("That place is being removed or left empty: choose another."))
            fine = False
    return fine


def check_delivery(form: ListingForm, locations: BaseLocationFormSet) -> bool:
    if form.cleaned_data.get("delivery") in (IN_PERSON, BOTH) and not locations.kept_forms():
        form.add_error(
            "delivery",
            _("Add the address where people go, or choose “Online or by phone”."),
        )
        return False
    return True


def proposed_listing(
    listing: Listing,
    form: ListingForm,
    locations: BaseLocationFormSet,
    times: BaseOpeningTimeFormSet,
) -> Listing:
    """The current listing with the provider's changes applied (forms already valid)."""
    data = form.cleaned_data
    record = copy.deepcopy(listing.record)
    record.name = data["name"]
    record.description = data["description"]
    record.minimum_age = data["minimum_age"]
    record.maximum_age = data["maximum_age"]
    record.email = data["email"]
    record.url = data["url"]
    record.last_modified = None

    # Phones: the first contact's numbers (descriptions kept where the number stays).
    old_phones = {p.number: p for p in record.contacts[0].phones} if record.contacts else {}
    phones = [old_phones.get(n) or PhoneRecord(number=n) for n in data["phones"]]
    if record.contacts:
        record.contacts[0].phones = phones
    elif phones:
        record.contacts = [ContactRecord(phones=phones)]

    others = [c for c in record.cost_options if c.option.strip().lower() != "free"]
    if data["cost"] == FREE:
        free = [c for c in record.cost_options if c.option.strip().lower() == "free"]
        record.cost_options = (free or [CostOptionRecord(option="Free")]) + others
        record.fees = data["fees"]
    else:
        record.cost_options = others
        record.fees = data["fees"]

    old_names = dict(record.languages)
    record.languages = [
        (code, old_names.get(code) or LANGUAGE_NAMES.get(code, code)) for code in data["languages"]
    ]
    record.terms = [t for t in record.terms if t.id not in NEED_TERM_IDS] + [
        TermRef(
            taxonomy_key=vocab.NEEDS.key,
            code=code,
            id=vocab.stable_id("term", vocab.NEEDS.key, code),
        )
        for code in data["needs"]
    ]

    # Locations: the physical ones from the form, in order, then any online one.
    old = {loc.id: loc for loc in record.locations if loc.id}
    new_locations: list[LocationRecord] = []
    kept: dict[int, int] = {}
    for pos, loc_form in locations.kept_forms():
        row = loc_form.cleaned_data
        kept[pos] = len(new_locations)
        found = copy.deepcopy(old.get(row.get("id"))) if row.get("id") in old else None
        loc = found or LocationRecord()
        if loc.postcode != row["postcode"]:
            loc.latitude = loc.longitude = None  # placed again from the new postcode
        loc.name = row["name"]
        loc.postcode = row["postcode"]
        address = loc.addresses[0] if loc.addresses else AddressRecord("", "", "")
        address.address_1, address.address_2 = row["address_1"], row["address_2"]
        address.city, address.postal_code = row["city"], row["postcode"]
        loc.addresses = [address, *loc.addresses[1:]]
        new_locations.append(loc)
    virtual = [loc for loc in record.locations if loc.location_type == "virtual"]
    if data["delivery"] in (ONLINE, BOTH):
        if not virtual:
            virtual = [
                LocationRecord(
                    name="Online",
                    location_type="virtual",
                    url=record.url,
                    id=uuid.uuid5(record.id or uuid.NAMESPACE_URL, "online"),
                )
            ]
        new_locations += virtual
    record.locations = new_locations

    schedules, places = _schedule_places(listing, times, kept, new_locations)
    record.schedules = schedules
    return Listing(record, places, data["eligibility_description"])


def listing_for_review_date(listing: Listing, today: dt.date) -> Listing:
    """The listing marked as reviewed `today` (approving or confirming it)."""
    record = copy.deepcopy(listing.record)
    record.assured_date = today
    return Listing(record, list(listing.schedule_locations), listing.eligibility_description)
