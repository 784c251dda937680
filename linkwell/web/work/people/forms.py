"""Input of the people pages: shapes, and messages that say what to do. The rules (a valid
NHS number, a known postcode, possible duplicates) live in the actions; the form checks what
it can first so that every error shows at once, and the views put any refusal of the action
back at the field it names."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.places.queries import PostcodeError, normalise_postcode
from linkwell.referrals.actions import clean_nhs_number
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import ConsentPurpose, EthnicGroup, Sex
from linkwell.web.contact_requests.forms import TOO_LONG, TelInput
from linkwell.web.forms import (
    DateOfBirthField,
    GPPracticeField,
    LanguageField,
    LinkwellFormMixin,
)
from linkwell.web.work.forms import PlainTextForm, text_field

NHS_NUMBER_SHAPE = re.compile(r"[\d\s-]+")


def nhs_number_from(text: str) -> str:
    """The NHS number typed, as 10 digits ("" if nothing typed); raises ValidationError with
    a message that says what to do. The check itself is the action's (`clean_nhs_number`)."""
    digits = "".join(ch for ch in (text or "") if not ch.isspace() and ch != "-")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 10:
        raise forms.ValidationError(
            _("NHS number must be 10 digits, like 485 777 3456"), code="nhs_number_length"
        )
    try:
        return clean_nhs_number(digits)
    except Refused:
        raise forms.ValidationError(
            _("Check the NHS number: this is not a valid one (a digit may be wrong or swapped)"),
            code="nhs_number_invalid",
        ) from None


def postcode_from(text: str) -> str:
    """The postcode typed, written as the post office writes it ("" if nothing typed)."""
    if not (text or "").strip():
        return ""
    try:
        return normalise_postcode(text)
    except PostcodeError:
        raise forms.ValidationError(
            _("Enter a full UK postcode, like BD3 7HZ"), code="postcode"
        ) from None


class PeopleForm(LinkwellFormMixin, PlainTextForm):
    """The people pages' forms: GOV.UK error summary, plain text, no browser length limits."""


class PersonForm(PeopleForm):
    """The person's details: names as in `actions.PersonDetails`, so refusals land in place."""

    given_name = text_field(
        _("Given name"),
        100,
        required=True,
        error_messages={"required": _("Enter their given name")},
    )
    family_name = text_field(
        _("Family name"),
        100,
        required=True,
        error_messages={"required": _("Enter their family name")},
    )
    birth_date = DateOfBirthField(help_text=_("For example, 27 3 1950"))
    nhs_number = text_field(
        _("NHS number (optional)"),
        20,
        help_text=_("10 digits, like 485 777 3456. Leave it empty if you do not know it."),
    )
    postcode = text_field(
        _("Postcode (optional)"),
        10,
        help_text=_("Finds their area and ward, to match services near them."),
    )
    gp_practice_code = GPPracticeField(
        label=_("GP practice (optional)"),
        required=False,
        help_text=_("Choose their practice from the list, by its name or its town."),
    )
    preferred_language = LanguageField(
        label=_("Preferred language (optional)"),
        required=False,
        help_text=_("The language they would rather speak. Languages spoken most here come first."),
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    phone = text_field(_("Phone (optional)"), 32)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Enter an email address like name@example.com"),
            "max_length": TOO_LONG,
        },
    )
    address = text_field(_("Address (optional)"), 500, rows=3)
    accessibility_needs = text_field(
        _("Accessibility needs (optional)"),
        500,
        rows=3,
        help_text=_("What helps them take part: step-free access, large print, a hearing loop."),
    )
    sex = forms.ChoiceField(
        label=_("Sex (optional)"),
        required=False,
        choices=[("", _("Not asked")), *Sex.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "As they describe themselves. Used only to see if support works as well for everyone."
        ),
        error_messages={"invalid_choice": _("Select one of the answers, or leave it empty")},
    )
    ethnic_group = forms.ChoiceField(
        label=_("Ethnic group (optional)"),
        required=False,
        choices=[("", _("Not asked")), *EthnicGroup.choices],
        widget=forms.RadioSelect,
        help_text=_("As they describe themselves, in the census's groups."),
        error_messages={"invalid_choice": _("Select one of the answers, or leave it empty")},
    )
    confirm_new = forms.BooleanField(
        label=_("This is a different person: register them anyway"),
        required=False,
        help_text=_("The new record is flagged so the possible duplicate can be checked."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_name"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["family_name"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["phone"].widget = TelInput(attrs={"class": "input-medium"})
        self.fields["nhs_number"].widget.attrs.update(
            {"class": "input-medium", "inputmode": "numeric", "spellcheck": "false"}
        )
        self.fields["postcode"].widget.attrs.update(
            {"class": "input-medium", "spellcheck": "false", "autocapitalize": "characters"}
        )
        # The date of birth is theirs, not the staff member's: the browser must not fill it.
        self.fields["birth_date"].widget.autocomplete_birthday = False

    def clean_nhs_number(self) -> str:
        return nhs_number_from(self.cleaned_data.get("nhs_number", ""))

    def clean_postcode(self) -> str:
        return postcode_from(self.cleaned_data.get("postcode", ""))


class ConsentForm(PeopleForm):
    """Consent for one purpose; for sharing, with the service chosen."""

    purpose = forms.ChoiceField(
        label=_("What they agree to"),
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what they agree to")},
    )
    service = forms.ChoiceField(
        label=_("Service to share with"),
        required=False,
        help_text=_("Only for sharing their details with a service."),
        error_messages={"invalid_choice": _("Select a service from the list")},
    )
    how = text_field(_("How it was given (optional)"), 100, help_text=_("For example, verbally."))

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", gettext("Choose a service")), *services]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        sharing = self.data.get(self.add_prefix("purpose")) == ConsentPurpose.SHARE_WITH_SERVICE
        if sharing and not data.get("service") and "service" not in self.errors:
            self.add_error("service", gettext("Select the service they agree to share with"))
        return data
