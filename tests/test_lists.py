"""Every list a template generates has one `<li>` per item, read from the built HTML and derived from the sources.

A template line that ends in a block tag loses its line break (`trim_blocks`), which runs the next list item into
this one: the /cases/ page once showed each kind's cases as a single bullet. These tests read the structure, not
the wording: how many items each list has and what each item points to.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from conftest import ROOT, Site
from taxonomy.casepages import EVIDENCE_LABELS
from taxonomy.loader import load

pytestmark = pytest.mark.slow
TAXONOMY = load(ROOT / "taxonomy_src", ROOT)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SWALLOWED_MARKER = re.compile(r"(?:^|[^\s*+-])\s*[*+-] $")
"""A text that ends in a list marker right before an element: the start of a list item run into the previous one."""


def _list_after(anchor: Tag) -> Tag | None:
    """The first list after `anchor` (a heading or paragraph) in its section, if any."""
    for sibling in anchor.find_next_siblings():
        if sibling.name in HEADINGS:
            return None
        if sibling.name in ("ul", "ol"):
            return sibling
    return None


def _targets(page: str, items: list[Tag]) -> list[str]:
    """The site path each item's first link points to."""
    return [urljoin("/" + page, li.a["href"]).split("#")[0] for li in items]


def _items(soup: BeautifulSoup, anchor_id: str) -> list[Tag]:
    """The items of the list in the section whose heading has `anchor_id` ([] when the section has none)."""
    heading = soup.find(id=anchor_id)
    assert heading is not None, anchor_id
    found = _list_after(heading)
    return found.find_all("li", recursive=False) if found else []


def _case_url(case_id: str) -> str:
    return f"/cases/{case_id}/"


def test_cases_index_lists_one_item_per_case(site: Site) -> None:
    """/cases/: under each kind and each evidence grade, one item per case, in the order of the sources."""
    page = site.page("cases/")
    for entry in TAXONOMY.entries.values():
        cases = TAXONOMY.cases_for(entry.id)
        if cases:
            assert _targets("cases/", _items(page, f"kind-{entry.id}")) == [_case_url(c.id) for c in cases], entry.id
    for grade in EVIDENCE_LABELS:
        cases = [c for c in TAXONOMY.cases if c.evidence == grade]
        assert _targets("cases/", _items(page, f"evidence-{grade}")) == [_case_url(c.id) for c in cases], grade


@pytest.mark.parametrize("entry", [e for e in TAXONOMY.entries.values() if TAXONOMY.cases_for(e.id)],
                         ids=lambda e: e.id)
def test_entry_lists_one_item_per_case_and_work(site: Site, entry) -> None:  # type: ignore[no-untyped-def]
    """An entry page: one worked-cases item per case, one reference item per work it cites."""
    path = f"taxonomy/{entry.id}/"
    page = site.page(path)
    note = page.select_one("p.tx-worked-cases")
    assert note is not None
    items = _list_after(note).find_all("li", recursive=False)  # type: ignore[union-attr]
    assert _targets(path, items) == [_case_url(c.id) for c in TAXONOMY.cases_for(entry.id)]
    references = _items(page, "references")
    assert [li.find("span", id=True)["id"] for li in references] == [f"ref-{k}" for k in entry.all_references]


@pytest.mark.parametrize("case", TAXONOMY.cases, ids=lambda c: c.id)
def test_case_lists_one_item_per_work(site: Site, case) -> None:  # type: ignore[no-untyped-def]
    """A case page: one reference item per cited work, each with its own link to the bibliography."""
    items = _items(site.page(f"cases/{case.id}/"), "references")
    assert [li.select_one("a.tx-all-works")["href"].split("#")[1] for li in items] == list(case.cited)


def test_decision_tree_lists_one_item_per_answer(site: Site) -> None:
    """The outline of the tree: one item per answer under each question."""
    page = site.page("decision-tree/")
    for question in TAXONOMY.decision_tree:
        assert len(_items(page, question.id)) == len(question.answers), question.id


def test_no_list_item_swallows_the_next(site: Site) -> None:
    """On every page, no list item or paragraph holds a list marker followed by what would have been its item."""
    found = []
    for name, soup in site.pages.items():
        for text in soup.select_one("article, body").find_all(string=True):  # type: ignore[union-attr]
            if isinstance(text, NavigableString) and text.parent.name in ("li", "p", "em", "strong") \
                    and isinstance(text.next_sibling, Tag) and SWALLOWED_MARKER.search(str(text)):
                found.append(f"{name}: …{str(text)[-40:]!r} before <{text.next_sibling.name}>")
    assert not found, "\n".join(found)
