"""Input for the referral pages: shapes only (types, lengths, choices). The rules (a valid NHS
number, consent before sharing, the allowed moves) live in the actions, whose refusals the
views put back at the field they name (`errors.Refused.field`)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models import (
    CapacityMode,
    CapacityUnit,
    ConsentPurpose,
    EncounterKind,
    Urgency,
)
from linkwell.referrals.models.encounters import NEED_CHOICES
from linkwell.web.contact_requests.forms import TOO_LONG, DescribedFormMixin, TelInput, plain_text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"class": "input-medium", **(attrs or {})}, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Enter a real date, like 2026-03-31.")}


class WorkForm(DescribedFormMixin, forms.Form):
    """Plain text in every text field; the browser's own length limits are dropped, so pasted
    text is never cut silently (the server says how much is too much)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        if not self.is_bound:  # a bound form is described when cleaned, once set up
            self.describe_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and isinstance(data.get(name), str):
                try:
                    data[name] = plain_text(data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def refuse(self, field: str, message: str) -> None:
        """An action's refusal, shown at the field it names (or for the whole form)."""
        self.add_error(field if field in self.fields else None, message)
        self.describe_fields()


def text_field(
    label: Any, limit: int, *, required: bool = False, rows: int = 0, **extra: Any
) -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=widget,
        error_messages={"max_length": TOO_LONG, **extra.pop("error_messages", {})},
        **extra,
    )


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


class ContactForm(WorkForm):
    """A contact: its kind, the needs noticed (a checkbox and how pressing, each), a note."""

    kind = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=EncounterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of contact.")},
    )
    note = text_field(
        _("Note (optional)"),
        2000,
        rows=4,
        help_text=_("Up to 2,000 characters. Seen by the services you refer to."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in NEED_CHOICES:
            self.fields[f"need_{code}"] = forms.BooleanField(label=gettext(name), required=False)
            self.fields[f"urgency_{code}"] = forms.ChoiceField(
                label=gettext("How pressing: %(need)s") % {"need": gettext(name)},
                choices=Urgency.choices,
                initial=Urgency.ROUTINE,
                required=False,
            )
        if not self.is_bound:
            self.describe_fields()

    def need_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"need_{code}"], self[f"urgency_{code}"]) for code, _name in NEED_CHOICES]

    def needs(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (code, data.get(f"urgency_{code}") or Urgency.ROUTINE)
            for code, _name in NEED_CHOICES
            if data.get(f"need_{code}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f"need_{code}") for code, _name in NEED_CHOICES):
            self.add_error(
                f"need_{NEED_CHOICES[0][0]}", gettext("Tick at least one need you noticed.")
            )
        return data


class ReferForm(WorkForm):
    """One "Refer" button: the service and need are fixed by the page; the key is made when
    the page is drawn, so a double-clicked submit makes one referral."""

    service = forms.UUIDField(widget=forms.HiddenInput)
    need = forms.CharField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    reason = text_field(
        _("Reason (optional)"),
        1000,
        rows=2,
        help_text=_("What the service should know. Up to 1,000 characters."),
    )

    @staticmethod
    def new_key() -> str:
        return str(uuid.uuid4())


class MoveForm(WorkForm):
    """A move of a referral. `text` is the decline reason, the outcome or a note."""

    text = text_field(_("Note (optional)"), 2000, rows=3)
    waitlist_if_full = forms.BooleanField(
        label=_("If no place is left, put it on the waiting list"), required=False, initial=True
    )

    def __init__(self, *args: Any, label: Any = None, required: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        text = self.fields["text"]
        text.label = label or text.label
        text.required = required
        text.error_messages["required"] = gettext("Write this first.")
        self._bound_fields_cache.clear()  # drawn again with the label


class CapacityForm(WorkForm):
    mode = forms.ChoiceField(
        label=_("Taking referrals"),
        choices=CapacityMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the service takes referrals.")},
    )
    places = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("Only with a number of places."),
        error_messages={"invalid": _("Enter a whole number."), "min_value": _("0 or more.")},
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
    unit = forms.ChoiceField(label=_("Per"), choices=CapacityUnit.choices)
    response_days = forms.IntegerField(
        label=_("Days to answer a referral"),
        min_value=1,
        max_value=365,
        help_text=_("Referrals not answered within this many days are escalated."),
        error_messages={
            "required": _("Enter a number of days."),
            "invalid": _("Enter a whole number of days."),
            "min_value": _("Between 1 and 365 days."),
            "max_value": _("Between 1 and 365 days."),
        },
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )


class TextForm(WorkForm):
    """One text box (what matters to me, a goal, a discharge outcome)."""

    text = text_field("", 4000, rows=4)

    def __init__(self, *args: Any, label: Any, required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].required = required
        self.fields["text"].error_messages["required"] = gettext("Write something here.")
        self._bound_fields_cache.clear()  # drawn again with the label


class SessionForm(WorkForm):
    held_on = forms.DateField(
        label=_("Held on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the session was held."), **DATE_ERRORS},
    )
    notes = text_field(_("Notes (optional)"), 4000, rows=4)
    over_limit_reason = text_field(
        _("Why this session is past the programme's limit"),
        1000,
        rows=2,
        help_text=_("Needed only past the limit of sessions."),
    )


class FollowUpForm(WorkForm):
    on = forms.DateField(
        label=_("Next follow-up"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for none."),
        error_messages=DATE_ERRORS,
    )
