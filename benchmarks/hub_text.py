"""Service descriptions for the hub's benchmark worlds: varied enough that two services
picked at random read differently (a directory where every listing said the same would make
the duplicate finder's work meaningless), with a small share of deliberate near-copies of
another service's text (as when two partners list the same kind of group in the same place).

A description is an opener about the need, a format, an audience and the ward, e.g. "Help
with falls frailty. Weekly group sessions run by trained volunteers. For older people. In
Bench Ward 0042." Used by `generate_hub_extras.py` (Python) and `generate_national.py` (the
same pieces in SQL)."""

from __future__ import annotations

import random

OPENERS = ["Help with {need}.", "Support for people facing {need}.", "Advice and help on {need}."]
FORMATS = [
    "Drop-in sessions and one-to-one support, free of charge.",
    "Weekly group sessions run by trained volunteers.",
    "Advice by phone and at home visits for people who cannot get out.",
    "Friendly, informal support; no referral needed.",
    "A six-week course, online or in person.",
    "Peer support meetings twice a month.",
    "Practical help at home from a named worker.",
    "A telephone helpline open every weekday.",
    "Outdoor activities in small groups.",
    "Casework for up to twelve weeks, then a review.",
    "Family sessions at the community centre.",
    "Specialist assessment and a plan agreed with you.",
]
AUDIENCES = [
    "For older people.", "For families with young children.", "For unpaid carers.",
    "For anyone over 18.", "For young people aged 11 to 25.",
    "For people with a long-term condition.", "For people new to the area.",
    "For people on a low income.",
]  # fmt: skip
NEAR_COPY_SHARE = 0.02  # of services: another service's text, slightly reworded


def describe(rng: random.Random, need: str, ward: str) -> str:
    label = need.replace("_", " ")
    opener = rng.choice(OPENERS).format(need=label)
    return f"{opener} {rng.choice(FORMATS)} {rng.choice(AUDIENCES)} In {ward}."


def reword(text: str) -> str:
    """A near-copy: what a second partner might write for the same kind of service."""
    return text.replace("sessions", "meetings").replace(". For ", ". Open to ", 1)
