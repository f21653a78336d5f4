"""A source as staff read it: its details and extracted text in our own page, its snapshot served inert.

The snapshot is what the fetched page sent, byte for byte. It is never shown as
a page of ours (it could load our own htmx and act as the reader): HTML comes
back as plain text in a CSP sandbox, anything else as a download
(claims/fetched_files.py). What the page says is read here, through our template.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.decorators import fetched_file_view, staff_view
from claims.fetched_files import is_text, snapshot_response
from claims.models import ClaimSource, Source
from claims.permissions import Action


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def source(request, pk):
    source = get_object_or_404(Source.all_objects, pk=pk)
    citations = (
        ClaimSource.objects.filter(source=source, claim__removed_at__isnull=True)
        .select_related("claim")
        .order_by("claim__pk")
    )
    context = {
        "source": source,
        "citations": citations,
        "snapshot_is_text": bool(source.snapshot) and is_text(source.snapshot.name),
    }
    return render(request, "claims/staff/source.html", context)


@fetched_file_view(Action.READ_FETCHED_FILES)
@require_safe
def source_snapshot(request, pk):
    source = get_object_or_404(Source.all_objects.exclude(snapshot=""), pk=pk)
    try:
        return snapshot_response(source)
    except FileNotFoundError:
        raise Http404("The snapshot's file is missing.") from None
