"""Revoke an API token at once (for a system that goes, or a token that leaked)."""

from django.core.management.base import BaseCommand, CommandError

from linkwell.accounts.queries import NotFound
from linkwell.accounts.tokens import find_api_token, revoke_api_token


class Command(BaseCommand):
    help = (
        "Revoke the API token with this id or prefix (as create_api_token printed it, e.g. "
        "lw_AbC1234); it stops working at once. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("token", help="The token's id, its prefix, or the whole token.")
        parser.add_argument("--user", default="", help="Only among this username's tokens.")

    def handle(self, *args, **options):
        try:
            row = find_api_token(options["token"], username=options["user"])
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        named = f" ({row.name})" if row.name else ""
        label = f"Token {row.prefix}… of {row.user.username}{named}"
        if revoke_api_token(row, actor=None, via="command revoke_api_token"):
            self.stdout.write(f"{label} revoked: it no longer works.")
        else:
            self.stdout.write(f"{label} was already revoked; nothing changed.")
