"""Directory rows as Open Referral UK 3.0 documents (plain dicts, ready for JSON).

Optional fields with no value are omitted, never sent as null or "" (the ORUK compliance
rule); URLs and e-mails that would fail the schema's `uri`/`email` formats are omitted too, so
one bad value typed by a provider cannot fail the whole feed. Partnership facts HSDS has no
field for go out as `attributes` against the Linkwell taxonomies (docs/adr/0003).
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from linkwell.directory import models as m
from linkwell.directory import vocabularies as vocab

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/specifications/3.0"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
ONS_GEOGRAPHY = "https://statistics.data.gov.uk/id/statistical-geography/"
SCHEDULE_FREQS = {"WEEKLY", "MONTHLY"}
ADDRESS_TYPES = {"physical", "postal", "virtual"}

Doc = dict[str, Any]


def compact(**fields: Any) -> Doc:
    """The fields that have a value (None, "" and [] are left out)."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != []}


def _text(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def uri(value: str) -> str | None:
    """The value if it is an absolute http(s) URL, else None."""
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme in {"http", "https"} and parts.netloc and " " not in value:
        return value
    return None


def email(value: str) -> str | None:
    value = (value or "").strip()
    return value if "@" in value and " " not in value else None


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


# Taxonomies and terms -----------------------------------------------------------------------


def taxonomy(row: m.Taxonomy) -> Doc:
    return compact(
        id=str(row.id),
        name=row.name,
        description=row.description or row.name,
        uri=uri(row.uri),
        version=row.version,
    )


def taxonomy_term(row: m.TaxonomyTerm) -> Doc:
    return compact(
        id=str(row.id),
        name=row.name,
        description=row.description or row.name,
        parent_id=_id(row.parent_id),
        taxonomy=row.taxonomy.name,
        taxonomy_id=str(row.taxonomy_id),
        term_uri=uri(row.term_uri),
        term=row.code,
    )


def _vocabulary_term(vocabulary: vocab.Vocabulary, code: str) -> Doc:
    """A term of a fixed vocabulary, from the code (ids are the same on every install)."""
    term = next(t for t in vocabulary.terms if t.code == code)
    return compact(
        id=str(vocab.stable_id("term", vocabulary.key, code)),
        name=term.name,
        description=term.description,
        taxonomy=vocabulary.name,
        taxonomy_id=str(vocab.stable_id("taxonomy", vocabulary.key)),
        term=code,
    )


def _attribute(service_id: uuid.UUID, term: Doc, value: str = "", label: str = "") -> Doc:
    term_id = uuid.UUID(term["id"])
    return compact(
        id=str(uuid.uuid5(service_id, f"attribute/{term_id}")),
        link_id=str(service_id),
        link_type="service",
        link_entity="service",
        taxonomy_term_id=str(term_id),
        value=value,
        label=label,
        taxonomy_term=term,
    )


def _fact(service: m.Service, code: str, value: str, label: str = "") -> Doc:
    return _attribute(service.id, _vocabulary_term(vocab.SERVICE_FACTS, code), value, label)


def service_attributes(service: m.Service) -> list[Doc]:
    """Taxonomy-term links, then the partnership facts (tier, partner, cost, ...)."""
    docs = [
        _attribute(service.id, taxonomy_term(a.taxonomy_term), a.value, a.label)
        for a in service.attributes.all()
    ]
    linked = {d["taxonomy_term_id"] for d in docs}
    facts: list[Doc] = []
    if service.tier:
        facts.append(
            _attribute(
                service.id,
                _vocabulary_term(vocab.TIERS, str(service.tier)),
                str(service.tier),
                service.get_tier_display(),
            )
        )
    if service.partner_id:
        facts.append(_fact(service, "partner", service.partner.name))
    if service.department_id:
        facts.append(_fact(service, "department", service.department.name))
    if service.annual_cost is not None:
        facts.append(_fact(service, "annual_cost", f"{service.annual_cost:.2f}"))
    if service.funding_type:
        facts.append(
            _fact(service, "funding_type", service.funding_type, service.get_funding_type_display())
        )
    if service.commissioning:
        facts.append(
            _fact(
                service,
                "commissioning",
                service.commissioning,
                service.get_commissioning_display(),
            )
        )
    if service.evidence_rating:
        facts.append(
            _fact(
                service,
                "evidence_rating",
                service.evidence_rating,
                service.get_evidence_rating_display(),
            )
        )
    if service.tier_in_scheme:
        scheme = service.tier_scheme.key if service.tier_scheme_id else ""
        facts.append(
            _fact(service, "tier_in_scheme", f"{scheme}:{service.tier_in_scheme}".lstrip(":"))
        )
    if service.is_demo:
        facts.append(_fact(service, "demo", ",".join(service.demo_fields) or "all"))
    return docs + [f for f in facts if f["taxonomy_term_id"] not in linked]


# Organisations, locations -------------------------------------------------------------------


def organization(row: m.Organization) -> Doc:
    return compact(
        id=str(row.id),
        name=row.name,
        description=row.description or row.name,
        email=email(row.email),
        website=uri(row.website),
        logo=row.logo,
        uri=uri(row.uri),
        parent_organization_id=_id(row.parent_organization_id),
    )


def address(row: m.Address) -> Doc:
    """State/province is required even in the UK: the county, else the region, is sent."""
    doc = compact(
        id=str(row.id),
        location_id=str(row.location_id),
        attention=row.attention,
        address_1=row.address_1,
        address_2=row.address_2,
        city=row.city,
        region=row.region,
        state_province=row.state_province,
        postal_code=row.postal_code,
        country=row.country or "GB",
        address_type=row.address_type if row.address_type in ADDRESS_TYPES else "physical",
    )
    doc.setdefault("state_province", row.region)
    return doc


def location(row: m.Location, *, nested: bool = True) -> Doc:
    doc = compact(
        id=str(row.id),
        location_type=row.location_type if row.location_type in ADDRESS_TYPES else "physical",
        url=uri(row.url),
        organization_id=_id(row.organization_id),
        name=row.name,
        description=row.description,
        latitude=row.latitude,
        longitude=row.longitude,
        external_identifier=row.external_identifier,
        external_identifier_type=row.external_identifier_type,
    )
    if nested:
        doc |= compact(
            addresses=[
                address(a) for a in row.addresses.all() if a.address_1 and a.city and a.postal_code
            ],
            accessibility=[
                compact(
                    id=str(a.id),
                    location_id=str(a.location_id),
                    description=a.description,
                    details=a.details,
                    url=uri(a.url),
                    accessibility=a.description,
                )
                for a in row.accessibility.all()
            ],
        )
    return doc


# Services -----------------------------------------------------------------------------------


def schedule(row: m.Schedule) -> Doc:
    return compact(
        id=str(row.id),
        service_id=_id(row.service_id),
        service_at_location_id=_id(row.service_at_location_id),
        valid_from=_text(row.valid_from),
        valid_to=_text(row.valid_to),
        dtstart=_text(row.dtstart),
        freq=row.freq.upper() if row.freq.upper() in SCHEDULE_FREQS else None,
        interval=row.interval,
        byday=row.byday,
        bymonthday=row.bymonthday,
        description=row.description,
        opens_at=_text(row.opens_at),
        closes_at=_text(row.closes_at),
        schedule_link=uri(row.schedule_link),
        attending_type=row.attending_type,
        notes=row.notes,
    )


def service_area(row: m.ServiceArea) -> Doc:
    """`uri` names the ONS area (ward, else constituency) when the area is mapped to one."""
    code = row.ward.code if row.ward_id else row.constituency.code if row.constituency_id else ""
    return compact(
        id=str(row.id),
        service_id=str(row.service_id),
        name=row.name,
        description=row.description,
        extent=row.extent,
        extent_type=row.extent_type,
        uri=uri(row.uri) or (f"{ONS_GEOGRAPHY}{code}" if code else None),
        service_area=row.name or row.description,
    )


def service_at_location_in_service(row: m.ServiceAtLocation) -> Doc:
    return compact(
        id=str(row.id),
        service_id=str(row.service_id),
        location_id=str(row.location_id),
        description=row.description,
        schedules=[schedule(s) for s in row.schedules.all()],
        location=location(row.location),
    )


def contact(row: m.Contact) -> Doc:
    return compact(
        id=str(row.id),
        service_id=_id(row.service_id),
        name=row.name,
        title=row.title,
        department=row.department,
        email=email(row.email),
        phones=[
            compact(
                id=str(p.id),
                contact_id=_id(p.contact_id),
                number=p.number,
                extension=p.extension,
                type=p.type,
                description=p.description,
            )
            for p in row.phones.all()
            if p.number
        ],
    )


def service_summary(row: m.Service) -> Doc:
    """The one-to-one fields of a service (list items; no child arrays)."""
    return compact(
        id=str(row.id),
        organization_id=str(row.organization_id),
        name=row.name,
        description=row.description,
        url=uri(row.url),
        email=email(row.email),
        status=row.status,
        fees=row.fees,
        accreditations=row.accreditations,
        minimum_age=row.minimum_age,
        maximum_age=row.maximum_age,
        assured_date=_text(row.assured_date),
        assurer_email=email(row.assurer_email),
        alert=row.alert,
        last_modified=_text(row.last_modified),
        organization=organization(row.organization),
    )


def service(row: m.Service) -> Doc:
    """The fully nested service (rows from `queries.service_detail_queryset`)."""
    return service_summary(row) | compact(
        schedules=[schedule(s) for s in row.schedules.all()],
        service_areas=[service_area(a) for a in row.service_areas.all()],
        service_at_locations=[
            service_at_location_in_service(s) for s in row.service_at_locations.all()
        ],
        languages=[
            compact(
                id=str(lang.id),
                service_id=_id(lang.service_id),
                phone_id=_id(lang.phone_id),
                name=lang.name,
                code=lang.code,
                note=lang.note,
            )
            for lang in row.languages.all()
        ],
        funding=[
            compact(id=str(f.id), service_id=str(f.service_id), source=f.source)
            for f in row.funding.all()
        ],
        cost_options=[
            compact(
                id=str(c.id),
                service_id=str(c.service_id),
                valid_from=_text(c.valid_from),
                valid_to=_text(c.valid_to),
                option=c.option,
                amount=_text(c.amount),
                currency=c.currency,
                amount_description=c.amount_description,
            )
            for c in row.cost_options.all()
        ],
        contacts=[contact(c) for c in row.contacts.all()],
        attributes=service_attributes(row),
    )


def service_at_location_summary(row: m.ServiceAtLocation) -> Doc:
    """A list item: the link, its location and its service's one-to-one fields."""
    return compact(
        id=str(row.id),
        service_id=str(row.service_id),
        location_id=str(row.location_id),
        description=row.description,
        location=location(row.location, nested=False),
        service=service_summary(row.service),
    )


def service_at_location(row: m.ServiceAtLocation) -> Doc:
    """The full document: the link, its location (with addresses) and the nested service."""
    return compact(
        id=str(row.id),
        service_id=str(row.service_id),
        location_id=str(row.location_id),
        description=row.description,
        schedules=[schedule(s) for s in row.schedules.all()],
        location=location(row.location),
        service=service(row.service),
    )


def api_details() -> Doc:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
