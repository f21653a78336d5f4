"""Every page that answers htmx with a region of itself says so (Vary: HX-Request), so Back and reload
never show a bare region from the browser's cache."""

import pytest

from tests.access_matrix import expectation
from tests.test_access import URL_NAMES, url_for

pytestmark = pytest.mark.django_db

GET_URLS = [name for name in URL_NAMES if not name.startswith("admin:") and expectation(name).method == "GET"]


def body(response) -> bytes:
    """The answer's bytes, whether it was rendered or streamed (a file)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def varies_on_hx_request(response) -> bool:
    return "hx-request" in [part.strip().lower() for part in response.get("Vary", "").split(",")]


@pytest.mark.parametrize("name", GET_URLS)
def test_a_page_that_answers_htmx_with_a_region_varies_on_hx_request(name, client_for):
    client = client_for("admin")
    url = url_for(name, expectation(name))
    page = client.get(url)
    region = client.get(url, headers={"HX-Request": "true"})
    if (page.status_code, b"<html" in body(page)) == (region.status_code, b"<html" in body(region)):
        return  # the same answer either way
    assert varies_on_hx_request(page), f"{url}: the page does not vary on HX-Request"
    assert varies_on_hx_request(region), f"{url}: the region does not vary on HX-Request"


def test_the_dashboard_page_and_its_region_vary_on_hx_request(client_for):
    client = client_for("factchecker")
    page = client.get("/staff/")
    region = client.get("/staff/?q=drones", headers={"HX-Request": "true"})
    assert b"<html" in page.content and b"<html" not in region.content
    assert varies_on_hx_request(page) and varies_on_hx_request(region)
