"""Every change to the directory goes through here: atomic, audited, actor given."""

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from linkwell.accounts.actions import ensure_department, ensure_partner
from linkwell.accounts.models import Organisation
from linkwell.audit.actions import record_event, record_events
from linkwell.core import bulk
from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab
from linkwell.directory.records import (
    LocationRecord,
    OrganizationRecord,
    ServiceRecord,
    TermRef,
)
from linkwell.directory.search import points as search_points
from linkwell.places.models import Constituency, Place, Postcode, Ward
from linkwell.places.queries import PostcodeError, normalise_postcode


class CrosswalkError(ValueError):
    """A tier given in a partner's scheme that the crosswalk does not know."""


def ensure_vocabularies() -> None:
    """Create or refresh the fixed taxonomies and tier crosswalks (idempotent)."""
    with transaction.atomic():
        for vocabulary in vocab.ALL:
            taxonomy, _ = m.Taxonomy.objects.update_or_create(
                id=vocab.stable_id("taxonomy", vocabulary.key),
                defaults={
                    "key": vocabulary.key,
                    "name": vocabulary.name,
                    "description": vocabulary.description,
                },
            )
            for position, term in enumerate(vocabulary.terms):
                m.TaxonomyTerm.objects.update_or_create(
                    id=vocab.stable_id("term", vocabulary.key, term.code),
                    defaults={
                        "taxonomy": taxonomy,
                        "code": term.code,
                        "name": term.name,
                        "description": term.description,
                        "position": position,
                    },
                )
        for scheme in vocab.TIER_SCHEMES:
            tier_scheme, _ = m.TierScheme.objects.update_or_create(
                key=scheme.key, defaults={"name": scheme.name, "description": scheme.description}
            )
            for level in scheme.levels:
                m.TierLevel.objects.update_or_create(
                    scheme=tier_scheme,
                    code=level.code,
                    defaults={"label": level.label, "tier": level.tier},
                )


def tier_from_scheme(scheme_key: str, level_code: str) -> tuple[m.TierScheme, int]:
    """Convert a tier in a partner's own scheme into the operating-model tier."""
    level = (
        m.TierLevel.objects.select_related("scheme")
        .filter(scheme__key=scheme_key, code__iexact=str(level_code).strip())
        .first()
    )
    if level is None:
        known = m.TierLevel.objects.filter(scheme__key=scheme_key).values_list("code", flat=True)
        if not known:
            raise CrosswalkError(f"unknown tier scheme {scheme_key!r}")
        raise CrosswalkError(
            f"tier {level_code!r} is not in scheme {scheme_key!r} (known: {', '.join(known)})"
        )
    return level.scheme, level.tier


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # skipped: the same as the last import wrote (`skip_unchanged`)
    service_ids: list[uuid.UUID] = field(default_factory=list)


def _partner(name: str, cache: dict[str, Organisation], actor: Any, via: str) -> Organisation:
    """The partner called `name` (accounts creates it if need be), once per import."""
    key = name.strip().lower()
    if key not in cache:
        cache[key] = ensure_partner(name, actor=actor, via=via)
    return cache[key]


def _department(
    partner: Organisation, name: str, actor: Any, via: str, cache: dict | None = None
) -> Organisation:
    """The department of `partner` called `name` (accounts creates it if need be)."""
    key = (partner.pk, name.strip().lower())
    if cache is not None and key in cache:
        return cache[key]
    department = ensure_department(partner, name, actor=actor, via=via)
    if cache is not None:
        cache[key] = department
    return department


class _Resolver:
    """Caches look-ups (terms, wards, postcodes) across one batch."""

    def __init__(self) -> None:
        self.terms = {
            (t.taxonomy.key, t.code): t
            for t in m.TaxonomyTerm.objects.select_related("taxonomy").filter(
                taxonomy__key__startswith="linkwell-"
            )
        }
        self.terms_by_id: dict[uuid.UUID, m.TaxonomyTerm] = {t.id: t for t in self.terms.values()}
        self.wards = {w.code: w for w in Ward.objects.all()}
        self.constituencies = {c.code: c for c in Constituency.objects.all()}
        self.place = Place.objects.order_by("id").first()
        self.partners: dict[str, Organisation] = {}
        self.departments: dict[tuple[int, str], Organisation] = {}
        self.tier_levels = {
            (level.scheme.key, level.code.lower()): (level.scheme, level.tier)
            for level in m.TierLevel.objects.select_related("scheme")
        }

    def tier(self, scheme_key: str, level_code: str) -> tuple[m.TierScheme, int]:
        """As `tier_from_scheme`, from the crosswalk loaded once per batch."""
        found = self.tier_levels.get((scheme_key, str(level_code).strip().lower()))
        return found if found else tier_from_scheme(scheme_key, level_code)  # raises

    def term(self, ref: TermRef) -> m.TaxonomyTerm:
        if ref.id and ref.id in self.terms_by_id:
            return self.terms_by_id[ref.id]
        if ref.taxonomy_key and (ref.taxonomy_key, ref.code) in self.terms:
            return self.terms[(ref.taxonomy_key, ref.code)]
        if ref.id:
            term = m.TaxonomyTerm.objects.filter(id=ref.id).first()
            if term is None:
                term = self._create_foreign_term(ref)
            self.terms_by_id[term.id] = term
            return term
        raise ValueError(f"unknown taxonomy term {ref.taxonomy_key}/{ref.code}")

    def _create_foreign_term(self, ref: TermRef) -> m.TaxonomyTerm:
        taxonomy_id = ref.taxonomy_id or vocab.stable_id("foreign-taxonomy", ref.taxonomy_name)
        taxonomy, _ = m.Taxonomy.objects.get_or_create(
            id=taxonomy_id,
            defaults={
                "key": f"feed-{str(taxonomy_id)[:8]}",
                "name": ref.taxonomy_name or "Imported taxonomy",
                "description": ref.taxonomy_name or "Taxonomy carried by an imported feed.",
            },
        )
        return m.TaxonomyTerm.objects.create(
            id=ref.id,
            taxonomy=taxonomy,
            code=ref.code or str(ref.id),
            name=ref.name or ref.code or str(ref.id),
            description=ref.description or ref.name or ref.code or "Imported term",
        )

    def postcodes(self, codes: set[str]) -> dict[str, Postcode]:
        return {p.postcode: p for p in Postcode.objects.filter(postcode__in=codes)}


def _child_id(parent_id: uuid.UUID, kind: str, index: int, given: uuid.UUID | None) -> uuid.UUID:
    return given or uuid.uuid5(parent_id, f"{kind}/{index}")


def _location_id(record: LocationRecord, organization_id: uuid.UUID) -> uuid.UUID:
    if record.id:
        return record.id
    first_line = record.addresses[0].address_1 if record.addresses else ""
    return vocab.stable_id(
        "location", str(organization_id), record.name.lower(), record.postcode, first_line.lower()
    )


def _clean_postcode(text: str) -> str:
    try:
        return normalise_postcode(text) if text else ""
    except PostcodeError:
        return text.strip().upper()[:8]


def save_services(
    records: Sequence[ServiceRecord],
    *,
    actor: Any,
    via: str,
    source: str = "",
    skip_unchanged: bool = False,
) -> SaveResult:
    """Create or update services (and all they hold) in one transaction.

    Ids come from the records or, failing that, from natural keys, so saving the same records
    again updates in place. Children of a saved service are replaced by those in its record.
    `skip_unchanged` (imports): a record identical to the one the last import saved for that
    service is left alone, so a nightly re-import of a whole feed rewrites, re-audits and
    re-dates only what changed (docs/adr/0017). Other writers clear the fingerprint.
    """
    result = SaveResult()
    if not records:
        return result
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    user_id = user.pk if user else None
    with transaction.atomic():
        resolver = _Resolver()
        fingerprints: dict[uuid.UUID, str] = {}
        if skip_unchanged:
            given = len(records)
            records, fingerprints = _changed_records(records, source, resolver)
            result.unchanged = given - len(records)
            if not records:
                return result
        # Organisations (plain rows, not model instances: 100,000 of them cost seconds).
        orgs: dict[uuid.UUID, bulk.Row] = {}
        org_partners: dict[uuid.UUID, Organisation | None] = {}
        org_ids: list[uuid.UUID] = []
        for record in records:
            org = record.organization
            org_id = organization_id_of(org)
            org_ids.append(org_id)
            partner = (
                _partner(org.partner_name, resolver.partners, actor, via)
                if (org.partner_name)
                else None
            )
            org_partners[org_id] = partner
            orgs[org_id] = bulk.Row(
                id=org_id,
                name=org.name,
                description=org.description or org.name,
                email=org.email,
                website=org.website,
                logo=org.logo,
                uri=org.uri,
                partner_id=partner.pk if partner else None,
                is_demo=org.is_demo,
                created_at=now,
                updated_at=now,
                created_by_id=user_id,
                updated_by_id=user_id,
            )
        existing_orgs = set(m.Organization.objects.filter(id__in=orgs).values_list("id", flat=True))
        bulk.insert(m.Organization, [o for k, o in orgs.items() if k not in existing_orgs])
        bulk.update(
            m.Organization,
            [o for k, o in orgs.items() if k in existing_orgs],
            [
                "name",
                "description",
                "email",
                "website",
                "logo",
                "uri",
                "partner",
                "is_demo",
                "updated_by",
                "updated_at",
            ],
        )
        for record in records:
            org = record.organization
            if org.identifiers:
                org_id = org_ids[records.index(record)]
                m.OrganizationIdentifier.objects.filter(organization_id=org_id).delete()
                m.OrganizationIdentifier.objects.bulk_create(
                    m.OrganizationIdentifier(
                        id=uuid.uuid5(org_id, f"identifier/{i}"),
                        organization_id=org_id,
                        identifier_scheme=scheme,
                        identifier_type=kind,
                        identifier=value,
                    )
                    for i, (scheme, kind, value) in enumerate(org.identifiers)
                )

        # Services.
        services: dict[uuid.UUID, bulk.Row] = {}
        # Random as ever, but rising in the order the rows are written: SQLite's full-text
        # index flushes its pending terms whenever a rowid goes down (about 4 s of 20 s
        # for 20,000 services when every row did).
        rowids = iter(sorted(m.new_search_rowid() for _ in records))
        for record, org_id in zip(records, org_ids, strict=True):
            service_id = service_id_of(record)
            tier, scheme = record.tier, None
            if record.tier_scheme_key and record.tier_in_scheme:
                scheme, tier = resolver.tier(record.tier_scheme_key, record.tier_in_scheme)
            partner = (
                _partner(record.partner_name, resolver.partners, actor, via)
                if record.partner_name
                else org_partners[org_id]
            )
            department = (
                _department(partner, record.department_name, actor, via, resolver.departments)
                if partner and record.department_name
                else None
            )
            services[service_id] = bulk.Row(
                id=service_id,
                organization_id=org_id,
                name=record.name,
                description=record.description,
                url=record.url,
                email=record.email,
                status=record.status or m.ServiceStatus.ACTIVE,
                fees=record.fees,
                accreditations=record.accreditations,
                minimum_age=record.minimum_age,
                maximum_age=record.maximum_age,
                assured_date=record.assured_date,
                assurer_email=record.assurer_email,
                alert=record.alert,
                last_modified=record.last_modified or now,
                tier=tier,
                tier_scheme_id=scheme.pk if scheme else None,
                tier_in_scheme=record.tier_in_scheme,
                partner_id=partner.pk if partner else None,
                department_id=department.pk if department else None,
                annual_cost=record.annual_cost,
                funding_type=record.funding_type,
                commissioning=record.commissioning,
                evidence_rating=record.evidence_rating or m.EvidenceRating.NOT_RATED,
                is_demo=record.is_demo,
                demo_fields=list(record.demo_fields),
                source=record.source or source,
                import_fingerprint=fingerprints.get(service_id),
                search_rowid=next(rowids),
                created_at=now,
                updated_at=now,
                created_by_id=user_id,
                updated_by_id=user_id,
            )
        existing = set(m.Service.objects.filter(id__in=services).values_list("id", flat=True))
        moved, locations, accessibility = _replace_children(records, list(services), resolver, now)
        for service, record in zip(services.values(), records, strict=True):
            service["search_terms"] = _search_terms(
                record, orgs[service["organization_id"]], resolver
            )
        bulk.insert(m.Service, [s for k, s in services.items() if k not in existing])
        update_fields = [
            f.name
            for f in m.Service._meta.concrete_fields
            if f.name not in {"id", "created_at", "created_by", "search_rowid"}
        ]
        bulk.update(m.Service, [s for k, s in services.items() if k in existing], update_fields)
        children = _replace_service_rows(records, list(services), resolver, existing)
        rowids = dict(m.Service.objects.filter(id__in=existing).values_list("id", "search_rowid"))
        for key, service in services.items():
            service["search_rowid"] = rowids.get(key, service["search_rowid"])
        search_points.replace(
            existing,  # new services have no search rows yet
            search_points.rows_of(
                services=services,
                children=children,
                locations=locations,
                accessibility=accessibility,
            ),
        )
        # Services elsewhere sharing a location saved here move with it.
        search_points.refresh(search_points.services_at_locations(moved) - services.keys())
        result.created = len(services) - len(existing)
        result.updated = len(existing)
        result.service_ids = list(services)
        record_events(
            actor=actor,
            action="directory.service.saved",
            targets=[("directory.service", str(k), s["name"]) for k, s in services.items()],
            via=via,
            details={"source": source} if source else None,
        )
    return result


FINGERPRINT_VERSION = "1"  # bump when save_services maps records to rows differently


def organization_id_of(org: OrganizationRecord) -> uuid.UUID:
    """The id an organisation is saved under: its own, or one made from its name."""
    return org.id or vocab.stable_id("organization", org.name.strip().lower())


def service_id_of(record: ServiceRecord) -> uuid.UUID:
    """The id a record is saved under: its own, or one made from its natural key."""
    if record.id:
        return record.id
    org_id = organization_id_of(record.organization)
    return vocab.stable_id("service", str(org_id), record.name.strip().lower())


def fingerprint(record: ServiceRecord, source: str, resolver: _Resolver) -> str:
    """What a save of this record would write, in 32 hex digits: the record (dataclass reprs
    are deterministic: lists and tuples, no sets), the source it is saved from, and the tier
    the crosswalk gives today (the crosswalk can change between imports)."""
    tier: Any = record.tier
    if record.tier_scheme_key and record.tier_in_scheme:
        try:
            tier = resolver.tier(record.tier_scheme_key, record.tier_in_scheme)[1]
        except ValueError:
            tier = "?"  # the save itself reports it
    text = f"{FINGERPRINT_VERSION}|{source}|{tier}|{record!r}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _changed_records(
    records: Sequence[ServiceRecord], source: str, resolver: _Resolver
) -> tuple[list[ServiceRecord], dict[uuid.UUID, str]]:
    """The records whose fingerprint differs from the stored one (or that are new), and the
    fingerprint of every record by service id."""
    keyed = [(service_id_of(r), fingerprint(r, source, resolver)) for r in records]
    stored = dict(
        m.Service.objects.filter(id__in=[key for key, _ in keyed]).values_list(
            "id", "import_fingerprint"
        )
    )
    changed = [
        record
        for record, (key, print_) in zip(records, keyed, strict=True)
        if stored.get(key) != print_
    ]
    return changed, dict(keyed)


def _search_terms(record: ServiceRecord, org: bulk.Row, resolver: _Resolver) -> str:
    words = [org["name"]]
    for ref in record.terms:
        try:
            words.append(resolver.term(ref).name)
        except ValueError:
            continue
    words += [name for _code, name in record.languages]
    for location in record.locations:
        words += [location.name, location.postcode]
        words += [a.city for a in location.addresses]
    words += [a.name for a in record.service_areas]
    if record.tier:
        words.append(f"tier {record.tier}")
    return " ".join(w for w in words if w)


def _replace_children(
    records: Sequence[ServiceRecord],
    service_ids: list[uuid.UUID],
    resolver: _Resolver,
    now: dt.datetime,
) -> tuple[set[uuid.UUID], dict[uuid.UUID, bulk.Row], dict[uuid.UUID, list[bulk.Row]]]:
    """Locations are shared objects (HSDS): upsert them by id, before their services.

    Returns the ids of locations that already existed (other services may share them), and
    the location and accessibility rows written (for the search rows)."""
    postcodes = resolver.postcodes(
        {_clean_postcode(loc.postcode) for r in records for loc in r.locations if loc.postcode}
    )
    # Keyed by location: a location shared by several services of the batch is written once
    # (the last record's version, as for the location row itself).
    locations: dict[uuid.UUID, bulk.Row] = {}
    addresses: dict[uuid.UUID, list[bulk.Row]] = {}
    accessibility: dict[uuid.UUID, list[bulk.Row]] = {}
    for record in records:
        org_id = organization_id_of(record.organization)
        for loc in record.locations:
            loc_id = _location_id(loc, org_id)
            loc.id = loc_id
            postcode = _clean_postcode(loc.postcode)
            centroid = postcodes.get(postcode)
            latitude = (
                loc.latitude
                if loc.latitude is not None
                else (centroid.latitude if centroid else None)
            )
            longitude = (
                loc.longitude
                if loc.longitude is not None
                else (centroid.longitude if centroid else None)
            )
            locations[loc_id] = bulk.Row(
                id=loc_id,
                organization_id=org_id,
                location_type=loc.location_type,
                url=loc.url,
                name=loc.name,
                description=loc.description,
                latitude=latitude,
                longitude=longitude,
                external_identifier=loc.external_identifier,
                external_identifier_type=loc.external_identifier_type,
                postcode=postcode,
                ward_id=centroid.ward_id if centroid else None,
                is_demo=loc.is_demo,
                created_at=now,
                updated_at=now,
            )
            addresses[loc_id] = [
                bulk.Row(
                    id=_child_id(loc_id, "address", i, address.id),
                    location_id=loc_id,
                    attention=address.attention,
                    address_1=address.address_1,
                    address_2=address.address_2,
                    city=address.city,
                    region=address.region,
                    state_province=address.state_province,
                    postal_code=_clean_postcode(address.postal_code),
                    country=address.country,
                    address_type=address.address_type,
                )
                for i, address in enumerate(loc.addresses)
            ]
            accessibility[loc_id] = [
                bulk.Row(
                    id=uuid.uuid5(loc_id, f"accessibility/{i}"),
                    location_id=loc_id,
                    description=text,
                )
                for i, text in enumerate(loc.accessibility)
            ]
    existing = set(m.Location.objects.filter(id__in=locations).values_list("id", flat=True))
    bulk.insert(m.Location, [v for k, v in locations.items() if k not in existing])
    bulk.update(
        m.Location,
        [v for k, v in locations.items() if k in existing],
        [
            "organization",
            "location_type",
            "url",
            "name",
            "description",
            "latitude",
            "longitude",
            "external_identifier",
            "external_identifier_type",
            "postcode",
            "ward",
            "is_demo",
            "updated_at",
        ],
    )
    if existing:  # new locations have no addresses yet
        m.Address.objects.filter(location_id__in=existing).delete()
        m.Accessibility.objects.filter(location_id__in=existing).delete()
    bulk.insert(m.Address, [row for rows in addresses.values() for row in rows])
    bulk.insert(m.Accessibility, [row for rows in accessibility.values() for row in rows])
    return existing, locations, accessibility


def _replace_service_rows(
    records: Sequence[ServiceRecord],
    service_ids: list[uuid.UUID],
    resolver: _Resolver,
    existing: set[uuid.UUID],
) -> dict[str, list[bulk.Row]]:
    """Replace every row a service owns (ids stay stable: given, or made from the position).

    Only services that were already saved can own rows to delete (`existing`). Returns the
    rows the search rows are made from (see `search_points.rows_of`).
    """
    for model in (
        m.ServiceAtLocation,
        m.Schedule,
        m.Contact,
        m.Phone,
        m.CostOption,
        m.Funding,
        m.Language,
        m.ServiceArea,
        m.ServiceAttribute,
    ):
        if existing:
            model.objects.filter(service_id__in=existing).delete()
    sals, schedules, contacts, phones, costs, funding, languages, areas, attrs = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    for record, sid in zip(records, service_ids, strict=True):
        for i, loc in enumerate(record.locations):
            sals.append(
                bulk.Row(
                    id=uuid.uuid5(sid, f"sal/{i}/{loc.id}"), service_id=sid, location_id=loc.id
                )
            )
        for i, s in enumerate(record.schedules):
            schedules.append(
                bulk.Row(
                    id=_child_id(sid, "schedule", i, s.id),
                    service_id=sid,
                    freq=s.freq,
                    byday=s.byday,
                    opens_at=s.opens_at,
                    closes_at=s.closes_at,
                    description=s.description,
                    interval=s.interval,
                    bymonthday=s.bymonthday,
                    valid_from=s.valid_from,
                    valid_to=s.valid_to,
                    dtstart=s.dtstart,
                    schedule_link=s.schedule_link,
                    attending_type=s.attending_type,
                    notes=s.notes,
                )
            )
        for i, c in enumerate(record.contacts):
            contact_id = _child_id(sid, "contact", i, c.id)
            contacts.append(
                bulk.Row(id=contact_id, service_id=sid, name=c.name, title=c.title, email=c.email)
            )
            for j, p in enumerate(c.phones):
                phones.append(
                    bulk.Row(
                        id=_child_id(contact_id, "phone", j, p.id),
                        contact_id=contact_id,
                        service_id=sid,
                        number=p.number,
                        description=p.description,
                        type=p.type,
                    )
                )
        for i, c in enumerate(record.cost_options):
            costs.append(
                bulk.Row(
                    id=_child_id(sid, "cost", i, c.id),
                    service_id=sid,
                    option=c.option,
                    amount=c.amount,
                    currency=c.currency,
                    amount_description=c.amount_description,
                    valid_from=c.valid_from,
                    valid_to=c.valid_to,
                )
            )
        for i, text in enumerate(record.funding_sources):
            funding.append(
                bulk.Row(id=uuid.uuid5(sid, f"funding/{i}"), service_id=sid, source=text)
            )
        for i, (code, name) in enumerate(record.languages):
            languages.append(
                bulk.Row(id=uuid.uuid5(sid, f"language/{i}"), service_id=sid, code=code, name=name)
            )
        for i, a in enumerate(record.service_areas):
            ward = resolver.wards.get(a.ward_code) if a.ward_code else None
            constituency = (
                resolver.constituencies.get(a.constituency_code) if a.constituency_code else None
            )
            areas.append(
                bulk.Row(
                    id=_child_id(sid, "area", i, a.id),
                    service_id=sid,
                    name=a.name
                    or (
                        ward.name
                        if ward
                        else constituency.name
                        if constituency
                        else resolver.place.name
                        if a.whole_place and resolver.place
                        else ""
                    ),
                    description=a.description,
                    extent=a.extent,
                    extent_type=a.extent_type,
                    uri=a.uri,
                    ward_id=ward.pk if ward else None,
                    constituency_id=constituency.pk if constituency else None,
                    place_id=resolver.place.pk if a.whole_place and resolver.place else None,
                )
            )
        seen: set[uuid.UUID] = set()
        for ref in record.terms:
            term = resolver.term(ref)
            if term.id in seen:
                continue
            seen.add(term.id)
            attrs.append(
                bulk.Row(
                    id=uuid.uuid5(sid, f"attribute/{term.id}"),
                    service_id=sid,
                    taxonomy_term_id=term.id,
                    value=ref.value,
                )
            )
    for model, rows in (
        (m.ServiceAtLocation, sals),
        (m.Schedule, schedules),
        (m.Contact, contacts),
        (m.Phone, phones),
        (m.CostOption, costs),
        (m.Funding, funding),
        (m.Language, languages),
        (m.ServiceArea, areas),
        (m.ServiceAttribute, attrs),
    ):
        bulk.insert(model, rows)
    return {
        "sals": sals,
        "costs": costs,
        "languages": languages,
        "areas": areas,
        "attrs": attrs,
        "schedules": schedules,
    }


def delete_service(service: m.Service, *, actor: Any, via: str) -> None:
    with transaction.atomic():
        record_event(actor=actor, action="directory.service.deleted", target=service, via=via)
        service.delete()
