"""The coded outcome at a referral's ending: required beside the free text when it completes
(by the service, or by a connector's discharge); "did not engage" is coded by itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkwell.outcomes.actions.referral_outcomes import clean_coded, record_referral_outcome
from linkwell.outcomes.models import OutcomeCode
from linkwell.referrals.models import ReferralStatus


def _code(ending: str, coded: Mapping[str, Any]) -> str:
    if ending == ReferralStatus.DID_NOT_ENGAGE:
        return OutcomeCode.DID_NOT_ENGAGE
    return str(coded.get("code") or "")


def check(referral: Any, ending: str, coded: Mapping[str, Any]) -> None:
    clean_coded(_code(ending, coded), coded.get("reasons"), str(coded.get("note") or ""))


def record(referral: Any, ending: str, coded: Mapping[str, Any], *, actor: Any, via: str) -> None:
    record_referral_outcome(
        referral,
        code=_code(ending, coded),
        reasons=coded.get("reasons"),
        note=str(coded.get("note") or "")[:2000],
        actor=actor,
        via=via,
    )
