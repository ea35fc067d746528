"""Grant a role from the server's shell: how the first system administrator, and every auditor
and security administrator, get their roles (三员分立: not through the system administrator's pages)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from core.models import Region, Role, User
from core.services import assign_role


class Command(BaseCommand):
    help = "Grant ROLE to USERNAME (optionally limited to the region with code REGION)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--region", default="", help="region code, for district staff")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"].lower()).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"no region with code {options['region']!r}")
        try:
            assign_role(actor=None, user=user, role=options["role"], region=region)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {options['role']} granted"))
