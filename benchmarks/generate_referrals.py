"""Generate the issue 4 benchmark world into the database DATABASE_URL names (migrated, with
the default place loaded): partners and their staff, a few hundred demo services, people with
their consents, a million referrals with their history, audit events and notifications, and
a Community Connector programme with several years of cases.

Deterministic: the same `--seed`, sizes and `--as-of` date give the same rows. Times are set
relative to `--as-of` (default today), so a run on another day still has new referrals, a
waiting list, active cases and overdue follow-ups.

Rows go in with `linkwell.core.bulk.insert` (COPY on PostgreSQL, many-row INSERTs on
SQLite), a chunk of referrals per transaction: the ORM row by row would take hours. Only the
services are made through the directory's action (`save_services`), as the product makes them.
On PostgreSQL the big tables' secondary indexes are dropped and re-created after the load, and
foreign keys are not checked while loading (`session_replication_role = replica`, superuser
only, as on `scripts/postgres`): together they halved the loading time.

    DATABASE_URL=... LINKWELL_DEV=1 .venv/bin/python benchmarks/generate_referrals.py \\
        --people 100000 --referrals 1000000

Prints a JSON summary (counts, seconds per phase) as its last line.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CHUNK = 50_000  # referrals per transaction
PROGRAMME_NAME = "Community Connectors"
PROGRAMME_PARTNER = "Connect Well"
PROGRAMME_PER_YEAR = 1300
PRACTICE_CAP = 50
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SNOMED_REFERRAL = "871731000000106"
SNOMED_DECLINED = "871711000000103"

GIVEN_TEXT = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Freya Grace Sophia Aisha Fatima Maryam Zainab Hafsa "
    "Noor Amira Zara Anna Zofia Maja Julia Margaret Joan Dorothy Jean Patricia Barbara Susan "
    "Christine Oliver George Noah Arthur Muhammad Leo Harry Oscar Archie Jack Ali Ibrahim "
    "Yusuf Hamza Imran Bilal Tariq Jakub Piotr Kacper John David Michael Peter Brian Kenneth "
    "Gurpreet Harjit Manjit Sukhwinder"
)
GIVEN = GIVEN_TEXT.split()
FAMILY_TEXT = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Hussain Khan Ahmed Ali Akhtar Begum "
    "Shah Mahmood Iqbal Rashid Butt Malik Bibi Kaur Singh Sandhu Gill Kowalski Nowak "
    "Wisniewski Wojcik Kaminski Lewandowski Sutcliffe Holmes Shaw Barker Greenwood Priestley "
    "Ackroyd Hirst Pickles Firth Ramsden Illingworth Okafor Mensah Adeyemi Murphy Kelly"
)
FAMILY = FAMILY_TEXT.split()
LANGUAGES = [("", 70), ("en", 18), ("ur", 5), ("pa", 3), ("pl", 2), ("bn", 1), ("ro", 1)]
NEED_CODES: list[str] = []  # filled from the vocabulary once Django is set up

# (status, weight) of ordinary referrals by their age in days: recent ones are still being
# answered, old ones have mostly ended.
STATUS_BY_AGE: list[tuple[int, list[tuple[str, float]]]] = [
    (3, [("draft", 2), ("sent", 55), ("received", 18), ("accepted", 12), ("waitlisted", 5),
         ("declined", 6), ("cancelled", 2)]),
    (14, [("draft", 1), ("sent", 14), ("received", 12), ("accepted", 25), ("in_progress", 22),
          ("waitlisted", 8), ("declined", 12), ("cancelled", 3), ("did_not_engage", 3)]),
    (90, [("sent", 2), ("received", 1), ("accepted", 6), ("in_progress", 26), ("completed", 33),
          ("waitlisted", 5), ("declined", 12), ("did_not_engage", 10), ("cancelled", 5)]),
    (10**6, [("sent", 0.5), ("received", 0.3), ("in_progress", 1.5), ("completed", 62),
             ("waitlisted", 0.7), ("declined", 13), ("did_not_engage", 15), ("cancelled", 7)]),
]  # fmt: skip
# The path of each final status through the lifecycle (after "draft").
PATHS = {
    "draft": [],
    "sent": ["sent"],
    "received": ["sent", "received"],
    "waitlisted": ["sent", "waitlisted"],
    "accepted": ["sent", "accepted"],
    "in_progress": ["sent", "accepted", "in_progress"],
    "completed": ["sent", "accepted", "in_progress", "completed"],
    "did_not_engage": ["sent", "accepted", "did_not_engage"],
    "declined": ["sent", "declined"],
    "cancelled": ["sent", "cancelled"],
}
ANSWERS = {"accepted", "declined", "waitlisted"}
OUTCOMES = [
    "Attended the group weekly; made two friends and now goes on their own.",
    "Home assessment done; grab rails and a pendant alarm fitted.",
    "Benefits check: Attendance Allowance claimed; fuel debt put on a payment plan.",
    "Joined the walking group for eight weeks; more confident going out.",
    "Could not be reached after three calls and a letter.",
    "Smoking quit date set; four-week quit confirmed.",
]
REASONS = [
    "Lives alone since her husband died; says she goes days without talking to anyone.",
    "Two falls in the last six months; struggles with the stairs.",
    "Cold house, pre-payment meter often empty; worried about bills.",
    "Asked for help to stop smoking.",
    "Behind on rent and council tax; letters unopened.",
    "Carer for his wife with dementia; exhausted.",
    "Low mood since losing his job; wants to get out more.",
]


@dataclass
class World:
    """Ids the referral generator picks from (kept small: no model instances)."""

    rng: random.Random
    now: dt.datetime
    today: dt.date
    years: int
    gp_orgs: list[tuple[uuid.UUID, int, str]] = field(default_factory=list)  # org, practice, code
    practitioners: dict[str, list[tuple[int, str, uuid.UUID]]] = field(default_factory=dict)
    gp_staff: dict[int, list[tuple[int, str, uuid.UUID]]] = field(default_factory=dict)
    connectors: list[tuple[int, str]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)  # id, needs, editors, snomed
    programme: dict[str, Any] = field(default_factory=dict)
    people: list[uuid.UUID] = field(default_factory=list)
    people_practice: list[int | None] = field(default_factory=list)
    people_by_practice: dict[int, list[int]] = field(default_factory=dict)
    consented: set[tuple[int, int]] = field(default_factory=set)  # (person, service) indices
    counts: dict[str, int] = field(default_factory=dict)
    reference_seq: itertools.count = field(default_factory=lambda: itertools.count(1))


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def reference(number: int) -> str:
    """A unique "LW-XXXX-XXXX" per number (a bijection of the number, so no collisions)."""
    value = (number * 387_420_489 + 12_345_678) % (31**8)  # 3**18 is coprime with 31**8
    chars = []
    for _ in range(8):
        value, digit = divmod(value, 31)
        chars.append(REFERENCE_ALPHABET[digit])
    return f"LW-{''.join(chars[:4])}-{''.join(chars[4:])}"


def weighted(rng: random.Random, choices: list[tuple[Any, float]]) -> Any:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def insert(model: type, rows: list[dict[str, Any]], counts: dict[str, int]) -> None:
    from linkwell.core.bulk import insert as bulk_insert

    for start in range(0, len(rows), CHUNK):
        bulk_insert(model, rows[start : start + CHUNK])
    counts[model._meta.label] = counts.get(model._meta.label, 0) + len(rows)


def make_organisations_and_staff(world: World, connectors: int) -> list[str]:
    """Partners (GP practices from the place data, fire, police, housing, providers) and their
    staff with roles. Returns the provider partners' names (the services' runners)."""
    from linkwell.accounts.models import Membership, Organisation, OrganisationKind, Role, User
    from linkwell.places.models import GPPractice

    rng, now = world.rng, world.now
    orgs: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    next_user = itertools.count(1)

    def org(name: str, kind: str, ods: str = "") -> uuid.UUID:
        pk = new_uuid(rng)
        orgs.append(
            {"id": pk, "name": name, "kind": kind, "ods_code": ods, "is_demo": True,
             "created_at": now - dt.timedelta(days=world.years * 366)}
        )  # fmt: skip
        return pk

    def user(prefix: str, organisation: uuid.UUID, role: str) -> tuple[int, str, uuid.UUID]:
        pk = next(next_user)
        username = f"{prefix}{pk}"
        users.append(
            {"id": pk, "username": username, "password": "!", "email": f"{username}@bench.test",
             "is_active": True, "date_joined": now - dt.timedelta(days=world.years * 366)}
        )  # fmt: skip
        members.append(
            {"user_id": pk, "organisation_id": organisation, "role": role,
             "created_at": now - dt.timedelta(days=world.years * 366)}
        )  # fmt: skip
        return pk, username, organisation

    admin_org = org("Bench Partnership", OrganisationKind.OTHER)
    user("admin", admin_org, Role.PARTNERSHIP_ADMIN)
    world.practitioners = {"gp": [], "fire": [], "police": [], "housing": [], "council": []}
    for pk, code, name in GPPractice.objects.order_by("code").values_list("pk", "code", "name"):
        practice_org = org(name, OrganisationKind.GP_PRACTICE, code)
        world.gp_orgs.append((practice_org, pk, code))
        staff = [user("gp", practice_org, Role.PRACTITIONER) for _ in range(2)]
        world.gp_staff[pk] = staff
        world.practitioners["gp"] += staff
    for key, name, kind, staff in (
        ("fire", "Bench Fire and Rescue", OrganisationKind.FIRE, 25),
        ("police", "Bench Police", OrganisationKind.POLICE, 20),
        ("housing", "Bench Housing Trust", OrganisationKind.HOUSING, 20),
        ("council", "Bench Council", OrganisationKind.COUNCIL, 10),
    ):
        home = org(name, kind)
        world.practitioners[key] = [user(key, home, Role.PRACTITIONER) for _ in range(staff)]
    connect_well = org(PROGRAMME_PARTNER, OrganisationKind.VOLUNTARY)
    world.connectors = [
        user("connector", connect_well, Role.CONNECTOR)[:2] for _ in range(connectors)
    ]
    world.practitioners["connector"] = [(pk, name, connect_well) for pk, name in world.connectors]
    providers = []
    editors_of: dict[str, list[int]] = {}
    for number in range(60):
        kind = [OrganisationKind.VOLUNTARY] * 3 + [OrganisationKind.NHS_TRUST]
        name = f"Bench Provider {number + 1:02d}"
        home = org(name, kind[number % 4])
        providers.append(name)
        editors_of[name] = [user("editor", home, Role.PROVIDER_EDITOR)[0] for _ in range(2)]
    insert(Organisation, orgs, world.counts)
    insert(User, users, world.counts)
    insert(Membership, members, world.counts)
    world.programme["editors"] = [pk for pk, _ in world.connectors]
    world.programme["editors_of"] = editors_of
    return providers


def make_services(world: World, providers: list[str], count: int) -> None:
    """A few hundred demo services through the directory's own write path, a third counting
    places, a few waiting-list only or closed; one of them the Connector programme."""
    from linkwell.directory.actions import save_services
    from linkwell.directory.models import Service
    from linkwell.directory.records import LocationRecord, OrganizationRecord, TermRef
    from linkwell.directory.tests.page_services import service_record
    from linkwell.referrals.models import (
        CapacityMode,
        CapacityPeriod,
        CapacityUnit,
        Programme,
        ServiceCapacity,
    )

    rng = world.rng
    records = []
    runners = []
    for number in range(count):
        partner = providers[number % len(providers)]
        needs = rng.sample(NEED_CODES, rng.choice([1, 1, 2, 3]))
        name = f"Bench {needs[0].replace('_', ' ')} service {number + 1:03d}"
        records.append(_record(service_record, name, partner, needs, number))
        runners.append((partner, needs))
    programme = service_record(
        PROGRAMME_NAME,
        organization=OrganizationRecord(
            name=PROGRAMME_PARTNER, description="Social prescribing.",
            partner_name=PROGRAMME_PARTNER, is_demo=True,
        ),
        partner_name=PROGRAMME_PARTNER,
        minimum_age=18,
        is_demo=True,
        locations=[LocationRecord(name="Connect Well hub", postcode="BD1 1AA", is_demo=True)],
        terms=[TermRef("linkwell-needs", code) for code in ("loneliness", "mental_wellbeing")],
    )  # fmt: skip
    result = save_services([*records, programme], actor=None, via="bench:generate")
    ids = result.service_ids
    world.counts["directory.Service"] = Service.objects.count()
    capacities, periods = [], []
    week = world.today - dt.timedelta(days=world.today.weekday())
    for number, (service_id, (partner, needs)) in enumerate(zip(ids, runners, strict=False)):
        service = {
            "id": service_id,
            "index": number,
            "needs": needs,
            "editors": world.programme["editors_of"][partner],
            "mode": CapacityMode.OPEN,
        }
        roll = rng.random()
        if roll < 0.30:
            places = rng.randint(5, 40)
            service["mode"] = CapacityMode.PLACES
            capacities.append(
                {"service_id": service_id, "mode": CapacityMode.PLACES, "places": places,
                 "unit": CapacityUnit.WEEK, "response_days": 14, "updated_at": world.now}
            )  # fmt: skip
            periods.append(
                {"service_id": service_id, "starts_on": week, "places": places,
                 "taken": rng.randint(0, places // 2)}
            )  # fmt: skip
        elif roll < 0.35:
            service["mode"] = CapacityMode.WAITING_LIST
            capacities.append(
                {"service_id": service_id, "mode": CapacityMode.WAITING_LIST, "places": None,
                 "unit": CapacityUnit.WEEK, "response_days": 14, "updated_at": world.now}
            )  # fmt: skip
        elif roll < 0.37:
            service["mode"] = CapacityMode.CLOSED
            capacities.append(
                {"service_id": service_id, "mode": CapacityMode.CLOSED, "places": None,
                 "unit": CapacityUnit.WEEK, "response_days": 14, "updated_at": world.now}
            )  # fmt: skip
        world.services.append(service)
    insert(ServiceCapacity, capacities, world.counts)
    insert(CapacityPeriod, periods, world.counts)
    programme_id = ids[-1]
    Programme.objects.create(
        service_id=programme_id, practice_cap=PRACTICE_CAP, programme_cap=PROGRAMME_PER_YEAR
    )
    world.programme.update(
        id=programme_id, index=len(world.services), needs=["loneliness", "mental_wellbeing"]
    )


def _record(service_record: Any, name: str, partner: str, needs: list[str], number: int) -> Any:
    from linkwell.directory.records import (
        AddressRecord,
        LocationRecord,
        OrganizationRecord,
        TermRef,
    )

    return service_record(
        name,
        organization=OrganizationRecord(
            name=partner, description="A partner of the benchmark.", partner_name=partner,
            is_demo=True,
        ),
        partner_name=partner,
        minimum_age=None,
        is_demo=True,
        locations=[
            LocationRecord(
                name=f"{name} venue", postcode="BD1 1AA", is_demo=True,
                addresses=[AddressRecord(f"{number + 1} Chapel Street", "Bradford", "BD1 1AA")],
            )
        ],
        terms=[TermRef("linkwell-needs", code) for code in needs],
    )  # fmt: skip


def make_people(world: World, count: int) -> None:
    """People with 999-prefixed NHS numbers (valid by Modulus 11) or none, postcodes of the
    place, GP practices, and their contact consents."""
    import nhs_number

    from linkwell.places.models import Postcode
    from linkwell.referrals.models import Consent, Person

    rng, now = world.rng, world.now
    postcodes = list(
        Postcode.objects.order_by("postcode").values_list("postcode", "small_area_id", "ward_id")
    )
    practices = [pk for _, pk, _ in world.gp_orgs]
    practice_weights = [rng.uniform(0.3, 2.0) for _ in practices]
    recorders = [u for key in ("gp", "fire", "housing", "police") for u in world.practitioners[key]]
    with_number = int(count * 0.85)
    step = max(1, 880_000 // max(1, with_number))
    base = 999_000_000
    started = now - dt.timedelta(days=world.years * 365 + 30)
    people, consents = [], []
    for index in range(count):
        number = ""
        if index < with_number:
            while base < 999_999_999:
                base += rng.randint(1, 2 * step - 1) if step > 1 else 1
                check = nhs_number.calculate_checksum(str(base))
                if check is not None and check < 10:
                    number = f"{base}{check}"
                    break
        postcode, small_area, ward = rng.choice(postcodes)
        practice = rng.choices(practices, practice_weights)[0] if rng.random() < 0.97 else None
        language = weighted(rng, LANGUAGES)
        recorder, recorder_label, organisation = rng.choice(recorders)
        created = started + dt.timedelta(seconds=rng.randint(0, 30 * 86400))
        pk = new_uuid(rng)
        age = int(18 + 80 * rng.random() ** 0.8)
        people.append(
            {"id": pk, "given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
             "birth_date": world.today - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
             "nhs_number": number, "postcode": postcode, "small_area_id": small_area,
             "ward_id": ward, "gp_practice_id": practice, "preferred_language": language,
             "interpreter_needed": language not in ("", "en") and rng.random() < 0.4,
             "phone": f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.8 else "",
             "address": f"{rng.randint(1, 200)} Bench Street, Bradford",
             "is_demo": True, "created_at": created, "created_by_id": recorder,
             "organisation_id": organisation}
        )  # fmt: skip
        world.people.append(pk)
        world.people_practice.append(practice)
        if practice is not None:
            world.people_by_practice.setdefault(practice, []).append(index)
        for purpose, share in (
            ("contact_phone", 0.7),
            ("contact_letter", 0.2),
            ("tell_gp_and_referrer", 0.6),
        ):
            if rng.random() < share:
                consents.append(_consent(rng, pk, purpose, None, recorder, recorder_label, created))
    insert(Person, people, world.counts)
    insert(Consent, consents, world.counts)


def _consent(
    rng: random.Random,
    person: uuid.UUID,
    purpose: str,
    service: int | None,
    recorder: int,
    label: str,
    at: dt.datetime,
) -> dict[str, Any]:
    withdrawn = rng.random() < 0.02
    return {
        "id": new_uuid(rng),
        "person_id": person,
        "purpose": purpose,
        "service_id": service,
        "recorded_by_id": recorder,
        "recorded_by_label": label,
        "recorded_at": at,
        "how": "verbally at the visit",
        "withdrawn_at": at + dt.timedelta(days=30) if withdrawn else None,
        "withdrawn_by_label": label if withdrawn else "",
    }


class Batch:
    """The rows of one chunk of referrals, written in one transaction."""

    def __init__(self) -> None:
        self.referrals: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []

    def write(self, world: World, audit: bool) -> None:
        from django.db import transaction

        from linkwell.audit.models import AuditEvent
        from linkwell.notifications.models import Notification
        from linkwell.referrals.models import Consent, Referral, ReferralEvent

        with transaction.atomic():
            insert(Consent, self.consents, world.counts)
            insert(Referral, self.referrals, world.counts)
            insert(ReferralEvent, self.events, world.counts)
            insert(Notification, self.notifications, world.counts)
            if audit:
                insert(AuditEvent, self.audit, world.counts)
        self.__init__()


def add_referral(
    world: World,
    batch: Batch,
    *,
    person: int,
    service: dict[str, Any],
    referrer: tuple[int, str, uuid.UUID],
    created: dt.datetime,
    status: str,
    gp_practice: int | None = None,
    programme: bool = False,
    programme_year: dt.date | None = None,
    answered_by: int | None = None,
    end_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """One referral with its consent, history (events and audit) and notifications."""
    rng, now = world.rng, world.now
    referrer_id, referrer_label, organisation = referrer
    person_id = world.people[person]
    safeguarding = status != "draft" and rng.random() < 0.003
    key = (person, service["index"])
    if key not in world.consented and not safeguarding:
        world.consented.add(key)
        batch.consents.append(
            _consent(rng, person_id, "share_with_service", service["id"], referrer_id,
                     referrer_label, created - dt.timedelta(minutes=2))
        )  # fmt: skip
    path = PATHS[status]
    span = max(60.0, min((now - created).total_seconds(), 120 * 86400.0))
    if end_at is not None:
        span = max(60.0, (end_at - created).total_seconds())
    offsets = sorted(rng.uniform(0, span) for _ in path[1:])
    times = [created] + ([created + dt.timedelta(seconds=60)] if path else [])
    times += [created + dt.timedelta(seconds=60 + o) for o in offsets]
    if end_at is not None and len(times) > 1:
        times[-1] = end_at
    editor = answered_by or rng.choice(service["editors"])
    pk = new_uuid(rng)
    number = next(world.reference_seq)
    ref = reference(number)
    sent_at = times[1] if len(times) > 1 else None
    due_at = sent_at + dt.timedelta(days=14) if sent_at else None
    at_of = dict(zip(["draft", *path], times, strict=True))
    answered = next((at_of[s] for s in path if s in ANSWERS), None)
    escalated = status in ("sent", "received") and due_at is not None and due_at < now
    need = rng.choice(service["needs"])
    outcome = ""
    if status == "completed":
        outcome = rng.choice(OUTCOMES[:4] + OUTCOMES[5:])
    elif status == "did_not_engage":
        outcome = OUTCOMES[4]
    row = {
        "id": pk, "reference": ref, "person_id": person_id, "service_id": service["id"],
        "need": need, "reason": rng.choice(REASONS), "encounter_id": None, "from_case_id": None,
        "status": status, "status_changed_at": times[-1], "referrer_id": referrer_id,
        "referrer_label": referrer_label, "referrer_organisation_id": organisation,
        "gp_practice_id": gp_practice, "safeguarding": safeguarding,
        "legal_basis": "Care Act 2014 s.42 safeguarding enquiry" if safeguarding else "",
        "decline_reason": "Outside our area." if status == "declined" else "",
        "outcome": outcome, "snomed_code": SNOMED_REFERRAL if programme and sent_at else "",
        "idempotency_key": "", "sent_at": sent_at, "due_at": due_at, "answered_at": answered,
        "escalated_at": due_at + dt.timedelta(hours=1) if escalated else None,
        "waitlisted_at": at_of.get("waitlisted"), "completed_at": at_of.get("completed"),
        "capacity_period_id": None, "programme_year": programme_year, "created_at": created,
    }  # fmt: skip
    batch.referrals.append(row)
    previous = ""
    for step, at in zip(["draft", *path], times, strict=True):
        by_service = step not in ("draft", "sent", "cancelled")
        actor, label = (editor, f"editor{editor}") if by_service else (referrer_id, referrer_label)
        if programme and by_service:
            label = next((n for p, n in world.connectors if p == actor), label)
        snomed = ""
        if programme and step == "sent":
            snomed = SNOMED_REFERRAL
        elif programme and step == "declined":
            snomed = SNOMED_DECLINED
        note = outcome if step in ("completed", "did_not_engage") else ""
        batch.events.append(
            {"referral_id": pk, "from_status": previous, "to_status": step, "at": at,
             "actor_id": actor, "actor_label": label, "note": note, "snomed_code": snomed}
        )  # fmt: skip
        batch.audit.append(
            {"at": at, "actor_id": actor, "actor_label": label,
             "action": "referrals.referral." + ("created" if step == "draft" else step),
             "target_type": "referrals.referral", "target_id": str(pk),
             "target_label": f"Referral {ref}", "via": "bench:generate",
             "details": {"from": previous} if previous else {}}
        )  # fmt: skip
        previous = step
    _notifications(world, batch, row, service, referrer_id, at_of)
    return row


def _notifications(
    world: World,
    batch: Batch,
    row: dict[str, Any],
    service: dict[str, Any],
    referrer: int,
    at_of: dict[str, dt.datetime],
) -> None:
    rng, now = world.rng, world.now
    ref = row["reference"]

    def note(user: int, kind: str, at: dt.datetime, message: str) -> None:
        old = (now - at).days > 7
        read = rng.random() < (0.95 if old else 0.3)
        batch.notifications.append(
            {"user_id": user, "kind": kind, "message": message,
             "link": f"/referrals/{row['id']}/", "subject_type": "referrals.referral",
             "subject_id": str(row["id"]), "created_at": at,
             "read_at": min(now, at + dt.timedelta(hours=rng.randint(1, 72))) if read else None}
        )  # fmt: skip

    if "sent" in at_of:
        for editor in service["editors"]:
            note(editor, "new_referral", at_of["sent"], f"New referral {ref}")
    for step in ("accepted", "declined", "waitlisted"):
        if step in at_of:
            note(referrer, "decision", at_of[step], f"Referral {ref}: {step}.")
    for step in ("completed", "did_not_engage"):
        if step in at_of:
            note(referrer, "completion", at_of[step], f"Referral {ref} is {step}.")
    if row["escalated_at"] is not None:
        note(referrer, "escalation", row["escalated_at"], f"Referral {ref} not answered.")


def make_programme(world: World, batch: Batch, audit: bool) -> int:
    """The Community Connector programme: ~1,300 admitted referrals a grant year (at most 50
    a practice), each opening a case with a connector; this year's still arriving, a few
    practices at their cap with people waiting, older cases discharged."""
    from linkwell.referrals.models import Case, Goal, ProgrammeAllowance, Session

    rng, now, today = world.rng, world.now, world.today
    service = {
        "id": world.programme["id"],
        "index": world.programme["index"],
        "needs": world.programme["needs"],
        "editors": world.programme["editors"],
    }
    year_now = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    practices = [(pk, code) for _, pk, code in world.gp_orgs if world.people_by_practice.get(pk)]
    weights = [rng.uniform(0.2, 3.0) for _ in practices]
    for busy in rng.sample(range(len(practices)), min(4, len(practices))):
        weights[busy] = 12.0  # a few large practices reach their cap: their next ones wait
    cases, sessions, goals, allowances = [], [], [], []
    made = 0
    connector_ids = [pk for pk, _ in world.connectors]
    for back in range(world.years - 1, -1, -1):
        year = year_now.replace(year=year_now.year - back)
        year_end = year.replace(year=year.year + 1)
        current = back == 0
        elapsed = min(1.0, (now.date() - year).days / 365) if current else 1.0
        admitted = round(PROGRAMME_PER_YEAR * elapsed) if current else PROGRAMME_PER_YEAR
        taken: dict[int, int] = {}
        for _ in range(admitted):
            while True:
                index = rng.choices(range(len(practices)), weights)[0]
                if taken.get(practices[index][0], 0) < PRACTICE_CAP:
                    break
            practice, _code = practices[index]
            taken[practice] = taken.get(practice, 0) + 1
            window = (min(now.date(), year_end) - year).days
            created = _at(year, rng.uniform(0, window))
            age = (now - created).days
            person = rng.choice(world.people_by_practice[practice])
            referrer = rng.choice(world.gp_staff[practice])
            connector = rng.choice(connector_ids)
            if current and age < 10 and rng.random() < 0.6:
                status = rng.choice(["sent", "sent", "received"])
                add_referral(
                    world, batch, person=person, service=service, referrer=referrer,
                    created=created, status=status, gp_practice=practice, programme=True,
                    programme_year=year,
                )  # fmt: skip
                made += 1
                continue
            active = (age < 365 and rng.random() < 0.85) or rng.random() < 0.01
            opened = created + dt.timedelta(days=rng.uniform(1, min(10, max(1, age))))
            opened = min(opened, now - dt.timedelta(hours=1))
            held = min(6, max(0, (now - opened).days // 21 - rng.randint(0, 2)))
            if active:
                status = "in_progress" if held else "accepted"
                end = None
            else:
                held = rng.randint(1, 6)
                status = "completed" if rng.random() < 0.88 else "did_not_engage"
                end = min(now - dt.timedelta(hours=1), opened + dt.timedelta(days=30 + 21 * held))
            row = add_referral(
                world, batch, person=person, service=service, referrer=referrer,
                created=created, status=status, gp_practice=practice, programme=True,
                programme_year=year, answered_by=connector, end_at=end,
            )  # fmt: skip
            made += 1
            case_id = new_uuid(rng)
            cases.append(
                {"id": case_id, "programme_id": service["id"], "person_id": row["person_id"],
                 "referral_id": row["id"], "connector_id": connector,
                 "status": "active" if active else "discharged", "opened_at": opened,
                 "what_matters": "Getting out of the house and seeing people again.",
                 "next_follow_up": today + dt.timedelta(days=rng.randint(-21, 28))
                 if active else None,
                 "discharged_at": end, "discharge_outcome": row["outcome"],
                 "sessions_held": held}
            )  # fmt: skip
            for number in range(1, held + 1):
                sessions.append(
                    {"case_id": case_id, "number": number,
                     "held_on": (opened + dt.timedelta(days=21 * (number - 1))).date(),
                     "notes": "Talked about what matters; next steps agreed.",
                     "over_limit_reason": "", "recorded_by_id": connector}
                )  # fmt: skip
            for text in ("Join a group that meets weekly", "Sort out the heating bills"):
                goals.append(
                    {"case_id": case_id, "text": text,
                     "status": "open" if active else rng.choice(["achieved", "dropped"]),
                     "created_at": opened}
                )  # fmt: skip
        for _ in range(int(admitted * 0.05)):  # declined: never counted
            practice, _code = practices[rng.choices(range(len(practices)), weights)[0]]
            created = _at(year, rng.uniform(0, (min(now.date(), year_end) - year).days))
            add_referral(
                world, batch, person=rng.choice(world.people_by_practice[practice]),
                service=service, referrer=rng.choice(world.gp_staff[practice]), created=created,
                status="declined", gp_practice=practice, programme=True,
                answered_by=rng.choice(connector_ids),
            )  # fmt: skip
            made += 1
        if current:  # practices at their cap: the next referrals wait, in order
            for practice, _code in practices:
                if taken.get(practice, 0) >= PRACTICE_CAP:
                    for _ in range(rng.randint(2, 10)):
                        created = now - dt.timedelta(days=rng.uniform(0, 60))
                        add_referral(
                            world, batch, person=rng.choice(world.people_by_practice[practice]),
                            service=service, referrer=rng.choice(world.gp_staff[practice]),
                            created=created, status="waitlisted", gp_practice=practice,
                            programme=True,
                        )  # fmt: skip
                        made += 1
        codes = dict(practices)
        for practice, count in taken.items():
            allowances.append(
                {"programme_id": service["id"], "practice_code": codes[practice],
                 "year_start": year, "cap": PRACTICE_CAP, "taken": count}
            )  # fmt: skip
        allowances.append(
            {"programme_id": service["id"], "practice_code": "", "year_start": year,
             "cap": PROGRAMME_PER_YEAR, "taken": admitted}
        )  # fmt: skip
    batch.write(world, audit)
    from django.db import transaction

    with transaction.atomic():
        insert(Case, cases, world.counts)
        insert(Session, sessions, world.counts)
        insert(Goal, goals, world.counts)
        insert(ProgrammeAllowance, allowances, world.counts)
    return made


def _at(day: dt.date, days: float) -> dt.datetime:
    from django.utils import timezone

    start = dt.datetime.combine(day, dt.time(8), tzinfo=timezone.get_current_timezone())
    return start + dt.timedelta(days=days)


def make_referrals(world: World, count: int, audit: bool) -> None:
    """Ordinary referrals, spread over the services (a few take most), the referrers (GPs,
    fire, police, housing, council, connectors' onward referrals) and the years, more recently
    than long ago; their status by how old they are."""
    rng, now = world.rng, world.now
    services = [s for s in world.services if s["mode"] != "closed"]
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(services))))
    rng.shuffle(services)
    kinds = [("gp", 45), ("fire", 15), ("housing", 15), ("police", 10), ("council", 8),
             ("connector", 7)]  # fmt: skip
    kind_names = [k for k, _ in kinds]
    kind_cum = list(itertools.accumulate(w for _, w in kinds))
    practice_of_org = {org: practice for org, practice, _ in world.gp_orgs}
    horizon = world.years * 365 * 86400
    batch = Batch()
    people = len(world.people)
    for _ in range(count):
        service = services[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        kind = kind_names[bisect.bisect(kind_cum, rng.random() * kind_cum[-1])]
        referrer = rng.choice(world.practitioners[kind])
        age = horizon * rng.random() ** 1.25
        created = now - dt.timedelta(seconds=age)
        days = age / 86400
        table = next(t for limit, t in STATUS_BY_AGE if days < limit)
        status = weighted(rng, table)
        if service["mode"] == "waiting_list" and status in ("sent", "received"):
            status = "waitlisted"
        add_referral(
            world, batch, person=rng.randrange(people), service=service, referrer=referrer,
            created=created, status=status, gp_practice=practice_of_org.get(referrer[2]),
        )  # fmt: skip
        if len(batch.referrals) >= CHUNK:
            batch.write(world, audit)
    batch.write(world, audit)


BIG_TABLES = [
    "referrals_referral",
    "referrals_referralevent",
    "notifications_notification",
    "referrals_consent",
    "audit_auditevent",
]


def drop_secondary_indexes(connection: Any) -> list[str]:
    """On PostgreSQL, drop the big tables' indexes that back no constraint (re-created after
    the load: one sorted build is much faster than keeping them up row by row). Returns their
    definitions."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [BIG_TABLES],
        )
        found = cursor.fetchall()
        for name, _ddl in found:
            cursor.execute(f"DROP INDEX {name}")
    return [ddl for _name, ddl in found]


def generate(
    *,
    people: int,
    referrals: int,
    services: int = 300,
    connectors: int = 4,
    years: int = 5,
    seed: int = 4,
    as_of: dt.date | None = None,
    audit: bool = True,
    fast_load: bool = True,
) -> dict[str, Any]:
    """Write the whole world; return counts and seconds per phase."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from linkwell.directory.vocabularies import NEEDS

    NEED_CODES[:] = [t.code for t in NEEDS.terms]
    today = as_of or timezone.localdate()
    now = dt.datetime.combine(today, dt.time(9), tzinfo=timezone.get_current_timezone())
    world = World(rng=random.Random(seed), now=now, today=today, years=years)
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def phase(name: str, mark: float) -> float:
        now_ = time.perf_counter()
        seconds[name] = round(now_ - mark, 1)
        print(f"  {name:<28} {seconds[name]:7.1f} s", file=sys.stderr, flush=True)
        return now_

    if connection.vendor == "postgresql" and fast_load:
        # Foreign keys unchecked while loading (the rows are consistent by construction): the
        # per-row checks, not the COPY, were most of the loading time. Superuser only.
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    mark = started
    dropped = drop_secondary_indexes(connection) if fast_load else []
    providers = make_organisations_and_staff(world, connectors)
    mark = phase("organisations and staff", mark)
    make_services(world, providers, services)
    mark = phase(f"{services} services (save_services)", mark)
    make_people(world, people)
    mark = phase("people and contact consents", mark)
    batch = Batch()
    made = make_programme(world, batch, audit)
    mark = phase("connector programme", mark)
    make_referrals(world, max(0, referrals - made), audit)
    mark = phase("referrals", mark)
    if dropped:
        with connection.cursor() as cursor:
            for ddl in dropped:
                cursor.execute(ddl)
        mark = phase(f"re-create {len(dropped)} indexes", mark)
    if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would soon have
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        mark = phase("ANALYZE", mark)
    seconds["total"] = round(time.perf_counter() - started, 1)
    return {
        "seed": seed,
        "as_of": today.isoformat(),
        "counts": world.counts,
        "seconds": seconds,
        "connectors": [name for _, name in world.connectors],
        "programme_service": str(world.programme["id"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--services", type=int, default=300)
    parser.add_argument("--connectors", type=int, default=4)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="default: today")
    parser.add_argument("--no-audit", action="store_true", help="skip the audit events")
    args = parser.parse_args()
    summary = generate(
        people=args.people,
        referrals=args.referrals,
        services=args.services,
        connectors=args.connectors,
        years=args.years,
        seed=args.seed,
        as_of=args.as_of,
        audit=not args.no_audit,
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
