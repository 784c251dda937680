"""Self-referral and the provider's inbox (placeholders until built)."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse


def self_referral(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    raise Http404


def inbox(request: HttpRequest) -> HttpResponse:
    raise Http404
