"""Input of the outcomes pages: shapes only. Whether answers can be scored, a link sent or an
outcome recorded is the actions' say; their refusals come back to the item they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linkwell.outcomes import instruments
from linkwell.outcomes.instruments.schema import Instrument
from linkwell.outcomes.models import LinkChannel, OutcomeCode, OutcomeReason, Timepoint
from linkwell.web.work.forms import WorkForm, text_field

# What staff may choose when they start one (in between is for the API and imports).
TIMEPOINTS = [
    (Timepoint.BASELINE, Timepoint.BASELINE.label),
    (Timepoint.FOLLOW_UP, Timepoint.FOLLOW_UP.label),
]


def wording(text: dict[str, str], language: str | None = None) -> str:
    """`text` in `language` ("pl", "pa-arab", "en-gb"), or its base language, or English."""
    code = (language or get_language() or "en").lower()
    for key in (code, code.split("-")[0], "en"):
        if key in text:
            return text[key]
    return next(iter(text.values()), "")


def instrument_choices() -> list[tuple[str, str]]:
    return [(key, wording(i.name)) for key, i in sorted(instruments.catalogue().items())]


def item_field(name: str) -> str:
    return f"item_{name}"


class AnswersForm(forms.Form):
    """One radio group per item of the instrument, each optional here: a draft keeps what is
    answered; whether enough is answered to finish is the scoring's call."""

    def __init__(
        self, *args: Any, instrument: Instrument, language: str | None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for number, item in enumerate(instrument.items, start=1):
            self.fields[item_field(item.id)] = forms.TypedChoiceField(
                label=wording(item.text, language),
                choices=[(str(o.value), wording(o.label, language)) for o in item.options],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose one of the answers to question %(number)s")
                    % {"number": number}
                },
            )
            self.fields[item_field(item.id)].number = number  # type: ignore[attr-defined]

    def answers(self) -> dict[str, int]:
        """The items answered, by item id (the empty ones left out: a draft keeps its own)."""
        data = self.cleaned_data
        return {
            item.id: data[item_field(item.id)]
            for item in self.instrument.items
            if data.get(item_field(item.id)) not in (None, "")
        }

    def refuse(self, problems: dict[str, str]) -> None:
        """The scoring's refusal, at each item it names (the rest at the top)."""
        ids = {item.id for item in self.instrument.items}
        for key, message in problems.items():
            self.add_error(item_field(key) if key in ids else None, message)

    def questions(self) -> list[dict[str, Any]]:
        """Each item as the template draws it: its number, field and first radio's id."""
        return [
            {"number": n, "field": self[item_field(item.id)], "id": item.id}
            for n, item in enumerate(self.instrument.items, start=1)
        ]

    def error_list(self) -> list[tuple[str, str]]:
        """(first radio's id, message) for every item wrong, in the order asked."""
        found = []
        for question in self.questions():
            for message in question["field"].errors:
                found.append((f"{question['field'].auto_id}_0", message))
        found += [("", message) for message in self.non_field_errors()]
        return found


class StartForm(WorkForm):
    """Which questionnaire, and when in the person's support it is asked."""

    instrument = forms.ChoiceField(
        label=_("Questionnaire"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a questionnaire"),
            "invalid_choice": _("Select a questionnaire"),
        },
    )
    timepoint = forms.ChoiceField(
        label=_("When is it asked?"),
        choices=TIMEPOINTS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether this is the baseline or the follow-up"),
            "invalid_choice": _("Select whether this is the baseline or the follow-up"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = instrument_choices()


class SendLinkForm(StartForm):
    """A link for the person to answer at home: which questionnaire, and how it is sent."""

    channel = forms.ChoiceField(
        label=_("Send the link by"),
        choices=LinkChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select e-mail or text message"),
            "invalid_choice": _("Select e-mail or text message"),
        },
    )


class ReferralOutcomeForm(WorkForm):
    """How the referral ended, coded, with the reasons and a note."""

    code = forms.ChoiceField(
        label=_("How did it end?"),
        choices=OutcomeCode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how the referral ended"),
            "invalid_choice": _("Select how the referral ended"),
        },
    )
    reasons = forms.MultipleChoiceField(
        label=_("Why (select all that apply)"),
        choices=OutcomeReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select reasons from the list")},
    )
    note = text_field(
        _("Anything else (optional)"),
        2000,
        rows=3,
        help_text=_("The referrer and the GP may read this: no more than they need."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if OutcomeReason.OTHER in (data.get("reasons") or []) and not data.get("note"):
            self.add_error("note", _("Say what the other reason is"))
        return data
