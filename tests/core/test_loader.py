"""The loader rejects every kind of bad input with an exact `path:line: … Fix: …` message."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from conftest import ROOT, edit
from taxonomy.loader import check, load
from taxonomy.schema import FIELDS

E = "taxonomy_src/entries/"
TELL_APART = 'tell_apart: {alpha: "Beta is known only from a summary, alpha from the post [@post]."}'

# (case id, file, text to replace, replacement, expected problems)
CASES = [
    ("unknown field", "alpha.md", "status: active", "status: active\ntitel: Alpha",
     [f"{E}alpha.md:12: unknown field 'titel' (got 'titel'). Fix: remove it or use one of "
      f"{', '.join(f.name for f in FIELDS)} (did you mean 'title'?)."]),
    ("duplicate key", "alpha.md", "status: active", "status: active\nstatus: deprecated",
     [f"{E}alpha.md:12: duplicate key 'status' (first defined on line 11). Fix: keep one 'status:' line."]),
    ("wrong type", "alpha.md", "aliases: [first failure]", "aliases: first failure",
     [f"{E}alpha.md:7: 'aliases' must be a list (got text 'first failure'). Fix: write 'aliases: [a, b]' or "
      "'aliases: []'."]),
    ("value outside vocabulary", "alpha.md", "kind: failure-mode", "kind: failure-mod",
     [f"{E}alpha.md:4: 'kind' must be one of failure-mode, category, concept (got 'failure-mod'). "
      "Fix: pick one (did you mean 'failure-mode'?)."]),
    ("dangling parent", "alpha.md", "parent: group", "parent: grop",
     [f"{E}alpha.md:5: parent is not an existing entry (got 'grop'). Fix: use a category id (did you mean 'group'?)."]),
    ("parent not a category", "alpha.md", "parent: group", "parent: beta",
     [f"{E}alpha.md:5: parent must be a category (got 'beta', a failure-mode). Fix: use a category id."]),
    ("dangling relation", "alpha.md", "distinct-from: [beta]", "distinct-from: [betta]",
     [f"{E}alpha.md:9: relation 'distinct-from' points to an unknown entry (got 'betta'). "
      "Fix: use an existing id (did you mean 'beta'?)."]),
    ("unknown relation type", "alpha.md", "distinct-from: [beta]", "differs-from: [beta]",
     [f"{E}alpha.md:9: unknown relation type 'differs-from' (got 'differs-from'). Fix: use one of distinct-from, "
      "can-co-occur-with, often-confused-with (did you mean 'distinct-from'?)."]),
    ("relation declared twice", "beta.md", "relations: {}", "relations: {distinct-from: [alpha]}",
     [f"{E}beta.md:8: relation 'distinct-from' between 'beta' and 'alpha' is declared twice (also in {E}alpha.md). "
      "Fix: keep it in one file; both pages show it."]),
    ("id differs from file name", "beta.md", "id: beta", "id: betamax",
     [f"{E}beta.md:2: id must equal the file name (got id 'betamax' in 'beta.md'). Fix: rename the file to "
      "'betamax.md' or set 'id: beta'."]),
    ("duplicate id", "beta.md", "id: beta", "id: alpha",
     [f"{E}beta.md:2: duplicate id 'alpha' (also used by {E}alpha.md). Fix: ids are unique and never reused; "
      "choose a new one."]),
    ("unknown citation key", "alpha.md", "Somehow [@other].", "Somehow [@otter].",
     [f"{E}alpha.md:23: unknown citation key 'otter' (got '[@otter]'). Fix: use a key from "
      "taxonomy_src/bibliography.yaml (did you mean 'other'?) or add the work there."]),
    ("unknown reference key", "alpha.md", "references: [post]", "references: [post, nope]",
     [f"{E}alpha.md:10: unknown citation key 'nope' in references (got 'nope'). Fix: use a key from "
      "taxonomy_src/bibliography.yaml or add the work there."]),
    ("unclosed front matter", "gamma.md", "status: active\n---", "status: active",
     [f"{E}gamma.md:1: front matter is not closed (got no second '---' line). Fix: end the YAML fields with a "
      "line containing only '---'."]),
    ("missing front matter", "gamma.md", "---\nid: gamma", "id: gamma",
     [f"{E}gamma.md:1: missing front matter (got 'id: gamma' on the first line). Fix: start the file with a "
      "'---' line, the YAML fields, then another '---' line."]),
    ("bad YAML indentation", "alpha.md", "  distinct-from: [beta]", " distinct-from: [beta]\n  x: [y]",
     [f"{E}alpha.md:10: this line is indented more than line 9, which already has a value (got 'x: [y]' "
      "indented 2 spaces). Fix: indent it 1 space, like the line above, or end the line above with ':' if this "
      "line belongs under it."]),
    ("relation dedented inside relations", "alpha.md", "  distinct-from: [beta]",
     "  distinct-from: [beta]\n can-co-occur-with: [gamma]",
     [f"{E}alpha.md:10: relation 'can-co-occur-with' is not indented under 'relations:' (got 1 space). "
      "Fix: indent it 2 spaces, like the other relations under 'relations:'."]),
    ("relation not indented at all", "beta.md", "relations: {}", "relations:\ndistinct-from: [alpha]",
     [f"{E}beta.md:9: relation 'distinct-from' is not indented under 'relations:' (got 'distinct-from:' at the "
      "start of the line). Fix: indent it two spaces under 'relations:', like the other relations.",
      f"{E}beta.md:8: 'relations' must be a mapping of relation type to ids (got null). Fix: write "
      "'relations: {distinct-from: [other-id]}' or 'relations: {}'."]),
    ("colon inside a value", "gamma.md", "title: Gamma concept", "title: Gamma: a concept",
     [f"{E}gamma.md:3: a value contains ': ' (got 'title: Gamma: a concept'). Fix: put the value in quotes, "
      "e.g. title: \"A: B\"."]),
    ("unclosed list", "alpha.md", "aliases: [first failure]", "aliases: [first failure",
     [f"{E}alpha.md:7: a list or mapping written on one line is not closed (got no ']' for the one opened on "
      "line 7). Fix: close it with ']', or quote a value that contains ':' or ','."]),
    ("tab indentation", "alpha.md", "  distinct-from: [beta]", "\tdistinct-from: [beta]",
     [f"{E}alpha.md:9: a tab is used for indentation (got a tab character). Fix: indent with spaces only."]),
    ("scaffold text left in place", "gamma.md", "Gamma [@other].",
     "State the definition in your own words and cite it [@post].",
     [f"{E}gamma.md:16: scaffold text is still here (got 'State the definition in your own words and cite it "
      "[@post].'). Fix: replace it with your own words, citing each claim with [@key]."]),
    ("YAML python tag", "alpha.md", "title: Alpha failure", "title: !!python/object/apply:os.system [ls]",
     [f"{E}alpha.md:3: YAML tags are not allowed (got tag:yaml.org,2002:python/object/apply:os.system). "
      "Fix: remove the tag."]),
    ("missing required field", "gamma.md", "summary: A related concept.\n", "",
     [f"{E}gamma.md:2: missing required field 'summary' (got no 'summary:' line). "
      "Fix: add 'summary: A half-formed sub-optimizer ... after training.'."]),
    ("summary not a sentence", "gamma.md", "summary: A related concept.", "summary: A related concept",
     [f"{E}gamma.md:6: 'summary' must be one sentence ending with a period (got 'A related concept' at the end). "
      "Fix: end it with '.'."]),
    ("raw script tag", "gamma.md", "Gamma [@other].", "Gamma <script>alert(1)</script> [@other].",
     [f"{E}gamma.md:16: raw HTML is not allowed in entries (got '<script'). Fix: use Markdown; write '&lt;' for "
      "a literal '<'."]),
    ("javascript link", "gamma.md", "Gamma [@other].", "Gamma [click](javascript:alert(1)).",
     [f"{E}gamma.md:16: unsafe link scheme (got 'javascript:alert'). Fix: link only to https:// addresses."]),
    ("event handler via attribute list", "gamma.md", "Gamma [@other].",
     "Gamma [x](https://example.org){onclick=\"alert(1)\"} [@other].",
     [f"{E}gamma.md:16: attribute lists ('{{: ...}}', '{{.class}}', '{{key=value}}') are not allowed in entry "
      "text. Fix: remove them; only headings take '{#id}'."]),
    ("relative link", "gamma.md", "Gamma [@other].", "Gamma [a](alpha.md) [@other].",
     [f"{E}gamma.md:16: relative link in an entry (got 'alpha.md'). Fix: link entries with [[id]] or "
      "[[id#section|text]]."]),
    ("heading without anchor", "gamma.md", "## Definition {#definition}", "## Definition",
     [f"{E}gamma.md:14: heading has no explicit anchor (got '## Definition'). "
      "Fix: end it with a stable id, e.g. '{#definition}'.",
      f"{E}gamma.md:13: a concept entry needs a section with id 'definition' (got sections: in-this-taxonomy). "
      "Fix: add '## <Title> {#definition}'."]),
    ("missing required section", "beta.md", "## Example from the source {#example}", "## Example {#an-example}",
     [f"{E}beta.md:16: a failure-mode entry needs a section with id 'example' (got sections: definition, "
      "how-it-arises, neighbours, an-example, uncertain). Fix: add '## <Title> {#example}'."]),
    ("dangling wiki link fragment", "alpha.md", "[[beta#definition|beta]]", "[[beta#defn|beta]]",
     [f"{E}alpha.md:19: link to a missing section of 'beta' (got '#defn'). Fix: use one of cite, definition, "
      "dimensions, example, how-it-arises, neighbours, place, references, referred-by, related, related-terms, "
      "uncertain."]),
    ("unclosed code fence", "gamma.md", "Gamma [@other].", "Gamma [@other].\n\n```text\nnever closed",
     [f"{E}gamma.md:18: code block is never closed (got an opening fence with no closing one). "
      "Fix: close it with a line of the same backticks."]),
    ("link text repeats a word", "alpha.md", "Unlike [[beta]].", "Unlike [[beta]] failure.",
     [f"{E}alpha.md:27: link text repeats a word (got '[[beta]] failure', shown as 'Beta failure failure'). "
      "Fix: write '[[beta|Beta]] failure' or drop 'failure'."]),
    ("dangling wiki link", "beta.md", "See [[alpha]].", "See [[alfa]].",
     [f"{E}beta.md:27: link to an unknown entry (got '[[alfa]]'). Fix: use an existing id (did you mean 'alpha'?)."]),
    ("footnote without definition", "alpha.md", "[^1]: A note citing [@other].", "",
     [f"{E}alpha.md:19: footnote '[^1]' has no definition (got no '[^1]:' line). "
      "Fix: add the definition at the end of the body."]),
    ("footnote never used", "alpha.md", "[@post, sec. 1].[^1]", "[@post, sec. 1].",
     [f"{E}alpha.md:37: footnote '[^1]' is defined but never referenced. "
      "Fix: cite it with '[^1]' in the text or remove it."]),
    ("missing dimension", "alpha.md", "dimensions:\n  layer: {value: inner, why: \"The post says so [@post].\"}",
     "dimensions: {}",
     [f"{E}alpha.md:13: missing value for dimension 'layer' (got no 'layer:'). Fix: add 'layer: "
      "{value: ..., why: ...}'; use 'not-stated' if the source is silent."]),
    ("dimension value outside set", "alpha.md", "{value: inner,", "{value: middle,",
     [f"{E}alpha.md:14: 'middle' is not a value of dimension 'layer' (got 'middle'). "
      "Fix: use one of inner, outer, not-stated."]),
    ("unknown dimension", "alpha.md", "  layer: {value", "  layer: {value: inner, why: \"x [@post].\"}\n  lair: {value",
     [f"{E}alpha.md:15: unknown dimension 'lair' (got 'lair'). Fix: use one of layer (did you mean 'layer'?)."]),
    ("dimension why without citation", "alpha.md", "why: \"The post says so [@post].\"", "why: The post says so.",
     [f"{E}alpha.md:14: the 'why' for dimension 'layer' has no citation (got 'The post says so.'). "
      "Fix: add the source as [@key]."]),
    ("dimensions on a concept", "gamma.md", "status: active", "status: active\ndimensions: {}",
     [f"{E}gamma.md:12: field 'dimensions' is not allowed on a concept entry (got 'dimensions:'). "
      "Fix: remove it; it is only for failure-mode entries."]),
    ("neighbours without tell_apart", "beta.md", TELL_APART, "",
     [f"{E}alpha.md:13: no 'tell_apart' text for the neighbours 'alpha' and 'beta' (got none in either file). "
      f"Fix: add 'tell_apart: {{beta: \"How the two differ [@key].\"}}' here, or 'alpha' under 'tell_apart' in "
      f"{E}beta.md: one or two sentences from what the two entries say, cited as they cite it."]),
    ("tell_apart in both files", "alpha.md", "status: active",
     'status: active\ntell_apart: {beta: "Not beta [@post]."}',
     [f"{E}beta.md:14: the neighbours 'alpha' and 'beta' have a 'tell_apart' text in both files (got two). "
      f"Fix: keep one, here or in {E}alpha.md."]),
    ("tell_apart names no neighbour", "beta.md", TELL_APART, 'tell_apart: {gamma: "Not gamma [@post]."}',
     [f"{E}alpha.md:13: no 'tell_apart' text for the neighbours 'alpha' and 'beta' (got none in either file). "
      f"Fix: add 'tell_apart: {{beta: \"How the two differ [@key].\"}}' here, or 'alpha' under 'tell_apart' in "
      f"{E}beta.md: one or two sentences from what the two entries say, cited as they cite it.",
      f"{E}beta.md:14: 'tell_apart' names 'gamma', which is not a neighbour of 'beta' (got 'gamma'). "
      "Fix: name a failure mode under the same category (alpha), or remove it."]),
    ("tell_apart links nowhere", "beta.md", TELL_APART, 'tell_apart: {alpha: "Unlike [[alfa]] [@post]."}',
     [f"{E}beta.md:14: link to an unknown entry (got '[[alfa]]'). "
      "Fix: use an existing id (did you mean 'alpha'?)."]),
    ("tell_apart not a mapping", "beta.md", TELL_APART, "tell_apart: [alpha]",
     [f"{E}beta.md:14: 'tell_apart' must be a mapping of neighbour id to text (got list). "
      "Fix: write 'tell_apart: {other-id: \"How the two differ [@key].\"}'."]),
    ("tell_apart key not an id", "beta.md", TELL_APART, 'tell_apart: {Alpha: "Not alpha [@post]."}',
     [f"{E}beta.md:14: 'tell_apart' keys are entry ids, lowercase slugs (got 'Alpha'). "
      "Fix: use the neighbour's id, e.g. 'gradient'."]),
    ("tell_apart without citation", "beta.md", TELL_APART, 'tell_apart: {alpha: "Beta differs."}',
     [f"{E}beta.md:14: the 'tell_apart' text for 'alpha' has no citation (got 'Beta differs.'). "
      "Fix: cite what the entries rest on as [@key]."]),
    ("tell_apart with raw HTML", "beta.md", TELL_APART, 'tell_apart: {alpha: "Beta <b>differs</b> [@post]."}',
     [f"{E}beta.md:14: raw HTML is not allowed in entries (got '<b'). "
      "Fix: use Markdown; write '&lt;' for a literal '<'."]),
    ("tell_apart cites an unknown work", "beta.md", TELL_APART, 'tell_apart: {alpha: "Beta differs [@pots]."}',
     [f"{E}beta.md:14: unknown citation key 'pots' (got '[@pots]'). Fix: use a key from "
      "taxonomy_src/bibliography.yaml (did you mean 'post'?) or add the work there."]),
]


def _apply(sources: Path, name: str, old: str, new: str) -> None:
    edit(sources / "entries" / name, old, new)


@pytest.mark.parametrize(("name", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_exactly(sources: Path, name: str, old: str, new: str, expected: list[str]) -> None:
    """Each malformed source yields exactly its message(s), with file and line."""
    _apply(sources, name, old, new)
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted(expected)


def test_fixture_is_valid(sources: Path) -> None:
    """The unmodified fixture loads, so each case above fails only because of its own change."""
    taxonomy = load(sources, sources.parent)
    assert sorted(taxonomy.entries) == ["alpha", "beta", "gamma", "group"]


def test_non_utf8_file(sources: Path) -> None:
    """A file that is not UTF-8 is named with the line of the bad byte."""
    (sources / "entries" / "gamma.md").write_bytes(b"---\nid: gamma\ntitle: Caf\xe9\n---\n")
    assert [str(p) for p in check(sources, sources.parent)] == [
        f"{E}gamma.md:3: file is not valid UTF-8 (got byte 0xe9). Fix: save the file with UTF-8 encoding."]


def test_stray_file_is_not_silently_ignored(sources: Path) -> None:
    """A file in entries/ that is not an entry is an error, never skipped."""
    (sources / "entries" / "delta.markdown").write_text("---\nid: delta\n---\n", "utf-8")
    assert [str(p) for p in check(sources, sources.parent)] == [
        f"{E}delta.markdown:1: not an entry file (got 'delta.markdown'). "
        "Fix: entries are '<id>.md' files; move or rename it."]


def test_all_problems_reported_at_once(sources: Path) -> None:
    """Problems in several files are all reported in one run, sorted by file and line."""
    _apply(sources, "alpha.md", "kind: failure-mode", "kind: failure-mod")
    _apply(sources, "beta.md", "parent: group", "parent: grop")
    _apply(sources, "gamma.md", "Gamma [@other].", "Gamma [@otter].")
    problems = check(sources, sources.parent)
    assert [(p.path.rsplit("/", 1)[1], p.line) for p in problems] == [("alpha.md", 4), ("beta.md", 5), ("gamma.md", 16)]


def test_bibliography_problems(sources: Path) -> None:
    """Bibliography entries are validated like entries."""
    path = sources / "bibliography.yaml"
    path.write_text(path.read_text("utf-8").replace("url: https://example.org/post", "url: http://example.org/post")
                    .replace('authors: ["Writer, Will", "Scribe, Sam"]', 'authors: ["Will Writer"]'), "utf-8")
    assert [str(p) for p in check(sources, sources.parent)] == [
        "taxonomy_src/bibliography.yaml:7: url must be an https address without spaces, quotes or brackets "
        "(got 'http://example.org/post'). Fix: use the https address, percent-encoding such characters.",
        "taxonomy_src/bibliography.yaml:10: author must be written 'Family, Given' (got 'Will Writer'). "
        "Fix: put the family name first, then a comma; end an incomplete list with 'others'.",
    ]


def test_unparseable_bibliography_is_reported_once(sources: Path) -> None:
    """A bibliography that cannot be parsed is one problem: the citations it would have defined are not reported."""
    edit(sources / "bibliography.yaml", "  title: Another work", " title: Another work")
    assert [str(p) for p in check(sources, sources.parent)] == [
        "taxonomy_src/bibliography.yaml:12: this line is indented 1 space, which lines up with no line above it "
        "(got 'title: Another work'). Fix: indent it 2 spaces to keep it under 'other:', or 0 spaces to put it "
        "beside 'other'; indent with spaces only."]


def test_a_broken_work_does_not_cascade(sources: Path) -> None:
    """A work with a missing field is reported in the bibliography; citations of its key are not also errors."""
    edit(sources / "bibliography.yaml", "  container: A journal\n", "")
    assert [str(p) for p in check(sources, sources.parent)] == [
        "taxonomy_src/bibliography.yaml:9: missing required field 'container' (got no 'container:' line). "
        "Fix: add 'container: ...'."]


@pytest.mark.parametrize(("name", "old", "new"), [
    ("dimensions.yaml", "- id: layer", "- id: layer\n bad: indent"),
    ("entries/group.md", "kind: category", "kind: [category"),
])
def test_an_unreadable_file_is_one_problem(sources: Path, name: str, old: str, new: str) -> None:
    """When a dimensions file or an entry cannot be parsed, what depends on it is not reported as well."""
    edit(sources / name, old, new)
    problems = check(sources, sources.parent)
    assert [p.path for p in problems] == [f"taxonomy_src/{name}"], [str(p) for p in problems]


def test_a_stale_id_names_the_entry_that_has_it_now(sources: Path) -> None:
    """After a rename, each leftover reference to the old id says which entry it belongs to now."""
    entries = sources / "entries"
    (entries / "beta.md").rename(entries / "beta-new.md")
    edit(entries / "beta-new.md", "id: beta\n", "id: beta-new\nformer_ids: [beta]\n")
    edit(sources / "changelog.yaml", "    renamed: []", "    renamed: [{from: beta, to: beta-new}]")
    edit(sources / "decision-tree.yaml", "entry: beta}", "entry: beta-new}")
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted([
        f"{E}alpha.md:19: link to a renamed entry (got '[[beta#definition|beta]]'). Fix: 'beta' is a former id "
        "of beta-new; link [[beta-new#definition|beta]].",
        f"{E}alpha.md:27: link to a renamed entry (got '[[beta]]'). Fix: 'beta' is a former id of beta-new; "
        "link [[beta-new]].",
        f"{E}alpha.md:9: relation 'distinct-from' points to an unknown entry (got 'beta'). Fix: 'beta' is a former "
        "id of beta-new; use 'beta-new'.",
        "taxonomy_src/decision-tree.yaml:11: link to a renamed entry (got '[[beta]]'). Fix: 'beta' is a former "
        "id of beta-new; link [[beta-new]].",
    ])


def test_retiring_and_adding_are_recorded_in_the_changelog(sources: Path) -> None:
    """A deprecated entry needs 'retired' in a release, as a rename needs 'renamed'; a new entry needs 'added'."""
    edit(sources / "entries/gamma.md", "status: active", "status: deprecated\nstatus_note: Merged.")
    edit(sources / "changelog.yaml", "added: [alpha, beta, gamma, group]", "added: [alpha, beta, group]")
    assert [str(p) for p in check(sources, sources.parent)] == [
        "taxonomy_src/changelog.yaml:5: entry 'gamma' is deprecated, but no release records its retirement (got "
        "none). Fix: add 'gamma' under 'retired' of a new upcoming release after this one ('- version: …' with "
        "'date: null').",
        "taxonomy_src/changelog.yaml:5: entry 'gamma' is in no release (got no 'added' listing it). Fix: add "
        "'gamma' under 'added' of a new upcoming release after this one ('- version: …' with 'date: null'); "
        "`make new-entry` does this.",
    ]


def test_real_sources_are_valid() -> None:
    """The shipped taxonomy_src/ passes validation."""
    assert check(ROOT / "taxonomy_src", ROOT) == []


def test_loading_leaves_the_collector_running_with_nothing_out_of_its_reach(sources: Path) -> None:
    """Reading pauses the cyclic collector; afterwards it runs again, nothing is frozen, and garbage in a cycle
    from before the load is still collected (a long-running `mkdocs serve` must not leak)."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    garbage = weakref.ref(_Cycle())
    load(sources, sources.parent)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.collect()
    assert garbage() is None


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.itself = self
