"""Machine-readable outputs: the JSON export against its schema, JSON-LD, BibTeX and CSL-JSON citations."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema
import pytest
import yaml

from conftest import ROOT, Site
from taxonomy.bibtex import bibtex_decode
from taxonomy.export import cited_version
from taxonomy.loader import load
from taxonomy.publish import changelog_markdown, versions

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)
ENTRY_IDS = list(TAXONOMY.entries)


def test_json_export_validates_and_has_every_entry(site: Site) -> None:
    """/taxonomy.json validates against /taxonomy.schema.json and carries every entry, dimension and question."""
    data = json.loads((site.root / "taxonomy.json").read_text("utf-8"))
    schema = json.loads((site.root / "taxonomy.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [e["id"] for e in data["entries"]] == ENTRY_IDS
    assert data["version"] == TAXONOMY.meta.version
    assert {d["id"] for d in data["dimensions"]} == {d.id for d in TAXONOMY.dimensions}
    assert [q["id"] for q in data["decision_tree"]["questions"]] == [q.id for q in TAXONOMY.decision_tree]
    for entry in data["entries"]:
        assert entry["url"] == f"{TAXONOMY.meta.site_url}taxonomy/{entry['id']}/"
        assert (entry["first_version"], entry["last_changed_version"]) == TAXONOMY.history(entry["id"])


def test_json_export_rejects_what_the_schema_forbids(site: Site) -> None:
    """The schema is strict enough to catch a malformed export (an unknown kind)."""
    data = json.loads((site.root / "taxonomy.json").read_text("utf-8"))
    schema = json.loads((site.root / "taxonomy.schema.json").read_text("utf-8"))
    data["entries"][0]["kind"] = "vibe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_entry_head_has_json_ld(site: Site, entry_id: str) -> None:
    """Each entry page's head has a schema.org DefinedTerm inside the taxonomy's DefinedTermSet."""
    scripts = site.page(f"taxonomy/{entry_id}/").select("head script[type='application/ld+json']")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "DefinedTerm" and data["name"] == TAXONOMY.entries[entry_id].title
    assert data["@id"] == f"{TAXONOMY.meta.site_url}taxonomy/{entry_id}/"
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert data["inDefinedTermSet"]["version"] == TAXONOMY.meta.version


def _citations(site: Site, entry_id: str) -> list[str]:
    page = site.page(f"taxonomy/{entry_id}/")
    return [block.get_text() for block in page.select(".tx-citation code")]


@pytest.mark.parametrize("entry_id", ENTRY_IDS)
def test_citations_parse(site: Site, entry_id: str) -> None:
    """The BibTeX and biblatex records parse with a real BibTeX parser; the CSL-JSON parses; all carry permalink
    and version (tests/core/test_bibtex.py holds them to hostile text, tests/test_latex.py to LaTeX itself)."""
    plain, bibtex, biblatex, csl = _citations(site, entry_id)
    permalink = f"{TAXONOMY.meta.site_url}taxonomy/{entry_id}/"
    version = cited_version(TAXONOMY, TAXONOMY.entries[entry_id])
    assert permalink in plain and (f"edition {version}" if version else "not yet released") in plain
    library = bibtexparser.parse_string(bibtex)
    assert library.failed_blocks == [] and len(library.entries) == 1
    record = library.entries[0]
    assert record.entry_type == "misc"
    assert record.fields_dict["howpublished"].value == f"\\url{{{permalink}}}"
    assert bibtex_decode(record.fields_dict["title"].value) == "{" + TAXONOMY.entries[entry_id].title + "}"
    assert f"edition {version}" in record.fields_dict["note"].value if version else \
        "not yet released" in record.fields_dict["note"].value
    online = bibtexparser.parse_string(biblatex).entries[0]
    assert online.entry_type == "online" and online.fields_dict["url"].value == permalink
    assert online.fields_dict["version"].value == version if version else "version" not in online.fields_dict
    [item] = json.loads(csl)
    assert item["URL"] == permalink and item.get("version") == version
    assert item["type"] == "entry-encyclopedia"


def test_citation_cff_matches_the_taxonomy() -> None:
    """CITATION.cff names the latest release, its date, the site and the content licence."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    latest = [r for r in TAXONOMY.releases if r.released][-1]
    assert cff["cff-version"] == "1.2.0"
    assert (cff["version"], str(cff["date-released"])) == (latest.version, latest.date)
    assert cff["url"] == TAXONOMY.meta.site_url
    assert cff["license"] == "CC-BY-4.0"


def test_every_place_names_the_same_version() -> None:
    """pyproject.toml, taxonomy.yaml, CITATION.cff, CHANGELOG.md and the last release agree (`make release`)."""
    latest = [r.version for r in TAXONOMY.releases if r.released][-1]
    assert set(versions(ROOT / "taxonomy_src", ROOT).values()) == {latest}


def test_changelog_is_generated_from_the_releases() -> None:
    """CHANGELOG.md is exactly what `make release` writes from changelog.yaml (upcoming changes are not in it)."""
    assert (ROOT / "CHANGELOG.md").read_text("utf-8") == changelog_markdown(TAXONOMY.releases)


def test_entry_pages_show_versions(site: Site) -> None:
    """Every entry states the version it first appeared in, or that it is not yet released."""
    for entry_id in ENTRY_IDS:
        first = TAXONOMY.history(entry_id)[0]
        facts = " ".join(site.page(f"taxonomy/{entry_id}/").select_one(".tx-facts").get_text(" ").split())
        assert f"First published: {f'version {first}' if first else 'not yet released'}" in facts
