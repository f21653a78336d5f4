"""Create (or update) a staff member from the command line: for the first accounts of a new site,
and for the deploy smoke test (deploy/smoke.py), which signs in as them.

    python manage.py create_staff_user --username rita --email rita@example.org --role reviewer \\
        --password-file /run/secrets/rita-password --totp-secret-file /run/secrets/rita-totp

The password is read from a file (or from the environment variable named by --password-env), never
from the command line, where other users of the machine could read it. With --totp-secret-file the
person gets a confirmed authenticator: the file's base32 secret (as authenticator apps take it) is
used, or a new one is written there (readable by the owner only) when the file does not exist.
Like `createsuperuser`, this acts as the machine's operator, not as a signed-in user; the People
page lists the account as created by this command.
"""

import os
from base64 import b32decode, b32encode
from pathlib import Path

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from claims.models import StaffChange, User
from claims.permissions import ADMINS, FACT_CHECKERS, REVIEWERS

ROLES = {"factchecker": FACT_CHECKERS, "reviewer": REVIEWERS, "admin": ADMINS}


def read_totp_secret(path: Path) -> str:
    """The hex key django-otp stores, from a base32 secret file; a new secret is written when there is none."""
    if not path.exists():
        key = default_key()
        path.touch(mode=0o600)
        path.write_text(b32encode(bytes.fromhex(key)).decode() + "\n")
        return key
    secret = "".join(path.read_text().split()).upper()
    try:
        return b32decode(secret + "=" * (-len(secret) % 8)).hex()
    except ValueError:
        raise CommandError(f"{path} does not hold a base32 TOTP secret.") from None


class Command(BaseCommand):
    help = "Create or update a staff member with a role, a password from a file and optionally an authenticator."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--name", default="", help="Full name, as pages show it")
        passwords = parser.add_mutually_exclusive_group(required=True)
        passwords.add_argument("--password-file", type=Path, help="A file holding the password (one line)")
        passwords.add_argument("--password-env", help="The name of an environment variable holding the password")
        parser.add_argument("--totp-secret-file", type=Path, help="Base32 TOTP secret: read, or written if missing")

    def handle(self, *args, **options):
        if options["password_file"]:
            try:
                password = options["password_file"].read_text().strip()
            except OSError as exc:
                raise CommandError(f"Cannot read the password file: {exc}") from None
        else:
            password = os.environ.get(options["password_env"], "")
        if not password:
            raise CommandError("The password is empty.")
        first_name, _space, last_name = options["name"].partition(" ")
        with transaction.atomic():
            user, created = User.objects.get_or_create(
                username=options["username"],
                defaults={"email": options["email"], "first_name": first_name, "last_name": last_name},
            )
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("The password is refused: " + " ".join(exc.messages)) from None
            user.email = options["email"]
            user.is_active = True
            user.set_password(password)
            user.save()
            group, _new = Group.objects.get_or_create(name=ROLES[options["role"]])
            user.groups.set([group])
            if options["totp_secret_file"]:
                key = read_totp_secret(options["totp_secret_file"])
                TOTPDevice.objects.filter(user=user).delete()
                TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
            StaffChange.objects.create(
                by=None,
                person=user,
                person_name=user.get_username(),
                kind=StaffChange.Kind.JOINED if created else StaffChange.Kind.ROLE_CHANGED,
                detail=f"{options['role']}, by manage.py create_staff_user",
            )
        self.stdout.write(f"{'Created' if created else 'Updated'} {user.get_username()} ({options['role']}).")
