import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from linkwell.directory import models as m
from linkwell.directory.importers.problems import ImportSourceError
from linkwell.directory.importers.runner import import_feed
from linkwell.directory.tests.import_support import service_doc

pytestmark = pytest.mark.django_db

SUMMARY_KEYS = {"id", "name", "status", "organization_id", "organization", "description"}


class FakeOrukApi(BaseHTTPRequestHandler):
    """Five services, two per page; list items carry no children, as HSDS allows."""

    services = {doc["id"]: doc for doc in (service_doc(n) for n in range(1, 6))}
    broken_ids: set[str] = set()
    requested: list[str] = []

    def do_GET(self):
        self.requested.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/api/services":
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            ids = list(self.services)
            pages = [ids[i : i + 2] for i in range(0, len(ids), 2)]
            contents = [
                {k: v for k, v in self.services[i].items() if k in SUMMARY_KEYS}
                for i in pages[page - 1]
            ]
            self._send(
                200,
                {
                    "total_items": len(ids),
                    "total_pages": len(pages),
                    "page_number": page,
                    "size": len(contents),
                    "first_page": page == 1,
                    "last_page": page == len(pages),
                    "empty": not contents,
                    "contents": contents,
                },
            )
        elif parts.path.startswith("/api/services/"):
            service_id = parts.path.rsplit("/", 1)[1]
            if service_id in self.services and service_id not in self.broken_ids:
                self._send(200, self.services[service_id])
            else:
                self._send(404, {"detail": "Not Found"})
        else:
            self._send(404, {"detail": "Not Found"})

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOrukApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeOrukApi.requested = []
    FakeOrukApi.broken_ids = set()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()


def test_a_feed_is_imported_page_by_page_from_an_oruk_api(api, place_data, user):
    report = import_feed(api, actor=user)

    assert (report.status, report.created, report.rows_read) == ("committed", 5, 5)
    assert m.Service.objects.count() == 5
    assert m.Schedule.objects.count() == 5  # children came from /services/{id}
    assert sum(p.startswith("/api/services?page=") for p in FakeOrukApi.requested) == 3


def test_a_service_the_api_will_not_give_is_reported_against_its_item(api, place_data, user):
    FakeOrukApi.broken_ids = {service_doc(2)["id"]}

    report = import_feed(api, actor=user, partial=True)

    assert [(p.row, p.field) for p in report.problems] == [(2, "id")]
    assert "answered HTTP 404" in report.problems[0].reason
    assert m.Service.objects.count() == 4


def test_a_url_that_is_not_an_oruk_api_is_refused_with_the_reason(api, place_data, user):
    with pytest.raises(ImportSourceError, match="answered HTTP 404"):
        import_feed(api.replace("/api", "/elsewhere"), actor=user)


def test_an_unreachable_api_is_refused_with_the_reason(place_data, user):
    with pytest.raises(ImportSourceError, match="could not be reached"):
        import_feed("http://127.0.0.1:9/api", actor=user, timeout=2)
