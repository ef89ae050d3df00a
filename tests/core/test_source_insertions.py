"""Markdown constructs inserted into every text field of every fixture source file (issue 24 §1): what the check
accepts renders every page (and, for a few, builds strictly), what it refuses comes as `path:line` problems of the
file that was changed, never as an internal error.

The deletion walk (test_source_mutations.py) removes what is there; this inserts what a pull request could add:
links, anchors, citations, markers, raw HTML, fences, setext headings, brackets, astral and bidi characters.
Seeded (derandomized), so it never flakes. Whether an accepted page shows the text faithfully (setext headings,
astral and bidi characters) is issue 24 §2's to assert; nothing here is excluded for it.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_source_mutations import PROBLEM, _source_files, _sources

from conftest import FIXTURES, fixture_project, run_mkdocs
from taxonomy import schema
from taxonomy.loader import load
from taxonomy.problems import TaxonomyError
from taxonomy.render import Renderer

pytestmark = pytest.mark.slow

SHAPES = {"with cases": ("minimal", "cases"), "provenance": ("provenance",)}
CONSTRUCTS = (
    "[[alpha]]", "[[zz-nope]]", "[[beta#definition|the beta]]", "[[beta#zz-none|x]]", "[[#definition]]",
    "[@post]", "[@zz-nope]", "[@post, p. 3]", "`[@zz-nope]`", "`[[zz-nope]]`", "`[?lost#zz-code]`",
    "[@post, p. [3]]", "[?our-reading]", "[?lost#zz-open]", "[?zz]",
    "<b>x</b>", "<script>alert(1)</script>", "[x](javascript:alert(1))", "[x](https://example.org)", "[x](#top)",
    "![i](https://example.org/i.png)", "[^1]", "[^1]: a note", "{: .x}", "{#zz-id}",
    "\n```\n", "```", "~~~", "\n\n---\n", "\n===\n", "\n\n## Heading {#zz-heading}\n", "\n\n# Title {#zz-title}\n",
    "[", "]", "[[", "]]", "[?", "[@", "*", "_", "`", "\\", "|", "#", "> ", "- ", "1. ", "&amp;", "&#0;",
    "\U0001F600", "\U0001D400", "\u202e", "\u2066", "\u200b", '"', "'", ": ", "\t", "\n", "{{ x }}", "{% x %}",
)
"""What is inserted: one at a time, anywhere in a field's text."""
TEXT_NAMES = frozenset(f.name for f in schema.SOURCE_FIELDS if f.kind in (schema.PLAIN, schema.INLINE)) - {"label"}
"""The YAML keys whose values are free text in some source file (the schema's one list). An answer's label is also
the key that case paths name, so changing it is rightly reported in the cases that name it: left out."""
REGISTRY = "taxonomy_src/anchors.txt:"
"""Text can remove a published anchor (a citation broken mid-key drops its '#ref-<key>'): the registry reports it."""


@dataclass(frozen=True)
class Site:
    """A place to insert text: a file of a fixture shape and the span of one field's text (or a body line)."""

    shape: str
    file: str
    start: int
    end: int


def _sites() -> list[Site]:
    """Every free-text value of every source file, and every non-blank body line, of every shape."""
    found = []
    for shape, overlays in SHAPES.items():
        merged: dict[str, Path] = {}
        for overlay in overlays:
            merged.update({p.relative_to(FIXTURES / overlay).as_posix(): p
                           for p in _source_files(FIXTURES / overlay)})
        for file, path in sorted(merged.items()):
            text = path.read_text("utf-8")
            body = text.split("\n---\n", 1)[1] if file.endswith(".md") and "\n---\n" in text else ""
            front = len(text) - len(body)
            for m in re.finditer(r"(?:^|[{,]\s*)(?:- )?\s*([a-z_]+): (\"?)([^\"\n{}]+)\2", text[:front], re.M):
                if m.group(1) in TEXT_NAMES:
                    found.append(Site(shape, file, m.start(3), m.end(3)))
            for m in re.finditer(r"(?m)^.+$", body):
                found.append(Site(shape, file, front + m.start(), front + m.end()))
    return found


SITES = _sites()


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One scratch copy of each shape's sources, restored after each example."""
    return {shape: _sources(tmp_path_factory.mktemp(shape.replace(" ", "-")) / "taxonomy_src", overlays)
            for shape, overlays in SHAPES.items()}


def _outcome(src: Path, file: str) -> tuple[str | None, bool]:
    """(what went wrong or None, whether the sources were accepted)."""
    try:
        taxonomy = load(src, src.parent)
    except TaxonomyError as exc:
        shown = [str(p) for p in exc.problems]
        unclean = [p for p in shown if not PROBLEM.match(p) or "internal error" in p]
        if unclean or not shown:
            return f"refused uncleanly: {unclean or 'no problems'}", False
        if not any(p.startswith((f"taxonomy_src/{file}:", REGISTRY)) for p in shown):
            return f"refused, but not in {file}: {shown}", False
        return None, False
    try:
        Renderer(taxonomy, directory_urls=True).files()
        Renderer(taxonomy, directory_urls=False).files()
    except Exception as exc:  # noqa: BLE001 - any error here is the finding
        return f"accepted, but rendering failed: {type(exc).__name__}: {exc}", True
    return None, True


def _insert(trees: dict[str, Path], site: Site, construct: str, at: int) -> tuple[Path, str]:
    """Write the construct into the site's text at a position; return the file and its original text."""
    path = trees[site.shape] / site.file
    original = path.read_text("utf-8")
    position = site.start + at % (site.end - site.start + 1)
    path.write_text(original[:position] + construct + original[position:], "utf-8")
    return path, original


@settings(derandomize=True, max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(site=st.sampled_from(SITES), construct=st.sampled_from(CONSTRUCTS), at=st.integers(0, 400))
def test_an_inserted_construct_is_refused_in_its_file_or_renders(trees: dict[str, Path], site: Site,
                                                                 construct: str, at: int) -> None:
    """One construct inserted into one field or body line: a clean refusal naming that file, or every page."""
    path, original = _insert(trees, site, construct, at)
    try:
        finding, _ = _outcome(trees[site.shape], site.file)
    finally:
        path.write_text(original, "utf-8")
    assert finding is None, f"{site.file} with {construct!r} inserted: {finding}"


def test_the_sites_cover_every_source_file_and_text_field() -> None:
    """Every source file of every shape has a place to insert into, and every free-text key of the schema that
    the fixtures write is among them."""
    files = {(s.shape, s.file) for s in SITES}
    for shape, overlays in SHAPES.items():
        for overlay in overlays:
            for path in _source_files(FIXTURES / overlay):
                name = path.relative_to(FIXTURES / overlay).as_posix()
                if name != "anchors.txt":
                    assert (shape, name) in files, name


STRICT_SAMPLE = 6
"""How many accepted insertions (one per file) the strict build gets, all at once: one build, a few seconds."""


def test_accepted_insertions_build_strictly(tmp_path: Path) -> None:
    """A seeded sample of insertions the check accepts, applied together to one project: MkDocs builds it with
    --strict (its own link, anchor and nav warnings are errors), so the check is no laxer than the build."""
    project = fixture_project(tmp_path / "project")
    for overlay in SHAPES["with cases"][1:]:
        shutil.copytree(FIXTURES / overlay, project / "taxonomy_src", dirs_exist_ok=True)
    src = project / "taxonomy_src"
    trees = {"with cases": src}
    chosen = random.Random(24)
    applied: dict[str, str] = {}
    for _ in range(400):
        site = chosen.choice([s for s in SITES if s.shape == "with cases"])
        if site.file in applied or len(applied) == STRICT_SAMPLE:
            continue
        construct = chosen.choice(CONSTRUCTS)
        path, original = _insert(trees, site, construct, chosen.randrange(400))
        finding, accepted = _outcome(src, site.file)
        assert finding is None, finding
        if accepted:
            applied[site.file] = construct
        else:
            path.write_text(original, "utf-8")
    assert len(applied) == STRICT_SAMPLE
    load(src, project)
    built = run_mkdocs(project, "build", "--strict", "--site-dir", str(tmp_path / "out"))
    assert built.returncode == 0, f"{applied}: {built.stderr[-3000:]}"
