"""Two years of invented history for the demo, on top of `load_demo_referrals`: about 400
demo people, 1,200 referrals from the demo staff's organisations (and a few demo GP
practices) to the demo directory's services, the Community Connector programme's cases
with sessions, discharges and SWEMWBS scores. So the evaluation report and the
intelligence hub show figures, not counts withheld as under 5.

Development only (refused unless DEBUG or LINKWELL_DEV), like the demo staff. Everything is
invented and marked: people are `is_demo` with "Demo-" family names and no NHS number or one
of the 999 range (never issued); the extra GP practice organisations and their referrers are
demo; administrations are `is_demo`; every audit event says via "command load_demo_history".

Rows go in with `linkwell.core.bulk.insert`, with times in the past (a referral's answer,
a case's sessions and discharge), as `benchmarks/generate_referrals.py` writes its world: the
actions stamp the present. Deterministic (a fixed seed, times relative to now) and loaded
once: the first demo person's id is fixed, and a second run finds it and adds nothing.
"""

from linkwell.outcomes.demo.history import VIA, History, load_demo_history

__all__ = ["VIA", "History", "load_demo_history"]
