"""HTML from staff's Markdown (claims.rich_text) is sanitised before it reaches a page (nh3, i.e. ammonia)."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "blockquote", "h2", "h3", "h4", "q", "cite",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "q": {"cite"}, "blockquote": {"cite"}, "ol": {"start"}}


def sanitise_html(html: str) -> str:
    """Keep paragraphs, headings, emphasis, lists, quotes and http(s)/mailto links; drop everything else."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
