"""Ids in URLs: a number too large for a database id is a 404 at every address that takes one."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.urls.exceptions import Resolver404

from claims.converters import MAX_ID, IdConverter
from tests.access_matrix import expectation

pytestmark = pytest.mark.django_db

TOO_LARGE = MAX_ID + 1  # 9223372036854775808


def patterns_with_ids(patterns=None, namespace: str = "", converters=None):
    """(full name, the names of its id parameters, every converter it uses) for each named pattern."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        inner_converters = {**(converters or {}), **pattern.pattern.converters}
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += patterns_with_ids(pattern.url_patterns, inner, inner_converters)
        elif isinstance(pattern, URLPattern) and pattern.name:
            numeric = [name for name, kind in inner_converters.items() if isinstance(kind, IdConverter | IntConverter)]
            if numeric:
                found.append((f"{namespace}{pattern.name}", numeric, inner_converters))
    return found


ID_PATTERNS = patterns_with_ids()


def test_the_walk_finds_the_addresses_that_take_ids():
    names = {name for name, _ids, _converters in ID_PATTERNS}
    assert {"staff:claim", "staff:region-edit", "staff:feed", "claimant", "byline"} <= names


@pytest.mark.parametrize(("name", "ids"), [(name, ids) for name, ids, _converters in ID_PATTERNS])
def test_every_id_parameter_goes_through_the_id_converter(name, ids):
    converters = next(found for pattern, _ids, found in ID_PATTERNS if pattern == name)
    assert all(isinstance(converters[param], IdConverter) for param in ids), f"{name}: use <id:…>, not <int:…>"


@pytest.mark.parametrize(("name", "ids"), [(name, ids) for name, ids, _converters in ID_PATTERNS])
def test_an_id_too_large_for_the_database_is_not_found(name, ids, client_for):
    expect = expectation(name)
    kwargs = {**(expect.kwargs() if expect.kwargs else {}), **dict.fromkeys(ids, TOO_LARGE)}
    url = reverse(name, kwargs=kwargs)
    with pytest.raises(Resolver404):
        resolve(url)
    client = client_for("admin")
    response = client.post(url) if expect.method == "POST" else client.get(url)
    assert response.status_code == 404


def test_the_largest_id_still_matches():
    match = resolve(reverse("staff:claim", kwargs={"pk": MAX_ID}))
    assert match.kwargs == {"pk": MAX_ID}
