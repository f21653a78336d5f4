"""The demo content: the seed article (docs/architecture.md, "The domain model") modelled as it stands.

Only what the article says goes in. It has no headline, URL or publication
date, its dates are weekdays and a month without a year, and one of its
"quotes" is the agency's own paraphrase: all of that is recorded as such, not
filled in. Everything is written through claims.services by the demo
fact-checker, so it is on record in history, and the claims are marked as
sample data. Loading twice creates nothing twice (claims are recognised by
their slug, the source by title and publisher, actors by name and title,
topics by slug).

So that the review workflow can be tried at once, each claim also goes through
it, only through claims.workflow and claims.services so every step is on record:
claim A waits in review (drafted and submitted by the fact-checker, the review
assigned to the demo reviewer) and claim B is published (approved by the
reviewer). Their right-of-reply entries and verdicts are samples and say so:
the article gives no sign that anyone was contacted, so the outreach says no
request was actually sent, and the verdicts say only what the article
supports. A claim's workflow is run only while it has no verdict at all.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from claims import jobs, repeats, services, workflow
from claims.canonical import canonicalize_url
from claims.dates import DatePrecision
from claims.importing.extract import extract_article
from claims.links import absolute_url
from claims.models import (
    Actor,
    Claim,
    ClaimLink,
    ClaimSource,
    Evidence,
    Feed,
    FetchStatus,
    Intervention,
    Outreach,
    Rating,
    RatingScale,
    Repeat,
    SiteSettings,
    Source,
    Statement,
    Tip,
    Topic,
    Verdict,
)

ARTICLE_PATH = Path(__file__).resolve().parent / "demo_data" / "mehr-iran-drones-denial.txt"

ARTICLE = {
    # The file has no headline: this title describes it without adding to it.
    "title": "Amir Abdollahian: Iran ready to discuss drone allegations with Ukraine",
    "publisher": "Mehr News Agency",
    "language": "en",
    "date_precision": DatePrecision.UNKNOWN,
    "date_note": "Not stated in the article",
    "licence": "CC BY 4.0",
    "attribution": "Mehr News Agency, licensed under a Creative Commons Attribution 4.0 International License",
}

# key -> fields of services.actor_create
ACTORS = {
    "western": {"name": "Western governments", "kind": Actor.Kind.GOVERNMENT},
    "sullivan": {
        "name": "Jake Sullivan",
        "kind": Actor.Kind.PERSON,
        "title": "U.S. National Security Advisor",
        "country": "United States",
    },
    "abdollahian": {
        "name": "Hossein Amir Abdollahian",
        "kind": Actor.Kind.PERSON,
        "title": "Foreign Minister of Iran",
        "country": "Iran",
    },
    "kanaani": {
        "name": "Nasser Kanaani",
        "kind": Actor.Kind.PERSON,
        "title": "Spokesperson, Ministry of Foreign Affairs of Iran",
        "country": "Iran",
    },
    "raisi": {"name": "Ebrahim Raisi", "kind": Actor.Kind.PERSON, "title": "President of Iran", "country": "Iran"},
}

TOPICS = (("Russia–Ukraine war", "russia-ukraine-war"), ("Iran", "iran"))

A_MONDAY = "A Monday; date not stated"
A_THURSDAY = "A Thursday; date not stated"

DENIAL_QUOTE = (
    "We have not sold and will not sell any weapons and drones to be used in the war against Ukraine, "
    "and cooperation between Iran and Russia will continue without having anything to do with the Ukraine war"
)


@dataclass(frozen=True)
class DemoStatement:
    actor: str
    stance: str
    quote: str
    date_note: str
    second_hand: bool = False
    # The article's English words when `quote` is the newsroom's own translation of them (the Persian demo).
    translated_from: str = ""


@dataclass(frozen=True)
class DemoVerdict:
    headline: str
    explanation: str  # Markdown paragraphs, as a fact-checker types them
    publish: bool  # approved by the reviewer, or left in review
    rating: str = "Unproven"  # a label of the default scale (migration 0004)


@dataclass(frozen=True)
class DemoClaim:
    slug: str
    text: str
    claimant: str
    citation_note: str
    statements: tuple[DemoStatement, ...]
    evidence: tuple[dict, ...] = ()
    assign_to_fact_checker: bool = False
    topics: tuple[str, ...] = ()  # slugs of the demo's topics; none given: all of them
    outreach: tuple[dict, ...] = ()  # fields of Outreach
    verdict: DemoVerdict | None = None


# The right of reply. The article shows no contact by anyone, so every entry says it is a sample
# and that nothing was sent; "response" is empty (no answer), and nobody is given words.
SAMPLE_OUTREACH_DATE = datetime.date(2024, 1, 8)  # fixed, so that the demo is the same everywhere
SAMPLE_REQUEST = "Sample, for the demo only; no request was actually sent. "
IRAN_MFA = "Ministry of Foreign Affairs of Iran, press office"

VERDICT_PREAMBLE = "Sample verdict for the demo, written from the Mehr News Agency article alone.\n\n"


CLAIM_A = DemoClaim(
    slug="iran-has-supplied-drones-to-russia-for-use-in-the-war-in-ukraine",
    text="Iran has supplied drones to Russia for use in the war in Ukraine.",
    claimant="western",
    citation_note=(
        "Reports the claim, which it attributes to Western countries and to U.S. National Security Advisor "
        "Jake Sullivan, and the denials of Iran's foreign minister and foreign ministry spokesperson."
    ),
    statements=(
        DemoStatement(
            actor="sullivan",
            stance=Statement.Stance.ASSERTS,
            # Indirect speech with quoted fragments, as the article words it.
            quote=(
                'Washington had "information" indicating that the Islamic Republic was getting ready to give '
                'Russia "up to several hundred drones, including weapons-capable UAVs on an expedited timeline" '
                "for use in the conflict in Ukraine"
            ),
            date_note="July, year not stated",
            second_hand=True,
        ),
        DemoStatement(actor="abdollahian", stance=Statement.Stance.DENIES, quote=DENIAL_QUOTE, date_note=A_MONDAY),
        DemoStatement(
            actor="abdollahian",
            stance=Statement.Stance.CLARIFIES,
            quote=(
                "We have both received weapons from Russia and given weapons to Russia in the past, "
                "but not during the Ukraine conflict."
            ),
            date_note=A_MONDAY,
        ),
        DemoStatement(
            actor="kanaani",
            stance=Statement.Stance.DENIES,
            # The denial is the agency's paraphrase; his direct quote states a stance but denies nothing.
            quote=(
                "strongly dismissed fabricated charges concocted by certain Western states regarding Tehran’s "  # noqa: RUF001 - the article's apostrophe
                "role in the Ukraine conflict, saying Tehran has always favored peace and dialogue, maintaining "
                "cordial ties with both sides of the conflict"
            ),
            date_note=A_MONDAY,
            second_hand=True,
        ),
        DemoStatement(
            actor="raisi",
            stance=Statement.Stance.CONTEXT,
            # Said to Polish President Andrzej Duda in a telephone conversation.
            quote="The Islamic Republic of Iran would utilize all of efforts to terminate the war",
            date_note=A_THURSDAY,
        ),
    ),
    evidence=(
        {
            "stance": Evidence.Stance.CONTEXT,
            "summary": (
                "Mehr News Agency reports the denials of Iran's foreign minister and of its foreign ministry's "
                "spokesperson. It dates the U.S. statement it cites only to “July”, without a year, "
                "and gives no link to it."
            ),
            "internal_note": "Demo data: find the primary source for the July U.S. statement.",
        },
    ),
    assign_to_fact_checker=True,
    outreach=(
        {
            "contacted": "U.S. National Security Council, press office",
            "method": Outreach.Method.EMAIL,
            "contacted_on": SAMPLE_OUTREACH_DATE,
            "request": SAMPLE_REQUEST
            + (
                "Asked for the information behind the National Security Advisor's July statement that Iran was "
                "getting ready to give Russia drones, and whether any had been delivered."
            ),
            "response": "",
        },
        {
            "contacted": IRAN_MFA,
            "method": Outreach.Method.EMAIL,
            "contacted_on": SAMPLE_OUTREACH_DATE,
            "request": SAMPLE_REQUEST
            + "Asked whether Iran supplied drones to Russia after February 2022 and for any documentation.",
            "response": "",
        },
    ),
    verdict=DemoVerdict(
        headline="Sample: the article reports the claim and its denials but gives no evidence either way",
        explanation=(
            VERDICT_PREAMBLE
            + "The article reports the claim second-hand. It attributes it to Western countries and to a "
            "statement by U.S. National Security Advisor Jake Sullivan, dated only to “July”, which it "
            "paraphrases: that Washington had “information” indicating that Iran was getting ready to give "
            "Russia drones.\n\n"
            "Iran's foreign minister, Hossein Amir Abdollahian, denies the claim: “We have not sold and will "
            "not sell any weapons and drones to be used in the war against Ukraine.” According to the article, "
            "the foreign ministry's spokesperson, Nasser Kanaani, also dismissed the charges.\n\n"
            "The article provides no evidence for either side, so on its own it cannot establish whether "
            "the claim is true or false."
        ),
        publish=False,
    ),
)

CLAIM_B = DemoClaim(
    slug="iran-has-not-sold-and-will-not-sell-weapons-or-drones-for-use-in-the-war-against-ukraine",
    text="Iran has not sold and will not sell weapons or drones for use in the war against Ukraine.",
    claimant="abdollahian",
    citation_note="Quotes the foreign minister's denial, made at a meeting with journalists in Tehran.",
    statements=(
        DemoStatement(actor="abdollahian", stance=Statement.Stance.ASSERTS, quote=DENIAL_QUOTE, date_note=A_MONDAY),
    ),
    evidence=(
        {
            "stance": Evidence.Stance.CONTEXT,
            "summary": (
                "Mehr News Agency quotes the foreign minister's denial and reports the Western and U.S. claims "
                "it answers. It gives no evidence for or against the denial."
            ),
            "internal_note": "Demo data: look for independent evidence of transfers since the war began.",
        },
    ),
    outreach=(
        {
            "contacted": IRAN_MFA,
            "method": Outreach.Method.EMAIL,
            "contacted_on": SAMPLE_OUTREACH_DATE,
            "request": SAMPLE_REQUEST
            + (
                "Asked for any documentation supporting the foreign minister's statement that Iran has not sold "
                "weapons or drones for use in the war against Ukraine."
            ),
            "response": "",
        },
    ),
    verdict=DemoVerdict(
        headline="Sample: the article alone can neither confirm nor refute the minister's denial",
        explanation=(
            VERDICT_PREAMBLE
            + "The article quotes Iran's foreign minister, Hossein Amir Abdollahian, at a meeting with "
            "journalists in Tehran: “We have not sold and will not sell any weapons and drones to be used in "
            "the war against Ukraine.” He added that Iran had given weapons to Russia in the past, “but not "
            "during the Ukraine conflict.”\n\n"
            "The article reports the claims he answers, from Western countries and, second-hand, a U.S. "
            "statement that Iran was getting ready to give Russia drones, but it provides no evidence for either "
            "side. What Iran will do in the future cannot be checked.\n\n"
            "On the article alone, the denial is unproven."
        ),
        publish=True,
    ),
)

LINK_NOTE = "B is the foreign minister's denial of A"


@dataclass(frozen=True)
class Demo:
    """The demo in one language: its actors, topics, the two claims and the note linking them."""

    language: str
    actors: dict[str, dict]
    topics: tuple[tuple[str, str], ...]  # (name, slug)
    claim_a: DemoClaim
    claim_b: DemoClaim
    link_note: str
    intervention_request: str  # what the newsroom asked the publisher of the repeat (a sample)


SAMPLE_INTERVENTION_REQUEST = (
    "Sample, for the demo only; no request was actually sent. "
    "Asked the demo wire to link its article to our fact-check of the denial."
)
DEMO_EN = Demo(
    language="en",
    actors=ACTORS,
    topics=TOPICS,
    claim_a=CLAIM_A,
    claim_b=CLAIM_B,
    link_note=LINK_NOTE,
    intervention_request=SAMPLE_INTERVENTION_REQUEST,
)


# --- The demo in Persian (`seed_demo --language fa`) ---------------------------------------------------
# The same article and claims, for a Persian-language newsroom. The article is in English and gives no
# Persian words, so every quote is the newsroom's own translation of the article's English, marked as a
# translation with the English beside it: nothing is presented as a Persian original. The newsroom's own
# texts (claims, notes, right of reply, verdicts) are written in Persian. Translations awaiting review by a
# native speaker.

ACTORS_FA = {
    "western": {"name": "دولت‌های غربی", "kind": Actor.Kind.GOVERNMENT},
    "sullivan": {
        "name": "جیک سالیوان",
        "kind": Actor.Kind.PERSON,
        "title": "مشاور امنیت ملی آمریکا",
        "country": "ایالات متحده",
    },
    "abdollahian": {
        "name": "حسین امیرعبداللهیان",
        "kind": Actor.Kind.PERSON,
        "title": "وزیر امور خارجهٔ ایران",
        "country": "ایران",
    },
    "kanaani": {
        "name": "ناصر کنعانی",
        "kind": Actor.Kind.PERSON,
        "title": "سخنگوی وزارت امور خارجهٔ ایران",
        "country": "ایران",
    },
    "raisi": {"name": "ابراهیم رئیسی", "kind": Actor.Kind.PERSON, "title": "رئیس‌جمهور ایران", "country": "ایران"},
}

TOPICS_FA = (("جنگ روسیه و اوکراین", "جنگ-روسیه-و-اوکراین"), ("ایران", "ایران"))

A_MONDAY_FA = "یک دوشنبه؛ تاریخ ذکر نشده است"
A_THURSDAY_FA = "یک پنجشنبه؛ تاریخ ذکر نشده است"

DENIAL_QUOTE_FA = (
    "ما هیچ سلاح و پهپادی برای استفاده در جنگ علیه اوکراین نفروخته‌ایم و نخواهیم فروخت، و همکاری ایران و روسیه "
    "بی‌آنکه ربطی به جنگ اوکراین داشته باشد ادامه خواهد یافت"
)

SAMPLE_REQUEST_FA = "نمونه، فقط برای نسخهٔ نمایشی؛ هیچ درخواستی واقعاً فرستاده نشده است. "
IRAN_MFA_FA = "وزارت امور خارجهٔ ایران، دفتر مطبوعاتی"
VERDICT_PREAMBLE_FA = "حکم نمونه برای نسخهٔ نمایشی، که تنها بر پایهٔ گزارش خبرگزاری مهر نوشته شده است.\n\n"

CLAIM_A_FA = DemoClaim(
    slug="ایران-برای-استفاده-در-جنگ-اوکراین-به-روسیه-پهپاد-داده-است",
    text="ایران برای استفاده در جنگ اوکراین به روسیه پهپاد داده است.",
    claimant="western",
    citation_note=(
        "ادعا را، که به کشورهای غربی و جیک سالیوان، مشاور امنیت ملی آمریکا، نسبت می‌دهد، و تکذیب وزیر امور خارجه "
        "و سخنگوی وزارت امور خارجهٔ ایران را گزارش می‌کند."
    ),
    statements=(
        DemoStatement(
            actor="sullivan",
            stance=Statement.Stance.ASSERTS,
            quote=(
                "واشنگتن «اطلاعاتی» در دست داشت که نشان می‌داد جمهوری اسلامی آماده می‌شود «تا چند صد پهپاد، از جمله "
                "پهپادهای قادر به حمل سلاح، در زمانی فشرده» به روسیه بدهد تا در جنگ اوکراین به کار رود"
            ),
            date_note="ژوئیه؛ سال ذکر نشده است",
            second_hand=True,
            translated_from=CLAIM_A.statements[0].quote,
        ),
        DemoStatement(
            actor="abdollahian",
            stance=Statement.Stance.DENIES,
            quote=DENIAL_QUOTE_FA,
            date_note=A_MONDAY_FA,
            translated_from=DENIAL_QUOTE,
        ),
        DemoStatement(
            actor="abdollahian",
            stance=Statement.Stance.CLARIFIES,
            quote="ما هم در گذشته از روسیه سلاح گرفته‌ایم و هم به روسیه سلاح داده‌ایم، اما نه در جریان جنگ اوکراین.",
            date_note=A_MONDAY_FA,
            translated_from=CLAIM_A.statements[2].quote,
        ),
        DemoStatement(
            actor="kanaani",
            stance=Statement.Stance.DENIES,
            quote=(
                "اتهام‌های ساختگی برخی کشورهای غربی دربارهٔ نقش تهران در جنگ اوکراین را قاطعانه رد کرد و گفت تهران "
                "همواره طرفدار صلح و گفت‌وگو بوده و با هر دو طرف جنگ روابط دوستانه دارد"
            ),
            date_note=A_MONDAY_FA,
            second_hand=True,
            translated_from=CLAIM_A.statements[3].quote,
        ),
        DemoStatement(
            actor="raisi",
            stance=Statement.Stance.CONTEXT,
            quote="جمهوری اسلامی ایران همهٔ تلاش خود را برای پایان دادن به جنگ به کار خواهد بست",
            date_note=A_THURSDAY_FA,
            translated_from=CLAIM_A.statements[4].quote,
        ),
    ),
    evidence=(
        {
            "stance": Evidence.Stance.CONTEXT,
            "summary": (
                "خبرگزاری مهر تکذیب وزیر امور خارجهٔ ایران و سخنگوی وزارت امور خارجه را گزارش می‌کند. بیانیهٔ "
                "آمریکایی را که به آن استناد می‌کند تنها به «ژوئیه» و بدون سال تاریخ‌گذاری می‌کند و پیوندی به آن "
                "نمی‌دهد."
            ),
            "internal_note": "دادهٔ نمایشی: منبع دست‌اول بیانیهٔ ژوئیهٔ آمریکا را پیدا کنید.",
        },
    ),
    assign_to_fact_checker=True,
    outreach=(
        {
            "contacted": "شورای امنیت ملی آمریکا، دفتر مطبوعاتی",
            "method": Outreach.Method.EMAIL,
            "contacted_on": SAMPLE_OUTREACH_DATE,
            "request": SAMPLE_REQUEST_FA
            + (
                "اطلاعاتی را که پشتوانهٔ بیانیهٔ ژوئیهٔ مشاور امنیت ملی بود، مبنی بر آمادگی ایران برای دادن پهپاد به "
                "روسیه، و اینکه آیا پهپادی تحویل شده است، خواستیم."
            ),
            "response": "",
        },
        {
            "contacted": IRAN_MFA_FA,
            "method": Outreach.Method.EMAIL,
            "contacted_on": SAMPLE_OUTREACH_DATE,
            "request": SAMPLE_REQUEST_FA
            + "پرسیدیم آیا ایران پس از فوریهٔ ۲۰۲۲ به روسیه پهپاد داده است و هر مدرکی در این باره را خواستیم.",
            "response": "",
        },
    ),
    verdict=DemoVerdict(
        headline="نمونه: گزارش، ادعا و تکذیب‌های آن را نقل می‌کند اما هیچ شاهدی برای هیچ‌یک نمی‌آورد",
        explanation=(
            VERDICT_PREAMBLE_FA
            + "گزارش، ادعا را دست‌دوم نقل می‌کند. آن را به کشورهای غربی و به بیانیه‌ای از جیک سالیوان، مشاور "
            "امنیت ملی آمریکا، نسبت می‌دهد که تنها به «ژوئیه» تاریخ خورده است و مضمونش را چنین بازمی‌گوید: "
            "واشنگتن «اطلاعاتی» داشت که نشان می‌داد ایران آماده می‌شود به روسیه پهپاد بدهد.\n\n"
            "وزیر امور خارجهٔ ایران، حسین امیرعبداللهیان، ادعا را تکذیب می‌کند (به ترجمهٔ ما از متن انگلیسی "
            "گزارش): «ما هیچ سلاح و پهپادی برای استفاده در جنگ علیه اوکراین نفروخته‌ایم و نخواهیم فروخت.» به "
            "گفتهٔ گزارش، ناصر کنعانی، سخنگوی وزارت امور خارجه، نیز این اتهام‌ها را رد کرد.\n\n"
            "گزارش برای هیچ‌یک از دو طرف شاهدی ارائه نمی‌کند، پس به‌تنهایی نمی‌تواند درستی یا نادرستی ادعا را "
            "نشان دهد."
        ),
        publish=False,
    ),
)

CLAIM_B_FA = DemoClaim(
    slug="ایران-برای-استفاده-در-جنگ-علیه-اوکراین-سلاح-یا-پهپاد-نفروخته-است-و-نخواهد-فروخت",
    text="ایران برای استفاده در جنگ علیه اوکراین سلاح یا پهپاد نفروخته است و نخواهد فروخت.",
    claimant="abdollahian",
    citation_note="تکذیب وزیر امور خارجه را نقل می‌کند که در دیدار با خبرنگاران در تهران بیان شد.",
    statements=(
        DemoStatement(
            actor="abdollahian",
            stance=Statement.Stance.ASSERTS,
            quote=DENIAL_QUOTE_FA,
            date_note=A_MONDAY_FA,
            translated_from=DENIAL_QUOTE,
        ),
    ),
    evidence=(
        {
            "stance": Evidence.Stance.CONTEXT,
            "summary": (
                "خبرگزاری مهر تکذیب وزیر امور خارجه و ادعاهای غربی و آمریکایی را که او به آن‌ها پاسخ می‌دهد نقل "
                "می‌کند. هیچ شاهدی به سود یا به زیان این تکذیب نمی‌آورد."
            ),
            "internal_note": "دادهٔ نمایشی: شواهد مستقلی از انتقال سلاح از آغاز جنگ بیابید.",
        },
    ),
    outreach=(
        {
            "contacted": IRAN_MFA_FA,
            "method": Outreach.Method.EMAIL,
            "contacted_on": SAMPLE_OUTREACH_DATE,
            "request": SAMPLE_REQUEST_FA
            + (
                "هر مدرکی را خواستیم که گفتهٔ وزیر امور خارجه را، مبنی بر اینکه ایران برای استفاده در جنگ علیه "
                "اوکراین سلاح یا پهپاد نفروخته است، تأیید کند."
            ),
            "response": "",
        },
    ),
    verdict=DemoVerdict(
        headline="نمونه: این گزارش به‌تنهایی نه تکذیب وزیر را تأیید می‌کند و نه رد",
        explanation=(
            VERDICT_PREAMBLE_FA
            + "گزارش از قول حسین امیرعبداللهیان، وزیر امور خارجهٔ ایران، در دیدار با خبرنگاران در تهران می‌آورد "
            "(به ترجمهٔ ما از متن انگلیسی گزارش): «ما هیچ سلاح و پهپادی برای استفاده در جنگ علیه اوکراین "
            "نفروخته‌ایم و نخواهیم فروخت.» او افزود که ایران در گذشته به روسیه سلاح داده است، «اما نه در جریان "
            "جنگ اوکراین».\n\n"
            "گزارش ادعاهایی را که او به آن‌ها پاسخ می‌دهد، از کشورهای غربی و به‌طور دست‌دوم از بیانیه‌ای آمریکایی "
            "دربارهٔ آمادگی ایران برای دادن پهپاد به روسیه، نقل می‌کند، اما برای هیچ‌یک از دو طرف شاهدی ارائه "
            "نمی‌کند. آنچه ایران در آینده خواهد کرد قابل راستی‌آزمایی نیست.\n\n"
            "بر پایهٔ این گزارش به‌تنهایی، این تکذیب اثبات‌نشده است."
        ),
        publish=True,
    ),
)

LINK_NOTE_FA = "ب تکذیبِ الف از سوی وزیر امور خارجه است"

DEMO_FA = Demo(
    language="fa",
    actors=ACTORS_FA,
    topics=TOPICS_FA,
    claim_a=CLAIM_A_FA,
    claim_b=CLAIM_B_FA,
    link_note=LINK_NOTE_FA,
    intervention_request=SAMPLE_REQUEST_FA
    + "از خبرگزاری نمایشی خواستیم به راستی‌آزمایی ما از این تکذیب در گزارش خود پیوند دهد.",
)
DEMOS = {"en": DEMO_EN, "fa": DEMO_FA}


def article_text() -> str:
    return ARTICLE_PATH.read_text(encoding="utf-8").strip()


class DemoLoader:
    """Loads the demo claims as `by` (a fact-checker), `reviewer` reviewing; `log` gets a line per thing."""

    def __init__(self, *, by, reviewer, log=print, demo: "Demo" = DEMO_EN):
        self.by = by
        self.reviewer = reviewer
        self.log = log
        self.demo = demo
        self.actors: dict[str, Actor] = {}

    def load(self) -> None:
        demo = self.demo
        source = self.source()
        topics = [self.topic(name, slug) for name, slug in demo.topics]
        claim_a = self.claim(demo.claim_a, source=source, topics=topics)
        claim_b = self.claim(demo.claim_b, source=source, topics=topics)
        self.link(from_claim=claim_b, to_claim=claim_a)
        self.workflow(demo.claim_a, claim_a)
        self.workflow(demo.claim_b, claim_b)

    # --- the parts -----------------------------------------------------------

    def source(self) -> Source:
        existing = Source.objects.filter(url="", title=ARTICLE["title"], publisher=ARTICLE["publisher"]).first()
        if existing is not None:
            self.log(f"Kept source “{existing.title}”")
            return existing
        source = services.source_create(by=self.by, text=article_text(), **ARTICLE)
        self.log(f"Created source “{source.title}” ({source.publisher}; no URL, date unknown, {source.licence})")
        return source

    def actor(self, key: str) -> Actor:
        if key not in self.actors:
            fields = self.demo.actors[key]
            existing = Actor.objects.filter(name=fields["name"], title=fields.get("title", "")).first()
            if existing is not None:
                self.log(f"Kept actor {existing}")
                self.actors[key] = existing
            else:
                self.actors[key] = services.actor_create(by=self.by, **fields)
                self.log(f"Created actor {self.actors[key]}")
        return self.actors[key]

    def topic(self, name: str, slug: str) -> Topic:
        existing = Topic.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        topic = Topic(name=name, slug=slug)
        topic._history_user = self.by
        topic._change_reason = "Created"
        topic.full_clean()
        topic.save()
        self.log(f"Created topic “{name}”")
        return topic

    def claim(self, demo: DemoClaim, *, source: Source, topics) -> Claim:
        existing = Claim.all_objects.filter(slug=demo.slug).first()
        if existing is not None:
            self.log(f"Kept claim {demo.slug} (already on file; not changed)")
            return existing
        claim = services.claim_create(
            by=self.by,
            text=demo.text,
            topics=[topic for topic in topics if not demo.topics or topic.slug in demo.topics],
            claimant=self.actor(demo.claimant),
            first_appearance=None,  # the article does not say where the claim first appeared
            language=self.demo.language,
            date_precision=DatePrecision.UNKNOWN,
            is_sample=True,
        )
        if claim.slug != demo.slug:  # the text and slug above have drifted apart
            raise RuntimeError(f"Demo claim got slug {claim.slug!r}, expected {demo.slug!r}")
        services.claim_source_add(
            claim=claim, source=source, by=self.by, role=ClaimSource.Role.APPEARANCE, note=demo.citation_note
        )
        for item in demo.statements:
            services.claim_item_create(
                by=self.by,
                item=Statement(
                    claim=claim,
                    actor=self.actor(item.actor),
                    source=source,
                    quote=item.quote,
                    quote_language=self.demo.language,
                    stance=item.stance,
                    second_hand=item.second_hand,
                    # In English, the article's words: it does not say what language anyone spoke in. In
                    # Persian, the newsroom's translation of them, marked as such with the article's words.
                    translated=bool(item.translated_from),
                    original_language=ARTICLE["language"] if item.translated_from else "",
                    original_quote=item.translated_from,
                    date_precision=DatePrecision.UNKNOWN,
                    date_note=item.date_note,
                ),
            )
        for fields in demo.evidence:
            services.claim_item_create(by=self.by, item=Evidence(claim=claim, source=source, **fields))
        if demo.assign_to_fact_checker:
            claim = services.claim_assign(claim=claim, assignee=self.by, by=self.by)
        self.log(
            f"Created sample claim {claim.slug}: {len(demo.statements)} statement(s), "
            f"{len(demo.evidence)} evidence item(s), assigned to "
            f"{claim.assignee.get_username() if claim.assignee else 'nobody'}"
        )
        return claim

    def link(self, *, from_claim: Claim, to_claim: Claim) -> None:
        kind = ClaimLink.Kind.COUNTER_CLAIM
        if ClaimLink.all_objects.filter(from_claim=from_claim, to_claim=to_claim, kind=kind).exists():
            self.log(f"Kept link {from_claim.slug} → {to_claim.slug} ({kind.label})")
            return
        services.claim_item_create(
            by=self.by, item=ClaimLink(from_claim=from_claim, to_claim=to_claim, kind=kind, note=self.demo.link_note)
        )
        self.log(f"Created link {from_claim.slug} → {to_claim.slug} ({kind.label})")

    # --- the review workflow, through claims.workflow only ----------------------------------

    def workflow(self, demo: DemoClaim, claim: Claim) -> None:
        """Right of reply, then the verdict: drafted, edited, submitted, and published if `demo` says so."""
        if demo.verdict is None:
            return
        claim = Claim.all_objects.get(pk=claim.pk)
        verdicts = Verdict.objects.filter(claim=claim).count()
        if verdicts:
            self.log(
                f"Kept the workflow of claim {claim.slug} ({claim.get_state_display().lower()}, {verdicts} verdict(s))"
            )
            return
        if claim.removed_at is not None or claim.state not in (Claim.State.NEW, Claim.State.RESEARCHING):
            self.log(f"Skipped the workflow of claim {claim.slug}: it is {claim.get_state_display().lower()}")
            return
        rating = self.rating(demo.verdict.rating)
        for fields in demo.outreach:
            self.outreach(claim, fields)
        if claim.state == Claim.State.NEW:
            claim = workflow.claim_start_research(claim=claim, by=self.by)
        verdict = workflow.verdict_draft(claim=claim, by=self.by)
        verdict = workflow.verdict_edit(
            verdict=verdict,
            by=self.by,
            rating=rating,
            headline=demo.verdict.headline,
            explanation=demo.verdict.explanation,
        )
        verdict = workflow.verdict_submit(verdict=verdict, by=self.by)
        services.claim_assign_reviewer(claim=Claim.all_objects.get(pk=claim.pk), reviewer=self.reviewer, by=self.by)
        done = f"drafted and submitted by {self.by.get_username()}, review assigned to {self.reviewer.get_username()}"
        if demo.verdict.publish:
            verdict = workflow.verdict_publish(verdict=Verdict.objects.get(pk=verdict.pk), by=self.reviewer)
            done += f", published by {self.reviewer.get_username()}"
        self.log(f"Created sample verdict on claim {claim.slug} ({verdict.rating}): {done}")

    def rating(self, label: str) -> Rating:
        """The label from the active scale if it has it, else from the default scale (migration 0004)."""
        active = SiteSettings.load().active_rating_scale
        for scale in (active, RatingScale.objects.filter(slug="default").first()):
            rating = scale and scale.ratings.filter(label=label).first()
            if rating:
                return rating
        raise RuntimeError(f"The demo verdicts need the rating “{label}” of the default scale (migration 0004).")

    def outreach(self, claim: Claim, fields: dict) -> None:
        if Outreach.objects.filter(claim=claim, contacted=fields["contacted"], request=fields["request"]).exists():
            self.log(f"Kept sample outreach on claim {claim.slug}: {fields['contacted']}")
            return
        item = services.claim_item_create(by=self.by, item=Outreach(claim=claim, **fields))
        self.log(f"Created sample outreach on claim {claim.slug}: {item} (sample, nothing was sent; no reply)")


def load_demo_claims(*, by, reviewer, log=print, language: str = "en") -> None:
    DemoLoader(by=by, reviewer=reviewer, log=log, demo=DEMOS[language]).load()


# --- Sample tips: two ask the same thing (the worker groups them), one asks it in other words, one not ------

DEMO_TIPS = (
    {"text": "A video says the city council spent a million euros on its new logo. Is that right?"},
    {
        "text": "Is it true that Iran has sent drones to Russia for the war in Ukraine?",
        "contact": "reader@example.invalid",
        "wants_answer": True,
    },
    {"text": "My feed is full of posts saying Iran sent drones to Russia for the war in Ukraine. Is it true?"},
    {"text": "Someone on a talk show said Iran gives Russia drones to use in Ukraine. Can you check?"},
)


def load_demo_tips(*, log=print) -> None:
    """Sample tips, sent in as the public sends them: the worker matches them against the claims and groups
    the two that ask the same thing once the command's transaction commits."""
    for fields in DEMO_TIPS:
        if Tip.objects.filter(text=fields["text"]).exists():
            log(f"Kept sample tip “{fields['text']}”")
            continue
        services.tip_create(**fields)
        log(f"Created sample tip “{fields['text']}”")


# --- The demo feed: sample articles served by the app itself (static/demo-feed/) ------------------

DEMO_FEED_PATH = "/static/demo-feed/feed.xml"
DEMO_FEED_NAME = "Demo wire (sample articles)"


def load_demo_feed(*, by, log=print) -> None:
    """A feed of sample articles that the app serves itself, so that `make run` shows the background import.

    Its address is built from SITE_URL, so it points at the running app; the worker may fetch it
    because `make run` allows loopback (FETCH_ALLOW_LOOPBACK), which production refuses.
    """
    url = absolute_url(DEMO_FEED_PATH)
    if Feed.objects.filter(url=url).exists():
        log(f"Kept demo feed {url}")
        return
    services.feed_create(by=by, url=url, name=DEMO_FEED_NAME, language="en", poll_interval=30)
    log(f"Created demo feed {url} (polled by the worker within a minute of starting)")


# --- A repeat after publication: the demo feed's first article repeats claim B, the minister's denial ---------

DEMO_FEED_FOLDER = Path(settings.BASE_DIR) / "static" / "demo-feed"
REPEAT_ARTICLE = "article-1.html"
REPEAT_ARTICLE_TITLE = "Sample: Iran's foreign minister denies selling drones for the war in Ukraine"


def load_demo_repeat(*, by, reviewer, log=print, language: str = "en") -> None:
    """The demo feed's first article repeats the published demo claim (the foreign minister's denial): the
    article is put on file as the demo feed would import it, the repeat is recorded by the fact-checker with
    a sample of what the newsroom did, and the reviewer approves both, so the claim's public page and its
    ClaimReview show the repeat (sample data, like the claim). Kept as it is if already on record."""
    demo = DEMOS[language]
    claim = Claim.objects.filter(slug=demo.claim_b.slug).first()
    if claim is None or not repeats.repeatable_claim_ids([claim.pk]):
        log(f"Skipped the sample repeat: claim {demo.claim_b.slug} is not published")
        return
    url = canonicalize_url(f"{settings.SITE_URL}/static/demo-feed/{REPEAT_ARTICLE}")
    if Repeat.objects.filter(claim=claim, source__url=url).exists():
        log(f"Kept the sample repeat of claim {claim.slug}")
        return
    source = Source.objects.filter(url=url).first() or _demo_feed_article(url, by=by)
    repeat = repeats.repeat_record(
        claim=claim,
        source=source,
        actor=DemoLoader(by=by, reviewer=reviewer, log=log, demo=demo).actor("abdollahian"),
        sentence=DENIAL_QUOTE,
        date=None,
        date_precision=DatePrecision.UNKNOWN,
        date_note=demo.claim_b.statements[0].date_note,  # when the minister said it, as the claim's statement
        by=by,
    )
    intervention = repeats.intervention_record(
        repeat=repeat,
        asked=Intervention.Asked.PUBLISHER,
        asked_on=SAMPLE_OUTREACH_DATE,
        method=Intervention.Method.EMAIL,
        request=demo.intervention_request,
        by=by,
    )
    repeats.repeat_approve(repeat=repeat, by=reviewer)
    repeats.intervention_approve(intervention=intervention, by=reviewer)
    log(
        f"Recorded the sample repeat of claim {claim.slug} in “{source.title}” (by {by.get_username()}), "
        f"with a sample request to its publisher; both approved by {reviewer.get_username()}"
    )


def _demo_feed_article(url: str, *, by) -> Source:
    """The article as the demo feed's import would store it; the worker matches it against the claims."""
    article = extract_article((DEMO_FEED_FOLDER / REPEAT_ARTICLE).read_bytes(), url=url)
    if article is None:
        raise RuntimeError(f"No article text in static/demo-feed/{REPEAT_ARTICLE}")
    source = services.source_create(
        by=by,
        url=url,
        title=REPEAT_ARTICLE_TITLE,
        publisher=DEMO_FEED_NAME,
        language="en",
        text=article.text,
        origin=Source.Origin.FEED,
        fetch_status=FetchStatus.DONE,
        date_precision=DatePrecision.UNKNOWN,
        date_note="Not stated in the sample article",
    )
    transaction.on_commit(lambda: jobs.enqueue_matching(source.pk))
    return source
