"""Feeds: everyone on staff sees them and their runs; admins add, enable, disable and poll them.

Adding is two steps on one form: the address is checked through the safe
fetcher and its items previewed; saving is offered only for the address that
was previewed. A run that is waiting or running shows its status in a
partial that polls every 2 s; the server leaves the polling out once the run
has ended.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from claims import selectors, services
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import FeedForm
from claims.importing import pipeline
from claims.importing.feeds import FeedParseError
from claims.importing.fetch import FetchError
from claims.models import Feed, ImportRun
from claims.permissions import Action, may
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region, wants_region

FEED_DETAIL_TEMPLATE = "claims/staff/feed_detail.html"
FEED_FORM_TEMPLATE = "claims/staff/feed_form.html"
PREVIEW_ITEMS = 10


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def feeds(request: HtmxHttpRequest):
    context = {"feeds": selectors.feeds_for_list(), "can_manage": may(request.user, Action.MANAGE_FEEDS)}
    return render(request, "claims/staff/feeds.html", context)


@staff_view(Action.MANAGE_FEEDS)
@require_http_methods(["GET", "POST"])
def feed_add(request: HtmxHttpRequest):
    data = request.POST.copy() if request.method == "POST" else None
    form = FeedForm(data)
    preview = None
    if data is not None and form.is_valid():
        url = form.cleaned_data["url"]
        if data.get("previewed") == url:
            feed = _save_feed(request, form)
            if feed is not None:
                if request.htmx:  # a whole new page, not a swap into the form
                    return HttpResponseClientRedirect(reverse("staff:feed", args=[feed.pk]))
                return redirect("staff:feed", pk=feed.pk)
        else:
            try:
                preview = pipeline.preview_feed(url)
            except (FetchError, FeedParseError) as exc:
                form.add_error("url", str(exc))
            else:
                if not form.cleaned_data["name"]:
                    data["name"] = preview.title or url
                data["language"] = form.cleaned_data["language"] or preview.language
                form = FeedForm(data)
    status = FORM_INVALID if data is not None and form.errors else 200
    context = {"form": form, "preview": preview, "preview_items": preview.items[:PREVIEW_ITEMS] if preview else []}
    return render(request, page_or_region(request, FEED_FORM_TEMPLATE, "feed-form"), context, status=status)


def _save_feed(request: HtmxHttpRequest, form: FeedForm) -> Feed | None:
    """The feed the form adds (or added already, when it was sent twice); None with the form's errors set."""
    fields = {name: value for name, value in form.cleaned_data.items() if name != "submission_token"}
    try:
        with transaction.atomic(), services.submitted_once(token=form.sent_token(), by=request.user) as sending:
            feed = sending.saved = services.feed_create(by=request.user, **fields)
    except services.AlreadySaved as sent:
        if sent.saved is None:
            form.add_error(None, _("This form was already sent, and the feed it added has been deleted since."))
            return None
        messages.info(request, _("This feed was already added: the form was sent twice. Here it is."))
        return sent.saved
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, _("Feed added. Its first poll has started."))
    return feed


def _feed_page(request: HtmxHttpRequest, feed: Feed, *, run: ImportRun | None = None, partial: str = "feed-summary"):
    runs = selectors.feed_runs(feed)
    run = run or (runs[0] if runs else None)
    context = {
        "feed": feed,
        "runs": runs,
        "run": run,
        "can_manage": may(request.user, Action.MANAGE_FEEDS),
        "merged": selectors.run_merged_sources(run) if run is not None and not run.is_open else [],
        # A watched run that has ended: its status region brings the history of polls up to date as well
        # (only as a region: the whole page shows the history once, in its place).
        "refresh_history": wants_region(request) and partial == "run-status" and run is not None and not run.is_open,
    }
    return render(request, page_or_region(request, FEED_DETAIL_TEMPLATE, partial), context)


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def feed_detail(request: HtmxHttpRequest, pk):
    return _feed_page(request, get_object_or_404(Feed, pk=pk))


@staff_view(Action.VIEW_STAFF_PAGES)
@require_safe
def import_run(request: HtmxHttpRequest, pk):
    """One run on its feed's page; to htmx, just its status (which stops polling once the run has ended)."""
    run = get_object_or_404(ImportRun.objects.select_related("feed"), pk=pk, feed__isnull=False)
    assert run.feed is not None  # asked for above
    return _feed_page(request, run.feed, run=run, partial="run-status")


@staff_view(Action.MANAGE_FEEDS)
@require_POST
def feed_active(request: HtmxHttpRequest, pk):
    feed = get_object_or_404(Feed, pk=pk)
    feed = services.feed_set_active(feed=feed, by=request.user, active=request.POST.get("active") == "1")
    if request.htmx:
        return _feed_page(request, feed)
    return redirect("staff:feed", pk=feed.pk)


@staff_view(Action.MANAGE_FEEDS)
@require_POST
def feed_poll(request: HtmxHttpRequest, pk):
    feed = get_object_or_404(Feed, pk=pk)
    run = services.feed_poll_now(feed=feed, by=request.user)
    if request.htmx:
        return _feed_page(request, feed, run=run, partial="run-status")
    return redirect("staff:import-run", pk=run.pk)
