"""Pages anyone may read."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from claims.models import Heartbeat

WORKER_STALE_AFTER_SECONDS = 300


@require_safe
def home(request):
    return render(request, "claims/home.html")


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitors: 200 while the database answers.

    The worker's last heartbeat is reported, not required: a stopped worker
    delays imports but does not take the site down.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    beat = Heartbeat.objects.filter(name="worker").first()
    age = (timezone.now() - beat.seen_at).total_seconds() if beat else None
    worker = "unknown" if age is None else ("ok" if age < WORKER_STALE_AFTER_SECONDS else "stale")
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker, "worker_seen_seconds_ago": age})
