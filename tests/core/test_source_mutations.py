"""Every line of the fixture sources deleted in turn, and every citation and wiki link broken in turn: what the check
accepts renders without an error (so `make check` and the build agree), what it refuses comes as the project's own
problems, and a broken reference is always refused.

Random mutations of the sources found two gaps of this kind (a source work without a url, a citation of an unknown
work in the decision tree's help); these walks cover each line and each reference of the fixtures, not a sample.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from taxonomy.loader import load
from taxonomy.markup import CITATION
from taxonomy.problems import TaxonomyError
from taxonomy.render import Renderer

pytestmark = pytest.mark.slow  # several hundred loads, and a render of every page for each accepted one

SHAPES = {"minimal": ("minimal",), "with cases": ("minimal", "cases")}
PROBLEM = re.compile(r"^taxonomy_src/[^:\n]+:\d+: .+$")
WIKI_LINK_TARGET = re.compile(r"\[\[([a-z0-9-]+)")


def _sources(dest: Path, overlays: tuple[str, ...]) -> Path:
    for overlay in overlays:
        shutil.copytree(FIXTURES / overlay, dest, dirs_exist_ok=True)
    return dest


def _source_files(src: Path) -> list[Path]:
    return sorted(p for p in src.rglob("*") if p.is_file() and p.suffix in (".md", ".yaml", ".txt"))


def _outcome(src: Path) -> str | None:
    """None when the sources load and every generated page renders, or when they are refused cleanly; otherwise
    what went wrong."""
    try:
        taxonomy = load(src, src.parent)
    except TaxonomyError as exc:
        unclean = [str(p) for p in exc.problems if not PROBLEM.match(str(p)) or "internal error" in str(p)]
        return f"refused uncleanly: {unclean}" if unclean or not exc.problems else None
    try:
        Renderer(taxonomy, directory_urls=True).files()
    except Exception as exc:  # noqa: BLE001 - any error here is the finding
        return f"accepted, but rendering failed: {type(exc).__name__}: {exc}"
    return None


@pytest.mark.parametrize("overlays", SHAPES.values(), ids=SHAPES.keys())
def test_deleting_any_one_line_is_refused_cleanly_or_renders(tmp_path: Path, overlays: tuple[str, ...]) -> None:
    """Each line of each source file, deleted alone."""
    src = _sources(tmp_path / "taxonomy_src", overlays)
    failures = []
    for path in _source_files(src):
        original = path.read_text("utf-8")
        lines = original.split("\n")
        for index in range(len(lines)):
            path.write_text("\n".join(lines[:index] + lines[index + 1:]), "utf-8")
            outcome = _outcome(src)
            if outcome:
                failures.append(f"{path.relative_to(src)}: line {index + 1} deleted: {outcome}")
        path.write_text(original, "utf-8")
    assert _outcome(src) is None and not failures, failures


@pytest.mark.parametrize("overlays", SHAPES.values(), ids=SHAPES.keys())
def test_breaking_any_one_reference_is_refused(tmp_path: Path, overlays: tuple[str, ...]) -> None:
    """Each citation key and each wiki-link target, made unknown alone: the check refuses it, in that file."""
    src = _sources(tmp_path / "taxonomy_src", overlays)
    failures, broken = [], 0
    for path in _source_files(src):
        original = path.read_text("utf-8")
        for pattern in (CITATION, WIKI_LINK_TARGET):
            for match in pattern.finditer(original):
                broken += 1
                start, end = match.span(1)
                path.write_text(original[:start] + "zz-unknown-" + original[start:end] + original[end:], "utf-8")
                try:
                    load(src, src.parent)
                    failures.append(f"{path.relative_to(src)}: {match.group(0)!r} broken, and accepted")
                except TaxonomyError as exc:
                    shown = f"taxonomy_src/{path.relative_to(src).as_posix()}:"
                    if not any(str(p).startswith(shown) for p in exc.problems):
                        failures.append(f"{match.group(0)!r} broken: no problem in {shown} (got {exc.problems})")
        path.write_text(original, "utf-8")
    assert broken and not failures, failures
