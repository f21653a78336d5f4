"""The number that tells every process that matches when the claims changed (claims/matching/store.py).

Kept apart from the index so that the claim services can raise it without importing the matcher, whose
import and model load are a cost a process that never matches should not pay (docs/matching.md).
"""

from django.db import transaction
from django.db.models import F

from claims.models import IndexGeneration

CLAIMS = "claims"


def read_generation() -> int:
    return IndexGeneration.objects.filter(name=CLAIMS).values_list("value", flat=True).first() or 0


def bump_generation() -> None:
    if not IndexGeneration.objects.filter(name=CLAIMS).update(value=F("value") + 1):
        IndexGeneration.objects.get_or_create(name=CLAIMS, defaults={"value": 1})


def bump_generation_on_commit() -> None:
    """Once the transaction commits, every process that matches re-reads the claims changed since."""
    transaction.on_commit(bump_generation)
