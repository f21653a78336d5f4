"""Rich text from staff is sanitised once, by the code that stores it (nh3, i.e. ammonia)."""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "blockquote", "h3", "h4", "q", "cite"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "q": {"cite"}, "blockquote": {"cite"}}


def sanitise_html(html: str) -> str:
    """Keep paragraphs, emphasis, lists, quotes and http(s)/mailto links; drop everything else."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
