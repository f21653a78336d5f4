"""The newsroom's settings, for admins: name, logo, contact, time zone, rating scale and the public texts.

One region (`settings-form`): the form posts with htmx (multipart, for the logo) and gets the region back,
saved or with its errors beside the fields (422); without JavaScript it posts and is redirected back
(post/redirect/get). The write is `services.site_settings_update`, which checks the permission itself.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from claims import services
from claims.decorators import staff_view
from claims.form_errors import add_service_errors
from claims.forms import SiteSettingsForm, time_zone_names
from claims.models import SiteSettings
from claims.permissions import Action
from claims.views.htmx import FORM_INVALID, HtmxHttpRequest, page_or_region, wants_region

SETTINGS_TEMPLATE = "claims/staff/site_settings.html"


@staff_view(Action.MANAGE_SITE)
@require_http_methods(["GET", "POST"])
def site_settings(request: HtmxHttpRequest):
    current = SiteSettings.load()
    saved = False
    if request.method == "POST":
        form = SiteSettingsForm(request.POST, request.FILES, instance=current)
        if form.is_valid():
            try:
                services.site_settings_update(site_settings=form.save(commit=False), by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not wants_region(request):
                    messages.success(request, _("Settings saved. The public pages show them now."))
                    return redirect("staff:settings")
                saved = True
                form = SiteSettingsForm(instance=SiteSettings.load())
    else:
        form = SiteSettingsForm(instance=current)
    # Only the whole page carries the list of time zones; a region answer leaves it where it is.
    context = {"form": form, "saved": saved, "time_zones": [] if wants_region(request) else time_zone_names()}
    status = FORM_INVALID if form.errors else 200
    return render(request, page_or_region(request, SETTINGS_TEMPLATE, "settings-form"), context, status=status)
