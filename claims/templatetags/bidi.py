"""Text of either direction inside a sentence of the other (docs/architecture.md, "Languages").

`{{ name|bdi }}` isolates a value — a name, a title, a date — so that a Latin name inside a Persian
sentence, or a Persian one inside an English sentence, keeps its own order and does not reorder the
words around it. Use it on the values given to `{% blocktranslate with … %}`: the sentence to translate
stays the same, only the value is isolated.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString:
    """The value, escaped, in a <bdi> element (its direction found from its own text)."""
    return format_html("<bdi>{}</bdi>", value)
