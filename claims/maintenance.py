"""Housekeeping that the worker runs on a schedule."""

from datetime import datetime, timedelta

from django.utils import timezone

from claims.models import ErrorReport, Heartbeat, SiteSettings, Tip


def record_heartbeat(*, name: str) -> Heartbeat:
    """Note that `name` is alive now (idempotent: one row per name)."""
    beat, _created = Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return beat


def delete_expired_contacts(*, now: datetime | None = None) -> int:
    """Blank the contact of every tip and error report older than the retention period.

    The rest of the tip or report stays. Returns how many contacts were deleted.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=SiteSettings.load().contact_retention_days)
    deleted = 0
    for model in (Tip, ErrorReport):
        expired = model.objects.filter(created_at__lt=cutoff, contact_deleted_at__isnull=True).exclude(contact="")
        deleted += expired.update(contact="", contact_deleted_at=now)
    return deleted
