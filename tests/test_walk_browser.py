"""The decision-tree walk in a real browser: what a result offers to read next, sharing a path, and where a step
lands on screen (below the sticky header, the answers before long help on a phone, never under "Back to top")."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from conftest import ROOT, tree_paths
from taxonomy.casepages import EVIDENCE_LABELS
from taxonomy.loader import load
from taxonomy.model import Taxonomy

pytestmark = pytest.mark.browser
TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)
PATHS = tree_paths(TAXONOMY)
LONG_HELP = int(re.search(r"LONG_HELP = (\d+)", (ROOT / "docs" / "assets" / "taxonomy.js")
                          .read_text("utf-8")).group(1))  # type: ignore[union-attr]
PHONE = {"width": 375, "height": 740}


def _query(path: list[int]) -> str:
    return "decision-tree/?path=" + ".".join(map(str, path))


def _mid_walk() -> list[int]:
    """The longest path without its last answer: a question part-way down the tree."""
    return max((p for p, _ in PATHS), key=len)[:-1]


def _below_header(tab: Page, selector: str) -> bool:
    """Whether the element starts below the sticky header and inside the window."""
    return bool(tab.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect();
        return box.top >= header.bottom - 1 && box.top < window.innerHeight;
    }""", selector))


def test_result_lists_the_cases_that_end_there(page: Page, base_url: str) -> None:
    """Every result of the walk lists the worked cases whose path ends at it, each with its evidence grade."""
    for path, result in PATHS:
        page.goto(base_url + _query(path))
        expected = [(c.title, EVIDENCE_LABELS[c.evidence]) for c in TAXONOMY.cases_reaching(result)]
        items = page.locator(".tx-walk-cases > li")
        found = [(items.nth(i).locator("a").inner_text(), items.nth(i).locator("em").inner_text())
                 for i in range(items.count())]
        assert found == expected, result
        for i, case in enumerate(TAXONOMY.cases_reaching(result)):
            assert items.nth(i).locator("a").get_attribute("href") == f"../cases/{case.id}/"


def test_copy_link_copies_the_path(new_tab: Callable[..., Page], base_url: str) -> None:
    """"Copy link to this path" puts the page's address with this path on the clipboard, and says so."""
    tab = new_tab(permissions=["clipboard-read", "clipboard-write"])
    tab.goto(f"{base_url}decision-tree/")
    path = _mid_walk()
    for index in path:
        tab.locator(f".tx-walk-answers button[data-answer='{index}']").click()
    tab.locator(".tx-walk-copy").click()
    tab.wait_for_function("() => document.querySelector('#tx-walk [role=status]').textContent.includes('copied')")
    assert tab.evaluate("() => navigator.clipboard.readText()") == base_url + _query(path)


@pytest.mark.parametrize("size", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"])
def test_shared_link_and_back_land_below_the_header(new_tab: Callable[..., Page], base_url: str,
                                                   size: dict[str, int]) -> None:
    """Opened part-way, the walk's step starts below the sticky header; after an answer and the browser's Back,
    the question in focus does too."""
    tab = new_tab(**size)
    tab.goto(base_url + _query(_mid_walk()))
    tab.wait_for_timeout(300)
    assert _below_header(tab, ".tx-walk-step")
    tab.locator(".tx-walk-answers button[data-answer='0']").click()
    tab.go_back()
    tab.wait_for_function("() => document.activeElement && document.activeElement.id === 'tx-walk-heading'")
    assert _below_header(tab, "#tx-walk-heading")


def test_phone_shows_answers_before_long_help(new_tab: Callable[..., Page], base_url: str) -> None:
    """On a phone, a question whose help is long shows its answers first and the help behind "More"; on a
    desktop the help comes first, open."""
    long = [q for q in TAXONOMY.decision_tree if len(q.help) > LONG_HELP * 1.5]
    assert long, "no question has long help; the rule would be untested"
    paths = {}
    for path, _ in PATHS:  # the answers that lead to each question
        current = TAXONOMY.decision_tree[0]
        for depth, index in enumerate(path):
            paths.setdefault(current.id, path[:depth])
            nxt = current.answers[index].next
            if not nxt:
                break
            current = next(q for q in TAXONOMY.decision_tree if q.id == nxt)
    phone, desktop = new_tab(**PHONE), new_tab()
    for question in long:
        phone.goto(base_url + _query(paths[question.id]))
        order = phone.evaluate("""() => Array.from(document.querySelector('.tx-walk-step').children)
            .map(n => n.className)""")
        assert order.index("tx-walk-answers") < order.index("tx-walk-more"), order
        assert phone.locator(".tx-walk-more").get_attribute("open") is None
        desktop.goto(base_url + _query(paths[question.id]))
        assert desktop.locator(".tx-walk-more").count() == 0
        assert desktop.locator(".tx-walk-help").is_visible()


def test_back_to_top_never_covers_the_focused_question(new_tab: Callable[..., Page], base_url: str) -> None:
    """With a question of the walk in focus, Material's "Back to top" button, which appears on scrolling up,
    does not overlap it."""
    tab = new_tab(**PHONE)
    tab.goto(base_url + _query(_mid_walk()))
    tab.locator(".tx-walk-answers button[data-answer='0']").click()
    tab.go_back()
    tab.wait_for_function("() => document.activeElement && document.activeElement.id === 'tx-walk-heading'")
    tab.mouse.wheel(0, 400)
    tab.wait_for_timeout(200)
    tab.mouse.wheel(0, -380)  # scrolling up is what shows the button
    tab.wait_for_timeout(400)
    overlap = tab.evaluate("""() => {
        const top = document.querySelector('.md-top');
        if (!top || getComputedStyle(top).display === 'none' || top.hidden) return false;
        const a = top.getBoundingClientRect(), b = document.activeElement.getBoundingClientRect();
        return a.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }""")
    assert not overlap
