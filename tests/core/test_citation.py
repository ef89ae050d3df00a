"""One citation record per page: the cite text, the citation meta tags and the JSON-LD say the same thing, and
nothing unreleased claims an edition."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from taxonomy import citation, export, urls
from taxonomy.loader import load
from taxonomy.model import Taxonomy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    """The minimal fixture taxonomy (never today's content)."""
    return load(FIXTURES / "minimal", FIXTURES)


def _tags(record: citation.Record) -> dict[str, str]:
    tags = citation.meta_tags(record)
    assert len(dict(tags)) == len(tags), "each tag once"
    return dict(tags)


def _agree(tags: dict[str, str], ld: dict[str, object], part_of: dict[str, object], record: citation.Record) -> None:
    """The meta tags, the JSON-LD and the cite text of one page say the same."""
    assert tags["citation_title"] == tags["DC.title"] == ld["name"] == record.title
    assert tags["citation_public_url"] == tags["DC.identifier"] == ld["url"] == ld["@id"] == record.url
    assert tags["citation_author"] == tags["DC.creator"] == record.author
    assert tags["citation_book_title"] == part_of["name"]
    assert tags.get("DC.hasVersion") == part_of.get("version") == record.version
    assert tags.get("DC.date") == part_of.get("datePublished") == record.date
    assert tags.get("citation_publication_date") == (record.date.replace("-", "/") if record.date else None)
    text = citation.text(record)
    assert record.url in text and record.title in text and record.edition in text


def test_entry_tags_json_ld_and_citation_agree(taxonomy: Taxonomy) -> None:
    """For every entry: the same title, permalink, author, edition and date in the head's tags, its JSON-LD and the
    plain citation; a released entry names the current edition and its release date."""
    for entry in taxonomy.entries.values():
        record = citation.entry_record(taxonomy, entry)
        ld = json.loads(export.json_ld(taxonomy, entry))
        _agree(_tags(record), ld, ld["inDefinedTermSet"], record)
        first = taxonomy.history(entry.id)[0]
        assert record.version == (taxonomy.meta.version if first else None)
        assert export.cite_text(taxonomy, entry) == citation.text(record)


def test_unreleased_entry_claims_no_edition(tmp_path: Path) -> None:
    """An entry only an upcoming release holds has no version and no dates anywhere: tags, JSON-LD or citation."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    text = (src / "entries" / "gamma.md").read_text("utf-8")
    (src / "entries" / "delta.md").write_text(text.replace("id: gamma", "id: delta"), "utf-8")
    changelog = src / "changelog.yaml"
    changelog.write_text(changelog.read_text("utf-8") + '  - version: "9.0.0"\n    date: null\n'
                         "    summary: Upcoming.\n    added: [delta]\n", "utf-8")
    taxonomy = load(src, tmp_path)
    record = citation.entry_record(taxonomy, taxonomy.entries["delta"])
    ld = json.loads(export.json_ld(taxonomy, taxonomy.entries["delta"]))
    assert record.version is None and record.date is None and record.first_date is None
    assert "version" not in ld["inDefinedTermSet"] and "datePublished" not in ld["inDefinedTermSet"]
    tags = _tags(record)
    assert not {"citation_publication_date", "citation_online_date", "DC.date", "DC.hasVersion"} & tags.keys()
    assert citation.UNRELEASED in citation.text(record) and taxonomy.meta.version not in citation.text(record)
    _agree(tags, ld, ld["inDefinedTermSet"], record)


def test_cases_claim_an_edition_only_once_a_release_lists_them(tmp_path: Path) -> None:
    """A case no release lists has no version in its JSON-LD; listed in a released release, it has that edition."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    shutil.copytree(FIXTURES / "cases", src, dirs_exist_ok=True)
    taxonomy = load(src, tmp_path)
    assert taxonomy.cases, "the case fixture has cases"
    for case in taxonomy.cases:
        ld = json.loads(export.case_json_ld(taxonomy, case))
        assert "version" not in ld and "version" not in ld["isPartOf"] and "datePublished" not in ld
        _agree(_tags(citation.case_record(taxonomy, case)), ld, ld["isPartOf"], citation.case_record(taxonomy, case))
    case = taxonomy.cases[0]
    last = taxonomy.releases[-1]
    listed = dataclasses.replace(taxonomy, releases=(*taxonomy.releases[:-1],
                                                     dataclasses.replace(last, added_cases=(case.id,))))
    ld = json.loads(export.case_json_ld(listed, case))
    assert ld["isPartOf"]["version"] == ld["version"] == listed.meta.version and ld["datePublished"] == last.date
    _agree(_tags(citation.case_record(listed, case)), ld, ld["isPartOf"], citation.case_record(listed, case))


def test_edition_address_is_printed_only_once_the_edition_is_stored(taxonomy: Taxonomy) -> None:
    """Until its edition is frozen (its release records a commit) no citation names an edition address; then each
    names its edition's address with the anchor, then the current permalink."""
    entry = next(iter(taxonomy.entries.values()))
    unfrozen = dataclasses.replace(taxonomy, releases=tuple(dataclasses.replace(r, commit=None)
                                                             for r in taxonomy.releases))
    record = citation.entry_record(unfrozen, entry)
    assert record.edition_url is None and f"/{urls.EDITIONS_DIR}/" not in citation.text(record, anchor="cite")
    taxonomy = dataclasses.replace(taxonomy, releases=tuple(
        dataclasses.replace(r, commit="0" * 40) if r.version == taxonomy.meta.version else r
        for r in taxonomy.releases))
    record = citation.entry_record(taxonomy, entry)
    frozen = f"{taxonomy.meta.site_url}{urls.EDITIONS_DIR}/{taxonomy.meta.version}/taxonomy/{entry.id}/"
    assert record.edition_url == frozen
    assert f"{frozen}#cite (current version: {record.url}#cite)" in citation.text(record, anchor="cite")


@pytest.mark.parametrize("title", ['Quote " and <tag> & \'apostrophe\'', "Line\nbreak  and\ttab"])
def test_tag_values_are_one_line_plain_text(taxonomy: Taxonomy, title: str) -> None:
    """Tag values are the plain text on one line (the head's template escapes them for an attribute)."""
    entry = next(iter(taxonomy.entries.values()))
    record = citation.entry_record(taxonomy, dataclasses.replace(entry, title=title))
    assert _tags(record)["citation_title"] == " ".join(title.split())
