"""Frozen editions: each release's site, built once from its commit and stored on main as a deterministic archive
with a checksum manifest (`make freeze`), and assembled with the current site into one folder (`make editions`).

An edition is stored as `editions/<version>.tar.gz` (every file under `<version>/`, sorted, with fixed times and
owners, gzip without a name or time) beside `editions/<version>.sha256`, in the format of `sha256sum`: the archive's
line first, then one line per file. Both are written when the edition is frozen and never again, so
`cd editions && sha256sum -c 0.1.0.sha256` after `tar xzf 0.1.0.tar.gz` verifies one by hand. Assembling verifies
each manifest, extracts each edition to `<site>/v/<version>/` and adds one script tag to each of its HTML pages (the
stored bytes stay as they are): the current site's `assets/editions.js`, which shows the banner and the selector."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .formats import is_commit, is_semver, semver_key
from .loader import load
from .meta import META
from .model import Release, Taxonomy
from .published import STORE, archive_of
from .releases import CHANGELOG, set_release_fields
from .urls import EDITIONS_DIR
from .yamlsrc import parse_yaml

URL_DIR = EDITIONS_DIR
"""Editions are published at /v/<version>/ under the site's base path."""
SCRIPT = "assets/editions.js"
"""The current site's script that every page of an edition loads: version selector, banner, comparison."""
VERSIONS = "versions.json"
"""The list of editions the selector reads (mike's format, with dates), at the current site's root."""
CURRENT = "current"
"""The version name of the current site (at the root) in versions.json."""
CONFIG = "mkdocs.edition.yml"
"""The configuration an edition is built with: the project's, under the edition's own address."""
MECHANISM = "hooks/taxonomy/editions.py"
"""A commit without this file predates frozen editions: its edition, built later, is labelled rebuilt."""
SITE_URL = re.compile(r"^(?P<key>site_url:[ \t]*).*$", re.MULTILINE)


class EditionError(Exception):
    """An edition cannot be frozen or assembled; the message names the file and says what to do."""


@dataclass(frozen=True)
class Stored:
    """A frozen edition's files in the store."""

    version: str
    archive: Path
    manifest: Path


def stored(repo: Path, version: str) -> Stored:
    """Where the edition `version` is (or would be) stored."""
    return Stored(version, archive_of(repo, version), repo / STORE / f"{version}.sha256")


def stored_versions(repo: Path) -> list[str]:
    """The versions that have a manifest in the store, oldest first."""
    folder = repo / STORE
    names = (p.name.removesuffix(".sha256") for p in folder.glob("*.sha256")) if folder.is_dir() else iter(())
    return sorted((n for n in names if is_semver(n)), key=semver_key)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- storing ---

def pack(files: Mapping[str, bytes], version: str) -> bytes:
    """A deterministic tar.gz of `files` (path -> bytes) under `<version>/`: the same files give the same bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(f"{version}/{name}")
            info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = \
                len(files[name]), 0, 0o644, 0, 0, "", ""
            tar.addfile(info, io.BytesIO(files[name]))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as compressed:
        compressed.write(raw.getvalue())
    return out.getvalue()


def manifest(archive: bytes, files: Mapping[str, bytes], version: str) -> str:
    """The manifest of an edition, in `sha256sum` format: the archive, then each file as extracted."""
    lines = [f"{_sha256(archive)}  {version}.tar.gz"]
    lines += [f"{_sha256(files[name])}  {version}/{name}" for name in sorted(files)]
    return "\n".join(lines) + "\n"


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _git(repo: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=120, check=False)
    if result.returncode != 0:
        raise EditionError(f"git {' '.join(args)} failed in {repo} (got {result.stderr.decode(errors='replace')!r}). "
                           "Fix: run it from a clone of the repository with its history.")
    return result.stdout


def _release(taxonomy: Taxonomy, version: str) -> Release:
    found = next((r for r in taxonomy.releases if r.version == version), None)
    if found is None or not found.released:
        raise EditionError(f"{version} is not a released version in taxonomy_src/{CHANGELOG} (got "
                           f"{'an undated release' if found else 'no such release'}). "
                           f"Fix: date it first with `make release VERSION={version}` and commit.")
    return found


def build(repo: Path, commit: str, version: str, site_url: str, out: Path) -> None:
    """Build the site as it was at `commit`, under the edition's address `<site_url>v/<version>/`, into `out`.

    The sources come from git, never from the working tree; the permalinks they print use today's `site_url`
    (an older commit's may be wrong: 0.1.0 predates the project path). Times come from the commit."""
    with tempfile.TemporaryDirectory(prefix=f"edition-{version}-") as scratch:
        checkout = Path(scratch) / "src"
        checkout.mkdir()
        with tarfile.open(fileobj=io.BytesIO(_git(repo, "archive", "--format=tar", commit)), mode="r:") as tar:
            tar.extractall(checkout, filter="data")
        meta = checkout / "taxonomy_src" / META
        text = meta.read_text("utf-8")
        stated = re.search(r"^version:\s*[\"']?([^\"'\s]+)", text, re.MULTILINE)
        if stated is None or stated.group(1) != version:
            raise EditionError(f"commit {commit[:12]} is not version {version} (got version "
                               f"{stated.group(1) if stated else 'none'} in taxonomy_src/{META}). "
                               "Fix: name the commit that dated the release (git log taxonomy_src/changelog.yaml).")
        meta.write_text(SITE_URL.sub(lambda m: m["key"] + site_url, text, count=1), "utf-8")
        edition_url = f"{site_url}{URL_DIR}/{version}/"
        (checkout / CONFIG).write_text(f"INHERIT: mkdocs.yml\nsite_url: {edition_url}\n", "utf-8")
        when = _git(repo, "show", "-s", "--format=%ct", commit).decode().strip()
        env = dict(os.environ, PYTHONPATH=str(checkout / "hooks"), SOURCE_DATE_EPOCH=when,
                   NO_MKDOCS_2_WARNING="1")
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", CONFIG,
                                 "--site-dir", str(out)], cwd=checkout, env=env, capture_output=True, text=True,
                                timeout=900, check=False)
        if result.returncode != 0:
            raise EditionError(f"the site at commit {commit[:12]} did not build (got {result.stderr[-2000:]!r}). "
                               "Fix: name a commit whose site builds with today's tools.")


def _dates(changelog: str, version: str) -> bool:
    """Whether changelog.yaml text gives release `version` a date."""
    node = parse_yaml(changelog)
    listed = node.value.get("releases") if node is not None and isinstance(node.value, dict) else None
    return listed is not None and isinstance(listed.value, list) and any(
        isinstance(item.value, dict) and "version" in item.value and str(item.value["version"].value) == version
        and "date" in item.value and item.value["date"].value is not None for item in listed.value)


def _has(repo: Path, commit: str, path: str) -> bool:
    return subprocess.run(["git", "cat-file", "-e", f"{commit}:{path}"], cwd=repo, capture_output=True, timeout=60,
                          check=False).returncode == 0


def dating_commit(repo: Path, version: str) -> str:
    """The commit that dated release `version`: the oldest commit whose changelog.yaml gives it a date."""
    path = f"taxonomy_src/{CHANGELOG}"
    for commit in _git(repo, "log", "--format=%H", "--reverse", "--", path).decode().split():
        if _dates(_git(repo, "show", f"{commit}:{path}").decode("utf-8", errors="replace"), version):
            return commit
    raise EditionError(f"no commit dates release {version} (got none in `git log {path}`). Fix: commit what "
                       f"`make release VERSION={version}` wrote, then run `make freeze` again.")


def freeze(repo: Path, version: str, commit: str | None = None,
           today: datetime.date | None = None) -> list[Path]:
    """Build the edition `version` from the commit that dated it (or `commit`) and store it, with its manifest and
    the commit in changelog.yaml; an edition built from a commit older than this module is recorded as rebuilt.
    Return the files written. An edition already stored is never stored again."""
    src = repo / "taxonomy_src"
    taxonomy = load(src, repo)
    release = _release(taxonomy, version)
    target = stored(repo, version)
    for path in (target.archive, target.manifest):
        if path.exists():
            raise EditionError(f"edition {version} is already frozen (got {path.relative_to(repo).as_posix()}). "
                               "Fix: nothing to do; a frozen edition is never built again.")
    if release.commit is not None:
        raise EditionError(f"edition {version} was frozen from commit {release.commit[:12]} (got its 'commit' in "
                           f"taxonomy_src/{CHANGELOG}). Fix: restore {STORE}/{version}.tar.gz and its manifest from "
                           "git; a frozen edition is never built again.")
    resolved = _git(repo, "rev-parse", "--verify", f"{commit}^{{commit}}").decode().strip() if commit \
        else dating_commit(repo, version)
    assert is_commit(resolved), resolved
    rebuilt = not _has(repo, resolved, MECHANISM)
    with tempfile.TemporaryDirectory(prefix=f"edition-{version}-site-") as scratch:
        build(repo, resolved, version, taxonomy.meta.site_url, Path(scratch))
        files = read_folder(Path(scratch))
    archive = pack(files, version)
    target.archive.parent.mkdir(exist_ok=True)
    target.archive.write_bytes(archive)
    target.manifest.write_text(manifest(archive, files, version), "utf-8")
    fields = {"commit": resolved}
    if rebuilt:
        fields["rebuilt"] = (today or datetime.date.today()).isoformat()
    changelog = src / CHANGELOG
    changelog.write_text(set_release_fields(changelog.read_text("utf-8"), release.version, fields), "utf-8")
    verify(repo, version)
    return [target.archive, target.manifest, changelog]


# --- verifying and assembling ---

def _manifest_lines(edition: Stored, shown: str) -> dict[str, str]:
    if not edition.manifest.is_file():
        raise EditionError(f"{shown}/{edition.archive.name} has no manifest (got no {shown}/{edition.manifest.name}). "
                           "Fix: restore it from git; a manifest is written once, when the edition is frozen.")
    found: dict[str, str] = {}
    for number, line in enumerate(edition.manifest.read_text("utf-8").splitlines(), 1):
        match = re.fullmatch(r"([0-9a-f]{64})  (\S.*)", line)
        if match is None:
            raise EditionError(f"{shown}/{edition.manifest.name}:{number}: not a manifest line (got {line!r}). "
                               "Fix: restore the manifest from git.")
        found[match[2]] = match[1]
    return found


def verify(repo: Path, version: str) -> dict[str, bytes]:
    """The files of a stored edition (path inside the edition -> bytes), each checked against the manifest."""
    edition, shown = stored(repo, version), STORE
    expected = _manifest_lines(edition, shown)
    fix = f"Fix: restore {shown}/{edition.archive.name} and {shown}/{edition.manifest.name} from git; " \
          "a frozen edition never changes."
    if not edition.archive.is_file():
        raise EditionError(f"{shown}/{edition.manifest.name} has no archive (got no {shown}/{edition.archive.name}). "
                           f"{fix}")
    data = edition.archive.read_bytes()
    if expected.get(edition.archive.name) != _sha256(data):
        raise EditionError(f"{shown}/{edition.archive.name} does not match its manifest (got sha256 {_sha256(data)}, "
                           f"{shown}/{edition.manifest.name} says {expected.get(edition.archive.name)}). {fix}")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile() or not name.startswith(f"{version}/") or ".." in name.split("/"):
                raise EditionError(f"{name} in {shown}/{edition.archive.name} is not a file of edition {version} "
                                   f"(got a {'file' if member.isfile() else 'link or folder'}). {fix}")
            content = tar.extractfile(member)
            assert content is not None
            body = content.read()
            if expected.get(name) != _sha256(body):
                got = f"sha256 {_sha256(body)}" if name in expected else "a file the manifest does not list"
                raise EditionError(f"{name} in {shown}/{edition.archive.name} does not match its manifest (got {got}). "
                                   f"{fix}")
            files[name.removeprefix(f"{version}/")] = body
    missing = sorted(set(expected) - {edition.archive.name} - {f"{version}/{n}" for n in files})
    if missing:
        raise EditionError(f"{missing[0]} is listed in {shown}/{edition.manifest.name} but not in "
                           f"{shown}/{edition.archive.name} (got {len(missing)} missing). {fix}")
    return files


HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)


def with_script(html: bytes, depth: int) -> bytes:
    """An HTML page of an edition with the current site's editions script first in its head (a page without a
    head is returned as it is). `depth`: how many folders the page is below the site's root."""
    tag = f'<script src="{"../" * depth}{SCRIPT}"></script>'.encode()
    match = HEAD.search(html)
    return html if match is None else html[:match.end()] + tag + html[match.end():]


def versions(taxonomy: Taxonomy, versions_stored: list[str]) -> list[dict[str, Any]]:
    """versions.json: the current site, then each stored edition, newest first (mike's fields, plus dates)."""
    by_version = {r.version: r for r in taxonomy.releases}
    items: list[dict[str, Any]] = [{"version": CURRENT, "title": f"Current (after {taxonomy.meta.version})",
                                    "aliases": ["latest"], "path": "", "date": None}]
    for version in sorted(versions_stored, key=semver_key, reverse=True):
        release = by_version[version]
        label = f"{release.date}, rebuilt" if release.rebuilt else release.date
        items.append({"version": version, "title": f"{version} ({label})",
                      "aliases": [], "path": f"{URL_DIR}/{version}/", "date": release.date,
                      "commit": release.commit, "rebuilt": release.rebuilt})
    return items


def assemble(repo: Path, site: Path) -> list[str]:
    """Add every stored edition, verified, to the built current site in `site`, with versions.json; return the
    versions added."""
    taxonomy = load(repo / "taxonomy_src", repo)
    found = stored_versions(repo)
    by_version = {r.version: r for r in taxonomy.releases}
    for version in found:
        release = by_version.get(version)
        if release is None or not release.released or release.commit is None:
            raise EditionError(f"{STORE}/{version}.sha256 is an edition that taxonomy_src/{CHANGELOG} does not record "
                               f"(got {'no commit for it' if release and release.released else 'no such release'}). "
                               "Fix: restore the release's 'commit' line from git.")
    for release in taxonomy.releases:
        if release.commit is not None and release.version not in found:
            raise EditionError(f"release {release.version} records the commit of its edition, but the store has no "
                               f"{STORE}/{release.version}.sha256 (got {', '.join(found) or 'no edition'} in "
                               f"{STORE}/). Fix: restore {STORE}/{release.version}.tar.gz and its manifest from git.")
    verified = {version: verify(repo, version) for version in found}  # all of them before anything is written
    for version, files in verified.items():
        for name, body in files.items():
            path = site / URL_DIR / version / name
            path.parent.mkdir(parents=True, exist_ok=True)
            depth = len(Path(URL_DIR, version, name).parts) - 1
            path.write_bytes(with_script(body, depth) if name.endswith(".html") else body)
    (site / VERSIONS).write_text(json.dumps(versions(taxonomy, found), indent=1) + "\n", "utf-8")
    return found


def main(argv: list[str], prog: str = "taxonomy editions") -> int:
    """`taxonomy editions freeze VERSION [--commit C]` (make freeze), `assemble SITE` (make editions), `verify`."""
    import argparse

    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    freeze_cmd = sub.add_parser("freeze", help="build a released version from its commit and store it (make freeze)")
    freeze_cmd.add_argument("version")
    freeze_cmd.add_argument("--commit", help="rebuild from this commit (a release older than the editions mechanism)")
    assemble_cmd = sub.add_parser("assemble", help="add every stored edition to a built site (make editions)")
    assemble_cmd.add_argument("site", type=Path)
    sub.add_parser("verify", help="check every stored edition against its manifest")
    args = parser.parse_args(argv)
    repo = Path.cwd()
    from .problems import TaxonomyError
    try:
        if args.command == "freeze":
            written = freeze(repo, args.version, args.commit)
            shown = ", ".join(p.relative_to(repo).as_posix() for p in written)
            print(f"froze edition {args.version}; wrote {shown}. Commit them.", file=sys.stderr)
        elif args.command == "assemble":
            added = assemble(repo, args.site)
            print(f"assembled {args.site}/ with the current site and edition(s) {', '.join(added) or 'none'}.",
                  file=sys.stderr)
        else:
            for version in stored_versions(repo):
                verify(repo, version)
            print(f"every stored edition matches its manifest ({', '.join(stored_versions(repo)) or 'none'}).",
                  file=sys.stderr)
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except TaxonomyError as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    return 0
