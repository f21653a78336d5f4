"""The API's docs page: Swagger UI from static/, running under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_lists_the_operations_with_no_csp_violation(page):
    response = page.goto("/api/docs")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Claim tracker API")
    expect(page.get_by_text("/api/v1alpha1/claims:search")).to_be_visible()
    page.get_by_text("/api/v1/topics").click()  # an operation opens, as Swagger UI's script does it
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    assert page.console_errors == []
