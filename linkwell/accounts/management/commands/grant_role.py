"""Give a person a role in an organisation (or take it away with --revoke)."""

from django.core.management.base import BaseCommand, CommandError

from linkwell.accounts.actions import AccountsError, grant_role, revoke_role
from linkwell.accounts.models import Role
from linkwell.accounts.queries import NotFound, find_organisation, find_user


class Command(BaseCommand):
    help = "Grant USERNAME the ROLE in ORGANISATION (name, id, or 'Partner: Department')."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=f"One of: {', '.join(Role.values)}.")
        parser.add_argument("organisation")
        parser.add_argument("--revoke", action="store_true", help="Take the role away instead.")

    def handle(self, *args, **options):
        try:
            user = find_user(options["username"])
            organisation = find_organisation(options["organisation"])
            if options["revoke"]:
                removed = revoke_role(
                    actor=None,
                    user=user,
                    organisation=organisation,
                    role=options["role"],
                    via="command grant_role --revoke",
                )
                message = "Revoked" if removed else "Not held, nothing to revoke:"
            else:
                grant_role(
                    actor=None,
                    user=user,
                    organisation=organisation,
                    role=options["role"],
                    via="command grant_role",
                )
                message = "Granted"
        except (NotFound, AccountsError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{message} {options['role']} to {user.username} at {organisation}.")
