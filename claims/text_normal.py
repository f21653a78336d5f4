"""One way to write the same word: what search stores and what it is asked are normalised alike.

A Persian word reaches us in many spellings that a reader takes for one: typed on an Arabic keyboard
(Arabic yeh ي and kaf ك for Persian ی and ک), with or without vowel marks (harakat, tashkil) and tatweel,
with a zero-width non-joiner (ZWNJ) between its parts ("می‌کنیم"), without it ("میکنیم") or with a space
("می کنیم"), with Persian or Arabic-Indic digits. `folded` gives each of them one form; it is applied to
the published text when it is indexed and to the query when it is read (claims.search), so a query finds
the same claims however it is typed.

* NFKD then NFKC: compatibility forms (Arabic presentation forms, full-width Latin) become the letters
  they show; hamza and madda forms are decomposed and their marks dropped, so أ إ آ ٱ are alef, ؤ waw and
  ئ yeh.
* Letter case folded (casefold).
* Arabic yeh and alef maksura → Persian yeh ی; Arabic kaf → keheh ک; teh marbuta and heh with yeh
  above → heh.
* Dropped: Latin diacritics, Arabic vowel marks (fatha, damma, kasra, tanwin, shadda, sukun, superscript
  alef, Quranic marks), tatweel, ZWNJ and zero-width joiner, direction marks. Other scripts' marks spell
  words and are kept.
* Persian and Arabic-Indic digits → ASCII digits.

ZWNJ is dropped, never made a space, so a query typed with it and one typed without it are the same
query. A word written with one is also indexed as its parts (`with_zwnj_parts`), so a query that types a
space there finds it too.

Also here: `slug_text`, the same letters for a readable address (Unicode slugs, claims.services).
"""

import re
import unicodedata

ZWNJ = "\u200c"

# One form for what is typed in several: the Arabic and Persian forms of a letter, Arabic-Indic and Persian
# digits. Hamza and madda forms are decomposed first (NFKD), then their marks dropped.
SCRIPT_FORMS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0649": "\u06cc",  # alef maksura -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> Persian keheh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06d5": "\u0647",  # ae (what heh with yeh above decomposes to) -> heh
        "\u0671": "\u0627",  # alef wasla -> alef
        **{chr(0x0660 + n): str(n) for n in range(10)},
        **{chr(0x06F0 + n): str(n) for n in range(10)},
    }
)
# Marks that do not change the word a reader means: Latin diacritics, Arabic vowel marks, hamza and madda
# above or below, tatweel, (non-)joiners and direction marks. Other scripts' marks spell words: kept.
IGNORED_RANGES = ((0x0300, 0x036F), (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))
IGNORED = {"\u0640", ZWNJ, "\u200d", "\u200e", "\u200f"}


def _kept(character: str) -> bool:
    code = ord(character)
    return character not in IGNORED and not any(low <= code <= high for low, high in IGNORED_RANGES)


def folded(text: str) -> str:
    """Text as search compares it, whatever the script it is typed in: compatibility forms and letter case
    folded, one form per letter and digit, without the marks that do not change a word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFKC", "".join(filter(_kept, decomposed))).translate(SCRIPT_FORMS)


def with_zwnj_parts(text: str) -> str:
    """`folded(text)`, followed by the parts of each word written with a ZWNJ: "می‌کنیم" is indexed as
    "میکنیم" and as "می" and "کنیم", so it is found typed with the joiner, without it, or with a space."""
    parts = [folded(part) for word in text.split() if ZWNJ in word for part in word.split(ZWNJ)]
    return " ".join([folded(text), *(part for part in parts if part.strip())])


# --- Addresses ------------------------------------------------------------------------------------

DIGITS = str.maketrans({**{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06F0 + n): str(n) for n in range(10)}})
SLUG_DROPPED = re.compile("[\u0640\u200c\u200d\u200e\u200f]")


def slug_text(text: str) -> str:
    """The text as an address shows it: NFKC, ASCII digits, without tatweel, joiners and direction marks.

    Letters stay as written (an Arabic claim keeps its Arabic yeh), vowel marks are left to slugify,
    which drops them. A word written with a ZWNJ is joined ("میکنیم"), as it is often typed."""
    return SLUG_DROPPED.sub("", unicodedata.normalize("NFKC", text)).translate(DIGITS)


def has_non_latin_letters(text: str) -> bool:
    """True when some letter of `text` has no ASCII form (Persian, Arabic, Cyrillic…): an ASCII slug
    would lose it. Latin letters with accents ("é") have one."""
    return any(
        character.isalpha() and not unicodedata.normalize("NFKD", character).encode("ascii", "ignore")
        for character in text
    )
