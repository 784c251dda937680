"""Input for the public contact form and the provider's status update: plain text only.

Markup in any field is refused with a message at the field (not silently stripped), so the
person sees exactly what will be sent and loses nothing they typed; pages escape it anyway.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models import (
    STATUS_TRANSITIONS,
    ContactMethod,
    ContactRequestStatus,
    ReferralStatus,
)
from linkwell.web.forms import DateOfBirthField, LinkwellFormMixin

NAME_MAX = 100
BEST_TIME_MAX = 100
MESSAGE_MAX = 500
NOTE_MAX = 1000

# "<b", "</", "<!", "<?": the start of a tag. "I am <5 ft" or "<3" are left alone.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
# Control characters other than tab and newlines have no place in a message.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

UK_COUNTRY_CODE = 44
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


TOO_LONG = _(
    "This is %(show_value)d characters long: shorten it to %(limit_value)d characters or fewer."
)


def plain_text(value: str) -> str:
    """Refuse markup; drop control characters; trim."""
    value = CONTROL.sub("", value or "").strip()
    if MARKUP.search(value):
        raise forms.ValidationError(
            _(
                "Remove the < and > and the text between them: web page code (HTML) "
                "cannot be sent. Write in plain words."
            ),
            code="markup",
        )
    return value


def uk_phone_number(value: str, *, mobile: bool) -> str:
    """A UK phone number in national format (01274 123456), or a ValidationError."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as exc:
        raise forms.ValidationError(
            _("Enter a UK phone number, like 01274 123456 or a mobile starting 07."),
            code="phone",
        ) from exc
    if number.country_code != UK_COUNTRY_CODE or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("Enter a UK phone number, like 01274 123456 or a mobile starting 07."),
            code="phone",
        )
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise forms.ValidationError(
            _("A text message needs a UK mobile number (starting 07)."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class TelInput(forms.TextInput):
    input_type = "tel"


class DescribedFormMixin:
    """Ties each field's hint and error to its input (aria-describedby, aria-invalid)."""

    def describe_fields(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-hint")
            if self.errors.get(name):  # type: ignore[attr-defined]
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.describe_fields()


class ContactRequestForm(DescribedFormMixin, forms.Form):
    """ "Ask <service> to contact you". The consent wording names the service's organisation."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        help_text=_("The name the service should ask for."),
        error_messages={
            "required": _("Enter your name."),
            "max_length": TOO_LONG,
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    contact_method = forms.ChoiceField(
        label=_("How should they contact you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the service should contact you."),
            "invalid_choice": _("Choose phone call, text message or email."),
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("For a call or a text. A UK number, like 01274 123456 or 07…"),
        error_messages={"max_length": TOO_LONG},
        widget=TelInput(attrs={"autocomplete": "tel", "class": "input-medium"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("If you chose email."),
        error_messages={
            "invalid": _("Enter an email address like name@example.com."),
            "max_length": TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    best_time = forms.CharField(
        label=_("Best time to contact you (optional)"),
        required=False,
        max_length=BEST_TIME_MAX,
        help_text=_("For example, weekday mornings."),
        error_messages={"max_length": TOO_LONG},
    )
    message = forms.CharField(
        label=_("What would you like help with? (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        help_text=_("Up to 500 characters. Plain text only: web page code (HTML) is not accepted."),
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 5, "data-maxlength": MESSAGE_MAX}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick the box to agree, so the service may contact you."),
        },
    )

    def __init__(self, *args: Any, organisation_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = self.consent_statement(organisation_name)
        # A browser limit would cut pasted text silently; the server says how much is too much.
        self.fields["message"].widget.attrs.pop("maxlength", None)
        self.describe_fields()

    @staticmethod
    def consent_statement(organisation_name: str) -> str:
        return gettext(
            "I agree that %(organisation)s may use these details to contact me about this service."
        ) % {"organisation": organisation_name}

    def clean_name(self) -> str:
        return plain_text(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return plain_text(self.cleaned_data["phone"])

    def clean_best_time(self) -> str:
        return plain_text(self.cleaned_data["best_time"])

    def clean_message(self) -> str:
        return plain_text(self.cleaned_data["message"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        method = data.get("contact_method")
        phone = data.get("phone", "")
        if phone and "phone" not in self.errors:
            try:
                data["phone"] = uk_phone_number(phone, mobile=method == ContactMethod.TEXT)
            except forms.ValidationError as exc:
                self.add_error("phone", exc)
        if method == ContactMethod.PHONE and not phone and "phone" not in self.errors:
            self.add_error("phone", _("Enter the phone number the service should call."))
        if method == ContactMethod.TEXT and not phone and "phone" not in self.errors:
            self.add_error("phone", _("Enter the mobile number the service should text."))
        if method == ContactMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address the service should write to."))
        return data


class StatusUpdateForm(DescribedFormMixin, forms.Form):
    """A provider records that they contacted the person, or closes the request."""

    status = forms.ChoiceField(
        label=_("Mark as"),
        choices=[
            (ContactRequestStatus.CONTACTED, _("Contacted")),
            (ContactRequestStatus.CLOSED, _("Closed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose contacted or closed.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        help_text=_("Up to 1,000 characters, plain text. Seen by everyone who reads this request."),
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current is not None:  # offer only the statuses the request may move to
            allowed = STATUS_TRANSITIONS.get(current, frozenset())
            field = self.fields["status"]
            field.choices = [(v, label) for v, label in field.choices if v in allowed]
            field.error_messages["invalid_choice"] = gettext(
                "This request is already %(status)s: it cannot be changed to that."
            ) % {"status": ContactRequestStatus(current).label.lower()}
        self.fields["note"].widget.attrs.pop("maxlength", None)
        self.describe_fields()

    def clean_note(self) -> str:
        return plain_text(self.cleaned_data["note"])


class ConvertForm(LinkwellFormMixin, forms.Form):
    """A citizen's own request made a person and a referral: what the request did not ask
    (their date of birth, NHS number, the need), with their name as they gave it. Their
    consent is the one they gave in the request, recorded by the action."""

    given_name = forms.CharField(
        label=_("Given name"),
        max_length=NAME_MAX,
        error_messages={"required": _("Enter their given name"), "max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=NAME_MAX,
        error_messages={"required": _("Enter their family name"), "max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    birth_date = DateOfBirthField(
        help_text=_("Ask them when you call. For example, 27 3 1950"),
    )
    nhs_number = forms.CharField(
        label=_("NHS number (optional)"),
        required=False,
        max_length=20,
        help_text=_("10 digits, spaces allowed. Leave empty if not known."),
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"class": "input-medium", "inputmode": "numeric"}),
    )
    need = forms.ChoiceField(
        label=_("What they need help with"),
        choices=(),
        error_messages={
            "required": _("Select what they need help with"),
            "invalid_choice": _("Select what they need help with"),
        },
    )
    answer = forms.ChoiceField(
        label=_("What to do with the referral now"),
        choices=[
            (ReferralStatus.ACCEPTED, _("Accept it (or put it on the waiting list if full)")),
            (ReferralStatus.RECEIVED, _("Mark it received, and decide later")),
        ],
        initial=ReferralStatus.ACCEPTED,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what to do with the referral now"),
            "invalid_choice": _("Select what to do with the referral now"),
        },
    )
    person = forms.ChoiceField(
        label=_("Is this one of the people you can open?"),
        required=False,
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select one of the people listed, or none")},
    )
    confirm_new = forms.BooleanField(
        label=_("This is a different person: register them anyway"),
        required=False,
        help_text=_("The new record is flagged so the possible duplicate can be checked."),
    )

    def __init__(
        self, *args: Any, needs: list[tuple[str, str]], candidates: list[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", gettext("Select a need")), *needs]
        self.fields["person"].choices = [
            *[(str(p.pk), _candidate_label(p)) for p in candidates],
            ("", gettext("None of these: a new record")),
        ]

    def clean_given_name(self) -> str:
        return plain_text(self.cleaned_data["given_name"])

    def clean_family_name(self) -> str:
        return plain_text(self.cleaned_data["family_name"])

    def clean_nhs_number(self) -> str:
        return plain_text(self.cleaned_data["nhs_number"])


def _candidate_label(person: Any) -> str:
    if person.birth_date is None:
        return person.full_name
    return gettext("%(name)s, born %(date)s") % {
        "name": person.full_name,
        "date": date_format(person.birth_date, "j F Y"),
    }
