"""Share cards: the `og:image` of a claim page, drawn on the server from its published record.

A card shows the claim, the rating and the newsroom's name. It is drawn with Pillow once per record
version and kept as a file (`share-cards/` in the default storage, which holds only what the site
publishes): its name carries the verdict's id and a digest of what it shows, so a correction — a
new verdict — gets a new card, and so does a renamed newsroom.

Right-to-left text (Persian, Arabic) is shaped and ordered by Pillow's complex-text layout (libraqm,
which loads FriBiDi from the system: Debian's libfribidi0) with the shipped Vazirmatn font
(static/fonts/, Arabic script and Latin). Where that layout is missing, Pillow would draw such text
letter by letter in the wrong order, so the card leaves out any text that needs it: the claim gives way
to a plain "Fact-check" card rather than to garbled letters.
"""

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, features

SIZE = (1200, 630)
MARGIN = 64
FOLDER = "share-cards"
DESIGN = "1"  # bump when the drawing changes: every card is drawn again
MAX_CLAIM_LINES = 4
FONTS = settings.BASE_DIR / "static" / "fonts"

# The ratings' colours (claims.models.Rating.Colour), as the site's stylesheet draws them: (background, text).
RATING_COLOURS = {
    "green": ("#1a7f37", "#ffffff"),
    "lime": ("#4d7c0f", "#ffffff"),
    "yellow": ("#f5d90a", "#1b1f24"),
    "orange": ("#c2410c", "#ffffff"),
    "red": ("#b42318", "#ffffff"),
    "purple": ("#6b21a8", "#ffffff"),
    "grey": ("#57606a", "#ffffff"),
}
INK, MUTED, PAPER = "#1b1f24", "#57606a", "#ffffff"

RIGHT_TO_LEFT = {"R", "AL"}
NEEDS_LAYOUT = {"R", "AL", "AN"}  # right-to-left letters and Arabic digits: shaped and reordered by raqm


@dataclass(frozen=True)
class CardText:
    """What a card shows."""

    claim: str
    rating: str  # a rating's label, "" if none
    colour: str  # its colour (claims.models.Rating.Colour), "" if none
    newsroom: str


def complex_layout_available() -> bool:
    return bool(features.check("raqm"))


def needs_complex_layout(text: str) -> bool:
    return any(unicodedata.bidirectional(character) in NEEDS_LAYOUT for character in text)


def _right_to_left(text: str) -> bool:
    """The direction of `text`'s first strong character (the Unicode paragraph rule)."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in RIGHT_TO_LEFT:
            return True
        if kind == "L":
            return False
    return False


@cache
def _font(weight: str, size: int, complex_layout: bool) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if complex_layout else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONTS / f"Vazirmatn-{weight}.ttf"), size, layout_engine=layout)


def _lines(text: str, font: ImageFont.FreeTypeFont, width: int, direction: str | None) -> list[str]:
    """`text` broken between words into lines no wider than `width`; at most MAX_CLAIM_LINES, the last
    one ended with an ellipsis if the text goes on."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate, direction=direction) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > MAX_CLAIM_LINES:
        last = lines[MAX_CLAIM_LINES - 1]
        while last and font.getlength(f"{last} …", direction=direction) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: MAX_CLAIM_LINES - 1], f"{last} …"]
    return lines


def render(text: CardText, *, complex_layout: bool) -> bytes:
    """The card as PNG. Without `complex_layout`, text that needs it is left out (see the module's docstring)."""

    def drawable(value: str) -> str:
        return value if complex_layout or not needs_complex_layout(value) else ""

    def direction(value: str) -> str | None:
        # Only raqm takes a direction; the basic layout draws everything left to right.
        if not complex_layout:
            return None
        return "rtl" if _right_to_left(value) else "ltr"

    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    background, foreground = RATING_COLOURS.get(text.colour, RATING_COLOURS["grey"])
    draw.rectangle((0, 0, SIZE[0], 16), fill=background)
    left, right, bottom = MARGIN, SIZE[0] - MARGIN, SIZE[1] - MARGIN

    def write(xy_left: int, y: int, value: str, font: ImageFont.FreeTypeFont, fill: str) -> None:
        """One line at the left margin, or at the right one when it reads right to left."""
        towards = direction(value)
        x, anchor = (right, "ra") if towards == "rtl" else (xy_left, "la")
        draw.text((x, y), value, font=font, fill=fill, anchor=anchor, direction=towards)

    newsroom = drawable(text.newsroom)
    write(left, 56, newsroom or _("Fact-check"), _font("Bold", 36, complex_layout), MUTED)

    claim = drawable(text.claim)
    if claim:
        font = _font("Bold", 54, complex_layout)
        for number, line in enumerate(_lines(claim, font, right - left, direction(claim))):
            write(left, 140 + number * 72, line, font, INK)
    else:
        write(left, 220, _("Read the fact-check"), _font("Bold", 72, complex_layout), INK)

    rating = drawable(text.rating)
    if rating:
        font = _font("Bold", 44, complex_layout)
        towards = direction(rating)
        width = int(font.getlength(rating, direction=towards))
        box = (left, bottom - 76, left + width + 56, bottom)
        draw.rounded_rectangle(box, radius=14, fill=background)
        draw.text(
            ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2),
            rating,
            font=font,
            fill=foreground,
            anchor="mm",
            direction=towards,
        )
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def file_name(verdict_id: int, text: CardText, *, complex_layout: bool) -> str:
    digest = hashlib.sha256(
        "\x1f".join([DESIGN, str(complex_layout), text.claim, text.rating, text.colour, text.newsroom]).encode()
    ).hexdigest()[:16]
    return f"{FOLDER}/{verdict_id}-{digest}.png"


def card(verdict_id: int, text: CardText) -> bytes:
    """The card of the published verdict `verdict_id`, drawn the first time it is asked for, then kept."""
    complex_layout = complex_layout_available()
    name = file_name(verdict_id, text, complex_layout=complex_layout)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return bytes(stored.read())
    png = render(text, complex_layout=complex_layout)
    saved = default_storage.save(name, ContentFile(png))
    if saved != name:  # drawn at the same moment by another request: keep one file
        default_storage.delete(saved)
    return png
