"""Notifications: the in-product inbox and its e-mails, for every app (docs/adr/0024)."""
