"""Create the first partnership admin (or another): a user, their organisation, the role."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from linkwell.accounts.actions import (
    AccountsError,
    create_organisation,
    create_user,
    grant_role,
)
from linkwell.accounts.models import OrganisationKind, Role
from linkwell.accounts.queries import NotFound, find_organisation

PASSWORD_ENV = "LINKWELL_ADMIN_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create a user who is a partnership admin of ORGANISATION (created if missing). "
        f"The password comes from ${PASSWORD_ENV}, or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--organisation", required=True, help="Partner organisation name (or id)."
        )
        parser.add_argument(
            "--kind",
            default=OrganisationKind.OTHER,
            choices=OrganisationKind.values,
            help="Kind of organisation, if it has to be created.",
        )
        parser.add_argument("--no-input", action="store_true", help="Never prompt.")

    def _password(self, no_input: bool) -> str:
        password = os.environ.get(PASSWORD_ENV, "")
        if password:
            return password
        if no_input:
            raise CommandError(f"password: set ${PASSWORD_ENV} when using --no-input")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("password: the two passwords differ")
        return first

    def handle(self, *args, **options):
        via = "command create_partner_admin"
        password = self._password(options["no_input"])
        try:
            with transaction.atomic():
                try:
                    organisation = find_organisation(options["organisation"])
                except NotFound:
                    organisation = create_organisation(
                        actor=None, name=options["organisation"], kind=options["kind"], via=via
                    )
                user = create_user(
                    actor=None,
                    username=options["username"],
                    email=options["email"],
                    password=password,
                    is_staff=True,
                    via=via,
                )
                grant_role(
                    actor=None,
                    user=user,
                    organisation=organisation,
                    role=Role.PARTNERSHIP_ADMIN,
                    via=via,
                )
        except AccountsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{user.username} is a partnership admin of {organisation}.")
        )
