"""Real-browser tests: Debian's chromium, driven by Playwright, against the built site on localhost only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from conftest import ROOT, tree_paths
from taxonomy import export
from taxonomy.loader import load
from taxonomy.model import Taxonomy

pytestmark = pytest.mark.browser
TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)


def test_walk_reaches_every_result_by_clicking(page: Page, base_url: str) -> None:
    """Clicking through every path of the tree ends at the right entry (whose link opens its page) or outcome."""
    paths = tree_paths(TAXONOMY)
    assert {entry for _, entry in paths} >= {e.id for e in TAXONOMY.of_kind("failure-mode")}
    page.goto(f"{base_url}decision-tree/")
    for answers, result_id in paths:
        page.locator(".tx-walk-restart").click() if page.locator(".tx-walk-restart").is_enabled() else None
        for index in answers:
            page.locator(f".tx-walk-answers button[data-answer='{index}']").click()
        result = page.locator(".tx-walk-result a")
        outcome = TAXONOMY.outcome(result_id)
        if outcome:  # an outcome of several candidates: a link to it on the page, and its candidates
            assert result.inner_text() == outcome.title and result.get_attribute("href") == f"#{outcome.id}"
            assert page.locator(".tx-walk-also a").all_inner_texts() == [TAXONOMY.entries[c].title
                                                                        for c in outcome.candidates]
        else:
            assert result.inner_text() == TAXONOMY.entries[result_id].title
            assert result.get_attribute("href") == f"../taxonomy/{result_id}/"
        assert f"path={'.'.join(map(str, answers))}" in page.url
    paths = [p for p in paths if TAXONOMY.outcome(p[1]) is None]
    page.locator(".tx-walk-restart").click()
    for index in paths[-1][0]:
        page.locator(f".tx-walk-answers button[data-answer='{index}']").click()
    page.locator(".tx-walk-result a").click()
    page.wait_for_url(f"**/taxonomy/{paths[-1][1]}/")
    expect(page.locator("article h1")).to_contain_text(TAXONOMY.entries[paths[-1][1]].title)


def test_shared_url_reloads_mid_walk(page: Page, base_url: str) -> None:
    """A URL copied mid-walk, reloaded, shows the same question; Back and Restart step out of it."""
    page.goto(f"{base_url}decision-tree/")
    first = page.locator(".tx-walk-question").inner_text()
    page.locator(".tx-walk-answers button[data-answer='1']").click()
    page.locator(".tx-walk-answers button[data-answer='1']").click()
    question = page.locator(".tx-walk-question").inner_text()
    shared = page.url
    assert "path=1.1" in shared
    page.goto("about:blank")
    page.goto(shared)
    assert page.locator(".tx-walk-question").inner_text() == question
    assert page.locator(".tx-walk-trail li").count() == 2
    page.locator(".tx-walk-back").click()
    assert "path=1" in page.url and "path=1.1" not in page.url
    page.locator(".tx-walk-restart").click()
    assert page.locator(".tx-walk-question").inner_text() == first
    assert "path=" not in page.url


def test_walk_starts_after_instant_navigation(page: Page, base_url: str) -> None:
    """Arriving through Material's instant navigation (no full page load) still starts the walk."""
    page.goto(base_url)
    page.evaluate("() => { window.__noReload = true; }")
    page.locator("nav.md-nav--primary a", has_text="Which failure mode is this?").first.click()
    page.wait_for_url("**/decision-tree/")
    page.locator(".tx-walk-question").wait_for()
    assert page.evaluate("() => window.__noReload === true"), "expected an instant (in-page) navigation"
    assert page.locator("#tx-walk").is_visible()


MATRIX = "document.querySelector('#matrix ~ .tx-matrix table')"


def _column(page: Page, index: int) -> list[str]:
    return page.evaluate(f"() => Array.from({MATRIX}.querySelectorAll('tbody tr'))"
                         f".map(r => r.children[{index}].textContent.trim())")


def test_matrix_sorts_by_any_column(page: Page, base_url: str) -> None:
    """Clicking a matrix header sorts by that column (then reverses); the header says how it is sorted."""
    page.goto(f"{base_url}compare/")
    headers = page.locator("#matrix ~ .tx-matrix table thead th")
    headers.nth(0).locator("button").click()
    names = _column(page, 0)
    assert names == sorted(names, key=str.lower)
    assert headers.nth(0).get_attribute("aria-sort") == "ascending"
    headers.nth(0).locator("button").click()
    assert _column(page, 0) == sorted(names, key=str.lower, reverse=True)
    assert headers.nth(0).get_attribute("aria-sort") == "descending"
    last = headers.count() - 1
    headers.nth(last).locator("button").click()
    values = _column(page, last)
    assert values == sorted(values, key=str.lower) and len(set(values)) > 1
    assert headers.nth(0).get_attribute("aria-sort") is None


def test_filter_box_hides_other_rows(page: Page, base_url: str) -> None:
    """On the long table of all entries, the filter box keeps only the rows that contain the text typed."""
    page.goto(f"{base_url}taxonomy/")
    entry = TAXONOMY.of_kind("failure-mode")[-1]
    page.locator(".tx-filter").fill(entry.title)
    rows = page.locator(".tx-sortable table tbody tr:not([hidden])")
    assert entry.title in rows.all_inner_texts()[0]
    assert rows.count() < len(TAXONOMY.entries)


def test_matrix_scrolls_on_a_phone_with_first_column_visible(new_tab: Callable[..., Page], base_url: str) -> None:
    """On a narrow screen the matrix scrolls sideways in a labelled, focusable box, its first column in view."""
    tab = new_tab(375, 740)
    tab.goto(f"{base_url}compare/")
    wrap = tab.locator("#matrix ~ .tx-matrix .md-typeset__scrollwrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    assert wrap.get_attribute("tabindex") == "0" and "scrolls sideways" in (wrap.get_attribute("aria-label") or "")
    expect(tab.locator("#matrix ~ .tx-matrix .tx-scroll-hint")).to_be_visible()
    row = wrap.locator("table tbody tr").first
    first, last = row.locator("td").first, row.locator("td").last
    before_first, before_last = first.bounding_box(), last.bounding_box()
    wrap.focus()
    for _ in range(12):
        tab.keyboard.press("ArrowRight")
    tab.wait_for_timeout(200)
    after_first, after_last = first.bounding_box(), last.bounding_box()
    assert before_first and after_first and before_last and after_last
    assert after_last["x"] < before_last["x"] - 100, "the table scrolled with the keyboard"
    assert 0 <= after_first["x"] <= before_first["x"], "the first column stayed in view"


def _today(page: Page) -> str:
    return str(page.evaluate("() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1)"
                             ".padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); }"))


def test_citation_boxes_give_todays_date(page: Page, base_url: str) -> None:
    """With JavaScript, each citation box holds exactly the core's citation dated today, and a copy button."""
    entry = TAXONOMY.of_kind("failure-mode")[0]
    page.goto(f"{base_url}taxonomy/{entry.id}/")
    today = _today(page)
    for name, cite in export.CITATIONS.items():
        box = page.locator(f".tx-citation-{name}")
        assert box.locator("code").text_content().strip() == cite(TAXONOMY, entry, today)
        assert box.locator("button[data-md-type='copy']").count() == 1


def test_citations_without_javascript_have_no_placeholder(new_tab: Callable[..., Page], base_url: str) -> None:
    """Without JavaScript the citations omit the access date instead of showing a placeholder to fill."""
    tab = new_tab(java_script_enabled=False)
    entry = TAXONOMY.of_kind("failure-mode")[0]
    tab.goto(f"{base_url}taxonomy/{entry.id}/")
    for name, cite in export.CITATIONS.items():
        assert tab.locator(f".tx-citation-{name} code").text_content().strip() == cite(TAXONOMY, entry)


def test_copy_button_copies_the_citation(new_tab: Callable[..., Page], base_url: str) -> None:
    """Clicking a citation's copy button puts the citation, with today's date, on the clipboard."""
    tab = new_tab(permissions=["clipboard-read", "clipboard-write"])
    entry = TAXONOMY.of_kind("failure-mode")[0]
    tab.goto(f"{base_url}taxonomy/{entry.id}/")
    tab.locator("#cite ~ .tabbed-set label", has_text="BibTeX").first.click()
    box = tab.locator(".tx-citation-bibtex")
    box.hover()
    box.locator("button[data-md-type='copy']").click()
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == export.cite_bibtex(TAXONOMY, entry, _today(tab))
