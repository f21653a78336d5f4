"""The preview beside a Markdown editor (claims.forms.MarkdownTextarea): the text as readers will see it,
rendered by the same code as the page (claims.rich_text). It writes nothing."""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from claims.decorators import staff_view
from claims.permissions import Action
from claims.rich_text import MAX_HEADING
from claims.views.htmx import HtmxHttpRequest


@staff_view(Action.VIEW_STAFF_PAGES)
@require_POST
def markdown_preview(request: HtmxHttpRequest):
    """POST: the field named by `?field=` rendered, its top heading at level `?top=` (2 to 4, default 3)."""
    top = request.GET.get("top", "")
    context = {
        "text": request.POST.get(request.GET.get("field", ""), ""),
        "top": int(top) if top.isdigit() and 2 <= int(top) <= MAX_HEADING else 3,
    }
    return render(request, "components/markdown_editor.html#preview", context)
