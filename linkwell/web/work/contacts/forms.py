"""Input of these pages: shapes only; the rules live in the actions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models import (
    EncounterKind,
    Urgency,
)
from linkwell.referrals.models.encounters import NEED_CHOICES
from linkwell.web.work.forms import WorkForm, text_field


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
