"""A listing change, field by field, as lines of text a reviewer can compare (old -> new).

Each field is reduced to plain lines (one per phone, location, opening time...) so the review
page can mark removed lines with <del> and added ones with <ins>, with words as well as colour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import time_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from linkwell.directory import vocabularies as vocab
from linkwell.directory.listings.records import Listing
from linkwell.directory.presentation import DAY_NAMES

NEED_NAMES = {vocab.stable_id("term", vocab.NEEDS.key, t.code): t.name for t in vocab.NEEDS.terms}


def _ages(listing: Listing) -> list[str]:
    low, high = listing.record.minimum_age, listing.record.maximum_age
    if low is None and high is None:
        return []
    return [
        _("%(low)s to %(high)s")
        % {"low": "?" if low is None else low, "high": "?" if high is None else high}
    ]


def _cost(listing: Listing) -> list[str]:
    record = listing.record
    lines = [
        " ".join(p for p in (c.option, str(c.amount or ""), c.amount_description) if p)
        for c in record.cost_options
    ]
    if record.fees:
        lines.append(record.fees)
    return lines


def _location_line(listing: Listing, index: int) -> str:
    loc = listing.record.locations[index]
    if loc.location_type == "virtual":
        return _("Online") + (f" ({loc.url})" if loc.url else "")
    address = loc.addresses[0] if loc.addresses else None
    parts = [loc.name]
    if address:
        parts += [address.address_1, address.address_2, address.city]
    parts.append(loc.postcode)
    return ", ".join(p for p in parts if p)


def _locations(listing: Listing) -> list[str]:
    return [_location_line(listing, i) for i in range(len(listing.record.locations))]


def _times(listing: Listing) -> list[str]:
    lines = []
    for schedule, where in zip(listing.record.schedules, listing.schedule_locations, strict=True):
        days = [
            str(DAY_NAMES.get(code.strip(), code.strip()))
            for code in schedule.byday.split(",")
            if code.strip()
        ]
        hours = ""
        if schedule.opens_at and schedule.closes_at:
            hours = _("%(opens)s to %(closes)s") % {
                "opens": time_format(schedule.opens_at, "H:i"),
                "closes": time_format(schedule.closes_at, "H:i"),
            }
        text = ", ".join(
            p for p in (get_text_list(days, _("and")), hours, schedule.description) if p
        )
        if schedule.freq == "MONTHLY":
            text = _("Monthly: %(text)s") % {"text": text}
        if where is None or where >= len(listing.record.locations):
            lines.append(text)  # the service as a whole
            continue
        place = listing.record.locations[where].name or _location_line(listing, where)
        lines.append(_("%(times)s (at %(place)s)") % {"times": text, "place": place})
    return lines


def _phones(listing: Listing) -> list[str]:
    return [p.number for c in listing.record.contacts for p in c.phones]


FIELDS: tuple[tuple[str, object, Callable[[Listing], list[str]]], ...] = (
    ("name", pgettext_lazy("a service's", "Name"), lambda x: [x.record.name]),
    (
        "description",
        gettext_lazy("What the service does"),
        lambda x: x.record.description.splitlines(),
    ),
    (
        "eligibility_description",
        gettext_lazy("Who it is for"),
        lambda x: x.eligibility_description.splitlines(),
    ),
    ("ages", gettext_lazy("Ages"), _ages),
    ("email", gettext_lazy("Email address"), lambda x: [x.record.email] if x.record.email else []),
    ("url", gettext_lazy("Website"), lambda x: [x.record.url] if x.record.url else []),
    ("phones", gettext_lazy("Phone numbers"), _phones),
    ("cost", gettext_lazy("Cost"), _cost),
    ("languages", gettext_lazy("Languages"), lambda x: [n or c for c, n in x.record.languages]),
    (
        "needs",
        gettext_lazy("Needs it helps with"),
        lambda x: sorted(str(NEED_NAMES[t.id]) for t in x.record.terms if t.id in NEED_NAMES),
    ),
    ("locations", gettext_lazy("Places and delivery"), _locations),
    ("opening_times", gettext_lazy("Opening times"), _times),
)


@dataclass
class Line:
    text: str
    kind: str  # "same", "removed", "added"


@dataclass
class FieldDiff:
    key: str
    label: str
    old: list[str]
    new: list[str]

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def lines(self) -> list[Line]:
        """Old lines not kept (removed), then kept and new lines in the new order."""
        kept = set(self.old) & set(self.new)
        removed = [Line(t, "removed") for t in self.old if t not in kept]
        rest = [Line(t, "same" if t in kept else "added") for t in self.new]
        return removed + rest


def field_diffs(old: Listing, new: Listing) -> list[FieldDiff]:
    return [FieldDiff(key, str(label), show(old), show(new)) for key, label, show in FIELDS]


def changed_fields(old: Listing, new: Listing) -> list[FieldDiff]:
    return [d for d in field_diffs(old, new) if d.changed]


def changed_labels(old: Listing, new: Listing) -> list[str]:
    """The keys of the fields that differ (for the audit log and "nothing changed")."""
    return [d.key for d in changed_fields(old, new)]
