"""The rows of the demo history as they are made (plain dicts, written at the end with
`linkwell.core.bulk.insert`), and the pieces every part of it shares: a referral with its
consent, history, audit events and coded outcome; a contact with the needs noticed; a person.

Times are in the past and consistent: a referral is made, sent a minute later, answered after
its service's usual delay, started, completed; whatever would come after now has not
happened yet, so recent referrals are still waiting or in progress.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.core.bulk import insert
from linkwell.outcomes.models import Administration, ReferralOutcome
from linkwell.referrals import lifecycle
from linkwell.referrals.models import (
    REFERENCE_ALPHABET,
    Case,
    Consent,
    Encounter,
    EncounterNeed,
    Goal,
    Person,
    Referral,
    ReferralEvent,
    Session,
    name_key,
)

RESPONSE_DAYS = 14  # the services' default (ServiceCapacity.response_days)
FEMALE = ["Ada", "Aisha", "Amira", "Anna", "Barbara", "Christine", "Dorothy", "Fatima",
          "Freya", "Grace", "Hafsa", "Irene", "Jean", "Joan", "Julia", "Maja", "Margaret",
          "Maryam", "Noor", "Patricia", "Susan", "Zainab", "Zofia", "Kiran", "Harjit"]  # fmt: skip
MALE = ["Ali", "Arthur", "Bilal", "Brian", "David", "George", "Hamza", "Ibrahim", "Imran",
        "Jack", "Jakub", "John", "Kenneth", "Leo", "Michael", "Muhammad", "Noah", "Oliver",
        "Peter", "Piotr", "Tariq", "Yusuf", "Gurpreet", "Manjit", "Kwame"]  # fmt: skip
FAMILY = {
    "white": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Sutcliffe", "Holmes", "Shaw",
              "Barker", "Greenwood", "Priestley", "Ackroyd", "Hirst", "Pickles", "Firth",
              "Ramsden", "Illingworth", "Murphy", "Kelly", "Nowak", "Kowalski", "Wojcik"],
    "asian": ["Hussain", "Khan", "Ahmed", "Ali", "Akhtar", "Begum", "Shah", "Mahmood", "Iqbal",
              "Rashid", "Malik", "Kaur", "Singh", "Sandhu", "Gill", "Bibi"],
    "black": ["Okafor", "Mensah", "Adeyemi", "Boateng", "Mwangi"],
}  # fmt: skip
ETHNIC_GROUPS = [("white", 62), ("asian", 28), ("black", 2), ("mixed", 2), ("other", 1),
                 ("prefer_not_to_say", 1), ("", 4)]  # fmt: skip
LANGUAGES = {"white": [("", 80), ("en", 14), ("pl", 6)],
             "asian": [("", 55), ("en", 20), ("ur", 14), ("pa", 8), ("bn", 3)]}  # fmt: skip
REASONS = [
    "Demo: lives alone since her husband died; goes days without talking to anyone.",
    "Demo: two falls in the last six months; struggles with the stairs.",
    "Demo: cold house, pre-payment meter often empty; worried about bills.",
    "Demo: asked for help to stop smoking.",
    "Demo: behind on rent and council tax; letters unopened.",
    "Demo: carer for his wife with dementia; exhausted.",
    "Demo: low mood since losing his job; wants to get out more.",
]
OUTCOMES = [
    "Demo: attended the group weekly; made two friends and now goes on their own.",
    "Demo: home assessment done; grab rails and a pendant alarm fitted.",
    "Demo: benefits check done; fuel debt put on a payment plan.",
    "Demo: joined the walking group for eight weeks; more confident going out.",
]
DID_NOT_ENGAGE = "Demo: could not be reached after three calls and a letter."
DECLINES = [  # (code, weight, the service's words)
    ("no_capacity", 5, "Demo: no places until the new year."),
    ("not_eligible", 5, "Demo: outside the area we cover."),
    ("person_declined", 4, "Demo: the person said they no longer want help."),
    ("could_not_contact", 4, "Demo: three calls, no answer."),
    ("duplicate", 1, "Demo: already referred by their GP."),
    ("other", 2, "Demo: the person has moved into a care home."),
]
CODED = [("achieved", 55, ["goals_met"]), ("partly", 30, ["needs_changed"]),
         ("partly", 5, ["support_elsewhere"]),
         ("not_achieved", 10, ["service_unsuitable"])]  # fmt: skip
ANSWERS = {"accepted", "declined", "waitlisted"}  # answered_at: the service's latest answer
DECIDING = ANSWERS | {"cancelled"}  # no longer awaiting an answer


def weighted(rng: random.Random, choices: list[tuple[Any, float]]) -> Any:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def new_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def days(value: float) -> dt.timedelta:
    return dt.timedelta(days=value)


@dataclass(frozen=True)
class Referrer:
    """Who acted: a user id (None: a service's staff, unnamed), label and organisation."""

    user: int | None
    label: str
    organisation: Any
    practice: int | None = None


Step = tuple[str, dt.datetime, str]  # status, when, by ("referrer", "service" or "system")


class Rows:
    """New rows by model, written in one go (foreign keys are checked at commit)."""

    ORDER = (Person, Consent, Encounter, EncounterNeed, Referral, ReferralEvent, Case, Session,
             Goal, ReferralOutcome, Administration, AuditEvent)  # fmt: skip

    def __init__(self) -> None:
        self.by_model: dict[type, list[dict[str, Any]]] = defaultdict(list)

    def add(self, model: type, row: dict[str, Any]) -> dict[str, Any]:
        self.by_model[model].append(row)
        return row

    def write(self) -> dict[str, int]:
        counts = {}
        for model in self.ORDER:
            rows = self.by_model.get(model, [])
            for start in range(0, len(rows), 5000):
                insert(model, rows[start : start + 5000])
            counts[model._meta.label] = len(rows)
        return counts


@dataclass
class World:
    rng: random.Random
    now: dt.datetime
    via: str
    rows: Rows = field(default_factory=Rows)
    referrers: dict[str, list[Referrer]] = field(default_factory=dict)
    connector: Referrer = Referrer(None, "", None)
    practices: list[tuple[int, str, int | None, Referrer, float]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    by_need: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    programme: dict[str, Any] = field(default_factory=dict)
    people: list[dict[str, Any]] = field(default_factory=list)
    by_practice: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    cases: list[dict[str, Any]] = field(default_factory=list)
    first_contact: dict[int, tuple[dt.datetime, Referrer]] = field(default_factory=dict)
    consented: set[tuple[int, Any]] = field(default_factory=set)
    references: set[str] | None = None

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now).date()

    def audit(
        self,
        at: dt.datetime,
        actor: Referrer | None,
        action: str,
        model: type,
        row: dict[str, Any],
        details: dict[str, Any] | None = None,
        label: str = "",
    ) -> dict[str, Any]:
        name = model._meta.verbose_name.title().replace(" ", "")
        return self.rows.add(
            AuditEvent,
            {"at": at, "actor_id": actor.user if actor else None,
             "actor_label": actor.label if actor else "system", "action": action,
             "target_type": model._meta.label_lower, "target_id": str(row["id"]),
             "target_label": label or f"{name} {str(row['id'])[:8]}", "via": self.via,
             "details": details or {}},
        )  # fmt: skip

    def person_for(self, pool: Any, ages: tuple[int | None, int | None], at: dt.datetime) -> int:
        """A person of `pool` (indexes) of an age the service takes, if one is found soon."""
        low, high = ages
        for _ in range(25):
            index = self.rng.choice(pool)
            born = self.people[index]["birth_date"]
            age = (at.date() - born).days // 365
            if (low is None or age >= low) and (high is None or age <= high):
                return index
        return index

    def consent(
        self, person: int, purpose: str, service: Any, by: Referrer, at: dt.datetime
    ) -> None:
        row = self.people[person]
        self.rows.add(
            Consent,
            {"id": new_id(self.rng), "person_id": row["id"], "purpose": purpose,
             "service_id": service, "recorded_by_id": by.user, "recorded_by_label": by.label,
             "recorded_at": at, "how": "verbally at the visit", "source": "recorded"},
        )  # fmt: skip
        details = {"purpose": purpose} | ({"services": [str(service)]} if service else {})
        self.audit(at, by, "referrals.consent.given", Person, row, details)

    def _contacted(self, person: int, at: dt.datetime, by: Referrer) -> None:
        first = self.first_contact.get(person)
        if first is None or at < first[0]:
            self.first_contact[person] = (at, by)

    def encounter(
        self, person: int, by: Referrer, kind: str, at: dt.datetime, need: str
    ) -> dict[str, Any]:
        """A contact (a Safe and Well visit, a tenancy check) where `need` was noticed."""
        at = at - dt.timedelta(minutes=self.rng.randint(5, 90))
        row = self.rows.add(
            Encounter,
            {"id": new_id(self.rng), "person_id": self.people[person]["id"], "kind": kind,
             "note": "", "occurred_at": at, "practitioner_id": by.user,
             "organisation_id": by.organisation, "created_at": at},
        )  # fmt: skip
        row["audit"] = self.audit(
            at, by, "referrals.contact.recorded", Person, self.people[person],
            {"kind": kind, "needs": []},
        )  # fmt: skip
        self._contacted(person, at, by)
        self.notice(row, need)
        return row

    def notice(self, encounter: dict[str, Any], need: str) -> None:
        needs = encounter["audit"]["details"]["needs"]
        if need in needs:
            return
        needs.append(need)
        urgency = weighted(self.rng, [("routine", 6), ("soon", 3), ("urgent", 1)])
        self.rows.add(
            EncounterNeed, {"encounter_id": encounter["id"], "need": need, "urgency": urgency}
        )

    def plan(self, plan: str, created: dt.datetime, service: dict[str, Any]) -> list[Step]:
        """The steps of a referral meant to end as `plan`, as far as they have happened."""
        rng = self.rng
        sent = created + dt.timedelta(minutes=1)
        answer = sent + days(max(0.01, service["speed"] * rng.lognormvariate(0, 0.9)))
        steps: list[Step] = [("draft", created, "referrer"), ("sent", sent, "referrer")]
        if plan == "received" or (plan not in ("sent", "cancelled") and rng.random() < 0.3):
            steps.append(("received", sent + (answer - sent) / 3, "service"))
        if plan in ("declined", "waitlisted"):
            steps.append((plan, answer, "service"))
        elif plan == "cancelled":
            steps.append(("cancelled", sent + days(rng.uniform(1, 20)), "referrer"))
        elif plan not in ("sent", "received"):
            if plan == "waited_then_completed":
                steps.append(("waitlisted", answer, "service"))
                answer += days(rng.uniform(10, 60))
            steps.append(("accepted", answer, "service"))
            if plan == "did_not_engage":
                steps.append(("did_not_engage", answer + days(rng.uniform(14, 45)), "service"))
            elif plan != "accepted":
                started = answer + days(rng.uniform(2, 14))
                steps.append(("in_progress", started, "service"))
                steps.append(("completed", started + days(rng.uniform(20, 100)), "service"))
        cutoff = self.now - dt.timedelta(hours=1)
        return [step for step in steps if step[1] <= cutoff]

    def _reference(self) -> str:
        if self.references is None:
            self.references = set(Referral.objects.values_list("reference", flat=True))
        while True:
            chars = "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(8))
            reference = f"LW-{chars[:4]}-{chars[4:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def referral(
        self,
        *,
        person: int,
        service: dict[str, Any],
        referrer: Referrer,
        created: dt.datetime,
        steps: list[Step],
        need: str,
        encounter: dict[str, Any] | None = None,
        from_case: Any = None,
        programme_year: dt.date | None = None,
        decline: str = "",
        answerer: Referrer | None = None,
    ) -> dict[str, Any]:
        """One referral with its consent, events, audit events and coded outcome."""
        rng = self.rng
        answerer = answerer or service["answerer"]
        programme = service is self.programme
        if (person, service["id"]) not in self.consented:
            self.consented.add((person, service["id"]))
            at = created - dt.timedelta(minutes=2)
            self.consent(person, "share_with_service", service["id"], referrer, at)
        self._contacted(person, created, referrer)
        at_of = {status: at for status, at, _by in steps}
        status, last, _by = steps[-1]
        sent = at_of.get("sent")
        due = sent + days(RESPONSE_DAYS) if sent else None
        decided = min((at for s, at, by in steps if s in DECIDING and by != "system"), default=None)
        escalated = None
        if due is not None and due < self.now and (decided is None or decided > due):
            escalated = due + dt.timedelta(hours=1)
        answered = max((at for s, at, by in steps if s in ANSWERS and by != "system"), default=None)
        code, words = "", ""
        if status == "declined":
            code = decline or weighted(rng, [(c, w) for c, w, _ in DECLINES])
            words = next(text for c, _w, text in DECLINES if c == code)
        outcome = ""
        if status == "completed":
            outcome = rng.choice(OUTCOMES)
        elif status == "did_not_engage":
            outcome = DID_NOT_ENGAGE
        reference = self._reference()
        row = self.rows.add(
            Referral,
            {"id": new_id(rng), "reference": reference, "person_id": self.people[person]["id"],
             "service_id": service["id"], "need": need, "reason": rng.choice(REASONS),
             "encounter_id": encounter["id"] if encounter else None, "from_case_id": from_case,
             "status": status, "status_changed_at": last, "referrer_id": referrer.user,
             "referrer_label": referrer.label, "referrer_organisation_id": referrer.organisation,
             "gp_practice_id": referrer.practice, "decline_reason": words,
             "decline_reason_code": code, "outcome": outcome,
             "snomed_code": lifecycle.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
             if programme and sent else "",
             "sent_at": sent, "due_at": due, "answered_at": answered, "escalated_at": escalated,
             "waitlisted_at": at_of.get("waitlisted"), "completed_at": at_of.get("completed"),
             "programme_year": programme_year, "created_at": created},
        )  # fmt: skip
        label = f"Referral {reference}"
        previous = ""
        for step, at, by in steps:
            actor = {"referrer": referrer, "service": answerer}.get(by)
            snomed = ""
            if programme and step == "sent":
                snomed = lifecycle.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
            elif programme and step == "declined":
                snomed = lifecycle.SNOMED_SOCIAL_PRESCRIBING_DECLINED
            note = words if step == "declined" else outcome if step == status else ""
            self.rows.add(
                ReferralEvent,
                {"referral_id": row["id"], "from_status": previous, "to_status": step, "at": at,
                 "actor_id": actor.user if actor else None,
                 "actor_label": actor.label if actor else "system", "note": note,
                 "snomed_code": snomed},
            )  # fmt: skip
            if step == "draft":
                details = {"service": str(service["id"]), "need": need, "safeguarding": False}
            else:
                details = {"from": previous}
                if step == "declined":
                    details["reason_code"] = code
            action = "referrals.referral." + ("created" if step == "draft" else step)
            self.audit(at, actor, action, Referral, row, details, label)  # fmt: skip
            previous = step
        if escalated is not None:
            self.audit(escalated, None, "referrals.referral.escalated", Referral, row,
                       {"due_at": due.isoformat()}, label)  # fmt: skip
        if status in ("completed", "did_not_engage"):
            self._coded(row, status, last, answerer, service, label)
        return row

    def _coded(
        self,
        referral: dict[str, Any],
        status: str,
        at: dt.datetime,
        by: Referrer,
        service: dict[str, Any],
        label: str,
    ) -> None:
        if status == "did_not_engage":
            code, reasons = "did_not_engage", [self.rng.choice(["could_not_contact", "declined"])]
        else:
            code, reasons = weighted(self.rng, [((c, r), w) for c, w, r in CODED])
        self.rows.add(
            ReferralOutcome,
            {"referral_id": referral["id"], "code": code, "reasons": reasons,
             "note": referral["outcome"], "recorded_at": at, "recorded_by_id": by.user,
             "organisation_id": service["partner"]},
        )  # fmt: skip
        self.audit(at, by, "outcomes.referral_outcome.recorded", Referral, referral,
                   {"code": code, "reasons": reasons}, label)  # fmt: skip


def person_row(
    rng: random.Random,
    today: dt.date,
    pk: uuid.UUID,
    postcode: tuple[str, Any, Any],
    practice: int | None,
    numbers: list[str],
) -> dict[str, Any]:
    """An invented person ("Demo-" family name; a 999-range NHS number or none) living at a
    real postcode of the place; when and by whom recorded is settled later."""
    group = weighted(rng, ETHNIC_GROUPS)
    sex = weighted(rng, [("female", 57), ("male", 40), ("prefer_not_to_say", 1), ("", 2)])
    given = rng.choice(FEMALE if sex == "female" else MALE if sex == "male" else FEMALE + MALE)
    family = "Demo-" + rng.choice(FAMILY.get(group) or [n for f in FAMILY.values() for n in f])
    language = weighted(rng, LANGUAGES.get(group, [("", 90), ("en", 10)]))
    age = int(18 + 78 * rng.random() ** 0.7)
    code, small_area, ward = postcode
    return {
        "id": pk, "given_name": given, "family_name": family,
        "name_key": name_key(given, family),
        "birth_date": today - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
        "nhs_number": numbers.pop() if numbers and rng.random() < 0.88 else "",
        "postcode": code, "small_area_id": small_area, "ward_id": ward,
        "gp_practice_id": practice, "preferred_language": language,
        "interpreter_needed": language not in ("", "en") and rng.random() < 0.4,
        "phone": f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.75 else "",
        "sex": sex, "ethnic_group": group, "is_demo": True,
    }  # fmt: skip
