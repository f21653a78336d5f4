"""The public tip form's opt-in, "tell me when this is checked": it needs an email address, and the form says
how long contact details are kept."""

import re

import pytest
from django.urls import reverse

from claims.models import SiteSettings, Tip

pytestmark = pytest.mark.django_db

TIP = {"text": "The minister said the new bridge cost nothing.", "url": "", "contact": ""}


def test_the_form_offers_the_opt_in_and_says_how_long_contacts_are_kept(client):
    SiteSettings.objects.filter(pk=1).update(contact_retention_days=45)
    page = client.get(reverse("tip")).content.decode()
    assert 'name="wants_answer"' in page and "Tell me when this is checked" in page
    assert "we delete them after 45 days" in page


def test_a_sender_who_opts_in_with_an_email_address_is_on_file_to_be_told(client):
    response = client.post(reverse("tip"), {**TIP, "contact": "reader@example.invalid", "wants_answer": "on"})
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert (tip.wants_answer, tip.contact, tip.told_at) == (True, "reader@example.invalid", None)


def test_opting_in_without_an_email_address_is_refused_beside_the_contact_field(client):
    response = client.post(reverse("tip"), {**TIP, "contact": "+44 20 7946 0000", "wants_answer": "on"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "To be told when it is checked, give an email address." in page
    assert page.index("To be told when it is checked") > page.index('name="contact"')  # beside the field
    assert 'value="+44 20 7946 0000"' in page  # what was typed is kept
    assert re.search(r'<input type="checkbox" name="wants_answer"[^>]* checked', page)
    assert not Tip.objects.exists()


def test_a_phone_number_is_still_fine_without_the_opt_in(client):
    assert client.post(reverse("tip"), {**TIP, "contact": "+44 20 7946 0000"}).status_code == 302
    assert Tip.objects.get().wants_answer is False
