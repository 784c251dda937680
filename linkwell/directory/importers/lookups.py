"""Look-ups loaded once per import, so validating 100,000 rows costs no query per row."""

import re
from dataclasses import dataclass, field

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.places.models import Constituency, Place, Ward

WHOLE_DISTRICT_WORDS = {"whole district", "district wide", "districtwide", "all", "all wards"}
_SPACES = re.compile(r"[\s_\-]+")


def squash(text: str) -> str:
    """Lower case, single spaces: how names are compared."""
    return _SPACES.sub(" ", str(text or "")).strip().lower()


class AreaError(ValueError):
    """An area name or code that no ward, constituency or the place answers to."""


@dataclass
class Area:
    ward_code: str = ""
    constituency_code: str = ""
    whole_place: bool = False
    name: str = ""


@dataclass
class Lookups:
    # (scheme, squashed code) -> (code as the crosswalk writes it, operating-model tier)
    tiers: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    scheme_levels: dict[str, list[str]] = field(default_factory=dict)
    wards: dict[str, tuple[str, str]] = field(default_factory=dict)  # squashed name/code -> ward
    constituencies: dict[str, tuple[str, str]] = field(default_factory=dict)
    place_names: set[str] = field(default_factory=set)
    ward_names_by_code: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Lookups":
        found = cls()
        for scheme_key, code, tier in m.TierLevel.objects.values_list(
            "scheme__key", "code", "tier"
        ):
            found.tiers[(scheme_key, squash(code))] = (code, tier)
            found.scheme_levels.setdefault(scheme_key, []).append(code)
        for code, name in Ward.objects.values_list("code", "name"):
            found.wards[squash(name)] = (code, name)
            found.wards[squash(code)] = (code, name)
            found.ward_names_by_code[code] = name
        for code, name in Constituency.objects.values_list("code", "name"):
            found.constituencies[squash(name)] = (code, name)
            found.constituencies[squash(code)] = (code, name)
        for name in Place.objects.values_list("name", flat=True):
            found.place_names |= {squash(name), squash(f"{name} district"), squash(f"all {name}")}
        return found

    def tier(self, scheme_key: str, level: str) -> tuple[str, int]:
        """(The level's code, its operating-model tier) for a level of a partner's scheme.

        Forgives case, spaces and underscores; a ValueError names the known levels.
        """
        found = self.tiers.get((scheme_key, squash(level)))
        if found is not None:
            return found
        if scheme_key not in self.scheme_levels:
            known = ", ".join(sorted(self.scheme_levels))
            raise ValueError(f"unknown tier scheme {scheme_key!r} (known: {known})")
        known = ", ".join(self.scheme_levels[scheme_key])
        raise ValueError(f"tier {level!r} is not in scheme {scheme_key!r} (known: {known})")

    def area(self, text: str) -> Area:
        """A ward or constituency by name or ONS code, or the whole place."""
        key = squash(text)
        if key in WHOLE_DISTRICT_WORDS or key in self.place_names:
            return Area(whole_place=True)
        kind = ""
        for suffix in ("ward", "constituency"):
            for form in (f" {suffix}", f" ({suffix})"):
                if key.endswith(form):
                    key, kind = key[: -len(form)].strip(), suffix
        ward = self.wards.get(key) if kind in ("", "ward") else None
        constituency = self.constituencies.get(key) if kind in ("", "constituency") else None
        if ward and constituency:
            raise AreaError(
                f"{text!r} is both a ward and a constituency: write "
                f"'{ward[1]} ward' or '{constituency[1]} constituency', or use the ONS code"
            )
        if ward:
            return Area(ward_code=ward[0], name=ward[1])
        if constituency:
            return Area(constituency_code=constituency[0], name=constituency[1])
        raise AreaError(f"unknown ward or constituency {text.strip()!r}")

    def area_label(self, name: str, is_ward: bool) -> str:
        """How an area is written in a spreadsheet, with the kind added when the name is shared."""
        shared = squash(name) in self.wards and squash(name) in self.constituencies
        return f"{name} {'ward' if is_ward else 'constituency'}" if shared else name


NEED_LOOKUP = {squash(t.code): t.code for t in vocab.NEEDS.terms} | {
    squash(t.name): t.code for t in vocab.NEEDS.terms
}
LIFE_STAGE_LOOKUP = {squash(t.code): t.code for t in vocab.LIFE_STAGES.terms} | {
    squash(t.name): t.code for t in vocab.LIFE_STAGES.terms
}
