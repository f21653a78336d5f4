"""The texts a new site starts with (methodology, corrections policy, about, funding), in Markdown.

They follow the headings of the IFCN code of principles, and say plainly that they are to be edited:
a newsroom replaces them with its own words in the site settings. Migration 0015 gives them to a site whose
texts were still blank.

They are stored per language: English here, Persian and Spanish (translations awaiting review by a native
speaker) in claims/starter_texts_fa.py and claims/starter_texts_es.py. A new site starts with the English
ones; when the newsroom chooses another public language, every text still as shipped (in any language) is
replaced by the same text in that language (`follow_language`, called by services.site_settings_update),
and every text it has written stays as it is.
"""

from claims import starter_texts_es, starter_texts_fa

TO_BE_EDITED = (
    "> **Starter text, to be edited.** This text was written for every newsroom that uses this claim tracker. "
    "Replace it with your own words in the site settings, and remove this notice."
)

METHODOLOGY = f"""{TO_BE_EDITED}

## How we choose what to check

We check claims made in public by people and organisations whose words carry weight: office holders, \
candidates, public bodies, companies and widely shared posts. We choose a claim because it is checkable (a \
statement of fact, not an opinion), because many people have seen it, and because it matters to the lives of \
our readers. Readers can send us claims to check.

We apply the same standard to every claim, whoever made it. [Say here how you keep the selection balanced, for \
example by reviewing each month whom you checked.]

## How we check a claim

1. We record the claim as it was made, with the source where it appeared and the date.
2. We look for the best evidence available: official data, documents, the original recording, experts in the \
field. We prefer primary sources to reports about them.
3. We ask the person or organisation who made the claim for their evidence and their answer, and we publish \
what they said, or that they did not answer.
4. We write a verdict: a rating from our published scale and an explanation of how we reached it.
5. A second editor reviews every verdict before it is published. Nobody publishes their own work.

## Transparency of sources

We list the sources of every fact-check, with links where they exist, so that readers can follow our work \
and check it for themselves. When a source must stay confidential to be safe, we say so and describe it as \
closely as we can without naming it; we never rely on such a source alone.

## Our ratings

Each rating has a published definition, shown with every verdict. [Explain here anything particular to how \
you use the scale.]
"""

CORRECTIONS_POLICY = f"""{TO_BE_EDITED}

## An open and honest corrections policy

We make mistakes, and we correct them openly. If you think a fact-check of ours is wrong or incomplete, use \
the "Report an error on this page" link on the fact-check, or write to us. \
[Say how quickly you answer, for example within two working days.]

## How we correct

- **A correction** fixes an error of fact. The page says at the top what changed and when.
- **An update** adds information that became available after publication.
- **A retraction** withdraws a verdict that no longer stands; the page stays online and says why.

A correction, update or retraction is reviewed by a second editor, like the verdict it changes. Every earlier \
version stays available in the page's history, and all of them are listed on our corrections page.

## If you are not satisfied

[Name whom readers can turn to if they are not satisfied with our answer, for example the International \
Fact-Checking Network, which accepts complaints about its signatories.]
"""

ABOUT = f"""{TO_BE_EDITED}

## Who we are

[Describe your newsroom: when and why it was founded, where it works, and the people who run it, with their \
roles. Say who is legally responsible for what is published.]

## Non-partisanship and fairness

We do not support any party, candidate or cause, and we do not take positions on policy questions. We check \
claims from every side by the same standard, and we tell readers how we choose them. Our staff do not take part \
in political campaigns. [Describe the rules your staff follow, for example on party membership.]

## Our organisation

[State your legal form (company, non-profit, part of a larger media group), where it is registered, and who \
owns or controls it.]
"""

FUNDING = f"""{TO_BE_EDITED}

## Transparency of funding

We publish where our money comes from, so that readers can judge our independence for themselves. \
[List your sources of funding for the last year, with the share of each: grants, donations, partnerships, \
advertising.]

No funder has any say in what we check or in our verdicts. [Say what you do when you check a claim made by \
someone who funds you, for example that you say so in the fact-check.]
"""

BY_FIELD = {
    "methodology": METHODOLOGY,
    "corrections_policy": CORRECTIONS_POLICY,
    "about": ABOUT,
    "funding": FUNDING,
}


def _by_language() -> dict[str, dict[str, str]]:
    return {"en": BY_FIELD, "fa": starter_texts_fa.BY_FIELD, "es": starter_texts_es.BY_FIELD}


def for_language(language: str) -> dict[str, str]:
    """The starter texts by field, in `language` (a BCP 47 code) where we ship them, else in English."""
    return _by_language().get(language.split("-")[0].strip().lower(), BY_FIELD)


def _comparable(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def is_starter_text(field: str, text: str) -> bool:
    """Whether `text` is still the starter text of `field`, in any language we ship (line endings aside)."""
    return any(_comparable(text) == _comparable(texts[field]) for texts in _by_language().values())


def follow_language(site_settings: object, language: str) -> list[str]:
    """Give each of the site's texts that is still a starter text the one in `language`; the fields changed."""
    changed = []
    for field, text in for_language(language).items():
        if is_starter_text(field, getattr(site_settings, field)) and getattr(site_settings, field) != text:
            setattr(site_settings, field, text)
            changed.append(field)
    return changed
