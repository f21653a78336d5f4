from claims.matching.index import query_units
from claims.matching.text import clean, sentence_spans, split_sentences, tokens


def test_clean_drops_links_and_picture_links():
    text = "Look at this https://t.co/CsHG8R9cHp and pic.twitter.com/0eJtwJyS1J now www.example.com/x"
    assert clean(text) == "Look at this and now"


def test_clean_splits_hashtags_and_handles_into_words():
    assert (
        clean("#AustralianFires hit @CenterForBioDiv and #COVID19")
        == "Australian Fires hit Center For Bio Div and COVID 19"
    )


def test_clean_cuts_the_tweet_signature_date_but_keeps_the_author():
    text = "Water for wildlife — Center for Bio Div (@CenterForBioDiv) January 14, 2020"
    assert clean(text) == "Water for wildlife — Center for Bio Div ( Center For Bio Div )"


def test_clean_decodes_entities_and_drops_quotation_marks_but_not_apostrophes():
    assert clean("Tom &amp; Jerry said &quot;no&quot; and “never”, Trump\u2019s aide didn't") == (
        "Tom & Jerry said no and never , Trump's aide didn't"
    )


def test_clean_folds_arabic_script_spellings_to_one():
    # Arabic yeh and kaf, a diacritic and Persian digits: the same words as typed on a Persian keyboard
    assert clean("پهپادي كشور ۱۴۰۲ سِلاح") == "پهپادی کشور 1402 سلاح"


def test_split_sentences_keeps_abbreviations_and_initials_inside_a_sentence():
    text = "Mr. Smith met Dr. J. Doe in the U.S. on Monday. He said the economy grew by 3.5% in 2019! Did it?"
    assert split_sentences(text) == [
        "Mr. Smith met Dr. J. Doe in the U.S. on Monday.",
        "He said the economy grew by 3.5% in 2019! Did it?",  # "Did it?" is too short to stand alone
    ]


def test_split_sentences_keeps_closing_quotes_and_splits_other_scripts():
    assert split_sentences("He said “we sold nothing.” Then he left the room.") == [
        "He said “we sold nothing.”",
        "Then he left the room.",
    ]
    persian = "ما هیچ پهپادی به روسیه نفروخته‌ایم. این ادعا را رد می‌کنیم؟ بله کاملاً رد می‌کنیم"
    assert len(split_sentences(persian)) == 3


ARTICLE_WITH_TITLE_AND_BYLINE = (
    "Iran denies selling drones for the war in Ukraine\n"
    "By Demo desk\n"
    "TEHRAN — The foreign minister said on Monday that his country had not supplied drones to Russia. "
    "He spoke to journalists.\n"
    "The allegations were first made in July by Mr. Sullivan, who\n"
    "said Washington had information."
)


def test_a_title_and_a_byline_are_sentences_of_their_own():
    assert split_sentences(ARTICLE_WITH_TITLE_AND_BYLINE) == [
        "Iran denies selling drones for the war in Ukraine",
        "By Demo desk",
        "TEHRAN — The foreign minister said on Monday that his country had not supplied drones to Russia.",
        "He spoke to journalists.",
        "The allegations were first made in July by Mr. Sullivan, who\nsaid Washington had information.",
    ]  # a line wrapped before a lower-case word goes on with the next line


def test_sentence_spans_map_back_to_the_text_exactly():
    text = "  Title line\r\n\r\nFirst sentence of the body.   Second one, after spaces.\n"
    spans = sentence_spans(text)
    assert [text[start:end] for start, end in spans] == [
        "Title line",
        "First sentence of the body.",
        "Second one, after spaces.",
    ]


def test_a_long_text_is_matched_on_its_sentences_without_the_title_glued_on():
    units = query_units(ARTICLE_WITH_TITLE_AND_BYLINE * 2)
    assert "TEHRAN — The foreign minister said on Monday that his country had not supplied drones to Russia." in units
    assert not any("Demo desk TEHRAN" in unit or "Ukraine By" in unit for unit in units)


def test_tokens_stem_english_and_persian_and_keep_other_scripts():
    assert tokens("The drones were supplied") == ["drone", "suppli"]
    assert tokens("پهپادها") == tokens("پهپاد")
    assert tokens("无人机 дроны") == ["无人机", "дрон"]
