"""The Open Referral UK API (django-ninja router)."""

from linkwell.directory.api.routes import router

__all__ = ["router"]
