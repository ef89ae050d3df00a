"""Releases: an unreleased entry never claims a version; `make release` dates it and sets the version everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import yaml

from conftest import fixture_project, taxonomy_cli
from lifecycle import rename
from taxonomy.anchors import unregistered
from taxonomy.export import cite_biblatex, cite_bibtex, cite_csl, cite_text
from taxonomy.loader import load
from taxonomy.publish import changelog_markdown, versions
from taxonomy.releases import add_to_upcoming, next_minor
from taxonomy.render import Renderer

NEW = "delta"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fixture project with a new concept scaffolded (so listed under the upcoming release) and written."""
    project = fixture_project(tmp_path)
    made = taxonomy_cli(project, "new", NEW, "--kind", "concept", "--title", "Delta concept")
    assert made.returncode == 0, made.stderr
    path = project / "taxonomy_src" / "entries" / f"{NEW}.md"
    lines = path.read_text("utf-8").split("\n")
    lines = ["summary: A concept that no release contains yet." if line.startswith("summary:") else
             "Delta, in our words [@post]." if line and not line.startswith(("#", "-", " ")) and ":" not in line
             else line for line in lines]
    path.write_text("\n".join(lines), "utf-8")
    assert taxonomy_cli(project, "anchors").returncode == 0
    check = taxonomy_cli(project, "check")
    assert check.returncode == 0, check.stdout
    return project


def test_unreleased_entry_is_cited_as_not_yet_released(project: Path) -> None:
    """Until a release contains it, an entry's facts and citations say "not yet released", never an old version."""
    taxonomy = load(project / "taxonomy_src", project)
    entry = taxonomy.entries[NEW]
    assert taxonomy.history(NEW) == (None, None)
    page = Renderer(taxonomy).entry_page(entry)
    assert "**First published:** not yet released" in page and f"version {taxonomy.meta.version}" not in page
    assert "not yet released" in cite_text(taxonomy, entry)
    record = bibtexparser.parse_string(cite_bibtex(taxonomy, entry)).entries[0]
    assert record.fields_dict["note"].value.endswith(", not yet released") and "edition" not in record.fields_dict
    online = bibtexparser.parse_string(cite_biblatex(taxonomy, entry)).entries[0]
    assert "version" not in online.fields_dict and online.fields_dict["note"].value == "Not yet released"
    [item] = json.loads(cite_csl(taxonomy, entry))
    assert "version" not in item and item["issued"] == {"literal": "n.d."}
    released = next(e for e in taxonomy.entries.values() if e.id != NEW)
    assert f"edition {taxonomy.meta.version}" in cite_text(taxonomy, released)


def test_release_dates_the_upcoming_release_and_sets_every_version(project: Path) -> None:
    """`make release VERSION=…` leaves one version everywhere, a dated changelog and a regenerated CHANGELOG.md."""
    src = project / "taxonomy_src"
    before = load(src, project)
    version = next_minor(before.meta.version)
    result = taxonomy_cli(project, "release", version, "--date", "2031-02-03")
    assert result.returncode == 0, result.stderr
    after = load(src, project)
    assert set(versions(src, project).values()) == {version}
    assert after.releases[-1].version == version and after.releases[-1].date == "2031-02-03"
    assert NEW in after.releases[-1].added and after.history(NEW)[0] == version
    assert (project / "CHANGELOG.md").read_text("utf-8") == changelog_markdown(after.releases)
    assert f"## {version} (2031-02-03)" in (project / "CHANGELOG.md").read_text("utf-8")
    cff = yaml.safe_load((project / "CITATION.cff").read_text("utf-8"))
    assert (cff["version"], str(cff["date-released"])) == (version, "2031-02-03")
    assert unregistered(after, src) == []
    assert taxonomy_cli(project, "check").returncode == 0


@pytest.mark.parametrize(("change", "version", "message"), [
    ("none", "9.9.9", "error: nothing to release (got no upcoming release with 'date: null'). Fix: list the changes "
                      "under a new last release with 'date: null' first."),
    ("upcoming", "0.0.1", "error: the version must come after the last release (got 0.0.1, last released 1.2.3). "
                          "Fix: pick a higher version."),
    ("upcoming", "1.3", "error: VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got '1.3'). Fix: e.g. VERSION=0.2.0."),
])
def test_release_refuses_what_it_cannot_release(tmp_path: Path, change: str, version: str, message: str) -> None:
    """Nothing upcoming, a version that does not increase, or a malformed one: exit 1, nothing written."""
    project = fixture_project(tmp_path)
    if change == "upcoming":
        add_to_upcoming(project / "taxonomy_src", "changed", "alpha")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = taxonomy_cli(project, "release", version)
    assert (result.returncode, result.stderr.strip()) == (1, message)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_an_entry_renamed_in_two_releases_keeps_every_old_address(tmp_path: Path) -> None:
    """Renamed, released, renamed again: both old ids redirect, both renames are listed, the check passes."""
    project = fixture_project(tmp_path)
    src = project / "taxonomy_src"
    rename(project, "gamma", "gamma-b")
    assert taxonomy_cli(project, "anchors").returncode == 0
    released = taxonomy_cli(project, "release", "1.3.0", "--date", "2030-01-01")
    assert released.returncode == 0, released.stdout + released.stderr
    rename(project, "gamma-b", "gamma-c")
    assert taxonomy_cli(project, "anchors").returncode == 0
    check = taxonomy_cli(project, "check")
    assert check.returncode == 0, check.stdout
    taxonomy = load(src, project)
    assert taxonomy.entries["gamma-c"].former_ids == ("gamma", "gamma-b")
    pages = Renderer(taxonomy).files()
    assert {"taxonomy/gamma/index.html", "taxonomy/gamma-b/index.html"} <= pages.keys()
    assert "`gamma` → [Gamma concept](taxonomy/gamma-c.md) (now `gamma-c`)" in pages["changes.md"]
    assert "`gamma-b` → [Gamma concept](taxonomy/gamma-c.md)" in pages["changes.md"]
