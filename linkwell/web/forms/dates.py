"""A date asked for as day, month and year in three boxes (the GOV.UK date input pattern).

Each box is a plain text input with `inputmode="numeric"` (not `type="number"`, which drops
leading zeros and changes with the mouse wheel), named `<name>-day`, `<name>-month` and
`<name>-year`, with ids `<id>-day` and so on. What was typed is kept when the form comes back
with an error, and each error says what to do, in GOV.UK's words:

- nothing typed:             "Enter date of birth"
- a part missing:            "Date of birth must include a month" (or "a day and year", ...)
- a year of other than 4 numbers: "Year must include 4 numbers"
- no such date:              "Date of birth must be a real date"
- `past=True` and not before today: "Date of birth must be in the past"
- the year `after_year` or before:  "Date of birth must be after 1900"

Every error carries `params["parts"]`: the boxes that are wrong, first to be linked from the
error summary (see `errors_in_order`) and all of them marked in red by `_date_input.html`.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkwell.web.forms.errors import LinkwellBoundField, first_input_id

PARTS = ("day", "month", "year")
_WIDTHS = {"day": 2, "month": 2, "year": 4}
_PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}

# GOV.UK accepts a month typed as a word ("March", "mar") as well as a number.
_MONTH_WORDS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_MISSING = {
    ("day",): _("%(label)s must include a day"),
    ("month",): _("%(label)s must include a month"),
    ("year",): _("%(label)s must include a year"),
    ("day", "month"): _("%(label)s must include a day and month"),
    ("day", "year"): _("%(label)s must include a day and year"),
    ("month", "year"): _("%(label)s must include a month and year"),
}


class DateInputWidget(forms.Widget):
    """Three text boxes; its value is a dict {"day": str, "month": str, "year": str}."""

    template_name = "web/forms/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None, *, autocomplete_birthday: bool = False):
        super().__init__(attrs)
        self.autocomplete_birthday = autocomplete_birthday

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else ""

    def value_from_datadict(self, data, files, name) -> dict[str, str]:
        return {part: (data.get(f"{name}-{part}") or "") for part in PARTS}

    def value_omitted_from_data(self, data, files, name) -> bool:
        return all(f"{name}-{part}" not in data for part in PARTS)

    def format_value(self, value) -> dict[str, str]:
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return {part: str(value.get(part) or "") for part in PARTS}
        return dict.fromkeys(PARTS, "")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        base_id = attrs.get("id") or ""
        wrong = attrs.pop("data-wrong-parts", "").split()
        # The fieldset holds these; each box needs neither.
        attrs.pop("aria-describedby", None)
        attrs.pop("aria-invalid", None)
        values = self.format_value(value)
        context["widget"]["parts"] = [
            {
                "part": part,
                "name": f"{name}-{part}",
                "id": f"{base_id}-{part}" if base_id else "",
                "label": _PART_LABELS[part],
                "value": values[part],
                "width": _WIDTHS[part],
                "invalid": part in wrong,
                "autocomplete": f"bday-{part}" if self.autocomplete_birthday else "",
            }
            for part in PARTS
        ]
        return context


class DateBoundField(LinkwellBoundField):
    """Marks the wrong boxes, and points `id_for_label` at the first box."""

    @property
    def wrong_parts(self) -> list[str]:
        wrong: list[str] = []
        for error in self.form.errors.as_data().get(self.name, []):
            for part in (error.params or {}).get("parts", ()):
                if part not in wrong:
                    wrong.append(part)
        return wrong

    @property
    def error_target_id(self) -> str:
        wrong = self.wrong_parts
        return f"{self.auto_id}-{wrong[0]}" if wrong and self.auto_id else first_input_id(self)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)  # GOV.UK: the browser's own messages are not used
        if self.errors:
            attrs["data-wrong-parts"] = " ".join(self.wrong_parts)
        return attrs


class DateInputField(forms.Field):
    """A date typed as day, month and year. Cleans to a `datetime.date` (or None if optional).

    past: refuse today and later ("must be in the past").
    after_year: refuse this year and earlier ("must be after 1900"); None for no limit.
    """

    widget = DateInputWidget
    bound_field_class = DateBoundField
    default_error_messages = {
        "required": _("Enter %(label_lower)s"),
        "year_digits": _("Year must include 4 numbers"),
        "invalid": _("%(label)s must be a real date"),
        "past": _("%(label)s must be in the past"),
        "after": _("%(label)s must be after %(year)s"),
    }

    def __init__(self, *, past: bool = False, after_year: int | None = 1900, **kwargs):
        kwargs.setdefault("help_text", _("For example, 27 3 2007"))
        super().__init__(**kwargs)
        self.past = past
        self.after_year = after_year

    def _error(self, code: str, parts: tuple[str, ...], **params) -> ValidationError:
        label = str(self.label or _("Date"))
        message = self.error_messages[code] if code in self.error_messages else _MISSING[parts]
        return ValidationError(
            message,
            code=code,
            params={
                "label": label,
                "label_lower": label[:1].lower() + label[1:],
                "parts": parts,
                **params,
            },
        )

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        typed = {part: str((value or {}).get(part) or "").strip() for part in PARTS}
        missing = tuple(part for part in PARTS if not typed[part])
        if len(missing) == len(PARTS):
            if self.required:
                raise self._error("required", PARTS)
            return None
        if missing:
            raise self._error("missing", missing)
        day, month, year = (_number(typed["day"]), _month(typed["month"]), _number(typed["year"]))
        wrong = tuple(
            part
            for part, ok in (
                ("day", day is not None and 1 <= day <= 31),
                ("month", month is not None and 1 <= month <= 12),
            )
            if not ok
        )
        if wrong:
            raise self._error("invalid", wrong)
        if year is None:
            raise self._error("invalid", ("year",))
        if len(typed["year"]) != 4:
            raise self._error("year_digits", ("year",))
        try:
            date = datetime.date(year, month, day)
        except ValueError:  # 31 February, 29 February of a common year
            raise self._error("invalid", ("day",)) from None
        if self.after_year is not None and date.year <= self.after_year:
            raise self._error("after", ("year",), year=self.after_year)
        if self.past and date >= timezone.localdate():
            raise self._error("past", PARTS)
        return date

    def validate(self, value) -> None:
        """Nothing more: `to_python` already said "Enter ..." for a required date."""

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class DateOfBirthField(DateInputField):
    """A date of birth: in the past, after 1900, and the browser may fill it in (bday-*)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Date of birth"))
        kwargs.setdefault("past", True)
        kwargs.setdefault("widget", DateInputWidget(autocomplete_birthday=True))
        super().__init__(**kwargs)


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{1,4}", text) else None


def _month(text: str) -> int | None:
    number = _number(text)
    return number if number is not None else _MONTH_WORDS.get(text.casefold().rstrip("."))
