"""Cut a release: date the upcoming release and write its version everywhere the version lives."""

from __future__ import annotations

import re
from pathlib import Path

from .anchors import REGISTRY, register_new
from .formats import is_date, is_semver
from .loader import load
from .meta import META
from .model import Release
from .releases import CHANGELOG, VERSIONING, ChangelogEditError, date_upcoming, semver_key
from .templating import Output, environment
from .yamlsrc import parse_yaml

CHANGELOG_MD = "CHANGELOG.md"
CITATION = "CITATION.cff"
PYPROJECT = "pyproject.toml"
# Each file that names the version, with the pattern of the line that names it (first match, whole line).
VERSION_LINES = {
    PYPROJECT: re.compile(r'^version = "(?P<version>[^"]*)"$', re.MULTILINE),
    CITATION: re.compile(r"^version: (?P<version>.*)$", re.MULTILINE),
}
CITATION_DATE = re.compile(r"^date-released: .*$", re.MULTILINE)


def versions(src: Path, repo: Path) -> dict[str, str | None]:
    """The version as each place states it (None where a place states none), for checking they agree."""
    found: dict[str, str | None] = {}
    for name, pattern in VERSION_LINES.items():
        match = pattern.search((repo / name).read_text("utf-8"))
        found[name] = match.group("version").strip('"') if match else None
    meta = parse_yaml((src / META).read_text("utf-8"))
    found[f"{src.name}/{META}"] = str(meta.value["version"].value) if meta and isinstance(meta.value, dict) \
        and "version" in meta.value else None
    heading = re.search(r"^## (\S+)", (repo / CHANGELOG_MD).read_text("utf-8"), re.MULTILINE)
    found[CHANGELOG_MD] = heading.group(1) if heading else None
    return found


def cut(src: Path, repo: Path, version: str, date: str) -> list[Path]:
    """Release the upcoming changes as `version` on `date`; return the files written.

    Raises TaxonomyError if the sources are not valid before or after, ChangelogEditError if there is nothing
    to release or the version does not come after the last one.
    """
    if not is_semver(version):
        raise ChangelogEditError(f"VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got {version!r}). "
                                 "Fix: e.g. VERSION=0.2.0.")
    if not is_date(date):
        raise ChangelogEditError(f"DATE must be a real date written YYYY-MM-DD in digits 0-9 (got {date!r}). "
                                 "Fix: e.g. DATE=2026-12-01.")
    taxonomy = load(src, repo)
    released = [r.version for r in taxonomy.releases if r.released]
    if released and semver_key(version) <= semver_key(released[-1]):
        raise ChangelogEditError(f"the version must come after the last release (got {version}, last released "
                                 f"{released[-1]}). Fix: pick a higher version.")
    texts = {src / CHANGELOG: date_upcoming((src / CHANGELOG).read_text("utf-8"), version, date)}
    meta_text = (src / META).read_text("utf-8")
    meta = parse_yaml(meta_text)
    assert meta is not None and isinstance(meta.value, dict)
    lines = meta_text.split("\n")
    index = meta.key_line("version") - 1
    lines[index] = f"{lines[index][:lines[index].index('version:')]}version: {version}"
    texts[src / META] = "\n".join(lines)
    for name, pattern in VERSION_LINES.items():
        text = (repo / name).read_text("utf-8")
        line = f'version = "{version}"' if name == PYPROJECT else f"version: {version}"
        texts[repo / name] = pattern.sub(line, text, count=1)
    texts[repo / CITATION] = CITATION_DATE.sub(f'date-released: "{date}"', texts[repo / CITATION], count=1)
    before = {path: path.read_text("utf-8") for path in texts}
    for path, text in texts.items():
        path.write_text(text, "utf-8")
    try:
        taxonomy = load(src, repo)
    except Exception:
        for path, text in before.items():
            path.write_text(text, "utf-8")
        raise
    (repo / CHANGELOG_MD).write_text(changelog_markdown(taxonomy.releases), "utf-8")
    register_new(taxonomy, src)
    return [*texts, repo / CHANGELOG_MD, src / REGISTRY]


def changelog_markdown(releases: tuple[Release, ...]) -> str:
    """CHANGELOG.md, generated from the released part of changelog.yaml (upcoming changes are not in it)."""
    released = [r for r in reversed(releases) if r.released]
    return environment(Output.TEXT).get_template("CHANGELOG.md.j2").render(releases=released,
                                                                          versioning=VERSIONING)
