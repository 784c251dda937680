"""Input of the refer pages: shapes only; the rules (consent before sharing, an active
service, who may be found) live in the actions and queries."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from linkwell.web.forms import DateOfBirthField, LinkwellFormMixin
from linkwell.web.work.forms import WorkForm

VERBALLY = "given verbally"
IN_WRITING = "given in writing"
HOW_CHOICES = [
    (VERBALLY, _("They said yes when I asked them")),
    (IN_WRITING, _("They agreed in writing")),
]


class ServiceIdsField(forms.Field):
    """The services ticked: each a service id, once each, in the order ticked. Drawn by the
    page as checkboxes at each offer (`form=` ties them to the one consent form)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick each service they agreed to share their details with."),
        "invalid": _("Tick services from the list on this page."),
    }

    def to_python(self, value: Any) -> list[uuid.UUID]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return list(dict.fromkeys(uuid.UUID(str(v)) for v in values))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def how_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How did they agree?"),
        choices=HOW_CHOICES,
        initial=VERBALLY,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how they agreed.")},
    )


class ConsentForServicesForm(WorkForm):
    """One consent conversation covering every service ticked. `how` defaults to "given
    verbally", so the one-service button of older pages still works."""

    service = ServiceIdsField()
    how = how_field()

    def ticked(self) -> set[str]:
        """The ids ticked as sent (kept when the form is refused)."""
        if not self.is_bound:
            return set()
        return {str(v) for v in self.data.getlist(self.add_prefix("service"))}

    def how_given(self) -> str:
        return self.cleaned_data.get("how") or VERBALLY


class HowForm(WorkForm):
    """The consent question for one service (fixed by the page)."""

    how = how_field()

    def how_given(self) -> str:
        return self.cleaned_data.get("how") or VERBALLY


class PersonSearchForm(LinkwellFormMixin, forms.Form):
    """Who to refer: any of name, NHS number, date of birth, postcode (at least one; the
    query says which is wrong)."""

    text = forms.CharField(
        label=_("Name"), required=False, max_length=100, help_text=_("Part of a name will do.")
    )
    nhs_number = forms.CharField(label=_("NHS number"), required=False, max_length=20)
    birth_date = DateOfBirthField(required=False)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)

    FIELDS = ("text", "nhs_number", "birth_date-day", "birth_date-month", "birth_date-year")

    @classmethod
    def asked(cls, data: Any) -> bool:
        return any(data.get(name) for name in (*cls.FIELDS, "postcode"))
