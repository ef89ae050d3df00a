"""Citation format tabs in a real browser: choosing a format leaves the page's address alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import ROOT
from taxonomy import pages
from taxonomy.loader import load

pytestmark = pytest.mark.browser

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)


@pytest.mark.parametrize(("address", "fragment"), [
    (pages.CITE.address(), ""),
    (pages.ENTRY.address(next(iter(TAXONOMY.entries))), "#cite"),
])
def test_choosing_a_format_tab_keeps_the_address(page: Page, base_url: str, address: str, fragment: str) -> None:
    """Clicking each format tab selects it and leaves location.hash as it was (never `#__tabbed_…`)."""
    page.goto(f"{base_url}{address}{fragment}")
    tabs = page.locator(".tabbed-set").first
    labels = tabs.locator(".tabbed-labels > label")
    assert labels.count() >= 2
    for index in reversed(range(labels.count())):
        labels.nth(index).click()
        assert page.evaluate("() => location.hash") == fragment
        assert tabs.locator(":scope > input").nth(index).is_checked()
