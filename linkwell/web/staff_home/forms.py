"""The person search on the staff home: one box for a name or an NHS number, and optionally a
date of birth and a postcode. Shapes and messages only; `find_people` checks again and finds
only the people the caller may open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models import name_key
from linkwell.referrals.queries.search import MAX_TEXT, MIN_TEXT
from linkwell.web.forms import DateOfBirthField, LinkwellFormMixin
from linkwell.web.work.people.forms import NHS_NUMBER_SHAPE, nhs_number_from, postcode_from

FIELD_NAMES = ("q", "birth_date-day", "birth_date-month", "birth_date-year", "postcode")


class OptionalDateOfBirthField(DateOfBirthField):
    """A date of birth that may be left empty: "(optional)" in its question, never in its
    messages ("Date of birth must include a month")."""

    def __init__(self, *, message_label: Any, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.message_label = message_label

    def _error(self, code: str, parts: tuple[str, ...], **params: Any):
        shown, self.label = self.label, self.message_label
        try:
            return super()._error(code, parts, **params)
        finally:
            self.label = shown


class PersonSearchForm(LinkwellFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Name or NHS number"),
        required=False,
        help_text=_("At least 2 letters of their name, or their 10-digit NHS number."),
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    birth_date = OptionalDateOfBirthField(
        label=_("Date of birth (optional)"),
        message_label=_("Date of birth"),
        help_text=_("For example, 27 3 1950"),
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        required=False,
        help_text=_("Their full postcode, like BD3 7HZ."),
        widget=forms.TextInput(
            attrs={"class": "input-medium", "spellcheck": "false", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].widget.autocomplete_birthday = False

    def clean_q(self) -> dict[str, str]:
        """{"text": name words, "nhs_number": digits}: digits (and spaces) are an NHS number."""
        words = " ".join((self.cleaned_data.get("q") or "").split())
        if not words:
            return {"text": "", "nhs_number": ""}
        if NHS_NUMBER_SHAPE.fullmatch(words) and any(ch.isdigit() for ch in words):
            return {"text": "", "nhs_number": nhs_number_from(words)}
        if len(words) > MAX_TEXT:
            raise forms.ValidationError(
                _("Name must be %(limit)d characters or fewer"), params={"limit": MAX_TEXT}
            )
        if len(name_key(words)) < MIN_TEXT:
            raise forms.ValidationError(
                _("Enter at least %(count)d letters of their name, or their NHS number"),
                params={"count": MIN_TEXT},
            )
        return {"text": words, "nhs_number": ""}

    def clean_postcode(self) -> str:
        return postcode_from(self.cleaned_data.get("postcode", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = any((self.data.get(name) or "").strip() for name in FIELD_NAMES)
        if not typed and not self.errors:
            self.add_error(
                "q",
                _("Enter a name or NHS number, a date of birth or a postcode to search for"),
            )
        return data

    def criteria(self) -> dict[str, Any]:
        """Keyword arguments for `find_people` (the form must be valid)."""
        data = self.cleaned_data
        birth: dt.date | None = data.get("birth_date")
        return {**data["q"], "birth_date": birth, "postcode": data.get("postcode", "")}


def was_searched(query: Any) -> bool:
    """Whether the page was asked to search (the form was sent), even with every box empty."""
    return any(name in query for name in FIELD_NAMES)
