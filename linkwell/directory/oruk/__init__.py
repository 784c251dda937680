"""Open Referral UK 3.0: directory rows as ORUK documents, the feed, the vendored schemas."""
