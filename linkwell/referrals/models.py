"""Referrals: a citizen's request to be contacted by a service (self-referral)."""
