"""Provenance in the built site: claim labels, the Sources and Open questions pages, the export's counts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import yaml

from conftest import ROOT, Site
from taxonomy import claims, export
from taxonomy.loader import load
from taxonomy.sources import SOURCE_KINDS
from taxonomy.urls import CASE_DIR

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)
BASE = "https://site.invalid/"
_CODE = re.compile(r"(`+).+?\1", re.DOTALL)
_MARKER = re.compile(r"(?<!\\)\[\?([a-z-]+)(?:#[a-z0-9-]+)?\]")


def _marker_kinds(path: Path) -> list[str]:
    """Kinds of the markers written in an entry or case file, read independently of the loader, less those of
    its `tell_apart` texts, which the comparison page shows with the pair they compare."""
    text = path.read_text("utf-8")
    front = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) or {}
    kinds = _MARKER.findall(_CODE.sub("", text))
    for said in (front.get("tell_apart") or {}).values():
        for kind in _MARKER.findall(_CODE.sub("", said)):
            kinds.remove(kind)
    return kinds


def test_every_claim_label_is_named_and_lands_on_the_sources_page(site: Site) -> None:
    """On every page, each label has an accessible name and links to an id that exists on /sources/."""
    sources_ids = {tag["id"] for tag in site.page("sources/").find_all(id=True)}
    seen = 0
    for path, page in site.pages.items():
        for label in page.select("a.tx-claim"):
            seen += 1
            assert label["aria-label"] == f"Claim status: {label.get_text()}", path
            address, _, fragment = urljoin(BASE + path, label["href"]).partition("#")
            assert address == f"{BASE}sources/" and fragment in sources_ids, (path, label["href"])
    written = sum(len(_marker_kinds(p)) for p in (ROOT / "taxonomy_src/entries").glob("*.md"))
    assert seen >= written


def test_each_entry_page_shows_every_marker_of_its_source(site: Site) -> None:
    """No marker is dropped: an entry page has one label per marker in its source file."""
    for path in sorted((ROOT / "taxonomy_src/entries").glob("*.md")):
        labels = site.page(f"taxonomy/{path.stem}/").select("article a.tx-claim")
        assert sorted(label["class"][1].removeprefix("tx-claim-") for label in labels) == sorted(
            _marker_kinds(path)), path.name


def test_each_case_page_shows_every_marker_of_its_source(site: Site) -> None:
    """Case pages carry provenance too: one label per marker in the case file, of the same kind."""
    for case in TAXONOMY.cases:
        path = ROOT / case.path_file
        labels = site.page(f"{CASE_DIR}/{case.id}/").select("article a.tx-claim")
        assert sorted(label["class"][1].removeprefix("tx-claim-") for label in labels) == sorted(
            _marker_kinds(path)), path.name


def test_export_counts_match_the_sources(site: Site) -> None:
    """/taxonomy.json counts each entry's markers by kind, as written in its source file."""
    data = json.loads((site.root / "taxonomy.json").read_text("utf-8"))
    for entry in data["entries"]:
        kinds = _marker_kinds(ROOT / "taxonomy_src/entries" / f"{entry['id']}.md")
        assert entry["claims"] == {k: kinds.count(k) for k in claims.NAMES}, entry["id"]


def test_schema_vocabularies_match_the_code() -> None:
    """The JSON Schema lists exactly the marker kinds and source kinds the loader accepts."""
    schema = export.schema(TAXONOMY)
    assert tuple(schema["$defs"]["entry"]["properties"]["claims"]["required"]) == claims.NAMES
    assert tuple(schema["properties"]["sources"]["items"]["properties"]["kind"]["enum"]) == tuple(SOURCE_KINDS)


def test_open_questions_link_to_live_anchors(site: Site) -> None:
    """Every item on /open-questions/ links to an id that exists on the entry page it names."""
    page = site.page("open-questions/")
    links = [a for a in page.select("article li > a:first-child")]
    assert len(links) == sum(1 for e in TAXONOMY.entries.values() for c in e.claims
                             if claims.BY_ID[c.kind].open_question)
    for link in links:
        address, _, fragment = urljoin(BASE + "open-questions/", link["href"]).partition("#")
        target = site.page(address.removeprefix(BASE))
        assert fragment.startswith("claim-") and target.find(id=fragment) is not None, link["href"]


def test_contributing_documents_every_marker() -> None:
    """CONTRIBUTING.md shows the syntax of every marker kind."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    for kind in claims.KINDS:
        assert f"[?{kind.id}" in text, kind.id
