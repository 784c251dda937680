"""A small world of referrals in known states, written straight to the tables (the actions
would be slower and are tested elsewhere), and the hub's flows and indicators built over it
through DuckDB (committed rows only: tests use `live_db`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linkwell.accounts.actions import create_organisation
from linkwell.core import bulk
from linkwell.directory.models import Service
from linkwell.directory.tests.page_services import make_service
from linkwell.intelligence import analytics
from linkwell.intelligence.flows.build import build as build_flows
from linkwell.intelligence.indicators.build import build as build_indicators
from linkwell.intelligence.steps import Context, Output
from linkwell.places.models import Deprivation, GPPractice, Place, SmallArea, Ward
from linkwell.referrals.models import Person, Referral


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


class World:
    """Two wards (Upper, most deprived; Lower, least), two partners, one service each."""

    def __init__(self) -> None:
        self.place = Place.objects.create(slug="testplace", name="Test place")
        self.upper = Ward.objects.create(place=self.place, code="E05900001", name="Upper")
        self.lower = Ward.objects.create(place=self.place, code="E05900002", name="Lower")
        self.areas = {}
        for ward, decile in ((self.upper, 1), (self.lower, 10)):
            area = SmallArea.objects.create(
                place=self.place,
                code=f"E0190000{decile}",
                name=f"Area {decile}",
                vintage=2011,
                ward=ward,
            )
            Deprivation.objects.create(small_area=area, imd_rank=decile * 3000, imd_decile=decile)
            self.areas[ward.pk] = area
        self.practice = GPPractice.objects.create(
            place=self.place, code="ZZ1001", name="Mill Surgery"
        )
        self.gp = create_organisation(actor=None, name="Mill Surgery", kind="gp_practice")
        self.fire = create_organisation(actor=None, name="Fire Service", kind="fire")
        self.club = self.service("Lunch club", self.gp)
        self.falls = self.service("Falls team", self.fire)

    @staticmethod
    def service(name: str, partner: Any) -> Service:
        service = make_service(name)
        Service.objects.filter(pk=service.pk).update(partner=partner)
        return service

    def person(self, ward: Ward | None) -> Person:
        return Person.objects.create(
            given_name="Secret",
            family_name="Name",
            birth_date=dt.date(1950, 1, 1),
            postcode="BD1 1AA",
            ward=ward,
            small_area=self.areas.get(ward.pk) if ward else None,
        )

    def referral(
        self,
        ward: Ward | None,
        *,
        service: Service | None = None,
        status: str = "sent",
        sent: dt.datetime | None = None,
        answered: dt.datetime | None = None,
        waitlisted: dt.datetime | None = None,
        need: str = "loneliness",
        source: Any = None,
        decline: str = "",
        **extra: Any,
    ) -> Referral:
        sent = sent or at(4, 1)
        return Referral.objects.create(
            person=extra.pop("person", None) or self.person(ward),
            service=service or self.club,
            need=need,
            status=status,
            status_changed_at=sent,
            referrer_label="Someone",
            referrer_organisation=source or self.gp,
            sent_at=sent,
            created_at=sent,
            answered_at=answered,
            waitlisted_at=waitlisted,
            decline_reason_code=decline,
            **extra,
        )


def build(month: str = "2026-06", *, write: bool = True) -> dict[str, Output]:
    """The flows and indicators parts over the committed rows, written as a refresh would."""
    con = analytics.connect()
    try:
        context = Context(con, dt.datetime.now(dt.UTC), month, None, None)
        outputs = {"flows": build_flows(context), "indicators": build_indicators(context)}
    finally:
        con.close()
    if write:
        for output in outputs.values():
            for model, rows in output.rows.items():
                model.objects.all().delete()
                bulk.insert(model, rows)
    return outputs
