"""The matcher's index across processes: a claim edited in this process (the web) is matched with its new text
by another process (a worker) that built its index before the edit, through the generation number."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from claims import services
from tests.factories import ClaimFactory
from tests.integration.test_worker_killed import database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

QUERY = "Tehran sent drones to Moscow for the fighting in Ukraine, officials said."

# The other process: builds its index, answers, waits for a line on stdin, answers again.
OTHER_PROCESS = f"""
import json, sys
import django
django.setup()
from claims.matching import store

def suggested():
    threshold = {settings.MATCH_SUGGEST_THRESHOLD!r}
    return sorted(m.doc_id for m in store.claim_index().match({QUERY!r}, top=5) if m.similarity >= threshold)

print(json.dumps(suggested()), flush=True)
sys.stdin.readline()
print(json.dumps(suggested()), flush=True)
"""


def test_a_claim_edited_here_is_matched_with_its_new_text_by_another_process(factchecker):
    assert connection.vendor == "postgresql"
    claim = ClaimFactory(text="The price of petrol rose by 40 percent in January.")
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROCESS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        assert json.loads(other.stdout.readline()) == []  # its index holds the petrol text

        services.claim_update(
            claim=claim, by=factchecker, text="Tehran has sent drones to Moscow for the war in Ukraine."
        )
        other.stdin.write("go\n")
        other.stdin.flush()

        assert json.loads(other.stdout.readline()) == [claim.pk]
    finally:
        other.kill()
        other.wait(timeout=30)
