"""The main pages on a phone (issue 12): at 375 CSS pixels wide nothing scrolls sideways
(`document.documentElement.scrollWidth <= 375`), and axe-core finds no serious or critical
violation at that width either. Each page's screenshot is kept under pytest's tmp_path for
looking at when a check fails (scripts/screenshots.py --mobile saves the demo's to
docs/screenshots/mobile/)."""

from __future__ import annotations

import pytest

from tests.web.browser.conftest import PHONE, open_as
from tests.web.browser.test_accessibility import AXE, BLOCKING, PAGES, seed  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The elements wider than the viewport, to name in a failure (the widest first).
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.nhsuk-table-responsive, .hg-scroll'))
  .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
       + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 8)"""


#: The rendered size (CSS px) of the smallest chart text: font size times the SVG's scale.
SMALLEST_CHART_TEXT = """() => Math.min(Infinity, ...[...document.querySelectorAll('svg')]
  .filter(svg => svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width)
  .flatMap(svg => [...svg.querySelectorAll('text')].map(t =>
    parseFloat(getComputedStyle(t).fontSize)
    * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)))"""


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PAGES)])
def test_no_sideways_scroll_and_no_serious_violation_at_375px(phone, seed, role, url, tmp_path):  # noqa: F811
    open_as(phone, role, url(seed), tmp_path / "page.png")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (
        f"{phone.url} is {width} px wide at 375 px: {phone.evaluate(OVERFLOWING)}"
    )
    smallest = phone.evaluate(SMALLEST_CHART_TEXT)
    assert smallest >= 12 - 0.01, f"{phone.url}: chart text {smallest:.1f} px at 375 px"
    phone.add_script_tag(url=f"/static/{AXE}")
    result = phone.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"{phone.url}:\n" + "\n".join(blocking)
