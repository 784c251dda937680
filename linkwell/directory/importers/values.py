"""Parsing single values as partners and feeds write them; ValueError says what is wrong."""

import datetime as dt
import functools
import re
import uuid
from decimal import Decimal, InvalidOperation

from linkwell.directory import models as m
from linkwell.directory.importers.lookups import squash

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_uuid(value: object) -> uuid.UUID:
    if not isinstance(value, str):
        raise ValueError("must be a UUID string")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a UUID") from None


def parse_money(value: object) -> Decimal | None:
    """'£12,500', '12500.00', 12500 -> Decimal; blank -> None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount of money")
    text = str(value).strip().replace(",", "").replace("£", "").replace("GBP", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount of money (write e.g. 12500)") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{value!r} must be zero or more")
    if amount >= Decimal("1e10"):
        raise ValueError(f"{value!r} is too large")
    return amount.quantize(Decimal("0.01"))


def parse_date(value: object) -> dt.date | None:
    """ISO dates, dd/mm/yyyy (as UK spreadsheets write them), or a spreadsheet date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if ISO_DATE_RE.match(text):  # as feeds write them: strptime costs ten times more
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            pass  # e.g. 2026-02-30: the patterns below say so
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(
                text[:10] if pattern == "%Y-%m-%d" else text, pattern
            ).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date (write e.g. 2026-03-31 or 31/03/2026)")


def parse_datetime(value: object) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("must be a date-time string")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_time(value: object) -> dt.time | None:
    if value is None or value == "":
        return None
    match = TIME_RE.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a time (HH:MM)")
    return dt.time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def parse_email(value: object) -> str:
    text = str(value or "").strip()
    if text and not EMAIL_RE.match(text):
        raise ValueError(f"{text!r} is not an email address")
    return text


def parse_url(value: object) -> str:
    text = str(value or "").strip()
    if text and not re.match(r"^https?://[^\s/]+\.[^\s]+$", text):
        if re.match(r"^[\w-]+(\.[\w-]+)+(/\S*)?$", text):
            return f"https://{text}"  # 'www.example.org' as people write it
        raise ValueError(f"{text!r} is not a web address")
    return text


def parse_choice(value: object, choices: type[m.models.TextChoices], what: str) -> str:
    """A choice by its value or label, forgiving case, spaces, hyphens."""
    key = squash(str(value or ""))
    if not key:
        return ""
    found = _choice_keys(choices).get(key)
    if found is not None:
        return found
    allowed = ", ".join(str(v) for v, _ in choices.choices)
    raise ValueError(f"{value!r} is not a {what} (one of: {allowed})")


@functools.cache
def _choice_keys(choices: type[m.models.TextChoices]) -> dict[str, str]:
    """Squashed value and label -> value (the first choice wins, as a loop over them would)."""
    keys: dict[str, str] = {}
    for choice_value, label in choices.choices:
        keys.setdefault(squash(choice_value), choice_value)
        keys.setdefault(squash(label), choice_value)
    return keys


COMMISSIONING_WORDS = {"internal": "internal", "in house": "internal", "external": "external"}
EVIDENCE_WORDS = {
    "not rated": "not_rated",
    "": "not_rated",
    "nl2": "eif_nl2",
    "eif nl2": "eif_nl2",
    "2": "eif_2",
    "eif 2": "eif_2",
    "3": "eif_3",
    "eif 3": "eif_3",
    "4": "eif_4",
    "eif 4": "eif_4",
}


def parse_commissioning(value: object) -> str:
    key = squash(str(value or ""))
    for word, code in COMMISSIONING_WORDS.items():
        if key == word or key.startswith(word) or key.endswith(f" {word}ly"):
            return code
    return parse_choice(value, m.Commissioning, "commissioning")


def parse_evidence(value: object) -> str:
    key = squash(str(value or "")).replace("level ", "")
    return EVIDENCE_WORDS.get(key) or parse_choice(value, m.EvidenceRating, "evidence rating")


def parse_funding_type(value: object) -> str:
    return parse_choice(value, m.FundingType, "funding type (recurrent or short-term)")
