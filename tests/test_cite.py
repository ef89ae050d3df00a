"""Citing the site: every permalink it prints resolves under the published base path, each page's citation meta
tags agree with its JSON-LD, and /cite/ gives the whole taxonomy in every citation format."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import bibtexparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, Site
from taxonomy import citation, editions, export, pages
from taxonomy.bibtex import bibtex_url
from taxonomy.loader import load
from taxonomy.releases import VERSIONING
from taxonomy.urls import EDITIONS_DIR as URL_DIR
from taxonomy.urls import address

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)
SITE_URL = TAXONOMY.meta.site_url
URL = re.compile(re.escape(SITE_URL) + r"[^\s\"'<>(){}\[\]\\&]*")
DATA_FILES = ("*.json", "*.tsv", "sitemap.xml")


def test_site_url_is_where_github_pages_serves_the_repository() -> None:
    """Without a custom domain (a CNAME file), GitHub Pages serves a project repository at
    https://<owner>.github.io/<repository>/: the public address is that, with the repository's path as base."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").replace("!!python", "x"))
    owner, repository = urlsplit(config["repo_url"]).path.strip("/").split("/")
    assert not (ROOT / "docs" / "CNAME").exists(), "with a custom domain, site_url is that domain"
    assert SITE_URL == f"https://{owner.lower()}.github.io/{repository}/"


def _printed(site: Site) -> Iterator[tuple[str, str]]:
    """Every absolute address of the site that it prints, with where: links, canonical links, JSON-LD, meta tags,
    citations and any text of every page; every data file and the sitemap."""
    for name, soup in site.pages.items():
        for match in URL.finditer(str(soup)):
            yield name, match.group(0)
    for pattern in DATA_FILES:
        for path in site.root.glob(pattern):
            for match in URL.finditer(path.read_text("utf-8")):
                yield path.name, match.group(0)


def _file(site: Site, url: str) -> tuple[Path, str]:
    """The file an address of the site is served from under its base path, and the fragment."""
    parts = urlsplit(url)
    base = urlsplit(SITE_URL).path
    assert parts.path.startswith(base), url
    path = site.root / unquote(parts.path.removeprefix(base))
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, unquote(parts.fragment)


@pytest.mark.slow
def test_every_printed_permalink_resolves_under_the_base_path(site: Site) -> None:
    """Each address the site prints is a file of the built site when served under the base path, and each
    #fragment is an id on that page."""
    printed = set(_printed(site))
    kinds = {url.removeprefix(SITE_URL).split("/")[0] for _, url in printed}
    assert {"taxonomy", ""} <= kinds, "entry permalinks and the home page are among them"
    missing = []
    stored = {f"{URL_DIR}/{version}/{name}": data for version in editions.stored_versions(ROOT)
              for name, data in editions.verify(ROOT, version).items()}  # what `make editions` adds to the site
    for where, url in sorted(printed):
        path, fragment = _file(site, url)
        inside = path.relative_to(site.root).as_posix()
        if inside in stored:
            soup = BeautifulSoup(stored[inside], "html.parser") if path.suffix == ".html" else None
            if fragment and soup is not None and soup.find(id=fragment) is None:
                missing.append(f"{where}: {url} (no #{fragment} in the stored edition)")
            continue
        if not path.is_file():
            missing.append(f"{where}: {url} (no {path.relative_to(site.root)})")
            continue
        if fragment and path.suffix == ".html":
            soup = site.pages[path.relative_to(site.root).as_posix()]
            if soup.find(id=fragment) is None:
                missing.append(f"{where}: {url} (no #{fragment})")
    assert missing == []


@pytest.mark.slow
def test_root_relative_addresses_stay_under_the_base_path(site: Site) -> None:
    """Pages served from any depth (the 404 page above all, which GitHub Pages serves at unknown addresses) load
    their styles, scripts and links under the base path, from files that exist."""
    base = urlsplit(SITE_URL).path
    wrong = []
    for name, soup in site.pages.items():
        for tag in soup.select("[href^='/'], [src^='/']"):
            target = tag.get("href") or tag.get("src")
            if target.startswith("//"):
                continue
            path, _ = _file(site, f"https://x{target}") if not target.startswith(base) else \
                _file(site, SITE_URL + target.removeprefix(base))
            if not target.startswith(base) or not path.is_file():
                wrong.append(f"{name}: {target}")
    assert wrong == []
    styles = [link["href"] for link in site.page("404.html").select("link[rel=stylesheet]")]
    assert styles and all(href.startswith(base) for href in styles)


def _head(site: Site, url_path: str) -> tuple[dict[str, list[str]], dict[str, object]]:
    soup = site.page(url_path)
    tags: dict[str, list[str]] = {}
    for meta in soup.select("head meta[name]"):
        tags.setdefault(meta["name"], []).append(meta["content"])
    [script] = soup.select("head script[type='application/ld+json']")
    return tags, json.loads(script.string)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["entry", "case"])
def test_citation_meta_tags_agree_with_json_ld_and_the_cite_block(site: Site, kind: str) -> None:
    """Every entry and case page carries the Highwire Press and Dublin Core tags reference managers read, each once,
    saying what its JSON-LD and its printed citation say."""
    page = pages.ENTRY if kind == "entry" else pages.CASE
    items = [(key, citation.entry_record(TAXONOMY, TAXONOMY.entries[key]) if kind == "entry" else
              citation.case_record(TAXONOMY, TAXONOMY.case(key))) for key in page.keys(TAXONOMY)]
    assert items
    for key, record in items:
        tags, ld = _head(site, page.address(key))
        assert all(len(values) == 1 for values in tags.values()), key
        one = {name: values[0] for name, values in tags.items()}
        part_of = ld["inDefinedTermSet"] if kind == "entry" else ld["isPartOf"]
        assert one["citation_title"] == one["DC.title"] == ld["name"] == record.title
        assert one["citation_public_url"] == one["DC.identifier"] == ld["@id"] == record.url
        assert one["citation_author"] == record.author and one["citation_book_title"] == part_of["name"]
        assert one.get("DC.hasVersion") == part_of.get("version") == record.version
        assert one.get("DC.date") == part_of.get("datePublished") == record.date
        assert ("citation_publication_date" in one) == (record.date is not None)
        if kind == "entry":
            plain = site.page(page.address(key)).select_one(".tx-citation-text code").get_text()
            assert record.url in plain and record.edition in plain


@pytest.mark.slow
def test_cite_page_gives_the_whole_taxonomy_in_every_format(site: Site) -> None:
    """/cite/ has the taxonomy as a whole in each citation format, each in a box with a copy button: the plain
    text names the edition, the BibTeX parses, the CSL-JSON parses."""
    soup = site.page(pages.CITE.address())
    printed = {name: soup.select_one(f".tx-citation-whole-{name} code") for name in export.CITATIONS}
    assert all(printed.values()), printed
    record = citation.whole_record(TAXONOMY)
    assert record.url in printed["text"].get_text() and record.edition in printed["text"].get_text()
    library = bibtexparser.parse_string(printed["bibtex"].get_text())
    assert library.failed_blocks == [] and library.entries[0].fields_dict["howpublished"].value == bibtex_url(
        record.url)
    [item] = json.loads(printed["csl"].get_text())
    assert item["URL"] == record.url and item.get("version") == record.version
    assert len(soup.select(".tabbed-set .tabbed-labels label")) >= len(export.CITATIONS)
    assert "content.code.copy" in yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["theme"]["features"]


@pytest.mark.slow
def test_migration_map_is_published(site: Site) -> None:
    """/migration.json and its schema are published, and the map leads every id to a page of today's site."""
    import jsonschema

    data = json.loads((site.root / pages.MIGRATION.path).read_text("utf-8"))
    schema = json.loads((site.root / pages.MIGRATION_SCHEMA.path).read_text("utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["$schema"] == SITE_URL + address(pages.MIGRATION_SCHEMA.path)
    for release in data["releases"]:
        for fate in release["ids"].values():
            assert fate["current"] in TAXONOMY.entries


def test_contributing_states_the_versioning_rules() -> None:
    """CONTRIBUTING.md gives the same version rules as the What changed page (releases.VERSIONING)."""
    text = " ".join((ROOT / "CONTRIBUTING.md").read_text("utf-8").split())
    for part, rule in VERSIONING:
        assert f"**{part.capitalize()}:** {rule}." in text


@pytest.mark.slow
def test_every_entry_at_once_parses(site: Site) -> None:
    """/citations.bib and /citations.json hold every entry's citation as its page prints it, and parse."""
    library = bibtexparser.parse_string((site.root / pages.ALL_BIBTEX.path).read_text("utf-8"))
    assert library.failed_blocks == []
    assert [e.fields_dict["howpublished"].value for e in library.entries] == [
        bibtex_url(citation.entry_record(TAXONOMY, e).url) for e in TAXONOMY.entries.values()]
    items = json.loads((site.root / pages.ALL_CSL.path).read_text("utf-8"))
    assert items == [item for e in TAXONOMY.entries.values() for item in json.loads(export.cite_csl(TAXONOMY, e))]
