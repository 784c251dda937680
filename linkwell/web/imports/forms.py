"""The imports page's form: shapes only; what may be imported is decided by the action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.directory.importers.uploads import Mode
from linkwell.directory.models import TierScheme


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of services"),
        help_text=_(
            "An Open Referral UK feed (.json or .ndjson), or a service-mapping sheet (.csv or "
            ".xlsx) made from the template in the directory's documentation."
        ),
        error_messages={
            "required": _("Choose the file of services to upload"),
            "empty": _("The file is empty: choose the file with the services"),
            "invalid": _("Choose the file of services to upload"),
        },
        allow_empty_file=True,  # the action says what is wrong with an empty file
    )
    mode = forms.ChoiceField(
        label=_("What to do with it"),
        choices=Mode.choices,
        initial=Mode.CHECK,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to check the file or import it"),
            "invalid_choice": _("Choose whether to check the file or import it"),
        },
    )
    scheme = forms.ChoiceField(
        label=_("Tier scheme of rows that name none (sheets only)"),
        required=False,
        help_text=_("A sheet's rows may give a tier in a partner's own scheme."),
        error_messages={"invalid_choice": _("Choose a tier scheme from the list")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scheme"].choices = [("", _("The operating model's tiers"))] + [
            (key, name)
            for key, name in TierScheme.objects.order_by("name").values_list("key", "name")
        ]


class ImportCheckedForm(forms.Form):
    good_rows_only = forms.BooleanField(required=False)
