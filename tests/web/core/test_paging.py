"""`core.paging.paginate` and the one pagination include every list page uses."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from healthgap.web.core.paging import PAGE_SIZE, paginate
from tests.web.factories import make_organisation


def _page(query: str, items=range(1, 27), size: int = 10):
    request = RequestFactory().get(f"/list/?{query}")
    page, rest = paginate(request, list(items), size)
    return (
        page,
        rest,
        render_to_string("core/includes/pagination.html", {"page": page, "query": rest}),
    )


def test_the_middle_page_links_both_ways_and_keeps_the_filters():
    # 26 items at 10 a page: pages 1-10, 11-20, 21-26; page 2 holds 11..20.
    page, query, html = _page("kind=faith&page=2")
    assert list(page) == list(range(11, 21))
    assert query == "kind=faith"
    assert 'href="?kind=faith&amp;page=1"' in html
    assert 'href="?kind=faith&amp;page=3"' in html
    assert 'aria-label="Pagination"' in html


def test_the_first_page_has_no_previous_and_the_last_no_next():
    _, _, first = _page("")
    assert "page=2" in first and "Previous" not in first
    last, _, html = _page("page=3")
    assert list(last) == [21, 22, 23, 24, 25, 26]
    assert "page=2" in html and "Next" not in html


def test_a_bad_page_number_gives_a_page_not_an_error():
    assert _page("page=x")[0].number == 1
    assert _page("page=99")[0].number == 3


def test_one_page_renders_no_navigation():
    assert _page("", items=range(5))[2].strip() == ""


@pytest.mark.django_db
def test_the_directory_is_paginated(client):
    for n in range(PAGE_SIZE + 1):
        make_organisation(name=f"Org {n:02d}")
    first = client.get("/directory/?kind=voluntary").content.decode()
    assert f"{PAGE_SIZE + 1} organisations" in first
    assert first.count('class="nhsuk-card__heading') == PAGE_SIZE
    assert 'href="?kind=voluntary&amp;page=2"' in first
    second = client.get("/directory/?kind=voluntary&page=2").content.decode()
    assert second.count('class="nhsuk-card__heading') == 1
    assert "Org 25" in second
