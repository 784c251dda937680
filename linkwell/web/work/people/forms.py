"""Input of these pages: shapes only; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models import (
    ConsentPurpose,
)
from linkwell.web.contact_requests.forms import TelInput
from linkwell.web.work.forms import DATE_ERRORS, DateInput, WorkForm, text_field


class PersonForm(WorkForm):
    """The person's details: names as in `actions.PersonDetails`, so refusals land in place."""

    given_name = text_field(
        _("Given name"), 100, required=True, error_messages={"required": _("Enter a given name.")}
    )
    family_name = text_field(
        _("Family name"),
        100,
        required=True,
        error_messages={"required": _("Enter a family name.")},
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        help_text=_("For example 1941-05-02."),
        widget=DateInput(),
        error_messages={"required": _("Enter the date of birth."), **DATE_ERRORS},
    )
    nhs_number = text_field(
        _("NHS number (optional)"),
        20,
        help_text=_("10 digits, spaces allowed. Leave empty if not known."),
    )
    postcode = text_field(
        _("Postcode (optional)"), 10, help_text=_("Finds their area and ward, to match services.")
    )
    gp_practice_code = text_field(
        _("GP practice code (optional)"), 10, help_text=_("The practice's ODS code, like B83005.")
    )
    preferred_language = text_field(
        _("Preferred language (optional)"), 16, help_text=_("A language code, like en, ur or pl.")
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    phone = text_field(_("Phone (optional)"), 32)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    address = text_field(_("Address (optional)"), 500, rows=3)
    accessibility_needs = text_field(
        _("Accessibility needs (optional)"),
        500,
        rows=3,
        help_text=_("What helps them take part: step-free access, large print, a hearing loop."),
    )
    confirm_new = forms.BooleanField(
        label=_("This is a different person: register them anyway"),
        required=False,
        help_text=_("The new record is flagged so the possible duplicate can be checked."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = TelInput(attrs={"class": "input-medium"})
        self.fields["nhs_number"].widget.attrs.update(
            {"class": "input-medium", "inputmode": "numeric"}
        )
        for name in ("postcode", "gp_practice_code", "preferred_language"):
            self.fields[name].widget.attrs["class"] = "input-medium"
        if not self.is_bound:
            self.describe_fields()


class ConsentForm(WorkForm):
    """Consent for one purpose; for sharing, with the service chosen."""

    purpose = forms.ChoiceField(
        label=_("What they agree to"),
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what they agree to.")},
    )
    service = forms.ChoiceField(
        label=_("Service to share with"),
        required=False,
        help_text=_("Only for sharing their details with a service."),
    )
    how = text_field(_("How it was given (optional)"), 100, help_text=_("For example, verbally."))

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", gettext("Choose a service")), *services]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("purpose") == ConsentPurpose.SHARE_WITH_SERVICE and not data.get("service"):
            self.add_error("service", gettext("Choose the service they agree to share with."))
        return data
