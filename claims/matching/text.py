"""Text normalisation, sentence splitting and the lexical tokeniser of the matcher.

Noisy input — tweets, tips, articles pasted with their links — is cleaned before any scorer sees it:
links and picture links are dropped, hashtags and handles become words (#AustralianFires → Australian
Fires), HTML entities are decoded, the tweet signature's date is cut, and Arabic-script text is brought to
one spelling (Arabic yeh and kaf → Persian, no diacritics or tatweel, Persian and Arabic digits → ASCII).
Case is kept by `clean` (the embedding model is case-aware); the lexical tokeniser folds it.

The tokeniser works for any script (Unicode word characters); words are stemmed by the Snowball stemmer
of their script's language where PyStemmer has one (Latin → English by default, Arabic script → Persian,
Cyrillic → Russian, Greek → Greek) and kept whole otherwise.
"""

import html
import re
import unicodedata
from functools import cache

import Stemmer

URL = re.compile(r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\b(?:t\.co|bit\.ly|youtu\.be)/\S+", re.IGNORECASE)
# "— Name (@handle) January 14, 2020" closes an embedded tweet: the date says nothing about the claim.
TWEET_DATE = re.compile(
    r"\)\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}\s*$"
)
TAG = re.compile(r"(?<![\w@#])([#@])(\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
SPACES = re.compile(r"\s+")
# Quotation marks say nothing about a claim, and the same claim is often on file twice with different ones.
APOSTROPHE = re.compile("(?<=\\w)['`\u2019](?=\\w)")
QUOTES = re.compile("[\"`\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a]|(?<!\\w)'|'(?!\\w)")
COMBINING_MARKS = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")

ARABIC_SCRIPT_FOLDING = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Persian yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf → Persian keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u06c0": "\u0647",  # heh with yeh above → heh
        "\u0623": "\u0627",  # alef with hamza above → alef
        "\u0625": "\u0627",  # alef with hamza below → alef
        "\u0622": "\u0627",  # alef with madda → alef
        "ـ": None,  # tatweel
        "\u200c": " ",  # zero-width non-joiner: "می‌خواهیم" is matched as two words, as often typed
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    }
)


def _split_tag(match: re.Match) -> str:
    return " " + CAMEL.sub(" ", match.group(2).replace("_", " ")) + " "


def clean(text: str) -> str:
    """The text with links, tags, entities and spelling variants normalised; case kept."""
    text = unicodedata.normalize("NFKC", html.unescape(text or ""))
    text = URL.sub(" ", text)
    text = TWEET_DATE.sub(")", text)
    text = TAG.sub(_split_tag, text)
    text = QUOTES.sub(" ", APOSTROPHE.sub("'", text))
    text = COMBINING_MARKS.sub("", text)  # harakat, and accents NFKC could not compose
    text = text.translate(ARABIC_SCRIPT_FOLDING)
    return SPACES.sub(" ", text).strip()


# --- Sentences ------------------------------------------------------------------------------------------

# Inside a line, a sentence ends at . ! ? (and the Arabic, Devanagari and CJK full stops) followed by a
# space, unless the word before the full stop is a common abbreviation or a single capital (an initial).
SENTENCE_END = re.compile(
    "(?:(?<=[.!?\u061f\u06d4\u0964])|(?<=[.!?\u061f\u06d4\u0964][\"')\\]\u2019\u201d\u00bb]))\\s+"
    "|(?<=[\u3002\uff01\uff1f])"  # CJK full stops need no space after them
)
# A line break ends a sentence too — a title, a byline, a paragraph, a list item — unless the next line
# goes on in lower case (a text wrapped in the middle of a sentence).
LINE_BREAK = re.compile(r"\s*[\n\r\u2028\u2029]\s*")
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "gov",
        "sen",
        "rep",
        "col",
        "lt",
        "sgt",
        "capt",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "no",
        "fig",
    ]
)
MIN_SENTENCE_CHARS = 12


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of the text starts and ends (`text[start:end]` is the sentence, stripped).

    Lines are split first, so a heading or a byline is never glued to the sentence after it; inside a
    line, fragments too short to match on are joined to their neighbour.
    """
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text or ""):
        spans.extend(_line_sentences(text, line_start, line_end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, in order (see `sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _lines(text: str) -> list[tuple[int, int]]:
    """The spans of the text's lines, a line wrapped before a lower-case word going on with the next."""
    lines: list[tuple[int, int]] = []
    start = 0
    for found in LINE_BREAK.finditer(text):
        following = text[found.end() : found.end() + 1]
        if following.islower():
            continue
        lines.append((start, found.start()))
        start = found.end()
    lines.append((start, len(text)))
    return [(s, e) for s, e in (_stripped(text, s, e) for s, e in lines) if s < e]


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    position = start
    for found in SENTENCE_END.finditer(text, start, end):
        if found.end() > position:
            pieces.append(_stripped(text, position, found.start()))
            position = found.end()
    pieces.append(_stripped(text, position, end))
    sentences: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        if piece_start >= piece_end:
            continue
        if sentences:
            previous = text[sentences[-1][0] : sentences[-1][1]]
            if _ends_with_abbreviation(previous) or len(previous) < MIN_SENTENCE_CHARS:
                sentences[-1] = (sentences[-1][0], piece_end)
                continue
        sentences.append((piece_start, piece_end))
    if len(sentences) > 1 and sentences[-1][1] - sentences[-1][0] < MIN_SENTENCE_CHARS:
        sentences[-2:] = [(sentences[-2][0], sentences[-1][1])]
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(maxsplit=1)[-1].rstrip(".").lower()
    return last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())


# --- Lexical tokens ------------------------------------------------------------------------------------

WORD = re.compile(r"\w+")
# English function words only: other languages keep theirs (BM25's idf already discounts them).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
SCRIPT_STEMMERS = {"latin": "english", "arabic": "persian", "cyrillic": "russian", "greek": "greek"}


def script_of(word: str) -> str:
    """The script of a word's first letter: latin, arabic, cyrillic, greek, or other (digits count as latin)."""
    ch = word[0]
    if ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return "latin"
    if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
        return "arabic"
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    if "\u0370" <= ch <= "\u03ff":
        return "greek"
    return "other"


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def tokens(text: str, *, stem: bool = True) -> list[str]:
    """The words of an already cleaned text, case-folded, English stopwords out, stemmed by script."""
    words = [w for w in WORD.findall(text.casefold()) if w not in STOPWORDS and w != "_"]
    if not stem:
        return words
    if all(word.isascii() for word in words):
        return _stemmer("english").stemWords(words)
    return [_stem(word) for word in words]


@cache
def _stem(word: str) -> str:
    language = SCRIPT_STEMMERS.get(script_of(word))
    return _stemmer(language).stemWord(word) if language else word
