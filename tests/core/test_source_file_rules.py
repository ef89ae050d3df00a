"""The supporting source files (taxonomy.yaml, bibliography.yaml, dimensions.yaml, sources.yaml) and the YAML and
file rules shared by every source: each rule with its exact message, on changed copies of the minimal fixture."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import change
from taxonomy.loader import check
from taxonomy.yamlsrc import YamlProblem, parse_yaml

S = "taxonomy_src/"
VALUES = ("  values:\n    - {id: inner, label: inner, meaning: AI vs objective.}\n"
          "    - {id: outer, label: outer, meaning: Objective vs intent.}\n")
WORK = "  type: post\n  authors: []\n  title: T\n  container: C\n"
GOOD_SOURCE = ("sources:\n  - key: other\n    name: Other work\n    kind: copy\n    contains: All of it [@other].\n"
               "    breaks_off: Nowhere.\n    obtained: Read it [?our-reading].\n")
ALPHA_ORDER = ("entries/alpha.md", "status: active", "status: active\norder: %s")

# (case id, [(file under taxonomy_src/, text to replace or None, replacement)], expected problems)
CASES: list[tuple[str, list[tuple[str, str | None, str | bytes | None]], list[str]]] = [
    # --- taxonomy.yaml ---
    ("missing taxonomy.yaml", [("taxonomy.yaml", None, None)],
     [f"{S}taxonomy.yaml:1: required file is missing (got no taxonomy.yaml). Fix: create {S}taxonomy.yaml."]),
    ("taxonomy.yaml that is a list", [("taxonomy.yaml", None, "- title: x\n")],
     [f"{S}taxonomy.yaml:1: expected a mapping of fields (got list). Fix: write one 'field: value' per line."]),
    ("unknown field in taxonomy.yaml", [("taxonomy.yaml", "version: 1.2.3", "version: 1.2.3\nlicence: x")],
     [f"{S}taxonomy.yaml:3: unknown field 'licence' (got 'licence'). "
      "Fix: remove it or use one of title, version, source, site_url, cases_per_failure_mode."]),
    ("case minimum that is not a whole number",
     [("taxonomy.yaml", "version: 1.2.3", "version: 1.2.3\ncases_per_failure_mode: three")],
     [f"{S}taxonomy.yaml:3: 'cases_per_failure_mode' must be a whole number, 0 or more (got 'three'). "
      "Fix: write e.g. 3."]),
    ("missing field in taxonomy.yaml", [("taxonomy.yaml", "source: post\n", "")],
     [f"{S}taxonomy.yaml:1: missing required field 'source' (got no 'source:' line). Fix: add 'source: ...'."]),
    ("version that is not semantic", [("taxonomy.yaml", "version: 1.2.3", "version: v1.2")],
     [f"{S}taxonomy.yaml:2: 'version' must be semantic (MAJOR.MINOR.PATCH) (got 'v1.2'). Fix: write e.g. '0.1.0'."]),
    ("source that is not a bibliography key", [("taxonomy.yaml", "source: post", "source: the-post")],
     [f"{S}taxonomy.yaml:3: 'source' must be a bibliography key (got 'the-post'). Fix: use the post's key."]),
    ("source work without a url", [("bibliography.yaml", "  url: https://example.org/post\n", "")],
     [f"{S}taxonomy.yaml:3: the source work 'post' lacks 'url', which every entry page shows (got a work without "
      "it). Fix: add 'url' to 'post' in bibliography.yaml."]),
    ("source work without a url or a year",
     [("bibliography.yaml", "  url: https://example.org/post\n", ""), ("bibliography.yaml", "  year: 2026\n", "")],
     [f"{S}taxonomy.yaml:3: the source work 'post' lacks 'url' and 'year', which every entry page shows (got a work "
      "without them). Fix: add 'url' and 'year' to 'post' in bibliography.yaml."]),
    # --- bibliography.yaml ---
    ("bibliography that is a list", [("bibliography.yaml", None, "- post\n")],
     [f"{S}bibliography.yaml:1: the bibliography must map citation keys to works (got list). "
      "Fix: write 'key:' lines with the fields indented under each."]),
    ("empty bibliography", [("bibliography.yaml", None, "# nothing yet\n")],
     [f"{S}bibliography.yaml:1: the file is empty (got no YAML in it). Fix: write the contents of "
      "bibliography.yaml; CONTRIBUTING.md describes each file."]),
    ("citation key with capitals", [("bibliography.yaml", "other:", f"Third:\n{WORK}other:")],
     [f"{S}bibliography.yaml:8: citation key must be lowercase letters, digits and hyphens (got 'Third'). "
      "Fix: rename the key."]),
    ("work that is not a mapping", [("bibliography.yaml", "other:", "third: A title\nother:")],
     [f"{S}bibliography.yaml:8: work 'third' must be a mapping of fields (got text). "
      "Fix: indent its fields under the key."]),
    ("work without authors", [("bibliography.yaml", '  authors: ["Writer, Will", "Scribe, Sam"]\n', "")],
     [f"{S}bibliography.yaml:9: work 'other' has no 'authors' (got none). "
      "Fix: add 'authors: [\"Family, Given\"]' or 'authors: []' for an anonymous page."]),
    ("et al. that does not close the list", [("bibliography.yaml", '["Writer, Will", "Scribe, Sam"]',
                                               '["Writer, Will", "others", "Scribe, Sam"]')],
     [f"{S}bibliography.yaml:10: 'others' may only close a list that names at least one author (got it at "
      "position 2 of 3). Fix: name the authors you know, then end the list with 'others'; it is shown as "
      "'et al.'."]),
    ("et al. without a named author", [("bibliography.yaml", '["Writer, Will", "Scribe, Sam"]', '["others"]')],
     [f"{S}bibliography.yaml:10: 'others' may only close a list that names at least one author (got it at "
      "position 1 of 1). Fix: name the authors you know, then end the list with 'others'; it is shown as "
      "'et al.'."]),
    ("work type outside the list", [("bibliography.yaml", "type: paper", "type: preprint")],
     [f"{S}bibliography.yaml:9: work type must be one of post, report, paper, article, book, webpage "
      "(got 'preprint'). Fix: pick one."]),
    ("year that is not a number", [("bibliography.yaml", "year: 2020", "year: circa 2020")],
     [f"{S}bibliography.yaml:11: year must be four digits 0-9 (got 'circa 2020'). Fix: write e.g. 'year: 2024'."]),
    ("year in superscript digits, beside another problem",
     [("bibliography.yaml", "year: 2020", "year: '\u00b2\u2070\u00b2\u2076'"),
      ("bibliography.yaml", "type: paper", "type: preprint")],
     [f"{S}bibliography.yaml:9: work type must be one of post, report, paper, article, book, webpage "
      "(got 'preprint'). Fix: pick one.",
      f"{S}bibliography.yaml:11: year must be four digits 0-9 (got '\u00b2\u2070\u00b2\u2076'). "
      "Fix: write e.g. 'year: 2024'."]),
    ("year in Arabic-Indic digits", [("bibliography.yaml", "year: 2020", "year: '\u0662\u0660\u0662\u0660'")],
     [f"{S}bibliography.yaml:11: year must be four digits 0-9 (got '\u0662\u0660\u0662\u0660'). "
      "Fix: write e.g. 'year: 2024'."]),
    ("version in Arabic-Indic digits", [("taxonomy.yaml", "version: 1.2.3", 'version: "\u0661.\u0662.\u0663"')],
     [f"{S}taxonomy.yaml:2: 'version' must be semantic (MAJOR.MINOR.PATCH) (got '\u0661.\u0662.\u0663'). "
      "Fix: write e.g. '0.1.0'."]),
    # --- dimensions.yaml ---
    ("missing dimensions.yaml", [("dimensions.yaml", None, None)],
     [f"{S}dimensions.yaml:1: required file is missing (got no dimensions.yaml). Fix: create {S}dimensions.yaml."]),
    ("dimensions that are a mapping (reported once, not per entry)", [("dimensions.yaml", None, "layer: {title: x}\n")],
     [f"{S}dimensions.yaml:1: dimensions must be a list (got mapping). Fix: start each with '- id:'."]),
    ("dimension without values", [("dimensions.yaml", VALUES, "  values: []\n")],
     [f"{S}dimensions.yaml:1: a dimension needs a non-empty 'values' list (got empty list). "
      "Fix: add '- {id: ..., label: ..., meaning: ...}' items."]),
    ("value id with capitals", [("dimensions.yaml", "{id: outer,", "{id: Outer,")],
     [f"{S}dimensions.yaml:6: a value id must be a lowercase slug (got 'Outer'). "
      "Fix: use lowercase letters, digits and hyphens."]),
    ("not-stated listed by hand", [("dimensions.yaml", "{id: outer,", "{id: not-stated,")],
     [f"{S}dimensions.yaml:6: 'not-stated' is added to every dimension automatically (got it listed). "
      "Fix: remove it."]),
    ("dimension id used twice", [("dimensions.yaml", "- id: layer", f"- id: layer\n  title: Layer\n  question: Q?\n"
                                                                     f"{VALUES}- id: layer")],
     [f"{S}dimensions.yaml:7: duplicate dimension id 'layer' (got it twice). Fix: rename one."]),
    # --- sources.yaml (optional) ---
    ("unknown top-level field in sources.yaml", [("sources.yaml", None, GOOD_SOURCE + "version: 1\n")],
     [f"{S}sources.yaml:8: unknown field 'version' (got 'version'). Fix: remove it or use one of sources."]),
    ("source that is not a mapping", [("sources.yaml", None, GOOD_SOURCE + "  - other\n")],
     ["taxonomy_src/sources.yaml:8: a source must be a mapping of fields (got text 'other'). Fix: write it as "
      "'{key: ..., name: ..., kind: ..., contains: ..., breaks_off: ..., obtained: ...}'."]),
    ("empty source field", [("sources.yaml", None, GOOD_SOURCE.replace("breaks_off: Nowhere.", 'breaks_off: ""'))],
     [f"{S}sources.yaml:6: 'breaks_off' must be non-empty text (got text ''). Fix: write 'breaks_off: <text>'."]),
    ("source key that is an anchor of the Sources page",
     [("sources.yaml", None, GOOD_SOURCE.replace("key: other", "key: labels")),
      ("bibliography.yaml", "other:", f"labels:\n{WORK}other:")],
     [f"{S}sources.yaml:2: source key 'labels' would clash with an anchor of the Sources page (got 'labels'). "
      "Fix: use another bibliography key."]),
    ("source name with markup", [("sources.yaml", None, GOOD_SOURCE.replace("name: Other work", "name: Other [w]"))],
     [f"{S}sources.yaml:3: 'name' must be plain text (got 'Other [w]'). Fix: remove markup."]),
    # --- YAML syntax and values, in any source file ---
    ("second YAML document (never silently dropped)",
     [("taxonomy.yaml", "title: Test Taxonomy", "title: Test Taxonomy\n---\nversion: 2.0.0")],
     [f"{S}taxonomy.yaml:2: a second YAML document starts here (got a '---' line after the first). "
      "Fix: remove the '---' line; a file holds one document."]),
    ("key that is a number", [(ALPHA_ORDER[0], ALPHA_ORDER[1], "status: active\n1: x")],
     [f"{S}entries/alpha.md:12: keys must be text (got number 1). Fix: quote the key."]),
    ("YAML value of an unsupported type", [(ALPHA_ORDER[0], ALPHA_ORDER[1], ALPHA_ORDER[2] % "=")],
     [f"{S}entries/alpha.md:12: unsupported YAML value (got '='). Fix: quote it."]),
    ("number YAML cannot read", [(ALPHA_ORDER[0], ALPHA_ORDER[1], ALPHA_ORDER[2] % "0x_")],
     [f"{S}entries/alpha.md:12: unreadable value (got '0x_'). Fix: quote it to make it text."]),
    ("colon inside a plain value", [("taxonomy.yaml", "title: Test Taxonomy", "title: Test: Taxonomy: x")],
     [f"{S}taxonomy.yaml:1: a value contains ': ' (got 'title: Test: Taxonomy: x'). Fix: put the value in "
      'quotes, e.g. title: "A: B".']),
    ("tab after a value", [("taxonomy.yaml", "title: Test Taxonomy", "title: Test Taxonomy\n\tx: y")],
     [f"{S}taxonomy.yaml:2: a tab is used for indentation (got a tab character). Fix: indent with spaces only."]),
    ("tab at the start of a file", [("taxonomy.yaml", None, "\ttitle: Test Taxonomy\n")],
     [f"{S}taxonomy.yaml:1: a tab is used for indentation (got a tab character). Fix: indent with spaces only."]),
    ("unclosed quote", [("taxonomy.yaml", "title: Test Taxonomy", 'title: "Test Taxonomy')],
     [f"{S}taxonomy.yaml:1: a quoted value is never closed (got an opening quote on line 1 and no closing one). "
      "Fix: close the quote on the same line."]),
    ("indented first line", [("taxonomy.yaml", "title: Test Taxonomy", "  title: Test Taxonomy")],
     [f"{S}taxonomy.yaml:2: this line is indented 0 spaces, less than line 1 where the file starts (got "
      "'version: 1.2.3'). Fix: start the top-level lines, line 1 included, at the beginning of the line."]),
    ("value starting with a reserved character", [("taxonomy.yaml", "title: Test Taxonomy", "title: @Test")],
     [f"{S}taxonomy.yaml:1: a value starts with a character YAML reserves (got '@'). Fix: put the value in "
      "quotes."]),
    ("unknown escape in double quotes", [("taxonomy.yaml", "title: Test Taxonomy", 'title: "Test \\q"')],
     [f"{S}taxonomy.yaml:1: a double-quoted value has an escape YAML does not know (got '\\q'). "
      "Fix: write '\\\\' for a backslash, or use single quotes."]),
    ("block scalar with a bad indicator", [("taxonomy.yaml", "title: Test Taxonomy", "title: |x")],
     [f"{S}taxonomy.yaml:1: invalid YAML: while scanning a block scalar did not find expected comment or line "
      "break. Fix: check indentation, colons and quotes on this line."]),
    ("line without a colon", [("taxonomy.yaml", "title: Test Taxonomy", "title: Test Taxonomy\nstray words")],
     [f"{S}taxonomy.yaml:2: this line has no ':' after its key (got 'stray words'). Fix: write 'key: value'."]),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_source_file_is_reported_exactly(sources: Path, changes: list[tuple[str, str | None, str | bytes | None]],
                                             expected: list[str]) -> None:
    """Each mistake yields exactly its messages, with file, line and fix."""
    for name, old, new in changes:
        change(sources, name, old, new)
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted(expected)


def test_folder_where_a_file_belongs(sources: Path) -> None:
    """A folder named like a source file is refused by the one reader, not read as an empty file."""
    change(sources, "taxonomy.yaml", None, None)
    (sources / "taxonomy.yaml").mkdir()
    assert [str(p) for p in check(sources, sources.parent)] == [
        f"{S}taxonomy.yaml:1: not a regular file (got a folder or special file). Fix: remove it or make it a file."]


@pytest.mark.parametrize(("make", "expected"), [
    (lambda entries: shutil.rmtree(entries), f"{S}entries:1: entries folder is missing. Fix: create it."),
    (lambda entries: (entries.rename(entries.with_name("real")), entries.symlink_to(entries.with_name("real"))),
     f"{S}entries:1: symbolic links are not allowed in taxonomy_src/ (got a link). Fix: replace it with a real "
     "folder."),
], ids=["missing", "symbolic link"])
def test_entries_folder_that_cannot_be_read(sources: Path, make: Callable[[Path], object], expected: str) -> None:
    """Without a readable entries folder the folder is named first; what referred to entries fails after it."""
    make(sources / "entries")
    problems = [str(p) for p in check(sources, sources.parent)]
    assert expected in problems
    assert all("entries/" not in p for p in problems)


def test_yaml_the_parser_cannot_read_at_all() -> None:
    """Text the YAML reader refuses outright (the file reader already refuses it; the parser stays safe alone)."""
    with pytest.raises(YamlProblem) as refused:
        parse_yaml("title: \ufffe\n")
    assert str(refused.value) == "1: invalid YAML (ReaderError). Fix: check the file's syntax."



def test_a_page_whose_front_matter_the_engine_dropped_is_named_with_its_fix() -> None:
    """The adapter stops at a page that lost its front matter; the message names the page as a docs path."""
    from taxonomy.build import unread_front_matter

    assert unread_front_matter("taxonomy/x.md") == (
        "docs/taxonomy/x.md:1: the front matter does not read as YAML, so the page would lose its title, description "
        "and metadata (got a '---' block MkDocs dropped). Fix: for a hand-written page, correct the YAML between the "
        "'---' lines; for a generated page, this is a bug in the generator's escaping, please report it.")
