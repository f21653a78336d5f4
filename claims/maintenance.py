"""Housekeeping that the worker runs on a schedule."""

from django.utils import timezone

from claims.models import Heartbeat


def record_heartbeat(*, name: str) -> Heartbeat:
    """Note that `name` is alive now (idempotent: one row per name)."""
    beat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return beat
