"""Possible duplicates as the page and the CSV list them: the pairs the last refresh found,
each with its verdict if someone has judged it (verdicts outlive refreshes). A dismissed pair
is left out unless asked for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from linkwell.directory import vocabularies as vocab
from linkwell.intelligence.models import DuplicatePair, DuplicateVerdict, Snapshot, Verdict

# Which pairs: not dismissed (the default), not yet judged, confirmed, dismissed, every one.
SHOW_CHOICES = ("current", "open", "confirmed", "dismissed", "all")


@dataclass
class Listed:
    pair: DuplicatePair
    verdict: DuplicateVerdict | None

    @property
    def key(self) -> str:
        return f"{self.pair.service_a.hex}-{self.pair.service_b.hex}"

    @property
    def needs(self) -> list[str]:
        names = {t.code: t.name for t in vocab.NEEDS.terms}
        return [_(names.get(code, code)) for code in self.pair.reasons.get("needs", [])]

    @property
    def areas(self) -> list[str]:
        kinds = {
            "ward": _("%(name)s (ward)"),
            "constituency": _("%(name)s (constituency)"),
            "place": _("%(name)s (the whole place)"),
        }
        return [
            kinds.get(area.get("kind"), "%(name)s") % {"name": area.get("name", "")}
            for area in self.pair.reasons.get("areas", [])
        ]

    @property
    def similarity(self) -> int:
        return int(self.pair.reasons.get("similarity", round(self.pair.score * 100)))


def _shown(verdict: DuplicateVerdict | None, show: str) -> bool:
    state = verdict.verdict if verdict else "open"
    if show == "all":
        return True
    if show == "current":
        return state != Verdict.DISMISSED
    return state == show


def listed(show: str = "current") -> tuple[list[Listed], dict[str, int]]:
    """The pairs to list for `show` (one of SHOW_CHOICES), most alike first, and how many
    pairs there are of each kind (for the filter)."""
    pairs = list(DuplicatePair.objects.all())  # at most the build's KEEP
    firsts = {p.service_a for p in pairs}
    verdicts = {
        (v.service_a, v.service_b): v for v in DuplicateVerdict.objects.filter(service_a__in=firsts)
    }
    every = [Listed(p, verdicts.get((p.service_a, p.service_b))) for p in pairs]
    counts = {
        show_key: sum(_shown(x.verdict, show_key) for x in every) for show_key in SHOW_CHOICES
    }
    return [x for x in every if _shown(x.verdict, show)], counts


def pair_of(a: uuid.UUID, b: uuid.UUID) -> DuplicatePair | None:
    """The current pair of these two services (ids in either order), if the last refresh
    found it."""
    first, second = (a, b) if a < b else (b, a)
    return DuplicatePair.objects.filter(service_a=first, service_b=second).first()


def found_figures() -> dict[str, object]:
    """How many pairs the last refresh found and how many it kept (from its snapshot)."""
    snapshot = Snapshot.objects.order_by("-taken_at").first()
    return (snapshot.data.get("duplicates") or {}) if snapshot else {}
