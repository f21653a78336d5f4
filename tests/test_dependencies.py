"""The locks install what the readable lists pin (docs/architecture.md, "Guard rails")."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;#]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if match := PIN.match(line.strip()):
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


@pytest.mark.parametrize(
    ("listed", "lock"), [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_the_lock_pins_every_listed_package_at_the_listed_version(listed, lock):
    locked = pins(ROOT / lock)
    stale = {name: version for name, version in pins(ROOT / listed).items() if locked.get(name) != version}
    assert not stale, f"{lock} does not match {listed} for {sorted(stale)}: run `make lock`"


def test_the_dev_lock_installs_the_same_versions_as_the_run_lock():
    run, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {name: dev.get(name) for name in run} == run
