"""Input of these pages: shapes only; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.web.work.forms import WorkForm, text_field


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
