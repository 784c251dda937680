"""Make an API token for a user and print it once (only its hash is stored)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linkwell.accounts.queries import NotFound, find_user
from linkwell.accounts.tokens import MAX_DAYS, create_api_token


class Command(BaseCommand):
    help = "Create a bearer token for USERNAME for the referral API; it is printed only now."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What or who will use the token.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"How long it works (default {settings.API_TOKEN_DAYS}, at most {MAX_DAYS}).",
        )

    def handle(self, *args, **options):
        try:
            user = find_user(options["username"])
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if not user.is_active:
            raise CommandError(f"{user.username} is not active: a token would not work.")
        try:
            row, token = create_api_token(
                user,
                actor=None,
                via="command create_api_token",
                name=options["name"],
                days=options["days"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        expires = timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stderr.write(
            f"Token {row.prefix}… for {user.username}, working until {expires}. Keep it "
            "secret: it is not shown again. Send it as 'Authorization: Bearer TOKEN'. "
            f"Revoke it with: linkwell revoke_api_token {row.prefix}"
        )
        self.stdout.write(token)
