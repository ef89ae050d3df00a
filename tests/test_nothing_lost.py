"""Nothing is silently dropped: every entry file has exactly one page, nav item, JSON record and search document."""

from __future__ import annotations

import json
from urllib.parse import urljoin

from conftest import ROOT, Site

CANONICAL = "taxonomy/{}/"


def _entry_ids() -> set[str]:
    return {path.stem for path in (ROOT / "taxonomy_src" / "entries").glob("*.md")}


def _diff(name: str, found: set[str]) -> str:
    expected = _entry_ids()
    return f"{name}: missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"


def test_every_entry_file_has_one_page(site: Site) -> None:
    """Entry pages (not redirect stubs of former ids) match the entry files one to one."""
    pages = set()
    for key, page in site.pages.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == "taxonomy" and page.find("meta", attrs={"http-equiv": "refresh"}) is None:
            pages.add(parts[1])
    assert pages == _entry_ids(), _diff("pages", pages)


def test_every_entry_is_in_the_nav(site: Site) -> None:
    """The site navigation (read on the overview page) links every entry once."""
    nav = site.page("taxonomy/").select("nav.md-nav--primary a.md-nav__link[href]")
    targets = [urljoin("/taxonomy/", a["href"]).strip("/").split("/") for a in nav if "#" not in a["href"]]
    ids = [t[1] for t in targets if len(t) == 2 and t[0] == "taxonomy"]
    assert set(ids) == _entry_ids(), _diff("nav", set(ids))


def test_every_entry_is_in_the_json_export(site: Site) -> None:
    """The JSON export has one record per entry file."""
    data = json.loads((site.root / "taxonomy.json").read_text("utf-8"))
    ids = [record["id"] for record in data["entries"]]
    assert len(ids) == len(set(ids)) and set(ids) == _entry_ids(), _diff("JSON", set(ids))


def test_every_entry_is_in_the_search_index(site: Site) -> None:
    """Search has a page-level document for every entry."""
    index = json.loads((site.root / "search" / "search_index.json").read_text("utf-8"))
    ids = {doc["location"].split("/")[1] for doc in index["docs"]
           if doc["location"].startswith("taxonomy/") and doc["location"].count("/") == 2
           and doc["location"].endswith("/")}
    assert ids == _entry_ids(), _diff("search", ids)
