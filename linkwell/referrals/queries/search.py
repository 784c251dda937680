"""Staff finding people: by name, NHS number, date of birth or postcode, and a connector's
closed cases by the person's name. Only among the people the caller may open (policies);
every search is audited (the kinds of criteria and the ids found, never the values)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from linkwell.directory.search.results import Page
from linkwell.places.queries import PostcodeError, normalise_postcode
from linkwell.referrals import policies
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Case, CaseStatus, Person, name_key

MIN_TEXT = 2
MAX_TEXT = 100
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class PeopleSearch:
    """Search criteria, cleaned: what `find_people` filters on."""

    text: str = ""  # folded (`name_key`)
    nhs_number: str = ""
    birth_date: dt.date | None = None
    postcode: str = ""

    @property
    def kinds(self) -> list[str]:
        return [
            name for name in ("text", "nhs_number", "birth_date", "postcode") if getattr(self, name)
        ]


def clean_search(
    *, text: str = "", nhs_number: str = "", birth_date: dt.date | None = None, postcode: str = ""
) -> PeopleSearch:
    """The criteria as searched, or Refused naming the field: a name of at least 2
    characters, a valid NHS number (Modulus 11), a UK postcode; at least one given."""
    from linkwell.referrals.actions.people import clean_nhs_number

    words = " ".join((text or "").split())
    if words and len(words) < MIN_TEXT:
        raise Refused(f"Type at least {MIN_TEXT} characters of a name.", field="text")
    if len(words) > MAX_TEXT:
        raise Refused(f"At most {MAX_TEXT} characters.", field="text")
    folded = name_key(words)
    if words and len(folded) < MIN_TEXT:
        raise Refused(f"Type at least {MIN_TEXT} letters of a name.", field="text")
    number = clean_nhs_number(nhs_number)
    code = ""
    if (postcode or "").strip():
        try:
            code = normalise_postcode(postcode)
        except PostcodeError:
            raise Refused("This is not shaped like a UK postcode.", field="postcode") from None
    search = PeopleSearch(text=folded, nhs_number=number, birth_date=birth_date, postcode=code)
    if not search.kinds:
        raise Refused(
            "Give a name, an NHS number, a date of birth or a postcode to search.", field="text"
        )
    return search


def find_people(
    user: Any,
    *,
    text: str = "",
    nhs_number: str = "",
    birth_date: dt.date | None = None,
    postcode: str = "",
    limit: int = 20,
    via: str = "",
) -> list[Person]:
    """People `user` may open matching every criterion given, by family then given name (at
    most `limit`, up to SEARCH_LIMIT). Someone the caller may not open is never found: the
    answer is the same as for no one. Audited, found or not."""
    from linkwell.referrals.actions.people import record_people_searched

    search = clean_search(
        text=text, nhs_number=nhs_number, birth_date=birth_date, postcode=postcode
    )
    people = policies.readable_people(user)
    if search.text:
        for word in search.text.split():
            people = people.filter(name_key__contains=word)
    if search.nhs_number:
        people = people.filter(nhs_number=search.nhs_number)
    if search.birth_date:
        people = people.filter(birth_date=search.birth_date)
    if search.postcode:
        people = people.filter(postcode=search.postcode)
    limit = max(1, min(limit, SEARCH_LIMIT))
    found = list(people.select_related("ward").order_by("family_name", "given_name", "id")[:limit])
    record_people_searched(search.kinds, found, actor=user, via=via or "find_people")
    return found


def closed_cases(
    user: Any, *, text: str = "", page: int = 1, per_page: int = 20, via: str = ""
) -> Page:
    """The caller's closed (discharged) cases, most recently closed first, optionally those
    whose person's name contains `text` (2 characters or more); a page of them, each person
    shown audited as a list. A connector sees the cases they held; admins all."""
    from linkwell.referrals.actions.people import record_people_listed

    cases = closed_cases_of(user)
    words = " ".join((text or "").split())
    if words:
        folded = name_key(words)
        if len(folded) < MIN_TEXT:
            raise Refused(f"Type at least {MIN_TEXT} letters of a name.", field="text")
        for word in folded.split()[:10]:
            cases = cases.filter(person__name_key__contains=word)
    per_page = max(1, min(per_page, SEARCH_LIMIT))
    page = max(1, page)
    start = (page - 1) * per_page
    items = list(cases[start : start + per_page])
    found = Page(
        items=items,
        total_items=cases.order_by().count(),
        page_number=page,
        per_page=per_page,
    )
    record_people_listed([c.person_id for c in items], actor=user, via=via or "closed_cases")
    return found


def closed_cases_of(user: Any) -> QuerySet[Case]:
    cases = policies.caseload_cases(user).filter(status=CaseStatus.DISCHARGED)
    if not policies.sees_everything(user):
        cases = cases.filter(connector=user)
    return cases.select_related("person", "programme", "referral").order_by("-discharged_at", "-id")
