"""manage.py create_staff_user: the first accounts of a new site, and the ones the deploy smoke test signs in as."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.models import StaffChange, User
from claims.permissions import REVIEWERS
from tests.claims.test_two_factor import code_for

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual pass phrase"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return path


def test_a_reviewer_created_with_a_totp_secret_signs_in_with_a_code_from_it(password_file, tmp_path, settings):
    settings.TWO_FACTOR_REQUIRED = True
    secret_file = tmp_path / "totp"  # missing: the command writes a new secret there
    call_command(
        "create_staff_user",
        "--username=rita",
        "--email=rita@example.invalid",
        "--role=reviewer",
        "--name=Rita Reviewer",
        f"--password-file={password_file}",
        f"--totp-secret-file={secret_file}",
    )
    rita = User.objects.get(username="rita")
    assert list(rita.groups.values_list("name", flat=True)) == [REVIEWERS]
    assert secret_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert StaffChange.objects.get(person=rita).kind == StaffChange.Kind.JOINED

    client = Client()
    response = client.post(reverse("login"), {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("staff:home"))["Location"].startswith(reverse("two-factor-verify"))
    response = client.post(reverse("two-factor-verify"), {"code": code_for(secret_file.read_text().strip())})
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200


def test_running_it_again_keeps_one_account_and_one_authenticator_from_the_same_secret(password_file, tmp_path):
    secret_file = tmp_path / "totp"
    arguments = ["--username=rita", "--email=rita@example.invalid", f"--password-file={password_file}"]
    call_command("create_staff_user", *arguments, "--role=factchecker", f"--totp-secret-file={secret_file}")
    secret = secret_file.read_text()
    call_command("create_staff_user", *arguments, "--role=reviewer", f"--totp-secret-file={secret_file}")
    assert secret_file.read_text() == secret
    rita = User.objects.get(username="rita")
    assert list(rita.groups.values_list("name", flat=True)) == [REVIEWERS]
    assert TOTPDevice.objects.filter(user=rita, confirmed=True).count() == 1


def test_a_weak_password_is_refused(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("password")
    with pytest.raises(CommandError, match="refused"):
        call_command(
            "create_staff_user",
            "--username=rita",
            "--email=r@example.invalid",
            "--role=admin",
            f"--password-file={weak}",
        )
    assert not User.objects.filter(username="rita").exists()
