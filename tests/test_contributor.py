"""A contributor's path, end to end in a scratch copy: scaffold, fill in, check, build, and the usual mistakes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, edit, mkdocs_env, run_mkdocs

pytestmark = pytest.mark.slow  # every test here builds the site in a scratch copy

ENTRY = "taxonomy_src/entries/reward-hacking.md"


def taxonomy_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m taxonomy ...` as `make check` / `make new-entry` / `make anchors` do."""
    return subprocess.run([sys.executable, "-m", "taxonomy", *args], cwd=project, env=mkdocs_env(),
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def contributed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project where a new failure mode was scaffolded and filled in as CONTRIBUTING.md says."""
    project = copy_project(tmp_path_factory.mktemp("contributor"))
    made = taxonomy_cli(project, "new", "reward-hacking", "--kind", "failure-mode", "--parent",
                        "inner-misalignment", "--title", "Reward hacking")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Created {ENTRY}. Next:")
    assert "decision-tree.yaml" in made.stdout and "make anchors" in made.stdout
    entry = project / ENTRY
    edit(entry, "Write one plain sentence that says what reward hacking is.",
             "A test entry in which the AI exploits flaws in its reward signal.")
    edit(entry, "Replace with what the source says, and cite it", "The post does not discuss this case", -1)
    edit(entry, "relations: {}", "relations: {often-confused-with: [volition-based]}")
    edit(entry, "`[[id]]`", "[[volition-based]]")
    tree = project / "taxonomy_src/decision-tree.yaml"
    edit(tree, '      - label: "Neither of these"\n        entry: inner-misalignment',
             '      - label: "It exploits a flaw in the reward"\n        entry: reward-hacking\n'
             '      - label: "Neither of these"\n        entry: inner-misalignment')
    made_case = taxonomy_cli(project, "new-case", "reward-hacking-example", "--kind", "reward-hacking")
    assert made_case.returncode == 0, made_case.stderr  # the tree's new leaf needs a case that reaches it
    unregistered = taxonomy_cli(project, "check")
    assert unregistered.returncode == 1 and "Fix: run 'make anchors'" in unregistered.stdout
    assert taxonomy_cli(project, "anchors").returncode == 0
    check = taxonomy_cli(project, "check")
    assert check.returncode == 0, check.stdout
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    return project


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_new_entry_appears_everywhere(contributed: Path) -> None:
    """Its own page, the nav, the comparison matrix, the decision tree, search and every export."""
    out = contributed / "out"
    page = _soup(out / "taxonomy/reward-hacking/index.html")
    assert page.select_one("article h1").get_text(strip=True).startswith("Reward hacking")
    assert page.find(id="dimensions") is not None
    assert any(a.get("href") == "../volition-based/" for a in page.select("#related ~ ul a"))
    home = _soup(out / "index.html")
    assert home.select_one("nav.md-nav--primary").find("a", href="taxonomy/reward-hacking/") is not None
    matrix = _soup(out / "compare/index.html").find(id="matrix").find_next("table")
    assert "Reward hacking" in [row.td.get_text(strip=True) for row in matrix.select("tbody tr")]
    tree = _soup(out / "decision-tree/index.html")
    assert tree.find("a", href="../taxonomy/reward-hacking/") is not None
    assert "reward-hacking" in tree.find(id="tx-walk")["data-tree"]
    search = json.loads((out / "search/search_index.json").read_text("utf-8"))
    assert "Reward hacking" in {doc["title"] for doc in search["docs"]}
    export = json.loads((out / "taxonomy.json").read_text("utf-8"))
    assert "reward-hacking" in [e["id"] for e in export["entries"]]
    ld = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert ld["termCode"] == "reward-hacking"
    changes = _soup(out / "changes/index.html").get_text(" ")
    assert "Not yet released" in changes and "Reward hacking" in changes


def test_edit_link_opens_the_source_file(contributed: Path) -> None:
    """"Edit this page" on an entry opens its file in taxonomy_src/, not a generated page."""
    page = _soup(contributed / "out/taxonomy/reward-hacking/index.html")
    edit = page.select_one("a.md-content__button[href*='/edit/']")
    assert edit["href"].endswith("/edit/main/taxonomy_src/entries/reward-hacking.md")


def test_scaffold_refuses_ids_in_use_or_retired(contributed: Path, tmp_path: Path) -> None:
    """An existing id, a former id or any registered address is never handed out again."""
    existing = taxonomy_cli(contributed, "new", "precocious", "--kind", "concept")
    assert existing.returncode == 1
    assert existing.stderr == ("error: id 'precocious' exists or existed before (got it in taxonomy_src/). "
                               "Fix: ids are never reused; choose another id.\n")
    project = copy_project(tmp_path)
    (project / "taxonomy_src/anchors.txt").write_text(
        (project / "taxonomy_src/anchors.txt").read_text("utf-8") + "/taxonomy/old-retired-name/\n", "utf-8")
    retired = taxonomy_cli(project, "new", "old-retired-name", "--kind", "concept")
    assert retired.returncode == 1 and "exists or existed before" in retired.stderr
    bad = taxonomy_cli(project, "new", "Bad_Id", "--kind", "concept")
    assert bad.returncode == 1 and "lowercase slug" in bad.stderr


LINE = {"summary": 6, "relations": 8}
MISTAKES = [
    ("misspelt field", "summary: A test entry", "sumary: A test entry",
     ["reward-hacking.md:6: unknown field 'sumary' (got 'sumary'). Fix: remove it or use one of",
      "(did you mean 'summary'?).", "reward-hacking.md:2: missing required field 'summary'"]),
    ("dangling relation", "often-confused-with: [volition-based]", "often-confused-with: [volition-base]",
     ["reward-hacking.md:8: relation 'often-confused-with' points to an unknown entry (got 'volition-base'). "
      "Fix: use an existing id (did you mean 'volition-based'?)."]),
    ("bad YAML indentation", "    value: not-stated\n", "     value: not-stated\n",
     ["reward-hacking.md:", "the indentation does not match", "Fix: indent it like its siblings."]),
    ("citation key without bibliography entry", "[@misalignment-taxonomy-2026].\n\n## How",
     "[@harris2026].\n\n## How",
     ["unknown citation key 'harris2026' (got '[@harris2026]'). Fix: use a key from taxonomy_src/bibliography.yaml"]),
    ("missing dimension value", "  self-aware:\n    value: not-stated\n", "  self-aware:\n",
     ["reward-hacking.md:26: missing required field 'value' (got no 'value:' line). Fix: add 'value: ...'."]),
    ("heading without anchor", "## Example from the source {#example}", "## Example from the source",
     ["heading has no explicit anchor (got '## Example from the source'). Fix: end it with a stable id, "
      "e.g. '{#example-from-the-source}'."]),
    ("raw HTML", "## Definition {#definition}\n", "## Definition {#definition}\n\n<iframe src=x></iframe>\n",
     ["raw HTML is not allowed in entries (got '<iframe'). Fix: use Markdown"]),
]


@pytest.mark.parametrize(("old", "new", "expected"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_common_mistakes_get_clear_messages(contributed: Path, tmp_path: Path, old: str, new: str,
                                            expected: list[str]) -> None:
    """Each mistake a contributor makes is named with file, line and fix, and `make check` exits non-zero."""
    project = tmp_path / "p"
    shutil.copytree(contributed / "taxonomy_src", project / "taxonomy_src")
    edit(project / ENTRY, old, new)
    result = taxonomy_cli(project, "check")
    assert result.returncode == 1
    for fragment in expected:
        assert fragment in result.stdout, result.stdout
    assert all(line.startswith("taxonomy_src/") for line in result.stdout.splitlines())


def test_duplicate_id_is_reported(contributed: Path, tmp_path: Path) -> None:
    """A second file claiming the new entry's id is named, with the file that already has it."""
    project = tmp_path / "p"
    shutil.copytree(contributed / "taxonomy_src", project / "taxonomy_src")
    copy = project / "taxonomy_src/entries/reward-hacking-2.md"
    copy.write_text((project / ENTRY).read_text("utf-8"), "utf-8")
    result = taxonomy_cli(project, "check")
    assert result.returncode == 1
    assert ("taxonomy_src/entries/reward-hacking-2.md:2: duplicate id 'reward-hacking' (also used by "
            "taxonomy_src/entries/reward-hacking.md). Fix: ids are unique and never reused; choose a new one."
            ) in result.stdout
