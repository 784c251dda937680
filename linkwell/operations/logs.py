"""Log lines a log shipper can read: one JSON object per line (LOG_FORMAT=json, the default in
production) or plain text for a person at a console (LOG_FORMAT=text, the default in
development), both carrying the request id (docs/adr/0036).

Logs leave the machine, so they carry no personal data: requests are logged by their route
(the URL pattern, `/referrals/<uuid:pk>/`), never by their path or query string, and people
by their user id only. Django's own messages that name a path are rewritten to the route.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.http import HttpRequest
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from linkwell.core import request_id

UNMATCHED = "(unmatched)"

# Attributes Django adds to its records that would put a full path into the line: the request
# itself (its repr is the path with its query string) and runserver's socket.
_NEVER_LOGGED = ("request", "server_time", "status_code")


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered `request` (`/cases/<int:pk>/`), or "(unmatched)" when none
    did (a 404, or a redirect before URL resolution): never the path, which holds ids."""
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", None)
    return f"/{route}" if route else UNMATCHED


class RequestIdFilter(logging.Filter):
    """Adds the current request id (or "") to every record, as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.current()
        return True


class RouteNotPathFilter(logging.Filter):
    """Django's request and security loggers put `request.path` into their messages ("Not
    Found: /answer/<token>/"): such an argument is replaced by the route, and the request
    object is dropped from the record so no formatter prints it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            paths = {request.path, request.path_info, request.get_full_path()}
            if isinstance(record.args, tuple):
                record.args = tuple(
                    route_of(request) if isinstance(arg, str) and arg in paths else arg
                    for arg in record.args
                )
            for name in _NEVER_LOGGED:
                record.__dict__.pop(name, None)
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, then
    whatever the caller passed as `extra` (a request's method, route, status, duration_ms and
    user_id), and the traceback as `exc_info`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, *_NEVER_LOGGED, "request_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(["levelname", "name", "message", "request_id"], *args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["time"] = dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
            timespec="milliseconds"
        )
        super().add_fields(log_data, record, message_dict)
        log_data.setdefault("request_id", "")
        if log_data["request_id"] is None:
            log_data["request_id"] = ""
