"""The map is complete: docs/architecture.md lists every module, and the renderer, the nav, search and mkdocs.yml
all follow the page registry."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import FIXTURES, ROOT
from taxonomy import pages
from taxonomy.build import nav_paths
from taxonomy.loader import load
from taxonomy.render import NAV_INDEX, NAV_TREE, Renderer

HOOKS = ROOT / "hooks"


def _section(heading: str) -> str:
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    return text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]


def test_the_module_list_is_the_tree() -> None:
    """Every Python module under hooks/ is in the module list, and every module listed exists."""
    rows = [line.split(" | ")[0] for line in _section("The modules").splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`([\w/]+\.py)`", row)}
    tree = {p.relative_to(HOOKS).as_posix() for p in HOOKS.rglob("*.py") if "__pycache__" not in p.parts}
    assert sorted(tree - listed) == [], "modules missing from docs/architecture.md"
    assert sorted(listed - tree) == [], "modules docs/architecture.md lists that do not exist"


def test_every_generated_page_type_has_exactly_one_builder(tmp_path: Path) -> None:
    """The renderer's builders are keyed by the registry's page types: one for each generated type, no other."""
    renderer = Renderer(load(FIXTURES / "minimal", FIXTURES))
    assert set(renderer.builders()) == set(pages.generated())


def _configured_nav() -> list[str]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=Loader)  # noqa: S506 (a safe loader)
    return [p for p in nav_paths(config["nav"]) if p != NAV_TREE]


def test_the_configured_nav_is_the_registry_s_single_pages() -> None:
    """mkdocs.yml's nav names registered pages only, and every single page of the registry that is Markdown."""
    nav = _configured_nav()
    assert [p for p in nav if pages.page_at(p) is None] == []
    singles = [p.path for p in pages.PAGES if p.items is None and p.path.endswith(".md")]
    assert sorted(set(singles) - set(nav)) == []


def test_unlisted_page_types_are_led_to_by_a_listed_index() -> None:
    """Each per-item Markdown page type names the index page that leads to its pages, and the nav lists it."""
    nav = set(_configured_nav())
    per_item = [p for p in pages.PAGES if p.items is not None and p.path.endswith(".md")]
    assert [p.name for p in per_item if p not in NAV_INDEX] == []
    assert [p.name for p in per_item if NAV_INDEX[p] not in nav] == []


def test_unsearched_sections_are_anchors_of_their_page_type() -> None:
    """Search leaves out only sections that the page type's own template writes."""
    for page, skipped in pages.UNSEARCHED.items():
        assert skipped <= set(page.anchors), page.name
