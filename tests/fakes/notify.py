"""A local fake of the GOV.UK Notify API for tests: an http.server on a free port of 127.0.0.1.

It answers POST /v2/notifications/email and /v2/notifications/sms as Notify does (201 and the
notification's id), checking the bearer token the way Notify checks it: a JWT signed (HS256)
with the key's secret, its `iss` the key's service id, its `iat` within 30 seconds. It records
every request it accepts, and answers with an error on demand (`fail_next`).

    with FakeNotify() as notify:
        settings.NOTIFY_BASE_URL, settings.NOTIFY_API_KEY = notify.url, notify.api_key
        ...
        [request] = notify.requests
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"linkwell_test-{SERVICE_ID}-{SECRET}"  # name, service id, secret: Notify's shape

PATHS = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}
REQUIRED = {"email": ("email_address", "template_id"), "sms": ("phone_number", "template_id")}


@dataclass
class Received:
    """A request the fake accepted: `kind` "email" or "sms", its JSON body."""

    kind: str
    body: dict[str, Any]
    id: str

    @property
    def personalisation(self) -> dict[str, Any]:
        return self.body.get("personalisation") or {}


@dataclass
class FakeNotify:
    api_key: str = API_KEY
    requests: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why requests were refused (auth, shape)
    _errors: list[tuple[int, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, message: str = "", *, times: int = 1) -> None:
        """Answer the next `times` sends with `status` and Notify's error body."""
        with self._lock:
            self._errors.extend([(status, message or f"Error {status}")] * times)

    def start(self) -> FakeNotify:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet under pytest
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeNotify:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # The API.
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        kind = PATHS.get(handler.path)
        if kind is None:
            return _answer(handler, 404, _error("NotFound", "Not found"))
        problem = self._auth_problem(handler.headers.get("Authorization", ""))
        if problem:
            self.refused.append(problem)
            return _answer(handler, 403, _error("AuthError", problem))
        try:
            body = json.loads(raw)
        except ValueError:
            self.refused.append("not JSON")
            return _answer(handler, 400, _error("BadRequestError", "Not JSON"))
        missing = [name for name in REQUIRED[kind] if not body.get(name)]
        if missing:
            self.refused.append(f"missing {missing}")
            return _answer(handler, 400, _error("ValidationError", f"{missing[0]} is required"))
        with self._lock:
            error = self._errors.pop(0) if self._errors else None
        if error is not None:
            status, message = error
            name = "RateLimitError" if status == 429 else "BadRequestError"
            return _answer(handler, status, _error(name, message))
        received = Received(kind, body, str(uuid.uuid4()))
        self.requests.append(received)
        _answer(
            handler,
            201,
            {
                "id": received.id,
                "reference": body.get("reference"),
                "content": {"body": (received.personalisation or {}).get("body", "")},
                "uri": f"{self.url}/v2/notifications/{received.id}",
                "template": {"id": body["template_id"], "version": 1, "uri": ""},
            },
        )

    def _auth_problem(self, header: str) -> str:
        """Notify's check: the bearer token is a JWT from this service, signed with its
        secret, issued within 30 seconds."""
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            return "Unauthorized: authentication token must be provided"
        service_id, secret = self.api_key[-73:-37], self.api_key[-36:]
        try:
            if get_token_issuer(token) != service_id:
                return "Invalid token: service not found"
            decode_jwt_token(token, secret)
        except TokenError as error:
            return error.message
        return ""


def _error(name: str, message: str) -> dict[str, Any]:
    return {"status_code": 0, "errors": [{"error": name, "message": message}]}


def _answer(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
    if "status_code" in body:
        body["status_code"] = status
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)
