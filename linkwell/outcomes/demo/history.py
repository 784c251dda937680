"""Loading the demo history: the referrers, services and people it draws on, and the
referrals outside the programme (`programme` makes the programme's; `world` the rows)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import Membership, Organisation, OrganisationKind, Role
from linkwell.audit.actions import record_event
from linkwell.directory.models import Service, ServiceAttribute, ServiceStatus
from linkwell.directory.vocabularies import NEEDS
from linkwell.outcomes.demo.programme import programme_history
from linkwell.outcomes.demo.world import Referrer, World, days, new_id, person_row, weighted
from linkwell.places.models import GPPractice, Postcode
from linkwell.referrals.demo import DEMO_PRACTICE_CODE, DemoRefused
from linkwell.referrals.models import CapacityMode, Person, Programme, ServiceCapacity

VIA = "command load_demo_history"
SEED = 2024
PEOPLE = 400
ORDINARY = 880  # referrals outside the programme (the programme makes about 320)
DAYS = 730
EXTRA_PRACTICES = 4  # demo GP practices beside the demo GP's, so caps show per practice
FIRST_PERSON = uuid.uuid5(uuid.NAMESPACE_URL, "https://linkwell.example/demo-history/person/0")
STAFF = ("demo-firefighter", "demo-housing", "demo-gp", "demo-connector")
# The needs each kind of referrer mostly refers for (weights), and how often it refers.
KINDS: dict[str, tuple[float, dict[str, float]]] = {
    "gp": (35, {"long_term_condition": 4, "mental_wellbeing": 4, "physical_activity_weight": 3,
                "falls_frailty": 2, "smoking": 2, "carers": 2, "loneliness": 2,
                "bereavement": 1, "alcohol_drugs": 1, "learning_disability_autism": 1}),
    "fire": (25, {"fire_safety": 4, "falls_frailty": 4, "home_security_scams": 3,
                  "loneliness": 3, "fuel_poverty": 2, "smoking": 1, "equipment_adaptations": 1}),
    "housing": (25, {"money_debt": 4, "fuel_poverty": 3, "housing": 3, "mental_wellbeing": 2,
                     "employment_skills": 2, "digital_inclusion": 1, "domestic_abuse": 1,
                     "carers": 1, "food": 2}),
    "connector": (15, {"loneliness": 3, "physical_activity_weight": 3, "bereavement": 2,
                       "carers": 2, "money_debt": 2, "food": 1, "digital_inclusion": 2,
                       "english_language": 1, "employment_skills": 1}),
}  # fmt: skip
# How ordinary referrals were meant to end, by how old they are (whatever would come after
# now has not happened yet, so recent ones are still waiting or in progress).
PLANS = [("completed", 46), ("declined", 14), ("did_not_engage", 8), ("cancelled", 4),
         ("waited_then_completed", 5), ("sent", 2)]  # fmt: skip
RECENT = 180  # days
PLANS_RECENT = [("completed", 30), ("declined", 14), ("did_not_engage", 6), ("waitlisted", 20),
                ("waited_then_completed", 4), ("accepted", 8), ("cancelled", 3), ("sent", 8),
                ("received", 5)]  # fmt: skip
ENCOUNTER_KIND = {"fire": "safe_and_well", "housing": "tenancy_check"}


@dataclass
class History:
    people: int = 0
    referrals: int = 0
    cases: int = 0
    administrations: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    loaded: bool = True  # False: loaded before, nothing added


def load_demo_history(*, now: dt.datetime | None = None) -> History:
    """Add the history once; a second call adds nothing (`History.loaded` False)."""
    if not (settings.DEBUG or getattr(settings, "DEVELOPMENT", False)):
        raise DemoRefused("Demo history is invented: development only (LINKWELL_DEV=1).")
    if Person.objects.filter(pk=FIRST_PERSON).exists():
        return History(people=0, loaded=False)
    staff = {u.username: u for u in get_user_model().objects.filter(username__in=STAFF)}
    connectors = Service.objects.filter(name="Community Connector (Bradford)").first()
    programme = Programme.objects.filter(service=connectors).first() if connectors else None
    if len(staff) < len(STAFF) or programme is None:
        raise DemoRefused("Load the demo directory and `load_demo_referrals` first.")
    world = World(rng=random.Random(SEED), now=now or timezone.now(), via=VIA)
    with transaction.atomic():
        _referrers(world, staff)
        _services(world, programme)
        _people(world)
        programme_history(world, programme)
        _ordinary(world)
        _settle_people(world)
        counts = world.rows.write()
        history = History(
            people=counts.get("referrals.Person", 0),
            referrals=counts.get("referrals.Referral", 0),
            cases=counts.get("referrals.Case", 0),
            administrations=counts.get("outcomes.Administration", 0),
            counts=counts,
        )
        record_event(
            actor=None,
            action="outcomes.demo_history.loaded",
            target_type="outcomes.demo_history",
            target_id=str(FIRST_PERSON),
            target_label="Demo history",
            via=VIA,
            details=counts,
        )
    return history


def _referrer(user: Any, organisation: Organisation, practice: int | None = None) -> Referrer:
    return Referrer(user.pk, user.username, organisation.pk, practice)


def _referrers(world: World, staff: dict[str, Any]) -> None:
    """The demo staff who refer, and the demo GP practices (the demo GP's and a few more,
    each with a demo referrer who has no password: history only)."""
    homes = {
        m.user_id: m.organisation
        for m in Membership.objects.filter(user__in=staff.values()).select_related("organisation")
    }
    for kind, username in (("fire", "demo-firefighter"), ("housing", "demo-housing")):
        world.referrers[kind] = [_referrer(staff[username], homes[staff[username].pk])]
    connector = staff["demo-connector"]
    world.connector = _referrer(connector, homes[connector.pk])
    world.referrers["connector"] = [world.connector]
    candidates = list(
        GPPractice.objects.filter(in_district=True, ward__isnull=False)
        .exclude(code=DEMO_PRACTICE_CODE)
        .order_by("code")
    )
    chosen = world.rng.sample(candidates, min(EXTRA_PRACTICES, len(candidates)))
    demo_gp = staff["demo-gp"]
    thornbury = GPPractice.objects.filter(code=DEMO_PRACTICE_CODE).first()
    practices = [(thornbury, demo_gp, homes[demo_gp.pk])] if thornbury else []
    for practice in chosen:
        organisation = Organisation.objects.filter(ods_code=practice.code, parent=None).first()
        if organisation is None:
            organisation = create_organisation(
                actor=None,
                name=practice.name.title(),
                kind=OrganisationKind.GP_PRACTICE,
                ods_code=practice.code,
                is_demo=True,
                via=VIA,
            )
        username = f"demo-gp-{practice.code.lower()}"
        user = get_user_model().objects.filter(username=username).first() or create_user(
            actor=None, username=username, first_name="Demo", is_demo=True, via=VIA
        )
        grant_role(
            actor=None, user=user, organisation=organisation, role=Role.PRACTITIONER, via=VIA
        )
        practices.append((practice, user, organisation))
    # The demo GP's practice refers most: it reaches its cap this grant year.
    weights = [0.5] + [0.5 / max(1, len(practices) - 1)] * (len(practices) - 1)
    for (practice, user, organisation), weight in zip(practices, weights, strict=True):
        referrer = _referrer(user, organisation, practice.pk)
        world.practices.append((practice.pk, practice.code, practice.ward_id, referrer, weight))
    world.referrers["gp"] = [p[3] for p in world.practices]


def _services(world: World, programme: Programme) -> None:
    """The active demo services (with their needs) a referral may go to, and who answers
    each: the demo provider or connector where they work there, else the partner's staff."""
    limited = set(
        ServiceCapacity.objects.exclude(mode=CapacityMode.OPEN).values_list("service", flat=True)
    )
    needs: dict[Any, list[str]] = defaultdict(list)
    for service_id, code in ServiceAttribute.objects.filter(
        taxonomy_term__taxonomy__key=NEEDS.key
    ).values_list("service_id", "taxonomy_term__code"):
        needs[service_id].append(code)
    answering = {
        m.organisation_id: (m.user_id, m.user.username)
        for m in Membership.objects.filter(
            role__in=[Role.PROVIDER_EDITOR, Role.CONNECTOR], user__is_demo=True
        ).select_related("user")
    }
    names = dict(Organisation.objects.values_list("pk", "name"))
    rows = (
        Service.objects.filter(is_demo=True, status=ServiceStatus.ACTIVE)
        .order_by("name")
        .values_list(
            "pk", "name", "partner_id", "organization__partner_id", "minimum_age", "maximum_age"
        )
    )
    rng = world.rng
    for pk, name, partner, org_partner, low, high in rows:
        owner = partner or org_partner
        user, label = answering.get(owner, (None, f"{names.get(owner, name)} (demo)"))
        service = {
            "id": pk,
            "name": name,
            "needs": sorted(needs.get(pk, [])),
            "partner": owner,
            "answerer": Referrer(user, label, owner, None),
            "speed": rng.choice([0.3, 0.8, 1.5, 2.5, 4, 7]),  # median days to answer
            "weight": rng.uniform(0.3, 3.0),
            "ages": (low, high),
        }
        if pk == programme.service_id:
            world.programme = service | {"answerer": world.connector, "speed": 1.5}
            continue
        if pk in limited or not service["needs"] or (high is not None and high < 25):
            continue
        world.services.append(service)
        for need in service["needs"]:
            world.by_need[need].append(service)


def _people(world: World) -> None:
    """About 400 people: most registered with the referring practices (near them), the rest
    with other practices of the place, living across its wards."""
    rng = world.rng
    postcodes = list(
        Postcode.objects.filter(ward__isnull=False)
        .order_by("postcode")
        .values_list("postcode", "small_area_id", "ward_id")
    )
    by_ward: dict[int, list[tuple]] = defaultdict(list)
    for row in postcodes:
        by_ward[row[2]].append(row)
    others = list(
        GPPractice.objects.filter(in_district=True)
        .exclude(pk__in=[p[0] for p in world.practices])
        .order_by("code")
        .values_list("pk", "ward_id")
    )
    shares = [int(PEOPLE * 0.38)] + [int(PEOPLE * 0.11)] * (len(world.practices) - 1)
    homes: list[tuple[int | None, int | None]] = []
    for (practice, _code, ward, _referrer, _weight), count in zip(
        world.practices, shares, strict=True
    ):
        homes += [(practice, ward)] * count
    while len(homes) < PEOPLE:
        homes.append(rng.choice(others) if others and rng.random() < 0.95 else (None, None))
    numbers = _nhs_numbers(rng, int(PEOPLE * 0.85))
    for index, (practice, ward) in enumerate(homes):
        near = by_ward.get(ward) if ward is not None else None
        postcode = rng.choice(near if near and rng.random() < 0.6 else postcodes)
        pk = FIRST_PERSON if index == 0 else new_id(rng)
        row = person_row(rng, world.today, pk, postcode, practice, numbers)
        world.people.append(world.rows.add(Person, row))
        if practice is not None:
            world.by_practice[practice].append(index)


def _nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """Numbers of the 999 range (never issued to patients), valid by Modulus 11, unused."""
    taken = set(Person.objects.filter(nhs_number__startswith="999").values_list("nhs_number"))
    found: list[str] = []
    base = 999_020_000
    while len(found) < count:
        base += rng.randint(1, 1500)
        digits = str(base)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        number = f"{digits}{check}"
        if check != 10 and (number,) not in taken:
            found.append(number)
    rng.shuffle(found)
    return found


def _ordinary(world: World) -> None:
    """Referrals outside the programme: by kind of referrer, for the needs it meets, to the
    services meeting them, more of them recently; planned endings cut short by the present."""
    rng, now = world.rng, world.now
    kinds = [(k, w) for k, (w, _) in KINDS.items()]
    cases = [c for c in world.cases if c["opened_at"] < now - dt.timedelta(days=7)]
    for _ in range(ORDINARY):
        kind = weighted(rng, kinds)
        from_case = None
        created = now - dt.timedelta(days=DAYS * rng.random() ** 0.85, hours=rng.uniform(0, 9))
        if kind == "connector" and cases:
            from_case = rng.choice(cases)
            created = from_case["opened_at"] + dt.timedelta(days=rng.uniform(5, 60))
            if created > now - dt.timedelta(hours=2):
                created = now - dt.timedelta(hours=rng.uniform(2, 48))
        need = _need(world, kind)
        service = _service(world, need)
        if kind == "gp":
            practice = weighted(rng, [(p, p[4]) for p in world.practices])
            referrer, pool = practice[3], world.by_practice[practice[0]]
        else:
            referrer, pool = world.referrers[kind][0], range(len(world.people))
        if from_case is not None:
            person = from_case["person"]
        else:
            person = world.person_for(pool, service["ages"], created)
        plans = PLANS_RECENT if now - created < days(RECENT) else PLANS
        steps = world.plan(weighted(rng, plans), created, service)
        encounter = None
        if kind in ENCOUNTER_KIND:
            encounter = world.encounter(person, referrer, ENCOUNTER_KIND[kind], created, need)
            noticed = KINDS[kind][1]
            if rng.random() < 0.35:
                world.notice(encounter, weighted(rng, list(noticed.items())))
        world.referral(
            person=person,
            service=service,
            referrer=referrer,
            created=created,
            steps=steps,
            need=need,
            encounter=encounter,
            from_case=from_case["id"] if from_case else None,
        )


def _need(world: World, kind: str) -> str:
    usual = [(n, w) for n, w in KINDS[kind][1].items() if world.by_need.get(n)]
    if usual:
        return weighted(world.rng, usual)
    return world.rng.choice(sorted(world.by_need))


def _service(world: World, need: str) -> dict[str, Any]:
    services = world.by_need[need]
    return weighted(world.rng, [(s, s["weight"]) for s in services])


def _settle_people(world: World) -> None:
    """Each person recorded at their first contact, by whoever made it (or long ago, by the
    demo GP, if nobody referred them); their contact consents then."""
    rng = world.rng
    fallback = world.referrers["gp"][0]
    for index, person in enumerate(world.people):
        first = world.first_contact.get(index)
        if first is None:
            at = world.now - dt.timedelta(days=rng.uniform(30, DAYS))
            first = (at, fallback)
        at, referrer = first
        person["created_at"] = at - dt.timedelta(minutes=10)
        person["created_by_id"] = referrer.user
        person["organisation_id"] = referrer.organisation
        world.audit(person["created_at"], referrer, "referrals.person.created", Person, person)
        for purpose, share in (("contact_phone", 0.7), ("tell_gp_and_referrer", 0.6)):
            if rng.random() < share:
                world.consent(index, purpose, None, referrer, person["created_at"])
