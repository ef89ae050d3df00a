"""What a reader sees in what order, and the data page scripts get: reading order, reference order, inline help
nodes, citations with and without an access date, and the flowchart's layout. No browser needed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from conftest import ROOT, Site, edit
from taxonomy import export
from taxonomy.flowchart import layout
from taxonomy.inline import nodes
from taxonomy.loader import load
from taxonomy.model import Taxonomy

TAXONOMY: Taxonomy = load(ROOT / "taxonomy_src", ROOT)


def _assert_tree_order(taxonomy: Taxonomy) -> None:
    """Each entry is followed by all its descendants; siblings go by position, then title."""
    order = list(taxonomy.entries)
    for entry_id in order:
        descendants = []
        stack = [c.id for c in taxonomy.children(entry_id)]
        while stack:
            current = stack.pop()
            descendants.append(current)
            stack.extend(c.id for c in taxonomy.children(current))
        start = order.index(entry_id) + 1
        assert sorted(order[start:start + len(descendants)]) == sorted(descendants), entry_id
    siblings: dict[str | None, list[str]] = {}
    for entry in taxonomy.entries.values():
        siblings.setdefault(entry.parent, []).append(entry.id)
    for group in siblings.values():
        keys = [(taxonomy.entries[i].order, taxonomy.entries[i].title.lower()) for i in group]
        assert keys == sorted(keys)


def test_entries_follow_the_tree(sources: Path) -> None:
    """Entries come in the taxonomy's own order: a category, then its kinds, before the next category."""
    edit(sources / "entries" / "group.md", "parent: null\n", "parent: null\norder: 1\n")
    taxonomy = load(sources, sources.parent)
    assert list(taxonomy.entries) == ["group", "alpha", "beta", "gamma"]
    _assert_tree_order(taxonomy)


def test_position_orders_siblings(sources: Path) -> None:
    """A sibling's position decides before its title; kinds of one category stay together."""
    edit(sources / "entries" / "beta.md", "parent: group\n", "parent: group\norder: 1\n")
    taxonomy = load(sources, sources.parent)
    assert [e.id for e in taxonomy.of_kind("failure-mode")] == ["beta", "alpha"]
    _assert_tree_order(taxonomy)


def test_real_taxonomy_reads_in_tree_order() -> None:
    """The published taxonomy keeps the rule: the matrix, pair sections and "Referred to by" follow it."""
    _assert_tree_order(TAXONOMY)
    modes = TAXONOMY.of_kind("failure-mode")
    parents = [m.parent for m in modes]
    assert parents == sorted(parents, key=lambda p: list(TAXONOMY.entries).index(str(p)))


def test_works_are_ordered_by_author_then_year(sources: Path) -> None:
    """The bibliography's order is by author names as listed (else the container), then year, then title."""
    taxonomy = load(sources, sources.parent)
    assert list(taxonomy.works) == ["post", "other"]  # Author, Ann before Writer, Will
    edit(sources / "bibliography.yaml", 'authors: ["Writer, Will", "Scribe, Sam"]', 'authors: ["Aardvark, Al"]')
    assert list(load(sources, sources.parent).works) == ["other", "post"]
    keys = [w.sort_key for w in TAXONOMY.works.values()]
    assert keys == sorted(keys)


def test_bibliography_page_has_an_anchor_per_work_and_no_heading(site: Site) -> None:
    """Each work is a block whose id is its citation key, in author-year order; works are not headings."""
    page = site.page("bibliography/")
    blocks = page.select("article .tx-work[id]")
    assert [b["id"] for b in blocks] == list(TAXONOMY.works)
    assert not page.select("article h2, article h3")
    for block in blocks:
        work = TAXONOMY.works[block["id"]]
        assert work.title in block.get_text()
        if work.url:
            assert block.find("a", href=work.url) is not None


def test_matrix_rows_follow_the_tree(site: Site) -> None:
    """The comparison matrix lists the kinds in the taxonomy's order."""
    rows = site.page("compare/").select("#matrix ~ .tx-matrix table tbody tr")
    titles = [r.find("td").get_text(strip=True) for r in rows]
    assert titles == [e.title for e in TAXONOMY.of_kind("failure-mode")]


CASES = [
    ("plain text", "Just words.", ["Just words."]),
    ("link", "See [this](../taxonomy/a/).",
     ["See ", {"tag": "a", "href": "../taxonomy/a/", "children": ["this"]}, "."]),
    ("citation", "Said so ([Author 2026](#ref-post){ .tx-cite }).",
     ["Said so (", {"tag": "a", "href": "#ref-post", "class": "tx-cite", "children": ["Author 2026"]}, ")."]),
    ("emphasis and code", "*Not* `<b>` &amp; co", [{"tag": "em", "children": ["Not"]}, " ",
                                                      {"tag": "code", "children": ["<b>"]}, " & co"]),
    ("raw HTML stays text", "a <b onclick=x>b</b>", ["a <b onclick=x>b</b>"]),
    ("unsafe link loses its target", "[x](javascript:alert(1))", [{"tag": "a", "children": ["x"]}]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_inline_nodes_are_inert_data(text: str, expected: list[object]) -> None:
    """Help text reaches the walk's script as strings and a few element kinds, never as an HTML string."""
    assert nodes(text) == expected


def test_walk_data_carries_help_with_built_links(site: Site) -> None:
    """The walk's data gives each question its help as nodes whose links point at built pages or this page."""
    walk = site.page("decision-tree/").find(id="tx-walk")
    data = json.loads(walk["data-tree"])
    page_ids = {tag["id"] for tag in site.page("decision-tree/").find_all(id=True)}
    for question in TAXONOMY.decision_tree:
        help_nodes = data["questions"][question.id]["help"]
        assert help_nodes and isinstance(help_nodes, list)
        stack = list(help_nodes)
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend(node["children"])
                href = node.get("href", "")
                if href.startswith("#"):
                    assert href[1:] in page_ids, href
                elif href:
                    assert (site.root / "decision-tree" / href / "index.html").resolve().exists(), href


@pytest.mark.parametrize("name", export.CITATIONS)
def test_citations_without_a_date_have_no_placeholder(name: str) -> None:
    """A citation as printed has no access date and nothing to fill in; the script's edit of it, with a date,
    gives exactly the dated citation (lengths in UTF-16 code units, as the script counts)."""
    first = next(iter(TAXONOMY.entries.values()))
    astral = dataclasses.replace(first, title=f"\U0001d4d0 {first.title} \U0001f600")  # two UTF-16 units each
    for entry in [*TAXONOMY.entries.values(), astral]:
        cite = export.CITATIONS[name]
        plain = cite(TAXONOMY, entry)
        assert "accessed" not in plain and "urldate" not in plain and "YYYY" not in plain
        head, before, after, tail = export.dated_citations(TAXONOMY, entry)[name]
        units = plain.encode("utf-16-le")
        kept = units[:2 * head].decode("utf-16-le"), units[len(units) - 2 * tail:].decode("utf-16-le")
        assert head + tail <= len(units) // 2
        assert kept[0] + before + "2030-01-02" + after + kept[1] == cite(TAXONOMY, entry, "2030-01-02")


def test_entry_page_carries_the_dated_parts(site: Site) -> None:
    """The entry page's citation data is the core's, so the script and the export never drift apart."""
    entry = TAXONOMY.of_kind("failure-mode")[0]
    data = site.page(f"taxonomy/{entry.id}/").select_one(".tx-citation-data")
    assert json.loads(data["data-dated"]) == export.dated_citations(TAXONOMY, entry)


def test_flowchart_layout_has_no_overlaps() -> None:
    """In drawing units: one row per box, each below the last, indented by depth, inside the drawing."""
    placed, width, height = layout(TAXONOMY, lambda q: f"#{q}", lambda e: e)
    for above, below in zip(placed, placed[1:]):
        assert below.y >= above.y + above.height, (above.box.key, below.box.key)
    for item in placed:
        assert 0 <= item.x and item.x + item.width <= width + 0.01 and item.y + item.height <= height + 0.01
        parent = next((p for p in placed if p.box.key == item.box.parent), None)
        assert parent is None or item.x > parent.x


def test_flowchart_draws_a_question_reached_twice_once(sources: Path) -> None:
    """A question that two answers lead to is drawn once; the second answer points to it."""
    edit(sources / "decision-tree.yaml", '{label: "Yes", entry: alpha}', '{label: "Yes", next: second}')
    edit(sources / "decision-tree.yaml", '{label: "No", entry: group}', '{label: "No", entry: alpha}')
    taxonomy = load(sources, sources.parent)
    placed, _, _ = layout(taxonomy, lambda q: f"#{q}", lambda e: e)
    assert [p.box.kind for p in placed].count("question") == len(taxonomy.decision_tree)
    refs = [p for p in placed if p.box.kind == "ref"]
    assert len(refs) == 1 and refs[0].box.href == "#second"
