"""The migration map on fixture releases made the way CONTRIBUTING.md says: an entry renamed twice across releases
and one retired lead, from every release's ids, to today's ids."""

from __future__ import annotations

from pathlib import Path

from conftest import fixture_project, taxonomy_cli
from lifecycle import rename, retire
from taxonomy import migration
from taxonomy.loader import load


def _release(project: Path, version: str) -> None:
    result = taxonomy_cli(project, "release", version, "--date", "2031-02-03")
    assert result.returncode == 0, result.stderr


def test_renames_and_retirements_across_releases_lead_to_todays_ids(tmp_path: Path) -> None:
    """After alpha is renamed (released), renamed again and beta retired for gamma: every id of each release maps
    to today's id, and the retired one to its replacement."""
    project = fixture_project(tmp_path)
    src = project / "taxonomy_src"
    first = load(src, project)
    first_ids = set(first.entries)
    old, kept, retired = "alpha", "gamma", "beta"
    assert {old, kept, retired} <= first_ids
    rename(project, old, "alpha-two")
    assert taxonomy_cli(project, "anchors").returncode == 0
    _release(project, "1.3.0")
    rename(project, "alpha-two", "alpha-three")
    retire(project, retired, kept)
    assert taxonomy_cli(project, "anchors").returncode == 0
    check = taxonomy_cli(project, "check")
    assert check.returncode == 0, check.stdout
    data = migration.migration(load(src, project))
    by_version = {release["version"]: release["ids"] for release in data["releases"]}
    assert set(by_version) == {first.meta.version, "1.3.0"}, "the upcoming release publishes no ids yet"
    assert set(by_version[first.meta.version]) == first_ids
    assert "alpha-two" in by_version["1.3.0"] and old not in by_version["1.3.0"]
    for ids in by_version.values():
        for old_id, fate in ids.items():
            if old_id in (old, "alpha-two"):
                assert (fate["status"], fate["current"]) == ("renamed", "alpha-three")
            elif old_id == retired:
                assert (fate["status"], fate["current"], fate["replaced_by"]) == ("retired", retired, kept)
            else:
                assert (fate["status"], fate["current"]) == ("unchanged", old_id)
