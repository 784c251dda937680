"""Outcomes: wellbeing and self-management instruments as data, their scores over time, the
coded outcome of a referral, and the evaluation of a programme (docs/adr/0032)."""
