"""Nothing is silently dropped: every entry file has exactly one page, nav item, JSON record and search document."""

from __future__ import annotations

import json
import re
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


def test_every_entry_is_in_the_nav_or_an_index(site: Site) -> None:
    """Every entry is reachable from the site navigation or from a page the navigation lists instead of listing
    each item: the index of concepts, and a category with more entries than a nav section lists."""
    links = [(a["href"], f"/{key.removesuffix('index.html')}") for key, page in site.pages.items()
             for a in page.select("nav.md-nav--primary a[href]")]  # the nav is pruned: each page shows its branch
    categories = [path.stem for path in (ROOT / "taxonomy_src" / "entries").glob("*.md")
                  if re.search(r"(?m)^kind: *category *$", path.read_text("utf-8"))]
    indexes = ["concepts/", *(CANONICAL.format(c) for c in categories)]
    links += [(a["href"], f"/{url}") for url in indexes for a in site.page(url).select("article a[href]")]
    targets = [urljoin(base, href).strip("/").split("/") for href, base in links if "#" not in href]
    ids = {t[1] for t in targets if len(t) == 2 and t[0] == "taxonomy"}
    assert ids == _entry_ids(), _diff("nav and indexes", ids)


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
