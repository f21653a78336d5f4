"""The tip form and the report-an-error form.

Each lives on a page of its own that is never cached and carries its own CSRF
token, so the claim pages that link to them stay cacheable. Both have a
honeypot (a robot that fills it is thanked and nothing is saved) and a limit
per visitor's address (settings.PUBLIC_FORM_RATE): past it the form comes back,
with what was typed, and status 429. After a post, a thank-you page
(post/redirect/get).
"""

import math

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from claims import services
from claims.publishing import pages
from claims.publishing.record import read_record
from claims.reader_forms import ErrorReportForm, TipForm
from claims.views.htmx import FORM_INVALID

TOO_MANY_REQUESTS = 429


def _count_sending(request, form_name: str) -> int:
    """Count one sending from this address; the seconds it must wait if that was one too many (else 0).

    Counting and deciding are one step: the count is incremented in the cache (an atomic add/incr on
    Redis and the in-process cache) and the limit is judged on the value that step returned, so twenty
    sendings at the same moment cannot all read "four so far".
    """
    usage = get_usage(
        request,
        group=f"public-form:{form_name}",
        key="ip",
        rate=settings.PUBLIC_FORM_RATE,
        method="POST",
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return 0
    return max(usage["time_left"], 1)


def _handle(request, form, *, form_name: str, template: str, context: dict, save, thanks_url: str):
    """Show the form; take a post: thank a robot silently, save a valid one, refuse past the limit.

    Only sendings count (a robot's too): a form sent back for its mistakes does not.
    """
    status = 200
    if request.method == "POST":
        if form.caught_a_robot() or form.is_valid():
            wait = _count_sending(request, form_name)
            if wait:
                context["wait_minutes"] = math.ceil(wait / 60)
                response = render(request, template, {**context, "form": form}, status=TOO_MANY_REQUESTS)
                response["Retry-After"] = str(wait)
                return response
            if not form.caught_a_robot():
                save(form.cleaned_data)
            return redirect(thanks_url)
        status = FORM_INVALID
    return render(request, template, {**context, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def tip(request):
    form = TipForm(request.POST if request.method == "POST" else None)
    return _handle(
        request,
        form,
        form_name="tip",
        template="claims/reader_forms/tip.html",
        context={},
        save=lambda data: services.tip_create(
            text=data["text"],
            url=data["url"],
            contact=data["contact"],
            wants_answer=data["wants_answer"],
            token=form.sent_token(),
        ),
        thanks_url="tip-thanks",
    )


@require_safe
def tip_thanks(request):
    return render(request, "claims/reader_forms/thanks.html", {"kind": "tip"})


def _public_verdict(slug: str):
    """The published verdict of the public claim at `slug`, with its claim (None if there is none)."""
    return pages.published_verdicts().select_related("claim").filter(claim__slug=slug).first()


@never_cache
@require_http_methods(["GET", "POST"])
def report_error(request, slug):
    verdict = _public_verdict(slug)
    if verdict is None:
        moved_to = pages.current_slug(slug)
        if moved_to is None:
            raise Http404
        return redirect("report-error", slug=moved_to)
    form = ErrorReportForm(request.POST if request.method == "POST" else None)
    return _handle(
        request,
        form,
        form_name="error-report",
        template="claims/reader_forms/report_error.html",
        context={"record": read_record(verdict.published_record)},
        save=lambda data: services.error_report_create(claim=verdict.claim, text=data["text"], contact=data["contact"]),
        thanks_url=reverse("report-error-thanks", args=[verdict.claim.slug]),
    )


@require_safe
def report_error_thanks(request, slug):
    verdict = _public_verdict(slug)
    if verdict is None:
        raise Http404
    context = {"kind": "error-report", "record": read_record(verdict.published_record)}
    return render(request, "claims/reader_forms/thanks.html", context)
