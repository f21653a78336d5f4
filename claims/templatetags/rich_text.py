"""`{{ text|markdown }}`: staff's Markdown as sanitised HTML (claims.rich_text). The argument is the level of
the text's top heading: 2 for a page of its own (the site's texts), 3 (the default) under a section's <h2>."""

from django import template
from django.utils.safestring import mark_safe

from claims.rich_text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str, top_heading: int = 3) -> str:
    return mark_safe(render_markdown(text or "", top_heading=int(top_heading)))  # noqa: S308 - sanitised
