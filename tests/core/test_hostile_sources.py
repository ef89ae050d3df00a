"""Hostile and unusual bytes in every source file: the one reader refuses them with `path:line`, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import edit
from taxonomy.loader import check, load
from taxonomy.problems import TaxonomyError
from taxonomy.yamlsrc import MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS

E = "taxonomy_src/entries/"
S = "taxonomy_src/"

# (case, file, text to replace, replacement, expected problems); the replacement may be bytes.
CASES: list[tuple[str, str, str, str | bytes, list[str]]] = [
    ("non-UTF-8 changelog", "changelog.yaml", "releases:", b"releases: # caf\xe9",
     [f"{S}changelog.yaml:4: file is not valid UTF-8 (got byte 0xe9). Fix: save the file with UTF-8 encoding."]),
    ("non-UTF-8 registry", "anchors.txt", "/bibliography/", b"/bibliography/\xff",
     [f"{S}anchors.txt:5: file is not valid UTF-8 (got byte 0xff). Fix: save the file with UTF-8 encoding."]),
    ("non-UTF-8 tree", "decision-tree.yaml", "Is it alpha?", b"Is it \xe0lpha?",
     [f"{S}decision-tree.yaml:4: file is not valid UTF-8 (got byte 0xe0). Fix: save the file with UTF-8 encoding."]),
    ("control character (reported once)", "dimensions.yaml", "Where is the gap?", "Where is\x07 the gap?",
     [f"{S}dimensions.yaml:3: control character in the file (got U+0007). Fix: delete it; use plain spaces and "
      "line breaks."]),
    ("line separator", "entries/alpha.md", "The first test", "The\u2028first test",
     [f"{E}alpha.md:6: control character in the file (got U+2028). Fix: delete it; use plain spaces and line "
      "breaks."]),
    ("explicit tag with a bad value", "entries/alpha.md", "status: active", "status: active\norder: !!int abc",
     [f"{E}alpha.md:12: YAML tags are not allowed (got tag:yaml.org,2002:int). Fix: remove the tag."]),
    ("explicit tag on a collection", "dimensions.yaml", "  values:", "  values: !!set",
     [f"{S}dimensions.yaml:4: YAML tags are not allowed (got tag:yaml.org,2002:set). Fix: remove the tag."]),
    ("5,000-digit integer", "entries/alpha.md", "status: active", "status: active\norder: " + "9" * 5000,
     [f"{E}alpha.md:12: number is too large (got 5000 digits, at most {MAX_INT_DIGITS}). Fix: use a smaller "
      "number, or quote it to make it text."]),
    ("deep nesting", "taxonomy.yaml", "title: Test Taxonomy", "title: " + "[" * 40 + "]" * 40,
     [f"{S}taxonomy.yaml:1: nesting is too deep (got more than {MAX_DEPTH} levels). Fix: flatten the structure."]),
    ("anchor and alias", "bibliography.yaml", "  title: A post", "  title: &t A post\n  note: *t",
     [f"{S}bibliography.yaml:5: YAML anchors and aliases ('&', '*') are not allowed. Fix: write the value out."]),
    ("merge key", "bibliography.yaml", "  title: A post", "  <<: {title: A post}",
     [f"{S}bibliography.yaml:5: YAML merge keys ('<<') are not allowed. Fix: write the fields out."]),
    ("bibliography that does not parse: reported once", "bibliography.yaml", "  title: A post",
     "  title: A post\n bad: x",
     [f"{S}bibliography.yaml:6: this line is indented 1 space, which lines up with no line above it (got 'bad: "
      "x'). Fix: indent it 2 spaces to keep it under 'post:', or 0 spaces to put it beside 'post'; indent with "
      "spaces only."]),
    ("dimension id that is not a slug", "dimensions.yaml", "- id: layer", "- id: 'lay\"er'",
     [f"{S}dimensions.yaml:1: a dimension id must be a lowercase slug (got 'lay\"er'). Fix: use lowercase "
      "letters, digits and hyphens; it is part of URLs.",
      f"{E}alpha.md:14: unknown dimension 'layer' (got 'layer'). Fix: use one of (none are defined).",
      f"{E}beta.md:13: unknown dimension 'layer' (got 'layer'). Fix: use one of (none are defined)."]),
    ("impossible release date", "changelog.yaml", '"2026-11-26"', '"2026-02-30"',
     [f"{S}changelog.yaml:6: 'date' must be a real date written YYYY-MM-DD, or null for the upcoming release "
      "(got '2026-02-30'). Fix: write date: \"2026-11-26\"."]),
    ("impossible work date", "bibliography.yaml", "  year: 2026", "  year: 2026\n  date: 2026-13-45",
     [f"{S}bibliography.yaml:5: date must be a real date written YYYY-MM-DD (got '2026-13-45'). Fix: write "
      "e.g. '2026-06-21' in quotes."]),
    ("quote in a work URL", "bibliography.yaml", "url: https://example.org/post",
     'url: https://example.org/post"><script>',
     [f"{S}bibliography.yaml:7: url must be an https address without spaces, quotes or brackets (got "
      "'https://example.org/post\"><script>'). Fix: use the https address, percent-encoding such characters."]),
    ("site URL that is not https", "taxonomy.yaml", "site_url: https://example.org/tx/",
     "site_url: javascript:alert(1)//",
     [f"{S}taxonomy.yaml:4: 'site_url' must be an https address (got 'javascript:alert(1)//'). Fix: write e.g. "
      "'https://example.org/'."]),
    ("id that is a generated page", "entries/gamma.md", "id: gamma", "id: index",
     [f"{E}gamma.md:2: id must equal the file name (got id 'index' in 'gamma.md'). Fix: rename the file to "
      "'index.md' or set 'id: gamma'.",
      f"{E}gamma.md:2: 'index' is reserved for a page the site generates (got 'id: index'). Fix: choose another "
      "id."]),
    ("alias on a generated address", "entries/alpha.md", "aliases: [first failure]", "aliases: [Index]",
     [f"{E}alpha.md:7: alias 'Index' would take the address /names/index/, which the site uses itself (got "
      "'Index'). Fix: reword the alias."]),
    ("body anchor equal to a generated id", "entries/alpha.md", "## How it arises {#how-it-arises}",
     "## How it arises {#how-it-arises}\n\n### Layer {#dim-layer}",
     [f"{E}alpha.md:23: heading anchor 'dim-layer' is reserved for a generated section (got '{{#dim-layer}}'). "
      "Fix: choose another id, e.g. '{#layer}'."]),
    ("tree id equal to a page anchor", "decision-tree.yaml", "  - id: second", "  - id: flowchart",
     [f"{S}decision-tree.yaml:9: question id 'flowchart' is also an anchor the tree page makes itself (got "
      "'id: flowchart'). Fix: choose another id, e.g. 'q2'.",
      f"{S}decision-tree.yaml:1: failure mode 'beta' is not a result of any path (got no answer with 'entry: "
      "beta'). Fix: add an answer with 'entry: beta' to a question of the tree.",
      f"{S}decision-tree.yaml:8: question 'start' leads to an unknown question (got next: second). Fix: use one of "
      "start."]),
    ("markup in a plain-text field", "entries/alpha.md", "title: Alpha failure",
     "title: \"*x*{: onclick='alert(1)'}\"",
     [f"{E}alpha.md:3: 'title' is plain text, so markup would show literally (got \"*x*{{: onclick='alert(1)'}}\"). "
      "Fix: remove the markup."]),
    ("attribute list in a dimension's why", "entries/alpha.md", 'why: "The post says so [@post]."',
     "why: \"The post says so [@post].{: onclick=alert(1)}\"",
     [f"{E}alpha.md:14: attribute lists ('{{: ...}}', '{{.class}}', '{{key=value}}') are not allowed in entry "
      "text. Fix: remove them; only headings take '{#id}'."]),
    ("script in a fence the renderer does not read as code", "entries/alpha.md", "Somehow [@other].",
     "Somehow [@other].\n\n```foo bar\n<script>alert(1)</script>",
     [f"{E}alpha.md:26: raw HTML is not allowed in entries (got '<script'). Fix: use Markdown; write '&lt;' for "
      "a literal '<'."]),
    ("plain http autolink", "entries/alpha.md", "Somehow [@other].", "Somehow <http://example.org> [@other].",
     [f"{E}alpha.md:23: link is not https (got 'http://example.org'). Fix: use the https:// address."]),
    ("image from another host", "entries/alpha.md", "Somehow [@other].",
     "Somehow ![pixel](https://tracker.example/p.gif) [@other].",
     [f"{E}alpha.md:23: images are not allowed in entries (got '![…]'). Fix: describe the figure in words and "
      "link to it with [text](https://…)."]),
]


def _apply(sources: Path, name: str, old: str, new: str | bytes) -> None:
    path = sources / name
    if isinstance(new, bytes):
        raw = path.read_bytes()
        assert old.encode() in raw, f"{old!r} not in {path}"
        path.write_bytes(raw.replace(old.encode(), new, 1))
    else:
        edit(path, old, new)


@pytest.mark.parametrize(("name", "old", "new", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_hostile_input_is_refused_exactly(sources: Path, name: str, old: str, new: str | bytes,
                                          expected: list[str]) -> None:
    """Each hostile input yields exactly the expected problems, and loading raises only TaxonomyError."""
    _apply(sources, name, old, new)
    assert sorted(str(p) for p in check(sources, sources.parent)) == sorted(expected)


def test_symlinks_are_refused_without_echoing_their_target(sources: Path, tmp_path: Path) -> None:
    """A link to a file outside the repository is refused, and nothing of that file appears in the message."""
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: leaked\ntitle: TOP-SECRET-CONTENT\n---\n", "utf-8")
    os.symlink(secret, sources / "entries" / "leaked.md")
    os.symlink(secret, sources / "entries" / "notes.txt")
    problems = [str(p) for p in check(sources, sources.parent)]
    assert f"{E}leaked.md:1: symbolic links are not allowed in taxonomy_src/ (got a link). Fix: replace the link " \
           "with a regular file." in problems
    assert f"{E}notes.txt:1: not an entry file (got 'notes.txt'). Fix: entries are '<id>.md' files; move or " \
           "rename it." in problems
    assert not any("TOP-SECRET" in p for p in problems)


def test_hidden_entry_file_is_reported_not_skipped(sources: Path) -> None:
    """An entry saved as a dot-file is named, not silently ignored; editor files are left alone."""
    (sources / "entries" / ".delta.md").write_text((sources / "entries" / "gamma.md").read_text("utf-8"), "utf-8")
    (sources / "entries" / ".gamma.md.swp").write_bytes(b"\x00swap")
    assert [str(p) for p in check(sources, sources.parent)] == [
        f"{E}.delta.md:1: hidden entry file would be ignored (got '.delta.md'). Fix: rename it to 'delta.md'."]


def test_oversized_file_is_refused_before_reading(sources: Path) -> None:
    """The documented size limit refuses a huge file with one message."""
    path = sources / "entries" / "gamma.md"
    path.write_text(path.read_text("utf-8") + "x" * MAX_BYTES, "utf-8")
    size = path.stat().st_size
    assert [str(p) for p in check(sources, sources.parent)] == [
        f"{E}gamma.md:1: file is too large (got {size} bytes, at most {MAX_BYTES}). Fix: split it or shorten it."]


@pytest.mark.parametrize("name", ["entries/alpha.md", "bibliography.yaml", "decision-tree.yaml", "changelog.yaml",
                                  "dimensions.yaml", "taxonomy.yaml", "anchors.txt"])
def test_bom_and_crlf_are_accepted_everywhere(sources: Path, name: str) -> None:
    """Windows line ends and a byte-order mark load exactly like the plain file."""
    before = load(sources, sources.parent)
    path = sources / name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert load(sources, sources.parent) == before


def test_unexpected_errors_are_reported_not_raised(sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the checker shows as one problem naming the file being read, never as a stack trace."""
    def broken(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("taxonomy.crosscheck.sections", broken)
    with pytest.raises(TaxonomyError) as caught:
        load(sources, sources.parent)
    [problem] = caught.value.problems
    assert problem.message == ("internal error while reading this file (got RecursionError: maximum recursion depth "
                               "exceeded). Fix: this is a bug in the checker, not in your text; please report it "
                               "with this file attached.")
    assert problem.path.startswith("taxonomy_src/")


# Valid but unusual inputs load, and keep what they say.
UNUSUAL = [
    ("non-Latin alias", "entries/alpha.md", "aliases: [first failure]", "aliases: [Переобучение, 过拟合, 🙂]"),
    ("word 'data:' in prose", "entries/alpha.md", "Somehow [@other].", "Somehow the data: it leaks [@other]."),
    ("quotes and angle brackets in a title", "entries/alpha.md", "title: Alpha failure",
     "title: 'Alpha \"failure\" & the < sign'"),
    ("'javascript:' as a word in a title", "entries/gamma.md", "title: Gamma concept",
     "title: 'javascript: a concept'"),
    ("code span that looks like a footnote", "entries/alpha.md", "Somehow [@other].", "Somehow `[^a-z]` [@other]."),
    ("HTML shown as code", "entries/alpha.md", "Somehow [@other].",
     "Somehow [@other].\n\n```html\n<script>alert(1)</script>\n```"),
    ("quoted YAML date", "bibliography.yaml", "  year: 2026", '  year: 2026\n  date: "2026-06-21"'),
    ("emoji and right-to-left text in a summary", "entries/alpha.md", "The first test failure mode.",
     "The first test failure mode, 🙂 שלום."),
]


@pytest.mark.parametrize(("name", "old", "new"), [case[1:] for case in UNUSUAL], ids=[case[0] for case in UNUSUAL])
def test_valid_unusual_input_loads(sources: Path, name: str, old: str, new: str) -> None:
    """Unusual but valid text is accepted (over-rejection is a bug too)."""
    edit(sources / name, old, new)
    load(sources, sources.parent)


def test_code_span_is_not_a_footnote(sources: Path) -> None:
    """A footnote-looking code span does not make a page grow a Notes section."""
    edit(sources / "entries" / "gamma.md", "Gamma [@other].", "Gamma `[^a-z]` [@other].")
    taxonomy = load(sources, sources.parent)
    assert not taxonomy.entries["gamma"].has_footnotes
