"""Load the demo: users for each role and the seed article's claims (sample data), one in review, one published.

`--language fa` loads it for a Persian-language newsroom: the site's public language set to Persian, the claims
and the newsroom's texts in Persian, and each quote the newsroom's translation of the article's English,
marked as such (claims/demo.py). `make run` passes DEMO_LANGUAGE.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import services
from claims.demo import DEMOS, load_demo_claims, load_demo_feed, load_demo_repeat, load_demo_tips
from claims.models import SiteSettings, User
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published on purpose, demo only
DEMO_FACT_CHECKER = "factchecker"
DEMO_REVIEWER = "reviewer"
DEMO_USERS = (
    # username, groups, superuser, display name
    (DEMO_FACT_CHECKER, (FACT_CHECKERS,), False, "Farah", "Checker"),
    (DEMO_REVIEWER, (REVIEWERS,), False, "Reza", "Reviewer"),
    ("admin", (ADMINS,), True, "Ada", "Admin"),
)


class Command(BaseCommand):
    help = (
        "Create the demo users (password 'demo-password') and the seed article's sample claims, "
        "written by the demo fact-checker: one with a verdict waiting for the demo reviewer, one published; "
        "a demo feed of sample articles served by the app itself (static/demo-feed/), the first of which is "
        "recorded and approved as a repeat of the published claim; and sample tips, two asking the same thing. "
        "Safe to run again. Refuses with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a newsroom's real site)."
        )
        parser.add_argument(
            "--language",
            choices=sorted(DEMOS),
            default="en",
            help="The demo's language: 'fa' also makes Persian the site's public language. Default: en.",
        )

    @transaction.atomic
    def handle(self, *args, force=False, language="en", **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with DEBUG off: they have a published password. "
                "Use --force only on a throwaway instance."
            )
        users = {}
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
            users[username] = user
            self.stdout.write(f"{'Created' if created else 'Kept'} demo user {username!r} ({', '.join(groups)})")
        self.stdout.write(self.style.SUCCESS(f"Demo users ready; password: {DEMO_PASSWORD}"))

        # Fresh copies: their groups were just set.
        fact_checker = User.objects.get(pk=users[DEMO_FACT_CHECKER].pk)
        reviewer = User.objects.get(pk=users[DEMO_REVIEWER].pk)
        if language != "en":
            self.public_language(language, by=User.objects.get(pk=users["admin"].pk))
        load_demo_claims(by=fact_checker, reviewer=reviewer, log=self.stdout.write, language=language)
        load_demo_feed(by=users["admin"], log=self.stdout.write)
        load_demo_repeat(by=fact_checker, reviewer=reviewer, log=self.stdout.write, language=language)
        load_demo_tips(log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo claims ready in {language!r} (sample data, from the Mehr News Agency article): "
                "one verdict waiting for review, one published, and repeated since in a demo feed article."
            )
        )

    def public_language(self, language: str, *, by) -> None:
        """Publish in `language`: set before the verdicts are published, so their records freeze the ratings in
        it; the starter texts not yet edited follow (services.site_settings_update)."""
        site = SiteSettings.load()
        if site.language == language:
            self.stdout.write(f"Kept the site's public language {language!r}")
            return
        site.language = language
        services.site_settings_update(site_settings=site, by=by)
        self.stdout.write(f"Set the site's public language to {language!r}")
