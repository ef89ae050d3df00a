"""The reader's experience in a real browser: accessibility (axe-core), keyboard, layout, flowchart, search, print.

Every page of the built site is checked in light and dark mode, at a phone's width and a desktop's. Screenshots
of the main pages are written to build/screenshots/ (not committed) for a person to look at.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

from conftest import ROOT, Site, tree_paths
from taxonomy.loader import load
from taxonomy.model import Taxonomy

pytestmark = pytest.mark.browser
TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)
# axe-core, vendored from the npm registry: `npm pack axe-core@4.14.1`, package/axe.min.js, whose SHA-256 is
# the one the package itself publishes in sri-history.json. Update both together (tests/vendor/axe-core/README.md).
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="
# Findings no template or stylesheet override can fix, each with its rule and selector. Keep it short.
AXE_ALLOWED: set[tuple[str, str]] = set()
SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = {"phone": (375, 740), "desktop": (1280, 900)}
SURVEY_PARTS = 2  # the pages are surveyed in this many parts, one per parallel test worker
FILTER_MIN_ROWS = int(re.search(r"FILTER_MIN_ROWS = (\d+)", (ROOT / "docs" / "assets" / "taxonomy.js")
                                .read_text("utf-8")).group(1))  # type: ignore[union-attr]


def _pages(site: Site) -> list[str]:
    """Every HTML page of the built site, as a URL path, except redirect stubs."""
    return [name.removesuffix("index.html") for name, soup in site.pages.items()
            if not soup.find("meta", attrs={"http-equiv": "refresh"})]


def _walk_states() -> list[str]:
    """The walk part-way along its longest path, and at its end: states the plain pages do not show."""
    longest = max(tree_paths(TAXONOMY), key=lambda p: len(p[0]))[0]
    return [f"decision-tree/?path={'.'.join(map(str, longest[:-1]))}",
            f"decision-tree/?path={'.'.join(map(str, longest))}"]


@dataclass(frozen=True)
class Survey:
    """What one pass over every page found: axe violations by scheme, layout problems, the shape of each table."""

    axe: dict[str, list[str]]
    layout: list[str]
    tables: list[tuple[str, dict[str, Any]]]
    outside: list[str]
    errors: list[str]


SCHEME = "() => document.body.dataset.mdColorScheme"


def _switch_palette(tab: Page, palette: str) -> None:
    """Switch the colour scheme as a reader does, with the header's palette switch (one radio per palette)."""
    tab.evaluate("p => document.querySelector(`[data-md-component=palette] input[data-md-color-scheme=${p}]`)"
                 ".click()", palette)
    tab.wait_for_function(f"p => ({SCHEME})() === p", arg=palette)


@pytest.fixture(scope="module")
def survey(browser: Browser, base_url: str, site: Site) -> Callable[[str, int], Survey]:
    """Visit every page once per width, running every per-page check on the way; at desktop width axe runs in
    the light scheme, then again after the reader's system switches to dark (Material follows it live).

    Page loads dominate the time of these tests, so each page is loaded once per width, not once per check; the
    pages are dealt into SURVEY_PARTS parts, which parallel test workers survey side by side (`xdist_group`).
    """
    passes: dict[tuple[str, int], Survey | Exception] = {}
    shutil.copy(AXE, site.root / "axe.min.js")  # served like the site's own scripts, so the browser caches it
    local = re.escape(base_url)

    def run(width: str, part: int) -> Survey:
        if (width, part) not in passes:
            try:
                passes[width, part] = visit(width, part)
            except Exception as exc:  # one failure, reported once per test, not retried for each
                passes[width, part] = exc
        result = passes[width, part]
        if isinstance(result, Exception):
            raise result
        return result

    def visit(width: str, part: int) -> Survey:
        found = Survey({"light": [], "dark": []}, [], [], [], [])
        context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width])),
                                      color_scheme="light")  # type: ignore[arg-type]
        def block(route, request) -> None:  # type: ignore[no-untyped-def]
            found.outside.append(request.url)
            route.abort()

        context.route(re.compile(rf"^(?!{local}|data:|blob:)"), block)
        tab = context.new_page()
        tab.on("pageerror", lambda exc: found.errors.append(str(exc)))
        for path in (_pages(site) + _walk_states())[part::SURVEY_PARTS]:
            tab.emulate_media(color_scheme="light")
            tab.goto(base_url + path)
            assert tab.evaluate(SCHEME) == "default"
            found.layout.extend(f"/{path}: {problem}" for problem in tab.evaluate(LAYOUT))
            found.tables.extend((path, table) for table in tab.evaluate(TABLES))
            if width != "desktop":
                continue
            tab.add_script_tag(url=f"{base_url}axe.min.js")
            for scheme, palette in (("light", "default"), ("dark", "slate")):
                _switch_palette(tab, palette)
                result = tab.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                for violation in result["violations"]:
                    for node in violation["nodes"] if violation["impact"] in ("serious", "critical") else ():
                        selector = " ".join(map(str, node["target"]))
                        if (violation["id"], selector) not in AXE_ALLOWED:
                            found.axe[scheme].append(f"/{path}: {violation['id']} at {selector}: "
                                                     f"{node['failureSummary']}")
            _switch_palette(tab, "default")  # Material remembers the choice: the next page opens light again
        context.close()
        return found

    return run


def test_vendored_axe_is_the_pinned_release() -> None:
    """The vendored axe-core is byte for byte the pinned npm release (its published SHA-256)."""
    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode()
    assert digest == AXE_SHA256, f"tests/vendor/axe-core/axe.min.js is not axe-core {AXE_VERSION}"
    assert f"axe v{AXE_VERSION}" in AXE.read_text("utf-8")[:200]


LAYOUT = """() => {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) problems.push(`the page scrolls sideways (${page.scrollWidth}px)`);
  const column = document.querySelector(".md-content").getBoundingClientRect();
  const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  for (const el of document.querySelectorAll(".md-content *")) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(el).visibility === "hidden") continue;
    if (r.left >= column.left - 1 && r.right <= column.right + 1) continue;
    let box = el.parentElement;
    const clips = b => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(b).overflowX);
    while (box && !clips(box)) box = box.parentElement;
    const scrolls = box && ["auto", "scroll"].includes(getComputedStyle(box).overflowX);
    const named = box && (box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"));
    if (!box || box === document.body || box === page) problems.push(`${describe(el)} overflows the column`);
    else if (!scrolls) problems.push(`${describe(el)} is cut off by ${describe(box)}`);
    else if (box.tabIndex < 0 || !named) {
      problems.push(`${describe(el)} scrolls in ${describe(box)}, which cannot be focused or has no label`);
    }
  }
  return [...new Set(problems)];
}"""


TABLES = """() => Array.from(document.querySelectorAll('article table')).map(table => {
  const wrap = table.closest('.md-typeset__scrollwrap') || table;
  let before = wrap.previousElementSibling;
  while (before && before.classList.contains('tx-scroll-hint')) before = before.previousElementSibling;
  return {rows: table.tBodies[0] ? table.tBodies[0].rows.length : 0, sortable: !!table.closest('.tx-sortable'),
          headers: table.querySelectorAll('thead th').length, buttons: table.querySelectorAll('th .tx-sort').length,
          nested: table.querySelectorAll('.tx-sort a, a .tx-sort, .tx-sort button').length,
          filter: !!(before && before.classList.contains('tx-filter'))};
})"""


def _parts(*widths: str) -> pytest.MarkDecorator:
    """Parametrize a survey test by part (and width), each part in its own worker group."""
    return pytest.mark.parametrize(("width", "part"), [
        pytest.param(width, part, marks=pytest.mark.xdist_group(f"survey-{part}"), id=f"{width}-{part}")
        for width in widths for part in range(SURVEY_PARTS)])


@_parts("desktop")
def test_no_serious_accessibility_violations(survey: Callable[[str, int], Survey], width: str, part: int) -> None:
    """axe-core finds no serious or critical violation on any page, light or dark, Material's own parts included."""
    found = survey(width, part)
    for scheme in ("light", "dark"):
        assert found.axe[scheme] == [], f"{scheme}:\n" + "\n".join(found.axe[scheme][:40])
    assert found.outside == [] and found.errors == []


@_parts(*WIDTHS)
def test_nothing_overflows_but_labelled_scroll_boxes(survey: Callable[[str, int], Survey], width: str,
                                                     part: int) -> None:
    """Nothing sticks out of the column, except inside a scroll box that can be focused and has a label."""
    found = survey(width, part)
    assert found.layout == [], "\n".join(found.layout[:40])
    assert found.outside == [] and found.errors == []


@_parts("desktop")
def test_sorting_is_opt_in_with_no_nested_controls(survey: Callable[[str, int], Survey], width: str,
                                                   part: int) -> None:
    """Only tables marked sortable (and longer than one row) get sort buttons, one per header; none holds a
    link or another control."""
    for path, table in survey(width, part).tables:
        expected = table["headers"] if table["sortable"] and table["rows"] > 1 else 0
        assert table["buttons"] == expected and table["nested"] == 0, (path, table)


@_parts("desktop")
def test_filter_boxes_only_above_long_tables(survey: Callable[[str, int], Survey], width: str, part: int) -> None:
    """A filter box stands above each sortable table of at least FILTER_MIN_ROWS rows, and above no other."""
    for path, table in survey(width, part).tables:
        assert table["filter"] == (table["sortable"] and table["rows"] >= FILTER_MIN_ROWS), (path, table)


def test_focused_sort_button_shows_a_ring(page: Page, base_url: str) -> None:
    """Reached with the keyboard, a sort button shows a visible focus ring."""
    page.goto(f"{base_url}compare/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _focus_by_tab(page, ".tx-sort", 100)
    outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                            "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert outline[0] != "none" and outline[1] >= 1


def _focus_by_tab(tab: Page, selector: str, limit: int) -> int:
    """Press Tab until the focused element matches the selector; return how many presses it took."""
    for presses in range(1, limit + 1):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tabs")


def _focused(tab: Page) -> str:
    return str(tab.evaluate("() => document.activeElement.id || document.activeElement.tagName"))


def test_keyboard_walk_reaches_every_leaf(page: Page, base_url: str) -> None:
    """With the keyboard alone, every path ends at its entry; after each answer focus is on the new step's
    heading, and the next answer is as many Tabs away as the help links and earlier answers before it."""
    page.goto(f"{base_url}decision-tree/")
    page.keyboard.press("Tab")  # Material's "Skip to content" link
    page.keyboard.press("Enter")
    for answers, entry_id in tree_paths(TAXONOMY):
        for index in answers:
            help_links = page.locator(".tx-walk-step .tx-walk-help a[href]").count()
            first = page.evaluate("() => document.activeElement.id") != "tx-walk-heading"
            limit = 200 if first else help_links + index + 1
            presses = _focus_by_tab(page, f".tx-walk-answers button[data-answer='{index}']", limit)
            assert first or presses == help_links + index + 1
            page.keyboard.press("Enter")
            assert _focused(page) == "tx-walk-heading", f"focus after answering: {_focused(page)}"
        result = page.locator("#tx-walk-heading a")
        outcome = TAXONOMY.outcome(entry_id)
        assert result.inner_text() == (outcome.title if outcome else TAXONOMY.entries[entry_id].title)
        assert _focus_by_tab(page, "#tx-walk-heading a", 1) == 1
        _focus_by_tab(page, ".tx-walk-restart", 20)
        page.keyboard.press("Enter")
        assert _focused(page) == "tx-walk-heading"
        assert (page.locator(".tx-walk-step-label").text_content() or "").startswith("Step 1")


def test_walk_announces_in_one_live_region(page: Page, base_url: str) -> None:
    """One polite live region lives as long as the walk and announces each answer and where it led."""
    page.goto(f"{base_url}decision-tree/")
    page.evaluate("() => { window.__status = document.querySelector('#tx-walk [role=status]'); }")
    for _ in range(2):
        label = page.locator(".tx-walk-answers button").last.inner_text()
        page.locator(".tx-walk-answers button").last.click()
        assert page.evaluate("() => document.querySelector('#tx-walk [role=status]') === window.__status")
        status = page.locator("#tx-walk [role=status]")
        assert status.get_attribute("aria-live") == "polite"
        assert label in status.inner_text()


def test_browser_back_undoes_one_answer(page: Page, base_url: str) -> None:
    """The browser's Back button undoes exactly one answer, Forward redoes it, and focus follows the step."""
    longest = max(tree_paths(TAXONOMY), key=lambda p: len(p[0]))[0]
    page.goto(f"{base_url}decision-tree/")
    headings = [page.locator("#tx-walk-heading").inner_text()]
    for index in longest[:-1]:
        page.locator(f".tx-walk-answers button[data-answer='{index}']").click()
        headings.append(page.locator("#tx-walk-heading").inner_text())
    for depth in range(len(longest) - 2, -1, -1):
        page.go_back()
        page.wait_for_function("h => document.getElementById('tx-walk-heading').textContent === h", arg=headings[depth])
        assert page.locator(".tx-walk-trail li").count() == depth
        assert (f"path={'.'.join(map(str, longest[:depth]))}" in page.url) if depth else "path=" not in page.url
        assert _focused(page) == "tx-walk-heading"
    page.go_forward()
    page.wait_for_function("h => document.getElementById('tx-walk-heading').textContent === h", arg=headings[1])
    page.locator(".tx-walk-back").click()
    assert page.locator("#tx-walk-heading").inner_text() == headings[0]


def test_back_from_a_result_returns_to_the_walk(page: Page, base_url: str) -> None:
    """Coming back from a result's page shows the walk where it was, not the top of the page."""
    answers, entry_id = [(a, e) for a, e in tree_paths(TAXONOMY) if e in TAXONOMY.entries][-1]
    page.goto(f"{base_url}decision-tree/?path={'.'.join(map(str, answers))}")
    page.locator("#tx-walk-heading a").click()
    page.wait_for_url(f"**/taxonomy/{entry_id}/")
    page.go_back()
    page.wait_for_url("**/decision-tree/?path=*")
    page.locator("#tx-walk-heading a").wait_for()
    page.wait_for_timeout(300)
    box = page.locator("#tx-walk").bounding_box()
    assert box is not None and -box["height"] < box["y"] < page.viewport_size["height"] / 2  # type: ignore[index]


FLOWCHART = """() => {
  const svg = document.querySelector("svg.tx-flowchart");
  const rect = el => { const r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const boxes = Array.from(svg.querySelectorAll("a")).map(a => ({
    rect: rect(a.querySelector("rect")),
    texts: Array.from(a.querySelectorAll("text:not(.tx-edge-label)")).map(rect),
    labels: Array.from(a.querySelectorAll("text.tx-edge-label")).map(rect),
    name: a.textContent.trim(), focusable: a.tabIndex >= 0,
  }));
  const column = rect(document.querySelector("article"));
  const hiddenLinks = svg.closest("[aria-hidden=true]") !== null;
  return {boxes, svg: rect(svg), column, role: svg.getAttribute("role"), hiddenLinks};
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (inner["l"] >= outer["l"] - 0.5 and inner["r"] <= outer["r"] + 0.5 and inner["t"] >= outer["t"] - 0.5
            and inner["b"] <= outer["b"] + 0.5)


@pytest.mark.parametrize("width", WIDTHS)
def test_flowchart_fits_and_no_label_overlaps_a_box(new_tab: Callable[..., Page], base_url: str, width: str) -> None:
    """The flowchart fits the column; boxes do not overlap; each box's text stays inside it; no answer label
    touches a box; every box is a focusable link that screen readers can reach."""
    tab = new_tab(*WIDTHS[width])
    tab.goto(f"{base_url}decision-tree/")
    drawing = tab.evaluate(FLOWCHART)
    assert drawing["role"] != "img" and not drawing["hiddenLinks"]
    assert drawing["svg"]["l"] >= drawing["column"]["l"] - 1 and drawing["svg"]["r"] <= drawing["column"]["r"] + 1
    boxes = drawing["boxes"]
    assert len(boxes) == 1 + sum(len(q.answers) for q in TAXONOMY.decision_tree)  # the root, then one per answer
    for i, box in enumerate(boxes):
        assert box["focusable"] and box["name"], box
        for text in box["texts"]:
            assert _inside(text, box["rect"]), f"text sticks out of its box: {box['name']}"
        for other in boxes[i + 1:]:
            assert not _overlap(box["rect"], other["rect"]), f"boxes overlap: {box['name']} / {other['name']}"
        for label in box["labels"]:
            for other in boxes:
                assert not _overlap(label, other["rect"]), f"label of {box['name']} overlaps {other['name']}"


CONTRAST = """() => {
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const blend = (fg, bg) => {
    const a = fg.length > 3 ? fg[3] : 1;
    return [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
  };
  const lum = c => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const bg = parse(getComputedStyle(document.body).backgroundColor);
  const svg = document.querySelector("svg.tx-flowchart");
  const lines = [...svg.querySelectorAll(".tx-edge, rect")]
    .map(el => ratio(blend(parse(getComputedStyle(el).stroke), bg), bg));
  const texts = [...svg.querySelectorAll("text")].map(el => {
    const box = el.closest("a").querySelector("rect");
    const fill = el.classList.contains("tx-edge-label") ? bg : blend(parse(getComputedStyle(box).fill), bg);
    return ratio(blend(parse(getComputedStyle(el).fill), fill), fill);
  });
  return {lines: Math.min(...lines), texts: Math.min(...texts)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_flowchart_lines_and_text_contrast(new_tab: Callable[..., Page], base_url: str, scheme: str) -> None:
    """Edges and box outlines reach 3:1 against the page, and every label 4.5:1, in both colour schemes."""
    tab = new_tab(color_scheme=scheme)
    tab.goto(f"{base_url}decision-tree/")
    contrast = tab.evaluate(CONTRAST)
    assert contrast["lines"] >= 3, contrast
    assert contrast["texts"] >= 4.5, contrast


def _search(tab: Page, query: str) -> str:
    """The page of the first search result for a query typed into Material's search box."""
    box = tab.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on keyup
    first = "() => { const a = document.querySelector('.md-search-result__item > .md-search-result__link'); " \
            "return a ? a.getAttribute('href') : ''; }"
    seen, stable = "", 0
    for _ in range(40):
        tab.wait_for_timeout(100)
        now = tab.evaluate(first)
        stable = stable + 1 if now == seen and now else 0
        seen = now
        if stable >= 2:
            break
    tab.keyboard.press("Escape")
    return re.sub(r"^https?://[^/]+|\?.*$", "", seen)


def test_search_ranks_each_entry_first_for_its_names(page: Page, base_url: str) -> None:
    """Searching for an entry's title, or for any of its other names, lists that entry first."""
    page.goto(base_url)
    wrong = []
    for entry in TAXONOMY.entries.values():
        for query in (entry.title, *entry.aliases):
            found = _search(page, query)
            if found != f"{urlparse(base_url).path}taxonomy/{entry.id}/":
                wrong.append(f"{query!r}: {found or 'no result'}")
    assert wrong == []


def test_at_a_glance_reads_as_definitions_on_a_phone(new_tab: Callable[..., Page], base_url: str) -> None:
    """On a phone the "At a glance" rows stack as question, answer, reason in body-size text; on a desktop
    they stay a table."""
    entry = TAXONOMY.of_kind("failure-mode")[0]
    looks = "() => { const td = document.querySelector('.tx-glance tbody td'); const s = getComputedStyle(td); " \
            "return {display: s.display, size: parseFloat(s.fontSize), " \
            "width: td.getBoundingClientRect().width / td.closest('table').getBoundingClientRect().width}; }"
    phone = new_tab(*WIDTHS["phone"])
    phone.goto(f"{base_url}taxonomy/{entry.id}/")
    stacked = phone.evaluate(looks)
    assert stacked["display"] == "block" and stacked["size"] >= 15 and stacked["width"] > 0.95
    desktop = new_tab(*WIDTHS["desktop"])
    desktop.goto(f"{base_url}taxonomy/{entry.id}/")
    assert desktop.evaluate(looks)["display"] == "table-cell"


def test_print_shows_text_and_sources_not_controls(page: Page, base_url: str) -> None:
    """Printed, a page drops filter boxes, copy buttons and the walk, keeps one plain-text citation, and
    prints the address of each link that leaves the site after it; links within the site print as their text."""
    entry = TAXONOMY.of_kind("failure-mode")[0]
    page.goto(f"{base_url}taxonomy/{entry.id}/")
    page.emulate_media(media="print")
    shown = "s => Array.from(document.querySelectorAll(s)).filter(e => e.getClientRects().length).length"
    assert page.evaluate(shown, ".tx-citation-text") == 1
    assert page.evaluate(shown, ".tx-citation-bibtex, .tx-citation-csl, .md-clipboard, .tabbed-labels") == 0
    links = page.evaluate("""() => Array.from(document.querySelectorAll('article :is(p, li, dd) a[href]'))
        .filter(a => !a.matches('.headerlink, .footnote-ref, .footnote-backref') && a.textContent.trim() !== a.href)
        .map(a => [a.origin === location.origin, a.href, getComputedStyle(a, '::after').content])""")
    assert any(inside for inside, _, _ in links) and any(not inside for inside, _, _ in links)
    for inside, href, after in links:
        assert (href in after) != inside, (href, after)
    page.goto(f"{base_url}taxonomy/")
    page.emulate_media(media="print")
    assert page.evaluate(shown, ".tx-filter") == 0
    page.goto(f"{base_url}decision-tree/")
    page.emulate_media(media="print")
    assert page.evaluate(shown, "#tx-walk") == 0


@pytest.mark.parametrize("mode", ["light", "dark", "forced"])
def test_theme_icons_paint_in_their_controls_colour(new_tab: Callable[..., Page], base_url: str, mode: str) -> None:
    """Every theme icon in view, on a desktop and in the open drawer on a phone, is a square painted through a
    drawing in its control's text colour (in forced colours: a colour that differs from the page's)."""
    options = {"forced_colors": "active", "color_scheme": "dark"} if mode == "forced" else {"color_scheme": mode}
    painted = """() => [...document.querySelectorAll("svg.tx-icon")].filter(el => el.getClientRects().length
        && getComputedStyle(el).visibility === "visible").map(el => {
      const style = getComputedStyle(el), box = el.getBoundingClientRect();
      return {icon: el.getAttribute("class"), width: box.width, height: box.height, paint: style.backgroundColor,
              text: style.color, page: getComputedStyle(document.body).backgroundColor,
              mask: style.maskImage || style.webkitMaskImage};
    })"""
    entry = TAXONOMY.of_kind("failure-mode")[0].id
    seen = []
    for width in ("desktop", "phone"):
        tab = new_tab(*WIDTHS[width], **options)
        tab.goto(f"{base_url}taxonomy/{entry}/")
        if width == "phone":
            tab.locator("label.md-header__button[for=__drawer]").click()
            tab.wait_for_timeout(300)
        seen += tab.evaluate(painted)
    assert seen
    for icon in seen:
        assert icon["width"] == icon["height"] > 0, icon
        assert "data:image/svg+xml" in icon["mask"], icon
        if mode == "forced":
            assert icon["paint"] != icon["page"], icon
        else:
            assert icon["paint"] == icon["text"], icon


SHOTS = {"home": "", "entry": f"taxonomy/{TAXONOMY.of_kind('failure-mode')[0].id}/", "compare": "compare/",
         "tree": "decision-tree/", "bibliography": "bibliography/"}
MODES = {"light": ("light", "desktop"), "dark": ("dark", "desktop"), "phone": ("light", "phone")}


@pytest.mark.parametrize("mode", MODES)
def test_screenshots(new_tab: Callable[..., Page], base_url: str, mode: str) -> None:
    """Full-page screenshots of the main pages for a person to look at, in the scheme asked for."""
    scheme, width = MODES[mode]
    tab = new_tab(*WIDTHS[width], color_scheme=scheme)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in SHOTS.items():
        tab.goto(base_url + path)
        background = tab.evaluate("() => getComputedStyle(document.body).backgroundColor")
        level = sum(int(v) for v in re.findall(r"\d+", background)[:3]) / 3
        assert (level < 80) if scheme == "dark" else (level > 200), f"{name} in {mode}: background {background}"
        target = SCREENSHOTS / f"{name}-{mode}.png"
        tab.screenshot(path=str(target), full_page=True)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("width", WIDTHS)
def test_copy_button_covers_no_citation_text(new_tab: Callable[..., Page], base_url: str, width: str) -> None:
    """The copy button of a citation box sits clear of every line of the citation's text."""
    tab = new_tab(*WIDTHS[width])
    tab.goto(f"{base_url}taxonomy/{TAXONOMY.of_kind('failure-mode')[0].id}/")
    box = tab.locator(".tx-citation-text")
    box.hover()
    found = box.evaluate("""box => {
      const button = box.querySelector('button[data-md-type=copy]').getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(box.querySelector('code'));
      return Array.from(range.getClientRects()).filter(r => r.width > 0 && r.left < button.right &&
        button.left < r.right && r.top < button.bottom && button.top < r.bottom).length;
    }""")
    assert found == 0
