"""The one question each second-step page asks: a code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.accounts.signin.devices import normalise


class CodeForm(forms.Form):
    """A code from the authenticator app (six digits) or a recovery code."""

    code = forms.CharField(
        max_length=40,
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app, or a recovery code"),
            "max_length": _(
                "Enter the 6-digit code from your authenticator app, or a recovery code"
            ),
        },
    )


class SetUpCodeForm(forms.Form):
    """The first code the newly set-up app shows, which proves it was set up right."""

    code = forms.CharField(
        max_length=20,
        error_messages={
            "required": _("Enter the 6-digit code the app shows now"),
            "max_length": _("Enter the 6-digit code the app shows now"),
        },
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                _("Enter the 6-digit code the app shows now, using numbers only")
            )
        return code
