"""While a staff form's request is in flight its submit button is disabled, so a second click sends nothing.
(The server saves a form once however often it is sent: tests/integration/test_concurrent_submits.py.)"""

import pytest
from playwright.sync_api import expect

from claims.models import Evidence
from tests.browser.conftest import log_in
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_save_is_disabled_until_the_answer_arrives_and_one_item_is_added(page, factchecker):
    claim = ClaimFactory()
    log_in(page, factchecker)
    page.goto(f"/staff/claims/{claim.pk}/")
    evidence = page.locator("#evidence")
    evidence.get_by_role("link", name="Add evidence").click()
    page.locator("#id_stance").select_option("refutes")
    page.locator("#id_summary").fill("Shipping records show nothing.")
    held = []  # the request, held back as a slow server would
    page.route("**/evidence/add/", lambda route: held.append(route))

    save = evidence.get_by_role("button", name="Save")
    save.click()
    expect(save).to_be_disabled()
    save.click(force=True)  # a second click while the first is on its way
    held[0].continue_()

    expect(evidence).to_contain_text("Shipping records show nothing.")
    expect(evidence.get_by_role("button", name="Save")).to_have_count(0)
    assert len(held) == 1
    assert Evidence.objects.filter(claim=claim).count() == 1
