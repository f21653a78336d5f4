"""Fixtures for the public side: the demo loaded as `make run` loads it."""

from io import StringIO

import pytest
from django.core.management import call_command
from lxml import html

from claims.demo import CLAIM_A, CLAIM_B
from claims.models import Claim


@pytest.fixture
def seeded(db, settings):
    """The demo: claim A waits in review (never public), claim B is published (sample data)."""
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", stdout=StringIO())
    return Claim.objects.get(slug=CLAIM_A.slug), Claim.objects.get(slug=CLAIM_B.slug)


def page_tree(response):
    """The HTML of a response, parsed (lxml), to ask for elements by XPath."""
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def texts(tree, xpath: str) -> list[str]:
    """The whitespace-normalised text of every element `xpath` finds."""
    return [" ".join(element.text_content().split()) for element in tree.xpath(xpath)]
