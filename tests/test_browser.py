"""Real-browser tests: Debian's chromium, driven by Playwright, against the built site on localhost only."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from chromium import find_chromium
from conftest import ROOT, Site
from taxonomy.loader import load
from taxonomy.model import Taxonomy

pytestmark = pytest.mark.browser
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)
FIRST = TAXONOMY.of_kind("failure-mode")[0]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    """The built site served on a free localhost port."""
    handler = functools.partial(_QuietHandler, directory=str(site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium: $CHROMIUM or the first on PATH (Playwright's own browser download is never used)."""
    path, why = find_chromium()
    if path is None:
        pytest.fail(why, pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, base_url: str, site: Site) -> Iterator[Page]:
    """A fresh page that aborts, and records, every request not addressed to the local server."""
    site_root = site.root
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    local = urlparse(base_url).netloc

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url == f"{base_url}sitemap.xml":
            # Material's instant navigation only follows links listed in the sitemap, under the site's own
            # host and port; serve it as if the site were deployed here.
            body = (Path(site_root) / "sitemap.xml").read_text("utf-8").replace(TAXONOMY.meta.site_url, base_url)
            route.fulfill(status=200, content_type="application/xml", body=body)
        elif urlparse(request.url).netloc == local or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert outside == [], f"requests left the local server: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def _paths() -> list[tuple[list[int], str]]:
    """Every root-to-result path through the tree, as answer indices, with the entry it ends at."""
    questions = {q.id: q for q in TAXONOMY.decision_tree}
    found: list[tuple[list[int], str]] = []

    def walk(question_id: str, prefix: list[int]) -> None:
        for index, answer in enumerate(questions[question_id].answers):
            if answer.next:
                walk(answer.next, prefix + [index])
            else:
                found.append((prefix + [index], str(answer.entry)))

    walk(TAXONOMY.decision_tree[0].id, [])
    return found


def test_walk_reaches_every_result_by_clicking(page: Page, base_url: str) -> None:
    """Clicking through every path of the tree ends at the right entry, whose link opens its page."""
    paths = _paths()
    assert {entry for _, entry in paths} >= {e.id for e in TAXONOMY.of_kind("failure-mode")}
    page.goto(f"{base_url}decision-tree/")
    for answers, entry_id in paths:
        page.locator(".tx-walk-restart").click() if page.locator(".tx-walk-restart").is_enabled() else None
        for index in answers:
            page.locator(f".tx-walk-answers button[data-answer='{index}']").click()
        result = page.locator(".tx-walk-result a")
        assert result.inner_text() == TAXONOMY.entries[entry_id].title
        assert result.get_attribute("href") == f"../taxonomy/{entry_id}/"
        assert f"path={'.'.join(map(str, answers))}" in page.url
    page.locator(".tx-walk-result a").click()
    page.wait_for_url(f"**/taxonomy/{paths[-1][1]}/")
    expect(page.locator("article h1")).to_contain_text(TAXONOMY.entries[paths[-1][1]].title)


def test_shared_url_reloads_mid_walk(page: Page, base_url: str) -> None:
    """A URL copied mid-walk, reloaded, shows the same question; Back and Restart step out of it."""
    questions = {q.id: q for q in TAXONOMY.decision_tree}
    i, j = next((i, j) for i, a in enumerate(TAXONOMY.decision_tree[0].answers) if a.next
                for j, b in enumerate(questions[a.next].answers) if b.next)
    page.goto(f"{base_url}decision-tree/")
    first = page.locator(".tx-walk-question").inner_text()
    page.locator(f".tx-walk-answers button[data-answer='{i}']").click()
    page.locator(f".tx-walk-answers button[data-answer='{j}']").click()
    question = page.locator(".tx-walk-question").inner_text()
    shared = page.url
    assert f"path={i}.{j}" in shared
    page.goto("about:blank")
    page.goto(shared)
    assert page.locator(".tx-walk-question").inner_text() == question
    assert page.locator(".tx-walk-trail li").count() == 2
    page.locator(".tx-walk-back").click()
    assert f"path={i}" in page.url and f"path={i}.{j}" not in page.url
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


MATRIX = "document.querySelector('#matrix ~ .md-typeset__scrollwrap table')"


def _column(page: Page, index: int, only_visible: bool = False) -> list[str]:
    rows = "tbody tr:not([hidden])" if only_visible else "tbody tr"
    return page.evaluate(f"() => Array.from({MATRIX}.querySelectorAll('{rows}'))"
                         f".map(r => r.children[{index}].textContent.trim())")


def test_matrix_sorts_and_filters(page: Page, base_url: str) -> None:
    """Clicking a matrix header sorts by that column (then reverses); the filter box hides other rows."""
    page.goto(f"{base_url}compare/")
    headers = page.locator("#matrix ~ .md-typeset__scrollwrap").first.locator("table thead th")
    headers.nth(0).locator("button").click()
    names = _column(page, 0)
    assert names == sorted(names, key=str.lower)
    headers.nth(0).locator("button").click()
    assert _column(page, 0) == sorted(names, key=str.lower, reverse=True)
    modes = TAXONOMY.of_kind("failure-mode")
    column = 1 + next(n for n, d in enumerate(TAXONOMY.dimensions)
                      if len({m.dimension(d.id).value for m in modes if m.dimension(d.id)}) > 1)
    headers.nth(column).locator("button").click()
    values = _column(page, column)
    assert values == sorted(values, key=str.lower) and len(set(values)) > 1
    page.locator("#matrix ~ .tx-filter").fill(FIRST.title)
    assert _column(page, 0, only_visible=True) == [m.title for m in modes if FIRST.title.lower() in m.title.lower()]


def test_matrix_scrolls_on_a_phone_with_first_column_visible(browser: Browser, base_url: str) -> None:
    """On a narrow screen the matrix scrolls sideways and its first column stays in view."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    tab = context.new_page()
    tab.goto(f"{base_url}compare/")
    wrap = tab.locator("#matrix ~ .md-typeset__scrollwrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    row = tab.locator("#matrix ~ .md-typeset__scrollwrap").first.locator("table tbody tr").first
    first, last = row.locator("td").first, row.locator("td").last
    before_first, before_last = first.bounding_box(), last.bounding_box()
    wrap.evaluate("w => { w.scrollLeft = 300; }")
    tab.wait_for_timeout(50)
    after_first, after_last = first.bounding_box(), last.bounding_box()
    assert before_first and after_first and before_last and after_last
    assert after_last["x"] < before_last["x"] - 250, "the table scrolled"
    assert 0 <= after_first["x"] <= before_first["x"], "the first column stayed in view"
    context.close()


def test_citation_boxes_fill_today_and_offer_copy(page: Page, base_url: str) -> None:
    """With JavaScript, each citation box shows today's date as the access date and has a copy button."""
    page.goto(f"{base_url}taxonomy/{FIRST.id}/")
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1)"
                          ".padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); }")
    boxes = page.locator(".tx-citation")
    assert boxes.count() == 3
    for index in range(3):
        box = boxes.nth(index)
        assert today in box.locator("code").text_content()
        assert "YYYY-MM-DD" not in box.locator("code").text_content()
        assert box.locator("button[data-md-type='copy']").count() == 1


def test_copy_button_copies_the_citation(browser: Browser, base_url: str) -> None:
    """Clicking a citation's copy button puts the citation, with today's date, on the clipboard."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(f"{base_url}taxonomy/{FIRST.id}/")
    tab.locator("#cite ~ .tabbed-set label", has_text="BibTeX").first.click()
    box = tab.locator(".tx-citation").nth(1)
    box.hover()
    box.locator("button[data-md-type='copy']").click()
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    context.close()
    assert copied.startswith(f"@incollection{{misalignment-taxonomy-{FIRST.id},")
    assert "YYYY-MM-DD" not in copied and "urldate = {20" in copied
