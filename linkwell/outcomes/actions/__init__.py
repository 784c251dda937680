"""Every change in the outcomes app: atomic, audited in the same transaction, actor given
(for a person answering through a link, the link). Re-exported here: callers write
`actions.save_answers(...)` whatever module holds it."""

from linkwell.outcomes.actions.administrations import (
    may_record,
    save_answers,
    schedule_follow_up,
    start_administration,
)
from linkwell.outcomes.actions.links import (
    answer_by_link,
    request_new_link,
    send_self_completion_link,
)
from linkwell.outcomes.actions.referral_outcomes import clean_coded, record_referral_outcome
from linkwell.outcomes.actions.reminders import send_reminders

__all__ = [
    "answer_by_link",
    "clean_coded",
    "may_record",
    "record_referral_outcome",
    "request_new_link",
    "save_answers",
    "schedule_follow_up",
    "send_reminders",
    "send_self_completion_link",
    "start_administration",
]
