"""Places where apps above referrals take part in a referral's ending without referrals
importing them: a check and a record when a referral completes (or the person did not engage),
lines added to the message back to the referrer and GP practice, and resources added to the
referral's FHIR export. `outcomes` registers into these from its `AppConfig.ready()`.

Each registry is keyed by name, so registering twice (a test that reloads apps) keeps one.
With nothing registered, referrals behave as they did before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CompletionHook:
    """What an app needs when a referral ends (`ending`: "completed" or "did_not_engage").

    `check(referral, ending, coded)` refuses (`Refused`) what is missing or wrong before
    anything is written; `record(referral, ending, coded, actor=..., via=...)` writes inside
    the move's transaction, after the move. `coded` is what the caller gave beside the free
    text (e.g. {"code": ..., "reasons": [...]})."""

    check: Callable[[Any, str, Mapping[str, Any]], None]
    record: Callable[..., None]


_completion: dict[str, CompletionHook] = {}
_message_back: dict[str, Callable[[Any], list[str]]] = {}
_fhir: dict[str, Callable[[Any, Any, str], list[Any]]] = {}


def register_completion(name: str, hook: CompletionHook) -> None:
    _completion[name] = hook


def register_message_back(name: str, lines: Callable[[Any], list[str]]) -> None:
    """`lines(referral)`: plain-words lines added to the message back (no names)."""
    _message_back[name] = lines


def register_fhir(name: str, resources: Callable[[Any, Any, str], list[Any]]) -> None:
    """`resources(referral, view, patient_reference)`: validated FHIR resources added to the
    referral's bundle, only what `view` (the reader's `ReferralView`) may see."""
    _fhir[name] = resources


def check_completion(referral: Any, ending: str, coded: Mapping[str, Any]) -> None:
    for hook in _completion.values():
        hook.check(referral, ending, coded)


def record_completion(
    referral: Any, ending: str, coded: Mapping[str, Any], *, actor: Any, via: str
) -> None:
    for hook in _completion.values():
        hook.record(referral, ending, coded, actor=actor, via=via)


def message_back_lines(referral: Any) -> list[str]:
    return [line for lines in _message_back.values() for line in lines(referral)]


def fhir_resources(referral: Any, view: Any, patient_reference: str) -> list[Any]:
    return [r for resources in _fhir.values() for r in resources(referral, view, patient_reference)]
