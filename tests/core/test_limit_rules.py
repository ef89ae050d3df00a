"""Limits the build meets, enforced by the check (issue 24 §1): file names and paths a file system accepts, parent
chains and nesting inside Python's recursion limit, paragraphs the Markdown parser reads in linear time. Each rule
with its exact message, and each input that broke the build refused quickly at its own line."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, grown_sources
from taxonomy import markup, urls
from taxonomy.loader import check, load
from taxonomy.render import Renderer
from taxonomy.schema import MAX_PARENT_DEPTH, MAX_TREE_DEPTH

E = "taxonomy_src/entries/alpha.md"
BODY = "Somehow [@other]."  # line 23 of alpha.md
LONG_ALIAS = " ".join(["misalignment"] * 30)
TRANSLITERATED = "\ufdfa" * 10  # ten characters that anyascii writes as 280


def _list(depth: int) -> str:
    return "\n".join("    " * level + "- x" for level in range(depth))


# (case id, file under taxonomy_src/, text to replace, replacement, expected problems)
LIMITS: list[tuple[str, str, str, str, list[str]]] = [
    ("alias of thirty words", "entries/alpha.md", "aliases: [first failure]", f"aliases: [{LONG_ALIAS}]",
     [f"{E}:7: an alias is too long for a file name: its page would need a file name of 392 bytes, at most 255 "
      f"(got '{LONG_ALIAS[:60]}…', 389 characters). Fix: shorten it."]),
    ("alias that transliterates long", "entries/alpha.md", "aliases: [first failure]",
     f"aliases: [{TRANSLITERATED}]",
     [f"{E}:7: an alias is too long for a file name: its page would need a file name of 283 bytes, at most 255 "
      f"(got '{TRANSLITERATED}', 10 characters). Fix: shorten it."]),
    ("former id whose redirect path is too long", "entries/alpha.md", "status: active",
     f"status: active\nformer_ids: [{'a' * 190}]",
     [f"taxonomy_src/changelog.yaml:5: entry 'alpha' lists former id '{'a' * 190}', but no release records the "
      f"rename (got none). Fix: add '- {{from: {'a' * 190}, to: alpha}}' under 'renamed' of a new upcoming release "
      "after this one ('- version: …' with 'date: null').",
      f"{E}:12: 'former_ids' is too long for a file name: its page would need a path of 202 bytes under the site "
      f"folder, at most 200 (got '{'a' * 60}…', 190 characters). Fix: shorten it."]),
    ("list nested 500 deep", "entries/alpha.md", BODY, f"{BODY}\n\n{_list(500)}",
     [f"{E}:41: lists or quotes are nested too deep (got 17 levels, at most 16). Fix: flatten the list or quote, or "
      "outdent the line.",
      f"{E}:95: paragraph is too long (got more than 10000 characters). Fix: split it with a blank line (shorten "
      "it, in a one-line field)."]),
    ("quote nested 500 deep on one line", "entries/alpha.md", BODY, f"{BODY}\n\n{'>' * 500} x",
     [f"{E}:25: lists or quotes are nested too deep (got 500 levels, at most 16). Fix: flatten the list or quote, or "
      "outdent the line."]),
    ("100 KB of unclosed brackets", "entries/alpha.md", BODY, f"{BODY} {'[ ' * 50_000}",
     [f"{E}:23: paragraph is too long (got more than 10000 characters). Fix: split it with a blank line (shorten "
      "it, in a one-line field).",
      f"{E}:23: too many '[' in one paragraph (got more than 200). Fix: split the paragraph with a blank line, or "
      "write '\\[' for a literal '['."]),
    ("brackets spread over a paragraph's lines", "entries/alpha.md", BODY, f"{BODY}\n" + "[a\n" * 250,
     [f"{E}:223: too many '[' in one paragraph (got more than 200). Fix: split the paragraph with a blank line, or "
      "write '\\[' for a literal '['."]),
    ("brackets behind escaped backslashes", "entries/alpha.md", BODY, BODY + " " + "\\\\[" * 300,
     [f"{E}:23: too many '[' in one paragraph (got more than 200). Fix: split the paragraph with a blank line, or "
      "write '\\[' for a literal '['."]),
    ("a long run of backslashes", "entries/alpha.md", BODY, BODY + " " + "\\" * 20_000,
     [f"{E}:23: paragraph is too long (got more than 10000 characters). Fix: split it with a blank line (shorten "
      "it, in a one-line field)."]),
    ("brackets in a tree help", "decision-tree.yaml", "help: See [[beta]].", f"help: See {'[ ' * 50_000}",
     ["taxonomy_src/decision-tree.yaml:11: paragraph is too long (got more than 10000 characters). Fix: split it "
      "with a blank line (shorten it, in a one-line field).",
      "taxonomy_src/decision-tree.yaml:11: too many '[' in one paragraph (got more than 200). Fix: split the "
      "paragraph with a blank line, or write '\\[' for a literal '['."]),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), [c[1:] for c in LIMITS], ids=[c[0] for c in LIMITS])
def test_a_limit_of_the_build_is_refused_by_the_check(tmp_path: Path, file: str, old: str, new: str,
                                                      expected: list[str]) -> None:
    """Refused with its exact message, at once (every scan is linear in its input)."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    text = (src / file).read_text("utf-8")
    assert old in text
    (src / file).write_text(text.replace(old, new, 1), "utf-8")
    started = time.perf_counter()
    assert [str(p) for p in check(src, src.parent)] == expected
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("allowed", [True, False], ids=["at the limit", "one past it"])
def test_a_chain_of_parents_is_refused_past_its_limit_and_renders_up_to_it(tmp_path: Path, allowed: bool) -> None:
    """A chain of categories as deep as allowed renders every page and the nav; one more is refused."""
    count = MAX_PARENT_DEPTH + (0 if allowed else 1)
    src = grown_sources(tmp_path / "taxonomy_src", count)
    for index in range(1, count):
        path = src / "entries" / f"sub-{index:02d}.md"
        path.write_text(re.sub(r"(?m)^parent: group$", f"parent: sub-{index - 1:02d}", path.read_text("utf-8")),
                        "utf-8")
    if allowed:
        renderer = Renderer(load(src, src.parent))
        assert renderer.files() and renderer.nav(["__taxonomy__"])
    else:
        last = f"sub-{count - 1:02d}"
        assert [str(p) for p in check(src, src.parent)] == [
            f"taxonomy_src/entries/{last}.md:5: the chain of parents above '{last}' is too deep (got "
            f"{MAX_PARENT_DEPTH + 1} levels, at most {MAX_PARENT_DEPTH}). Fix: attach it, or a category above it, "
            "higher in the tree."]


def test_a_chain_of_300_parents_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    """The input that stopped the build with RecursionError: refused once, at the first entry too deep."""
    src = grown_sources(tmp_path / "taxonomy_src", 300)
    for index in range(1, 300):
        path = src / "entries" / f"sub-{index:02d}.md"
        path.write_text(re.sub(r"(?m)^parent: group$", f"parent: sub-{index - 1:02d}", path.read_text("utf-8")),
                        "utf-8")
    problems = check(src, src.parent)
    assert [p.path for p in problems] == [f"taxonomy_src/entries/sub-{MAX_PARENT_DEPTH:02d}.md"]


@pytest.mark.parametrize(("line", "depth"), [("- x", 1), ("    - x", 2), ("> > - x", 3), ("\t\t1. x", 3),
                                             ("plain", 0), ("-x", 0), ("    code", 1)])
def test_nesting_counts_markers_and_indentation(line: str, depth: int) -> None:
    """How deep a line sits: each list or quote marker at its start, and each four columns of indentation."""
    assert markup.nesting(line) == depth


def test_a_body_at_the_limits_renders() -> None:
    """Nesting and brackets up to the limits are accepted and the Markdown parser handles them quickly."""
    import markdown

    text = _list(markup.MAX_NESTING) + "\n\n" + "[ " * markup.MAX_BRACKETS
    assert not markup.scan_body(text, 1).problems
    started = time.perf_counter()
    markdown.markdown(text, extensions=["attr_list", "footnotes", "pymdownx.superfences", "toc", "tables"])
    assert time.perf_counter() - started < 1


def test_output_paths_cover_every_file_a_page_becomes() -> None:
    """The limit applies to the generated Markdown and to the page built with and without directory URLs."""
    assert urls.output_paths("taxonomy/alpha.md") == ("taxonomy/alpha.md", "taxonomy/alpha/index.html",
                                                      "taxonomy/alpha.html")
    assert urls.output_paths("names/x/index.html") == ("names/x/index.html",)
    assert urls.path_too_long("taxonomy/alpha.md") is None


def _chain_of_questions(src: Path, count: int) -> None:
    """A decision tree that asks `count` questions in a row, every one of which can end the walk."""
    lines = ["root: q0", "questions:"]
    for index in range(count):
        last = f"next: q{index + 1}" if index < count - 1 else "entry: group"
        lines += [f"  - id: q{index}", f"    question: Question {index}?", "    help: Help.", "    answers:",
                  f'      - {{label: "Yes", entry: {"alpha" if index % 2 else "beta"}}}',
                  f'      - {{label: "No", {last}}}']
    (src / "decision-tree.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    (src / "anchors.txt").unlink()  # the fixture's registry promises the fixture tree's questions


@pytest.mark.parametrize("count", [MAX_TREE_DEPTH, MAX_TREE_DEPTH + 1, 1500], ids=["at the limit", "one past it",
                                                                                  "1500 questions"])
def test_a_chain_of_questions_is_refused_past_its_limit_and_renders_up_to_it(tmp_path: Path, count: int) -> None:
    """A walk as long as allowed renders every page (the flowchart is drawn by recursion); a longer one is refused
    at the first question past the limit, not with a RecursionError."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    _chain_of_questions(src, count)
    if count == MAX_TREE_DEPTH:
        assert Renderer(load(src, src.parent)).files()
    else:
        line = 3 + 6 * MAX_TREE_DEPTH
        assert [str(p) for p in check(src, src.parent)] == [
            f"taxonomy_src/decision-tree.yaml:{line}: question 'q{MAX_TREE_DEPTH}' is asked after too many others "
            f"(got {MAX_TREE_DEPTH + 1} questions on the longest walk to it, at most {MAX_TREE_DEPTH}). Fix: ask "
            "fewer questions in a row; split a long chain into branches."]
