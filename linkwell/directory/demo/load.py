"""Loading the demo directory: partners first (with their proper kinds), then the services,
all in one transaction and only through the accounts and directory actions."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from linkwell.accounts.actions import create_organisation
from linkwell.accounts.models import Organisation
from linkwell.directory.actions import save_services
from linkwell.directory.demo import demo_records
from linkwell.directory.demo.common import SOURCE, data_file
from linkwell.directory.records import ServiceRecord
from linkwell.places.models import Place

VIA = "demo"


class NoPlaceLoaded(RuntimeError):
    """The demo directory needs a place (wards, venues, practices) to hang on."""


@dataclass
class DemoLoad:
    records: list[ServiceRecord]
    created: int = 0
    updated: int = 0
    partners_created: list[str] = field(default_factory=list)


def ensure_partners(*, actor: Any) -> list[str]:
    """Create the partners named in organizations.yaml that the partnership lacks."""
    created = []
    for entry in data_file("organizations.yaml").values():
        name, kind = entry.get("partner"), entry.get("kind")
        if not (name and kind):
            continue
        if Organisation.objects.filter(parent=None, name__iexact=name).exists():
            continue
        create_organisation(
            actor=actor, name=name, kind=kind, ods_code=entry.get("ods_code", ""), via=VIA
        )
        created.append(name)
    return created


def load_demo_directory(*, actor: Any) -> DemoLoad:
    """Load or refresh the demo directory; running it again changes nothing new."""
    if not Place.objects.exists():
        raise NoPlaceLoaded("No place is loaded: run `linkwell load_place` first.")
    records = demo_records()
    with transaction.atomic():
        partners = ensure_partners(actor=actor)
        result = save_services(records, actor=actor, via=VIA, source=SOURCE)
    return DemoLoad(records, result.created, result.updated, partners)
