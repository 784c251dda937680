"""Make an API token for a user and print it once (only its hash is stored)."""

from django.core.management.base import BaseCommand, CommandError

from linkwell.accounts.queries import NotFound, find_user
from linkwell.accounts.tokens import create_api_token


class Command(BaseCommand):
    help = "Create a bearer token for USERNAME for the referral API; it is printed only now."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What or who will use the token.")

    def handle(self, *args, **options):
        try:
            user = find_user(options["username"])
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if not user.is_active:
            raise CommandError(f"{user.username} is not active: a token would not work.")
        row, token = create_api_token(
            user, actor=None, via="command create_api_token", name=options["name"]
        )
        self.stderr.write(
            f"Token {row.prefix}… for {user.username}. Keep it secret: it is not shown again. "
            "Send it as 'Authorization: Bearer TOKEN'."
        )
        self.stdout.write(token)
