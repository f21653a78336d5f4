"""Pages for the newsroom's staff. Each starts with the guard from claims.decorators."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.decorators import staff_view
from claims.rules import Action


@require_safe
@staff_view(Action.VIEW_STAFF_PAGES)
def home(request):
    return render(request, "claims/staff/home.html")
