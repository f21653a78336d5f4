"""What staff write at length — a verdict's explanation, the site's texts — is Markdown.

It is rendered here and then sanitised (claims.sanitise), by the same code for the preview beside the
editor, the staff screens, the site's pages and publication (which freezes the HTML into the record).
"""

from markdown_it import MarkdownIt

from claims.sanitise import sanitise_html

# CommonMark, with a line break where one is typed and bare web addresses made links. What the sanitiser
# would drop is not parsed at all (raw HTML, images, code, rules), so the preview shows what the page will.
_PARSER = (
    MarkdownIt("commonmark", {"breaks": True, "html": False, "linkify": True})
    .enable("linkify")
    .disable(["code", "fence", "hr", "image", "backticks", "html_block", "html_inline"])
)
MAX_HEADING = 4


def render_markdown(text: str, *, top_heading: int = 3) -> str:
    """Markdown as sanitised HTML. The text's highest heading becomes <h{top_heading}>, the next one below it,
    down to <h4>: a text fits under the page's own headings however its writer numbered them."""
    env: dict = {}
    tokens = _PARSER.parse(text or "", env)
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    if levels:
        shift = top_heading - min(levels)
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + shift, MAX_HEADING)}"
    return sanitise_html(_PARSER.renderer.render(tokens, _PARSER.options, env))
