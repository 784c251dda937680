"""Signing in as the NHS expects of staff with access to personal data (docs/adr/0020).

The password first (throttled per account and per address by django-axes), then, for whoever
must or chose to, a one-time code from an authenticator app or a recovery code (django-otp);
sessions end when idle and after a fixed time. Every step is audited.
"""
