"""Pagination for every list page: `paginate(...)` in the view, one include in the template.

View::

    page, query = paginate(request, queryset)            # 25 a page, or size=50
    return render(request, "...", {"page": page, "query": query})

Template::

    {% for row in page %}...{% endfor %}
    {% include "core/includes/pagination.html" %}         # NHS.UK Previous/Next links

`query` is the request's query string without `page`, so the links keep the filters.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

#: Rows on a list page unless the view asks for another size.
PAGE_SIZE = 25


def paginate(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> tuple[Page, str]:
    """The page of `items` that `?page=` asks for, and the query string without `page`.

    A missing, non-numeric or too-large page number gives the first or the last page
    (Django's `Paginator.get_page`), never an error. `items` should be ordered.
    """
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
