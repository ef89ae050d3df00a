"""Text is never silently changed or dropped on its way to a page: what the renderer cannot show as written is
refused by the check with `path:line … Fix:`, and what the check accepts is shown whole, where it was written."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from markdown_site import render

from conftest import FIXTURES, change
from taxonomy import markup, pages
from taxonomy.anchors import published
from taxonomy.checks import TITLE_MAX
from taxonomy.escaping import md_text
from taxonomy.loader import SourceCache, check, load
from taxonomy.render import Renderer
from taxonomy.urls import case_path, entry_path

E, C = "taxonomy_src/entries/", "taxonomy_src/cases/"
A, AC = "entries/alpha.md", "cases/alpha-case.md"
EXAMPLE = "None survives."
CASE_TEXT = "Alpha happens [@post]."
UNREADABLE = (" is not closed, or holds brackets, so it would show as literal text (got {got!r}). Fix: write it "
              "whole on one line, without brackets inside; a claim marker or a link goes after a citation, never "
              "inside it: '[@key, locator] [?kind]'.")
RESERVED = ("the text {text!r} is reserved: the site would put generated content in its place (got it on this "
            "line). Fix: reword it.")


def _setext(char: str, underline: str, under: str) -> str:
    return (f"a line of '{char}' under text makes that text a heading without a stable anchor (got {underline!r} "
            f"under {under!r}). Fix: write the heading as '## Title {{#id}}'; for a horizontal rule, leave a blank "
            "line above the line.")


# (case id, file, text to replace, replacement, expected problems)
REFUSED: list[tuple[str, str, str, str, list[str]]] = [
    ("setext heading of '='", A, EXAMPLE, f"{EXAMPLE}\n\nSneaky\n======",
     [f"{E}alpha.md:34: {_setext('=', '======', 'Sneaky')}"]),
    ("setext heading of '-' right under a paragraph", A, EXAMPLE, f"{EXAMPLE}\n---",
     [f"{E}alpha.md:32: {_setext('-', '---', EXAMPLE)}"]),
    ("setext heading in a case", AC, CASE_TEXT, f"{CASE_TEXT}\n\nMore\n- ",
     [f"{C}alpha-case.md:20: {_setext('-', '-', 'More')}"]),
    ("the footnotes placeholder", A, EXAMPLE, f"{EXAMPLE} {markup.FOOTNOTES_PLACE}",
     [f"{E}alpha.md:31: {RESERVED.format(text=markup.FOOTNOTES_PLACE)}"]),
    ("the footnotes placeholder in code", A, EXAMPLE, f"{EXAMPLE} `{markup.FOOTNOTES_PLACE}`",
     [f"{E}alpha.md:31: {RESERVED.format(text=markup.FOOTNOTES_PLACE)}"]),
    ("code fence with options the checks cannot read", A, EXAMPLE,
     f'{EXAMPLE}\n\n```python title="x"\n## Fake {{#fake}}\n```\n\n```text\n## Not a heading\n```',
     [f"{E}alpha.md:33: code fence with more than a language name after it (got '```python title=\"x\"'): the page "
      "could read a code block where the checks read text. Fix: write only a language name after the fence, e.g. "
      "'```python'."]),
    ("abbreviation definition", A, EXAMPLE, f"{EXAMPLE}\n*[Alpha]: A letter",
     [f"{E}alpha.md:32: abbreviation definitions are not allowed (got '*[Alpha]: A letter'): the line would vanish "
      "and change every use of the word on the page, generated parts included. Fix: spell the expansion out in the "
      "text, e.g. 'RL (reinforcement learning)'."]),
    ("citation inside a link's text", A, "Somehow [@other].", "Somehow [see [@other]](https://example.org/x).",
     [f"{E}alpha.md:23: a link's text holds a wiki link, citation or claim marker (got '[see [@other]]'), which "
      "would show as raw text or as a link inside a link. Fix: put it after the link: '[text](https://…) [@key]'."]),
    ("claim marker inside a link's text", AC, CASE_TEXT, "Alpha [happens [?our-reading]](https://example.org) [@post].",
     [f"{C}alpha-case.md:17: a link's text holds a wiki link, citation or claim marker (got '[happens "
      "[?our-reading]]'), which would show as raw text or as a link inside a link. Fix: put it after the link: "
      "'[text](https://…) [@key]'."]),
    ("table row wider than its header", A, EXAMPLE, f"{EXAMPLE}\n\n| a | b |\n|---|---|\n| 1 | `|` | 3 |\n| x |",
     [f"{E}alpha.md:35: table row has more cells than the header (got 3, the header has 2): the extra cells would "
      "not show. Fix: add header cells, or merge the row's cells."]),
    ("the table-of-contents marker", A, EXAMPLE, f"{EXAMPLE}\n\n{markup.TOC_MARKER}",
     [f"{E}alpha.md:33: {RESERVED.format(text=markup.TOC_MARKER)}"]),
    ("claim marker inside a citation's locator", A, "[@post, sec. 1]", "[@post, sec. 1 [?our-reading]]",
     [f"{E}alpha.md:19: a citation '[@…]'" + UNREADABLE.format(got="[@post, sec. 1 [?our-reading]].[^1] See "
                                                                     "[[beta#definition|be")]),
    ("wiki link inside a citation's locator", A, "Somehow [@other].", "Somehow [@other, see [[beta]]].",
     [f"{E}alpha.md:23: a citation '[@…]'" + UNREADABLE.format(got="[@other, see [[beta]]].")]),
    ("citation never closed", A, "Somehow [@other].", "Somehow [@other, p. 4.",
     [f"{E}alpha.md:23: a citation '[@…]'" + UNREADABLE.format(got="[@other, p. 4.")]),
    ("wiki link broken over two lines", A, "Unlike [[beta]].", "Unlike [[beta|the\nbeta]].",
     [f"{E}alpha.md:27: a wiki link '[[…]]'" + UNREADABLE.format(got="[[beta|the")]),
    ("claim marker holding brackets", AC, CASE_TEXT, "Alpha happens [@post] [?lost [x]].",
     [f"{C}alpha-case.md:17: a claim marker '[?…]'" + UNREADABLE.format(got="[?lost [x]].")]),
    ("case marker id equal to a heading's anchor", AC, CASE_TEXT, "Alpha happens [@post] [?lost#x].\n\n## X {#claim-x}",
     [f"{C}alpha-case.md:17: claim marker id 'x' gives the anchor 'claim-x', which a heading already has (got "
      "both). Fix: rename the marker id."]),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_text_the_page_could_not_show_as_written_is_refused(case_sources: Path, name: str, old: str, new: str,
                                                            expected: list[str]) -> None:
    """Each construct that would change or vanish on the page is refused at its own line."""
    change(case_sources, name, old, new)
    assert sorted(str(p) for p in check(case_sources, case_sources.parent)) == sorted(expected)


def test_a_case_marker_id_is_used_once_across_body_and_reasons(case_sources: Path) -> None:
    """Markers in a case's reasons share the ids of its body's markers: a second use of an id is refused."""
    change(case_sources, AC, CASE_TEXT, "Alpha happens [@post] [?disputed#who].")
    change(case_sources, AC, "why: The post says so [@post].", "why: The post says so [@post] [?lost#who].")
    assert [str(p) for p in check(case_sources, case_sources.parent)] == [
        f"{C}alpha-case.md:8: duplicate claim marker id 'who' (first on line 17). Fix: give each marker its own id."]


def _pages(src: Path) -> dict[str, str]:
    return Renderer(load(src, src.parent)).files()


def test_a_heading_like_line_in_code_keeps_the_worked_cases_in_the_example(case_sources: Path) -> None:
    """A '## …' line inside a fenced block of the Example section neither ends the section nor swallows the list
    of worked cases, which follows the block as links."""
    change(case_sources, A, EXAMPLE, f"{EXAMPLE}\n\n```text\n## Not a heading\n[^1]: nor a note\n```")
    html = render(_pages(case_sources)[entry_path("alpha")])
    code = html.index("## Not a heading")
    listed = html.index(f'href="../{case_path("alpha-case").removesuffix(".md")}')
    assert code < html.index("</pre>", code) < listed < html.index('id="uncertain"')


@pytest.mark.parametrize(("file", "page", "first", "at"), [(A, entry_path("alpha"), "## Definition", "place"),
                                                          (AC, case_path("alpha-case"), "## The case", "illustrates")])
def test_text_before_the_first_heading_leads_the_page_and_is_searched(case_sources: Path, file: str, page: str,
                                                                       first: str, at: str) -> None:
    """A paragraph above the first section shows at the top of the page, never inside a generated section (which
    search skips): it comes before the page's first section, which is what search reads first."""
    change(case_sources, file, first, f"A leading paragraph.\n\n{first}")
    html = render(_pages(case_sources)[page])
    assert html.index("A leading paragraph.") < html.index("<h2") == html.index(f'<h2 id="{at}"')


def test_case_markers_are_listed_and_registered_like_entry_markers(case_sources: Path) -> None:
    """A case's open-question markers, in its body and its reasons, are on the Open questions page, linked to
    their anchors, and among the published anchors that `make anchors` registers."""
    change(case_sources, AC, CASE_TEXT, "Alpha happens [@post] [?lost#case-q].")
    change(case_sources, AC, "why: The post says so [@post].", "why: The post says so [@post] [?disputed#why-q].")
    taxonomy = load(case_sources, case_sources.parent)
    files = Renderer(taxonomy).files()
    listed = files[pages.OPEN_QUESTIONS.path]
    for anchor in ("claim-case-q", "claim-why-q"):
        assert f"cases/alpha-case.md#{anchor})" in listed
        assert f'id="{anchor}"' in render(files[case_path("alpha-case")])
        assert f"/cases/alpha-case/#{anchor}" in published(taxonomy)
    assert re.search(r"^- \[The alpha case › The case\]\(cases/alpha-case\.md#claim-case-q\): Alpha happens ",
                     listed, re.M)


def test_plain_text_never_places_the_footnotes() -> None:
    """A plain-text field holding the footnotes placeholder shows it as text; the notes stay where they go."""
    html = render(f"{md_text(markup.FOOTNOTES_PLACE)}\n\nA claim.[^1]\n\n[^1]: A note.")
    assert unescape(html).index(markup.FOOTNOTES_PLACE) < html.index("A claim") < html.index('class="footnote"')


RLO = "\u202e"
T = "taxonomy_src/"
FIXTURE = FIXTURES / "minimal"


def _bidi(name: str, at: int) -> str:
    return (f"'{name}' holds an invisible bidirectional control (got U+202E at character {at}). Fix: delete it; "
            "plain text is shown inside other text on many pages, where it would reverse what follows.")


# (case id, file, text to replace, replacement, expected problem): one plain-text field of each source file
BIDI: list[tuple[str, str, str, str, str]] = [
    ("entry title", A, "title: Alpha failure", f"title: Alpha {RLO}failure", f"{E}alpha.md:3: {_bidi('title', 7)}"),
    ("entry alias", A, "aliases: [first failure]", f"aliases: [first {RLO}failure]",
     f"{E}alpha.md:7: {_bidi('aliases', 7)}"),
    ("case title", AC, "title: The alpha case", f"title: The {RLO}alpha case",
     f"{C}alpha-case.md:3: {_bidi('title', 5)}"),
    ("work title", "bibliography.yaml", "title: A post", f"title: A {RLO}post",
     f"{T}bibliography.yaml:5: {_bidi('title', 3)}"),
    ("dimension question", "dimensions.yaml", "question: Where is the gap?", f"question: Where {RLO}is the gap?",
     f"{T}dimensions.yaml:3: {_bidi('question', 7)}"),
    ("tree question", "decision-tree.yaml", "question: Is it alpha?", f"question: Is {RLO}it alpha?",
     f"{T}decision-tree.yaml:4: {_bidi('question', 4)}"),
    ("answer label", "decision-tree.yaml", '{label: "Yes", entry: alpha}', f'{{label: "Y{RLO}es", entry: alpha}}',
     f"{T}decision-tree.yaml:7: {_bidi('label', 2)}"),
    ("outcome title", "decision-tree.yaml", "title: Alpha or beta", f"title: Alpha {RLO}or beta",
     f"{T}decision-tree.yaml:18: {_bidi('title', 7)}"),
    ("section heading", A, "## Definition {#definition}", f"## De{RLO}finition {{#definition}}",
     f"{E}alpha.md:17: heading holds an invisible bidirectional control (got U+202E). Fix: delete it; a heading is "
     "also shown in the page's contents and on other pages, where it would reverse what follows."),
    ("taxonomy title", "taxonomy.yaml", "title: Test Taxonomy", f"title: Test {RLO}Taxonomy",
     f"{T}taxonomy.yaml:1: {_bidi('title', 6)}"),
    ("release summary", "changelog.yaml", "First public release:", f"First {RLO}public release:",
     f"{T}changelog.yaml:7: {_bidi('summary', 7)}"),
    ("crosswalk term", "crosswalk.yaml", "term: wobble", f"term: wob{RLO}ble",
     f"{T}crosswalk.yaml:3: {_bidi('term', 4)}"),
    ("crosswalk justification", "crosswalk.yaml", "justification: Both name", f"justification: Both {RLO}name",
     f"{T}crosswalk.yaml:8: {_bidi('justification', 6)}"),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), [c[1:] for c in BIDI], ids=[c[0] for c in BIDI])
def test_bidirectional_controls_are_refused_in_plain_text(case_sources: Path, name: str, old: str, new: str,
                                                          expected: str) -> None:
    """A control that would reverse the text after it, wherever a plain-text field is shown, is refused at the
    field's line."""
    change(case_sources, name, old, new)
    assert expected in [str(p) for p in check(case_sources, case_sources.parent)]


def test_a_long_title_is_refused_and_a_title_at_the_limit_is_not(case_sources: Path) -> None:
    """Titles have a length limit, like summaries: it is the one number the schema page states."""
    at_limit = "T" * TITLE_MAX
    change(case_sources, AC, "title: The alpha case", f"title: {at_limit}")
    change(case_sources, "bibliography.yaml", "title: A post", f"title: {at_limit}x")
    assert [str(p) for p in check(case_sources, case_sources.parent)] == [
        f"{T}bibliography.yaml:5: 'title' is too long (got {TITLE_MAX + 1} characters, at most {TITLE_MAX}). "
        "Fix: shorten it; the summary or the body can say more."]
    assert f"a title is at most {TITLE_MAX} characters" in Renderer(load(FIXTURE, FIXTURE.parent)).files()[
        pages.SCHEMA.path]


def test_loading_again_from_the_cache_keeps_each_marker_once() -> None:
    """`make serve` loads again with cached entry files: markers in a dimension's reason are neither counted twice
    nor reported as duplicates of themselves."""
    provenance = FIXTURES / "provenance"
    cache = SourceCache()
    first = load(provenance, provenance.parent, cache)
    assert any(c.section and c.section.startswith("dim-") and c.id for e in first.entries.values() for c in e.claims)
    assert load(provenance, provenance.parent, cache) == first


def test_a_works_note_is_plain_text_and_a_retired_questions_note_is_not(case_sources: Path) -> None:
    """Two fields share the name `note`: the bibliography's is plain text (markup and bidirectional controls
    refused), the tree's retired question's is inline Markdown (checked as Markdown)."""
    change(case_sources, "bibliography.yaml", "title: A post", f"title: A post\n  note: A {RLO}note")
    assert [str(p) for p in check(case_sources, case_sources.parent)] == [
        f"{T}bibliography.yaml:6: {_bidi('note', 3)}"]
