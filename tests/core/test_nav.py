"""The nav (Renderer.nav): mkdocs.yml's items with the tree of entries where NAV_TREE stands, sections of at most
NAV_LIMIT children, generated pages the sources lack left out, and a listed page standing for each unlisted one.

Taxonomies are the fixtures, grown here past the limit; expectations come from their sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, grown_sources
from taxonomy import pages
from taxonomy.loader import load
from taxonomy.model import Taxonomy
from taxonomy.render import NAV_LIMIT, NAV_TREE, Renderer
from taxonomy.urls import case_path, entry_path

CONFIGURED: list[object] = [
    {"Home": "index.md"},
    {"Taxonomy": [{"Overview": pages.OVERVIEW.path}, NAV_TREE, {"Related concepts": pages.CONCEPTS.path}]},
    {"Worked cases": pages.CASES.path},
    {"Reference": [{"Crosswalk": pages.CROSSWALK.path}]},
    {"About": [{"How to cite": "cite.md"}, pages.CASES.path]},
    {"Cases again": [pages.CASES.path]},
]


def _grown(tmp_path: Path, added: int, parent: str | None = "group", *overlays: str) -> Taxonomy:
    """The minimal fixture (and overlays) with `added` more categories, under `parent` (None: roots)."""
    src = grown_sources(tmp_path / "taxonomy_src", added, parent, *overlays)
    return load(src, tmp_path)


def _paths(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _paths(value)]
    return [p for item in nav for p in _paths(item)] if isinstance(nav, list) else []


def _section(nav: object, path: str) -> list[object] | None:
    """The children of the section whose own page (its first item) is `path`, if the nav has one."""
    if isinstance(nav, dict):
        for value in nav.values():
            if isinstance(value, list) and value and isinstance(value[0], dict) and list(value[0].values()) == [path]:
                return value
            found = _section(value, path)
            if found is not None:
                return found
    if isinstance(nav, list):
        for item in nav:
            found = _section(item, path)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("total", [NAV_LIMIT, NAV_LIMIT + 1])
def test_a_category_lists_its_children_up_to_the_limit(tmp_path: Path, total: int) -> None:
    """Up to NAV_LIMIT children a category is a section listing them all; past it, a page that stands for them."""
    existing = len(load(FIXTURES / "minimal", FIXTURES).children("group"))
    taxonomy = _grown(tmp_path, total - existing)
    children = taxonomy.children("group")
    assert len(children) == total
    renderer = Renderer(taxonomy)
    nav = renderer.nav(CONFIGURED)
    listed = set(_paths(nav))
    group = entry_path("group")
    section = _section(nav, group)
    if total <= NAV_LIMIT:
        assert section is not None and len(section) == 1 + total
        assert {entry_path(c.id) for c in children} <= listed
        assert all(renderer.stand_in(entry_path(c.id), listed) is None for c in children)
    else:
        assert section is None and group in listed
        assert not {entry_path(c.id) for c in children} & listed
        assert {renderer.stand_in(entry_path(c.id), listed) for c in children} == {group}


@pytest.mark.parametrize("roots", [NAV_LIMIT, NAV_LIMIT + 1])
def test_the_tree_lists_its_roots_up_to_the_limit(tmp_path: Path, roots: int) -> None:
    """Past NAV_LIMIT roots the tree leaves the nav, and the overview stands for every entry."""
    minimal = load(FIXTURES / "minimal", FIXTURES)
    existing = len([e for e in minimal.roots() if e.kind != "concept"])
    taxonomy = _grown(tmp_path, roots - existing, None)
    tree = [e for e in taxonomy.roots() if e.kind != "concept"]
    assert len(tree) == roots
    renderer = Renderer(taxonomy)
    listed = set(_paths(renderer.nav(CONFIGURED)))
    entries = {entry_path(e.id) for e in taxonomy.entries.values() if e.kind != "concept"}
    if roots <= NAV_LIMIT:
        assert {entry_path(e.id) for e in tree} <= listed
    else:
        assert not entries & listed
        assert {renderer.stand_in(path, listed) for path in entries} == {pages.OVERVIEW.path}


def test_no_two_nav_items_share_a_title(tmp_path: Path) -> None:
    """Every page the nav lists has its own title there, so the footer's Previous and Next say where they go."""
    def titles(nav: object) -> list[str]:
        if isinstance(nav, dict):
            return [t for key, value in nav.items() for t in ([key] if isinstance(value, str) else titles(value))]
        return [t for item in nav for t in titles(item)] if isinstance(nav, list) else []
    for overlays in [(), ("cases",)]:
        found = titles(Renderer(_grown(tmp_path / "-".join(overlays or ("plain",)), 3, "group", *overlays))
                       .nav(CONFIGURED[:3]))
        assert len(found) == len(set(found)), found


def test_the_tree_goes_where_the_placeholder_stands(tmp_path: Path) -> None:
    """Configured items keep their titles and order; the tree fills the placeholder's place."""
    taxonomy = _grown(tmp_path, 0)
    nav = Renderer(taxonomy).nav(CONFIGURED)
    assert nav[0] == CONFIGURED[0]
    section = nav[1]["Taxonomy"]  # type: ignore[index]
    tree = [e for e in taxonomy.roots() if e.kind != "concept"]
    assert section[0] == {"Overview": pages.OVERVIEW.path} and section[-1] == {"Related concepts": pages.CONCEPTS.path}
    assert [next(iter(item)) for item in section[1:-1]] == [e.title for e in tree]
    assert NAV_TREE not in _paths(nav)


@pytest.mark.parametrize("overlays", [(), ("cases",)])
def test_generated_pages_the_sources_lack_leave_the_nav(tmp_path: Path, overlays: tuple[str, ...]) -> None:
    """The index of worked cases and the crosswalk are listed only when the sources have them; a section left
    empty goes too; written pages always stay."""
    taxonomy = _grown(tmp_path, 0, "group", *overlays)
    nav = Renderer(taxonomy).nav(CONFIGURED)
    listed = _paths(nav)
    assert (pages.CASES.path in listed) == bool(taxonomy.cases)
    assert (pages.CROSSWALK.path in listed) == bool(taxonomy.crosswalk)
    assert ({"Reference": [{"Crosswalk": pages.CROSSWALK.path}]} in nav) == bool(taxonomy.crosswalk)
    assert ({"Cases again": [pages.CASES.path]} in nav) == bool(taxonomy.cases)
    assert listed.count(pages.CASES.path) == (3 if taxonomy.cases else 0)
    assert ("Cases again" in str(nav)) == bool(taxonomy.cases)  # an emptied section goes, title and all
    assert "cite.md" in listed and "index.md" in listed


def test_each_unlisted_page_has_a_listed_place(tmp_path: Path) -> None:
    """A concept stands under the index of concepts, a case under that of cases; a listed page, a written page and
    an index the nav leaves out have none."""
    taxonomy = _grown(tmp_path, 0, "group", "cases")
    renderer = Renderer(taxonomy)
    listed = set(_paths(renderer.nav(CONFIGURED)))
    concepts = [e for e in taxonomy.entries.values() if e.kind == "concept"]
    assert concepts and taxonomy.cases
    assert {renderer.stand_in(entry_path(e.id), listed) for e in concepts} == {pages.CONCEPTS.path}
    assert {renderer.stand_in(case_path(c.id), listed) for c in taxonomy.cases} == {pages.CASES.path}
    assert renderer.stand_in(entry_path("group"), listed) is None
    assert renderer.stand_in("cite.md", listed) is None
    without_index = listed - {pages.CONCEPTS.path}
    assert {renderer.stand_in(entry_path(e.id), without_index) for e in concepts} == {None}
