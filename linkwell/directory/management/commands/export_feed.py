"""`linkwell export_feed`: the whole directory as an Open Referral UK feed.

json = a list of full services; ndjson = one full service per line. Each service is the
`GET /api/v1/services/{id}` document, so `import_feed` reads the file back.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from linkwell.directory.oruk import feed


class Command(BaseCommand):
    help = "Export every service as an ORUK 3.0 feed (JSON list or NDJSON), streamed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--format", choices=["json", "ndjson"], default="json", help="default: json"
        )

    def handle(self, *args: object, **options: object) -> None:
        write = feed.ndjson_lines if options["format"] == "ndjson" else feed.json_array_chunks
        count = 0

        def counted():
            nonlocal count
            for document in feed.service_documents():
                count += 1
                yield document

        if options["output"]:
            path = Path(str(options["output"]))
            with path.open("w", encoding="utf-8") as out:
                for chunk in write(counted()):
                    out.write(chunk)
            self.stderr.write(f"{count} services written to {path}.")
        else:
            for chunk in write(counted()):
                self.stdout.write(chunk, ending="")
