"""Load the demo: users for each role (and, from the workspace on, the seed's claims)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.models import User
from claims.rules import ADMINS, FACT_CHECKERS, REVIEWERS

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published on purpose, demo only
DEMO_USERS = (
    # username, groups, superuser, display name
    ("factchecker", (FACT_CHECKERS,), False, "Farah", "Checker"),
    ("reviewer", (REVIEWERS,), False, "Reza", "Reviewer"),
    ("admin", (ADMINS,), True, "Ada", "Admin"),
)


class Command(BaseCommand):
    help = "Create the demo users (password 'demo-password'). Refuses with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a newsroom's real site)."
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with DEBUG off: they have a published password. "
                "Use --force only on a throwaway instance."
            )
        for username, groups, superuser, first_name, last_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.invalid"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = superuser
            user.save()
            user.groups.set(Group.objects.filter(name__in=groups))
            self.stdout.write(f"{'Created' if created else 'Kept'} demo user {username!r} ({', '.join(groups)})")
        self.stdout.write(self.style.SUCCESS(f"Demo users ready; password: {DEMO_PASSWORD}"))
