"""Frozen editions without a build: the archive is deterministic, every manifest mismatch is refused with a message
naming the file, assembling adds the script tag to extracted pages only, and versions.json follows the changelog."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, edit
from taxonomy import editions
from taxonomy.editions import EditionError, manifest, pack, stored, verify, with_script
from taxonomy.loader import load
from taxonomy.releases import ChangelogEditError, set_release_fields

FILES = {"index.html": b"<html><head><title>x</title></head><body>1.2.3</body></html>",
         "taxonomy/alpha/index.html": b"<!doctype html><html lang=en><head>\n<meta charset=utf-8></head></html>",
         "taxonomy.json": b'{"entries": []}'}
COMMIT = "a" * 40
FIX = ("Fix: restore editions/1.2.3.tar.gz and editions/1.2.3.sha256 from git; a frozen edition never changes.")


def store(repo: Path, files: dict[str, bytes] = FILES, version: str = "1.2.3") -> bytes:
    """A stored edition in `repo`, as `make freeze` writes it."""
    archive = pack(files, version)
    target = stored(repo, version)
    target.archive.parent.mkdir(parents=True, exist_ok=True)
    target.archive.write_bytes(archive)
    target.manifest.write_text(manifest(archive, files, version), "utf-8")
    return archive


def project(tmp_path: Path, commit: str | None = COMMIT) -> Path:
    """A project folder with the minimal fixture sources, its release 1.2.3 recorded with `commit`."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "taxonomy_src")
    if commit:
        changelog = tmp_path / "taxonomy_src" / "changelog.yaml"
        changelog.write_text(set_release_fields(changelog.read_text("utf-8"), "1.2.3", {"commit": commit}), "utf-8")
    return tmp_path


@settings(derandomize=True, max_examples=40, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,2}\.(html|json)", fullmatch=True),
                       st.binary(max_size=200), min_size=1, max_size=6))
def test_the_same_files_make_the_same_archive_which_verifies(tmp_path_factory: pytest.TempPathFactory,
                                                             files: dict[str, bytes]) -> None:
    """Packing is deterministic (whatever the order the files come in) and what verifies is exactly what was packed."""
    if any(a != b and b.startswith(a + "/") for a in files for b in files):
        return  # a file cannot also be a folder
    assert pack(files, "1.2.3") == pack(dict(reversed(list(files.items()))), "1.2.3")
    repo = tmp_path_factory.mktemp("repo")
    store(repo, files)
    assert verify(repo, "1.2.3") == files


def _tamper_archive(repo: Path) -> None:
    path = stored(repo, "1.2.3").archive
    path.write_bytes(pack({**FILES, "index.html": b"changed"}, "1.2.3"))


def _manifest_line(old: str, new: str) -> Callable[[Path], None]:
    def change(repo: Path) -> None:
        path = stored(repo, "1.2.3").manifest
        lines = path.read_text("utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.endswith(old))
        if new:
            lines[index] = lines[index].replace(old, new) if new != "0" else "0" * 64 + lines[index][64:]
        else:
            del lines[index]
        path.write_text("\n".join(lines), "utf-8")
    return change


def _archive_with_link(repo: Path) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        info = tarfile.TarInfo("1.2.3/index.html")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    target = stored(repo, "1.2.3")
    target.archive.write_bytes(raw.getvalue())
    target.manifest.write_text(manifest(raw.getvalue(), {}, "1.2.3"), "utf-8")


def _sha(name: str) -> str:
    import hashlib
    return hashlib.sha256(FILES[name]).hexdigest()


TAMPERED: list[tuple[str, Callable[[Path], None], str]] = [
    ("manifest deleted", lambda repo: stored(repo, "1.2.3").manifest.unlink(),
     "editions/1.2.3.tar.gz has no manifest (got no editions/1.2.3.sha256). Fix: restore it from git; a manifest "
     "is written once, when the edition is frozen."),
    ("archive deleted", lambda repo: stored(repo, "1.2.3").archive.unlink(),
     f"editions/1.2.3.sha256 has no archive (got no editions/1.2.3.tar.gz). {FIX}"),
    ("archive changed", _tamper_archive,
     "editions/1.2.3.tar.gz does not match its manifest (got sha256 {got}, editions/1.2.3.sha256 says {want}). "
     + FIX),
    ("a file's checksum changed in the manifest", _manifest_line("  1.2.3/taxonomy.json", "0"),
     f"1.2.3/taxonomy.json in editions/1.2.3.tar.gz does not match its manifest (got sha256 "
     f"{_sha('taxonomy.json')}). {FIX}"),
    ("a file left out of the manifest", _manifest_line("  1.2.3/taxonomy.json", ""),
     f"1.2.3/taxonomy.json in editions/1.2.3.tar.gz does not match its manifest (got a file the manifest does not "
     f"list). {FIX}"),
    ("a file in the manifest missing from the archive", _manifest_line("  1.2.3/taxonomy.json",
                                                                        "  1.2.3/taxonomy.json\n" + "0" * 64 +
                                                                        "  1.2.3/gone.html"),
     f"1.2.3/gone.html is listed in editions/1.2.3.sha256 but not in editions/1.2.3.tar.gz (got 1 missing). {FIX}"),
    ("a line that is not a manifest line", _manifest_line("  1.2.3/taxonomy.json", "  1.2.3/taxonomy.json\nhello"),
     "editions/1.2.3.sha256:4: not a manifest line (got 'hello'). Fix: restore the manifest from git."),
    ("a link in the archive", _archive_with_link,
     f"1.2.3/index.html in editions/1.2.3.tar.gz is not a file of edition 1.2.3 (got a link or folder). {FIX}"),
]


@pytest.mark.parametrize(("tamper", "message"), [(t, m) for _, t, m in TAMPERED], ids=[c for c, _, _ in TAMPERED])
def test_a_stored_edition_that_does_not_match_its_manifest_is_refused(tmp_path: Path, tamper: Callable[[Path], None],
                                                                      message: str) -> None:
    """Every way a stored edition can differ from what was frozen stops the assembly, naming the file."""
    store(tmp_path)
    tamper(tmp_path)
    with pytest.raises(EditionError) as caught:
        verify(tmp_path, "1.2.3")
    if "{got}" in message:
        import hashlib
        target = stored(tmp_path, "1.2.3")
        want = target.manifest.read_text("utf-8").split()[0]
        message = message.format(got=hashlib.sha256(target.archive.read_bytes()).hexdigest(), want=want)
    assert str(caught.value) == message


@pytest.mark.parametrize(("html", "depth", "expected"), [
    (b"<html><head><title>t</title>", 0, b'<html><head><script src="assets/editions.js"></script><title>t</title>'),
    (b'<HEAD lang="en">x', 3, b'<HEAD lang="en"><script src="../../../assets/editions.js"></script>x'),
    (b"<header>no head</header>", 2, b"<header>no head</header>"),
], ids=["root", "three-deep", "no-head"])
def test_the_script_tag_goes_first_in_the_head(html: bytes, depth: int, expected: bytes) -> None:
    """One tag, relative to the site's root, so that the page works under any base path."""
    assert with_script(html, depth) == expected


def test_assembling_verifies_extracts_and_lists_every_edition(tmp_path: Path) -> None:
    """Each stored edition lands at v/<version>/, its pages with the script tag, its other files byte for byte;
    versions.json lists the current site and each edition with its date and commit."""
    repo = project(tmp_path)
    archive = store(repo)
    site = tmp_path / "site"
    site.mkdir()
    assert editions.assemble(repo, site) == ["1.2.3"]
    assert (site / "v/1.2.3/taxonomy.json").read_bytes() == FILES["taxonomy.json"]
    page = (site / "v/1.2.3/taxonomy/alpha/index.html").read_bytes()
    assert page == with_script(FILES["taxonomy/alpha/index.html"], 4) != FILES["taxonomy/alpha/index.html"]
    assert stored(repo, "1.2.3").archive.read_bytes() == archive
    taxonomy = load(repo / "taxonomy_src", repo)
    release = next(r for r in taxonomy.releases if r.version == "1.2.3")
    assert json.loads((site / "versions.json").read_text("utf-8")) == [
        {"version": "current", "title": f"Current (after {taxonomy.meta.version})", "aliases": ["latest"],
         "path": "", "date": None},
        {"version": "1.2.3", "title": f"1.2.3 ({release.date})", "aliases": [], "path": "v/1.2.3/",
         "date": release.date, "commit": COMMIT, "rebuilt": None}]


@pytest.mark.parametrize(("commit", "got"), [(None, "no commit for it"), (COMMIT, "no such release")],
                         ids=["no-commit", "no-release"])
def test_an_edition_the_changelog_does_not_record_is_refused(tmp_path: Path, commit: str | None, got: str) -> None:
    """An archive is published only as the edition of a release whose commit the changelog records."""
    repo = project(tmp_path, commit)
    store(repo, version="1.2.3" if commit is None else "9.9.9")
    with pytest.raises(EditionError) as caught:
        editions.assemble(repo, tmp_path / "site")
    version = "1.2.3" if commit is None else "9.9.9"
    assert str(caught.value) == (f"editions/{version}.sha256 is an edition that taxonomy_src/changelog.yaml does not "
                                 f"record (got {got}). Fix: restore the release's 'commit' line from git.")


def test_a_recorded_edition_missing_from_the_store_is_refused(tmp_path: Path) -> None:
    """A release whose edition was frozen is never published without it."""
    repo = project(tmp_path)
    with pytest.raises(EditionError) as caught:
        editions.assemble(repo, tmp_path / "site")
    assert str(caught.value) == ("release 1.2.3 records the commit of its edition, but the store has no "
                                 "editions/1.2.3.sha256 (got no edition in editions/). Fix: restore "
                                 "editions/1.2.3.tar.gz and its manifest from git.")


def test_recording_a_commit_keeps_the_changelog_valid_and_refuses_an_unknown_release(tmp_path: Path) -> None:
    """`make freeze` writes the commit (and a rebuild's date) under the release; the changelog still loads."""
    repo = project(tmp_path, None)
    changelog = repo / "taxonomy_src" / "changelog.yaml"
    text = set_release_fields(changelog.read_text("utf-8"), "1.2.3", {"commit": COMMIT, "rebuilt": "2026-12-08"})
    changelog.write_text(text, "utf-8")
    release = load(repo / "taxonomy_src", repo).releases[0]
    assert (release.commit, release.rebuilt) == (COMMIT, "2026-12-08")
    assert set_release_fields(text, "1.2.3", {"commit": "b" * 40}).count("b" * 40) == 1
    with pytest.raises(ChangelogEditError) as caught:
        set_release_fields(text, "7.0.0", {"commit": COMMIT})
    assert str(caught.value) == ("no release 7.0.0 to record it on (got none in the changelog). "
                                 "Fix: add the release with `make release VERSION=7.0.0` first.")


def test_an_unreleased_version_is_not_frozen(tmp_path: Path) -> None:
    """Only a dated release has an edition."""
    repo = project(tmp_path, None)
    edit(repo / "taxonomy_src" / "changelog.yaml", "    retired: []",
         '    retired: []\n  - version: "1.3.0"\n    date: null\n    summary: Later.')
    for version, got in (("1.3.0", "an undated release"), ("4.0.0", "no such release")):
        with pytest.raises(EditionError) as caught:
            editions.freeze(repo, version)
        assert str(caught.value) == (f"{version} is not a released version in taxonomy_src/changelog.yaml (got "
                                     f"{got}). Fix: date it first with `make release VERSION={version}` and commit.")


def test_an_edition_whose_commit_is_recorded_is_never_built_again(tmp_path: Path) -> None:
    """Freezing refuses when the changelog records the edition's commit, even if its files went missing."""
    repo = project(tmp_path)
    with pytest.raises(EditionError) as caught:
        editions.freeze(repo, "1.2.3")
    assert str(caught.value) == (f"edition 1.2.3 was frozen from commit {COMMIT[:12]} (got its 'commit' in "
                                 "taxonomy_src/changelog.yaml). Fix: restore editions/1.2.3.tar.gz and its manifest "
                                 "from git; a frozen edition is never built again.")


def test_a_frozen_edition_is_never_frozen_again(tmp_path: Path) -> None:
    """Freezing refuses, changing nothing, when the store already holds the edition."""
    repo = project(tmp_path)
    archive = store(repo)
    with pytest.raises(EditionError) as caught:
        editions.freeze(repo, "1.2.3")
    assert str(caught.value) == ("edition 1.2.3 is already frozen (got editions/1.2.3.tar.gz). "
                                 "Fix: nothing to do; a frozen edition is never built again.")
    assert stored(repo, "1.2.3").archive.read_bytes() == archive
