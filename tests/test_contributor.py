"""A contributor's path, end to end in a scratch copy: scaffold, fill in, check, build, and the usual mistakes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, edit, line_of, run_mkdocs, taxonomy_cli
from lifecycle import Changes, apply, fill_in, fresh_id
from taxonomy.loader import load
from taxonomy.scaffold import used_ids
from taxonomy.schema import SCAFFOLD_PROMPTS
from taxonomy.sitecheck import ERROR, check_site, load_sources
from taxonomy.yamlsrc import parse_yaml
from test_anchors import assert_registry_resolves, redirect_anchors

pytestmark = pytest.mark.slow  # every test here builds the site in a scratch copy

TAXONOMY = load(ROOT / "taxonomy_src", ROOT)


def documented_id() -> str:
    """The id of CONTRIBUTING.md's first `make new-entry` example, or a variant of it that is still free (a
    contributor who followed the example literally has taken it), so the documented flow runs on any tree."""
    example = re.search(r"make new-entry ID=([a-z0-9-]+)", (ROOT / "CONTRIBUTING.md").read_text("utf-8"))
    assert example is not None, "CONTRIBUTING.md documents `make new-entry ID=…`"
    cases = {case.id.removesuffix("-example") for case in TAXONOMY.cases}  # its worked case is `<id>-example`
    return fresh_id(example[1], used_ids(ROOT / "taxonomy_src") | cases)


NEW = documented_id()
ENTRY = f"taxonomy_src/entries/{NEW}.md"
TITLE = NEW.replace("-", " ").capitalize()
# Chosen from the sources, so that the flow works whatever entries exist: a category to sit under, a failure
# mode to relate to, the first comparison dimension.
PARENT = next(e.id for e in TAXONOMY.of_kind("category") if TAXONOMY.children(e.id))
NEIGHBOUR = TAXONOMY.of_kind("failure-mode")[0]
DIMENSION = TAXONOMY.dimensions[0].id


def add_answer(tree: Path, entry_id: str, label: str) -> None:
    """Add an answer leading to `entry_id` to the root question of a decision-tree file, in its own style."""
    text = tree.read_text("utf-8")
    root = parse_yaml(text)
    assert root is not None and isinstance(root.value, dict)
    questions = {q.value["id"].value: q for q in root.value["questions"].value}  # type: ignore[union-attr]
    first = questions[root.value["root"].value].value["answers"].value[0]  # type: ignore[union-attr,index]
    lines = text.split("\n")
    indent = lines[first.line - 1].index("-")
    lines.insert(first.line - 1, f"{' ' * indent}- {{label: \"{label}\", entry: {entry_id}}}")
    tree.write_text("\n".join(lines), "utf-8")


@pytest.fixture(scope="module")
def contributed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project where a new failure mode was scaffolded and filled in as CONTRIBUTING.md says."""
    project = copy_project(tmp_path_factory.mktemp("contributor"))
    made = taxonomy_cli(project, "new", NEW, "--kind", "failure-mode", "--parent", PARENT,
                        "--title", TITLE)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Created {ENTRY} and listed '{NEW}' under 'added' of the upcoming")
    assert "decision-tree.yaml" in made.stdout and "make anchors" in made.stdout
    assert NEW in load_upcoming_added(project)
    entry = project / ENTRY
    untouched = taxonomy_cli(project, "check")
    prompts = [n for n, line in enumerate(entry.read_text("utf-8").split("\n"), 1)
               if any(p in line for p in SCAFFOLD_PROMPTS.values())]
    assert untouched.returncode == 1 and len(prompts) >= 1 + len(TAXONOMY.dimensions) + 5
    for number in prompts:
        assert f"{ENTRY}:{number}: scaffold text is still here (got " in untouched.stdout
    fill_in(entry, TAXONOMY.meta.source)
    edit(entry, "relations: {}", f"relations: {{often-confused-with: [{NEIGHBOUR.id}]}}")
    add_answer(project / "taxonomy_src/decision-tree.yaml", NEW, "It exploits a flaw in the reward")
    made_case = taxonomy_cli(project, "new-case", f"{NEW}-example", "--kind", NEW)
    assert made_case.returncode == 0, made_case.stderr  # the tree's new leaf needs a case that reaches it
    case = project / f"taxonomy_src/cases/{NEW}-example.md"
    untouched_case = taxonomy_cli(project, "check")
    case_prompts = [n for n, line in enumerate(case.read_text("utf-8").split("\n"), 1)
                    if any(p in line for p in SCAFFOLD_PROMPTS.values())]
    assert untouched_case.returncode == 1 and len(case_prompts) == 4
    for number in case_prompts:
        assert f"taxonomy_src/cases/{NEW}-example.md:{number}: scaffold text is still here (got " \
            in untouched_case.stdout
    fill_in(case, TAXONOMY.meta.source)
    unregistered = taxonomy_cli(project, "check")
    assert unregistered.returncode == 1 and "Fix: run 'make anchors'" in unregistered.stdout
    assert unregistered.stdout.count("\n") == 1, unregistered.stdout
    assert taxonomy_cli(project, "anchors").returncode == 0
    check = taxonomy_cli(project, "check")
    assert check.returncode == 0, check.stdout
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    return project


def load_upcoming_added(project: Path) -> tuple[str, ...]:
    """The ids listed under 'added' of the last release in a project's changelog."""
    node = parse_yaml((project / "taxonomy_src/changelog.yaml").read_text("utf-8"))
    assert node is not None and isinstance(node.value, dict)
    last = node.value["releases"].value[-1]  # type: ignore[index]
    return tuple(item.value for item in last.value["added"].value)  # type: ignore[union-attr,index]


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_new_entry_appears_everywhere(contributed: Path) -> None:
    """Its own page, the nav, the comparison matrix, the decision tree, search and every export."""
    out = contributed / "out"
    page = _soup(out / f"taxonomy/{NEW}/index.html")
    assert page.select_one("article h1").get_text(strip=True).startswith(TITLE)
    assert page.find(id="dimensions") is not None
    assert any(a.get("href") == f"../{NEIGHBOUR.id}/" for a in page.select("#related ~ ul a"))
    parent = _soup(out / f"taxonomy/{PARENT}/index.html")  # the nav is pruned: a page shows its own branch
    assert parent.select_one("nav.md-nav--primary").find("a", href=re.compile(rf"(^|/){NEW}/$")) is not None
    matrix = _soup(out / "compare/index.html").find(id="matrix").find_next("table")
    assert TITLE in [row.td.get_text(strip=True) for row in matrix.select("tbody tr")]
    tree = _soup(out / "decision-tree/index.html")
    assert tree.find("a", href=f"../taxonomy/{NEW}/") is not None
    assert NEW in tree.find(id="tx-walk")["data-tree"]
    search = json.loads((out / "search/search_index.json").read_text("utf-8"))
    assert TITLE in {doc["title"] for doc in search["docs"]}
    export = json.loads((out / "taxonomy.json").read_text("utf-8"))
    assert NEW in [e["id"] for e in export["entries"]]
    ld = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert ld["termCode"] == NEW
    changes = " ".join(_soup(out / "changes/index.html").get_text(" ").split())
    assert TITLE in changes and "(in preparation)" in changes
    facts = " ".join(page.select_one(".tx-facts").get_text(" ").split())
    assert "First published: not yet released" in facts
    assert all("not yet released" in box.get_text() or "Not yet released" in box.get_text()
               for box in page.select(".tx-citation"))


def test_edit_link_opens_the_source_file(contributed: Path) -> None:
    """"Edit this page" on an entry opens its file in taxonomy_src/, not a generated page."""
    page = _soup(contributed / f"out/taxonomy/{NEW}/index.html")
    edit = page.select_one("a.md-content__button[href*='/edit/']")
    assert edit["href"].endswith(f"/edit/main/{ENTRY}")


def test_scaffold_refuses_ids_in_use_or_retired(contributed: Path, tmp_path: Path) -> None:
    """An existing id, a former id or any registered address is never handed out again."""
    existing = taxonomy_cli(contributed, "new", NEIGHBOUR.id, "--kind", "concept")
    assert existing.returncode == 1
    assert existing.stderr == (f"error: id '{NEIGHBOUR.id}' exists or existed before (got it in taxonomy_src/). "
                               "Fix: ids are never reused; choose another id.\n")
    project = copy_project(tmp_path)
    (project / "taxonomy_src/anchors.txt").write_text(
        (project / "taxonomy_src/anchors.txt").read_text("utf-8") + "/taxonomy/old-retired-name/\n", "utf-8")
    retired = taxonomy_cli(project, "new", "old-retired-name", "--kind", "concept")
    assert retired.returncode == 1 and "exists or existed before" in retired.stderr
    bad = taxonomy_cli(project, "new", "Bad_Id", "--kind", "concept")
    assert bad.returncode == 1 and "lowercase slug" in bad.stderr


# (case id, text to replace, replacement, the needle whose line the message names, expected message fragments)
MISTAKES = [
    ("misspelt field", "summary: A test entry", "sumary: A test entry", "sumary:",
     ["unknown field 'sumary' (got 'sumary'). Fix: remove it or use one of", "(did you mean 'summary'?).",
      f"{NEW}.md:2: missing required field 'summary'"]),
    ("dangling relation", f"often-confused-with: [{NEIGHBOUR.id}]", f"often-confused-with: [{NEIGHBOUR.id}x]",
     "often-confused-with", [f"relation 'often-confused-with' points to an unknown entry (got '{NEIGHBOUR.id}x'). "
                             f"Fix: use an existing id (did you mean '{NEIGHBOUR.id}'?)."]),
    ("relation at the wrong indent", f"relations: {{often-confused-with: [{NEIGHBOUR.id}]}}",
     f"relations:\n  distinct-from: []\n often-confused-with: [{NEIGHBOUR.id}]", " often-confused-with",
     ["relation 'often-confused-with' is not indented under 'relations:' (got 1 space). Fix: indent it 2 spaces, "
      "like the other relations under 'relations:'."]),
    ("relation not indented at all", f"relations: {{often-confused-with: [{NEIGHBOUR.id}]}}",
     f"relations: {{}}\noften-confused-with: [{NEIGHBOUR.id}]", "often-confused-with",
     ["relation 'often-confused-with' is not indented under 'relations:' (got 'often-confused-with:' at the start "
      "of the line). Fix: indent it two spaces under 'relations:', like the other relations."]),
    ("bad YAML indentation", "    value: not-stated\n", "     value: not-stated\n", "    why:",
     ["this line is indented 4 spaces, which lines up with no line above it (got 'why: ",
      "Fix: indent it 5 spaces to keep it under"]),
    ("citation key without bibliography entry", f"[@{TAXONOMY.meta.source}].\n\n## How",
     "[@harris2026].\n\n## How", "[@harris2026]",
     ["unknown citation key 'harris2026' (got '[@harris2026]'). Fix: use a key from taxonomy_src/bibliography.yaml"]),
    ("missing dimension value", f"  {DIMENSION}:\n    value: not-stated\n", f"  {DIMENSION}:\n", "    why:",
     ["missing required field 'value' (got no 'value:' line). Fix: add 'value: ...'."]),
    ("heading without anchor", "## Example from the source {#example}", "## Example from the source",
     "## Example from the source", ["heading has no explicit anchor (got '## Example from the source'). Fix: end it "
                                    "with a stable id, e.g. '{#example-from-the-source}'."]),
    ("raw HTML", "## Definition {#definition}\n", "## Definition {#definition}\n\n<iframe src=x></iframe>\n",
     "<iframe", ["raw HTML is not allowed in entries (got '<iframe'). Fix: use Markdown"]),
]


@pytest.mark.parametrize(("old", "new", "needle", "expected"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_common_mistakes_get_clear_messages(contributed: Path, tmp_path: Path, old: str, new: str, needle: str,
                                            expected: list[str]) -> None:
    """Each mistake a contributor makes is named with file, line and fix, and `make check` exits non-zero."""
    project = tmp_path / "p"
    shutil.copytree(contributed / "taxonomy_src", project / "taxonomy_src")
    edit(project / ENTRY, old, new)
    result = taxonomy_cli(project, "check")
    assert result.returncode == 1
    assert f"{NEW}.md:{line_of(project / ENTRY, needle)}: " in result.stdout, result.stdout
    for fragment in expected:
        assert fragment in result.stdout, result.stdout
    assert all(line.startswith("taxonomy_src/") for line in result.stdout.splitlines())


def test_duplicate_id_is_reported(contributed: Path, tmp_path: Path) -> None:
    """A second file claiming the new entry's id is named, with the file that already has it."""
    project = tmp_path / "p"
    shutil.copytree(contributed / "taxonomy_src", project / "taxonomy_src")
    copy = project / f"taxonomy_src/entries/{NEW}-copy.md"
    copy.write_text((project / ENTRY).read_text("utf-8"), "utf-8")
    result = taxonomy_cli(project, "check")
    assert result.returncode == 1
    assert (f"taxonomy_src/entries/{NEW}-copy.md:2: duplicate id '{NEW}' (also used by "
            f"{ENTRY}). Fix: ids are unique and never reused; choose a new one.") in result.stdout


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Changes]:
    """A copy of the real tree where one entry was added, one renamed (with a section anchor) and one retired."""
    project = copy_project(tmp_path_factory.mktemp("lifecycle"))
    return project, apply(project)


@pytest.mark.slow
def test_add_rename_and_retire_pass_every_check(lifecycle: tuple[Path, Changes]) -> None:
    """Done as CONTRIBUTING.md says, the three changes pass `make check`, the strict build and `make linkcheck`."""
    project, changes = lifecycle
    check = taxonomy_cli(project, "check")
    assert check.returncode == 0, check.stdout
    taxonomy = load(project / "taxonomy_src", project)
    old, new = changes.renamed
    assert changes.added in taxonomy.entries and old not in taxonomy.entries
    assert taxonomy.entries[new].former_ids[-1] == old
    assert taxonomy.entries[changes.retired].status == "deprecated"
    upcoming = taxonomy.releases[-1]
    assert not upcoming.released and changes.added in upcoming.added
    assert (old, new) in upcoming.renamed and changes.retired in upcoming.retired
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    sources, note = load_sources(project / "taxonomy_src", project)
    assert note is None
    problems = [str(f) for f in check_site(project / "out", sources).findings if f.severity == ERROR]
    assert problems == []
    assert_registry_resolves(project / "out", project / "taxonomy_src" / "anchors.txt")
    old_anchor, new_anchor = changes.anchor
    stub = (project / "out" / "taxonomy" / old / "index.html").read_text("utf-8")
    assert redirect_anchors(stub)[old_anchor] == new_anchor


def test_a_link_to_a_former_id_names_the_new_one(lifecycle: tuple[Path, Changes], tmp_path: Path) -> None:
    """A link left pointing at a renamed entry says which entry the old id belongs to now."""
    project, changes = lifecycle
    scratch = tmp_path / "p"
    shutil.copytree(project / "taxonomy_src", scratch / "taxonomy_src")
    old, new = changes.renamed
    path = scratch / "taxonomy_src" / "entries" / f"{changes.added}.md"
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\nSee [[{old}]].\n", "utf-8")
    result = taxonomy_cli(scratch, "check")
    assert result.stdout.splitlines() == [
        f"taxonomy_src/entries/{changes.added}.md:{line_of(path, f'[[{old}]]')}: link to a renamed entry "
        f"(got '[[{old}]]'). Fix: '{old}' is a former id of {new}; link [[{new}]]."]
