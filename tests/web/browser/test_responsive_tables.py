"""Tables on a phone (issue 12): at 375 CSS pixels the priorities, atlas, profile and action
pages use the NHS.UK responsive table (`nhsuk-table-responsive`: each row stacked as
label/value pairs, a label in every cell), so no table scrolls sideways, neither the page nor
a scroll region of its own. A screenshot of each page is kept under pytest's tmp_path
(scripts/screenshots.py --mobile saves the demo's to docs/screenshots/mobile/)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from healthgap.web.action.models import Activity
from healthgap.web.need.models import Priority
from tests.web.browser.conftest import PHONE, open_as
from tests.web.browser.test_accessibility import seed  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _priority_detail(s):
    return reverse("need:priority-detail", args=[Priority.objects.get(rank=1).pk])


#: (role, page): every page of the priorities, atlas, profile and action views with a table.
PAGES = [
    ("public", lambda s: reverse("need:priority-list")),
    ("public", lambda s: reverse("need:priority-list") + "?view=combined"),
    ("analyst", _priority_detail),
    ("public", lambda s: reverse("need:cold-spots")),
    ("public", lambda s: reverse("need:atlas")),
    ("analyst", lambda s: reverse("need:atlas") + "?layer=priority"),
    ("public", lambda s: reverse("need:area", args=["E01000002"])),
    ("analyst", lambda s: reverse("need:area", args=["E01000002"])),
    ("public", lambda s: reverse("need:area-children", args=["E08000001"])),
    ("public", lambda s: reverse("action:programme-list")),
    ("public", lambda s: reverse("action:programme-detail", args=[s["programme"].pk])),
    ("analyst", lambda s: Activity.objects.get().get_absolute_url()),
    ("analyst", lambda s: reverse("action:insight-summary")),
    ("analyst", lambda s: reverse("action:insight-list")),
    ("partner", lambda s: reverse("action:activity-create", args=[s["programme"].pk])),
]

#: Per table: its caption, whether it is the responsive kind, how far it reaches past the
#: viewport, whether it (or a region around it) scrolls sideways, and the body cells without
#: a visible label on a phone.
TABLES = """() => [...document.querySelectorAll('main table')].map(t => ({
  caption: (t.caption ? t.caption.textContent : '').trim().slice(0, 60),
  responsive: t.classList.contains('nhsuk-table-responsive'),
  right: Math.round(t.getBoundingClientRect().right),
  scrolls: t.scrollWidth > t.clientWidth + 1 || !!t.closest('.hg-scroll, [class*="scroll"]'),
  unlabelled: [...t.querySelectorAll('tbody td, tbody th')]
    .filter(c => !c.hasAttribute('colspan') && getComputedStyle(c).display !== 'none')
    .filter(c => {
      const label = c.querySelector(':scope > .nhsuk-table-responsive__heading');
      return !label || getComputedStyle(label).display === 'none' || !label.textContent.trim();
    }).length,
}))"""


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PAGES)])
def test_tables_stack_at_375px_and_nothing_scrolls_sideways(phone, seed, role, url, tmp_path):  # noqa: F811
    open_as(phone, role, url(seed), tmp_path / "page.png")
    tables = phone.evaluate(TABLES)
    assert tables, f"{phone.url}: no table to check"
    for table in tables:
        where = f"{phone.url}, table {table['caption']!r}"
        assert table["responsive"], f"{where} is not an NHS.UK responsive table"
        assert table["right"] <= PHONE["width"], f"{where} reaches {table['right']} px"
        assert not table["scrolls"], f"{where} scrolls sideways"
        assert table["unlabelled"] == 0, f"{where}: {table['unlabelled']} cells without a label"
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{phone.url} is {width} px wide at 375 px"


def test_on_a_wide_screen_the_labels_are_hidden_and_the_header_shows(page, seed):  # noqa: F811
    page.goto(reverse("need:area", args=["E01000002"]))
    shown = page.evaluate(
        """() => ({
        header: getComputedStyle(document.querySelector('main thead')).position,
        label: getComputedStyle(document.querySelector('.nhsuk-table-responsive__heading')).display,
      })"""
    )
    assert shown == {"header": "static", "label": "none"}
