"""Claim-status markers, sources.yaml, and the Sources and Open questions pages (fast: no site build)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, edit
from taxonomy import claims, markup, pages
from taxonomy.loader import check, load
from taxonomy.render import Renderer, entry_path
from taxonomy.sources import SOURCES

E = "taxonomy_src/entries/"
KINDS = "summary, local-copy, comment-thread, our-reading, disputed, lost"
PROVENANCE = FIXTURES / "provenance"
SITE = "https://example.org/tx/"

# (case id, file, text to replace, replacement, expected problems); line 23 of alpha.md is "Somehow [@other]."
BAD_MARKERS = [
    ("unknown kind with a suggestion", "alpha.md", "Somehow [@other].", "Somehow [@other] [?our-reeding].",
     [f"{E}alpha.md:23: unknown claim marker (got '[?our-reeding]'). Fix: use one of {KINDS} "
      "(did you mean 'our-reading'?)."]),
    ("unknown kind written as words", "alpha.md", "Somehow [@other].", "Somehow [@other] [?Our Reading].",
     [f"{E}alpha.md:23: unknown claim marker (got '[?Our Reading]'). Fix: use one of {KINDS} "
      "(did you mean 'our-reading'?)."]),
    ("unknown kind without a suggestion", "alpha.md", "Somehow [@other].", "Somehow [@other] [?gossip].",
     [f"{E}alpha.md:23: unknown claim marker (got '[?gossip]'). Fix: use one of {KINDS}."]),
    ("empty marker", "alpha.md", "Somehow [@other].", "Somehow [@other] [?].",
     [f"{E}alpha.md:23: unknown claim marker (got '[?]'). Fix: use one of {KINDS}."]),
    ("id that is not a slug", "alpha.md", "Somehow [@other].", "Somehow [@other] [?lost#Rest Of It].",
     [f"{E}alpha.md:23: claim marker id is not a lowercase slug (got '[?lost#Rest Of It]'). Fix: use letters, "
      "digits and hyphens, e.g. '[?lost#rest-of-it]'."]),
    ("lost without an id", "alpha.md", "Somehow [@other].", "Somehow [@other] [?lost].",
     [f"{E}alpha.md:23: a 'lost' marker needs a permanent id (got '[?lost]'). Fix: name the open question, e.g. "
      "'[?lost#how-it-arises-lost]'; it becomes the address '#claim-how-it-arises-lost' and must never change."]),
    ("disputed without an id", "alpha.md", "Somehow [@other].", "Somehow [@other] [?disputed].",
     [f"{E}alpha.md:23: a 'disputed' marker needs a permanent id (got '[?disputed]'). Fix: name the open "
      "question, e.g. '[?disputed#how-it-arises-disputed]'; it becomes the address "
      "'#claim-how-it-arises-disputed' and must never change."]),
    ("duplicate id", "alpha.md", "Somehow [@other].", "Somehow [@other] [?lost#gap].\n\nAgain [?disputed#gap].",
     [f"{E}alpha.md:25: duplicate claim marker id 'gap' (first on line 23). Fix: give each marker its own id."]),
    ("duplicate id across body and why", "alpha.md", "Somehow [@other].", "Somehow [@other] [?disputed#layer].",
     [f"{E}alpha.md:14: duplicate claim marker id 'layer' (first on line 23). Fix: give each marker its own id."],
     ),
    ("marker in a heading", "alpha.md", "## How it arises {#how-it-arises}",
     "## How it arises [?our-reading] {#how-it-arises}",
     [f"{E}alpha.md:21: claim markers are not allowed in headings (got '[?our-reading]'). Fix: put the marker "
      "after the claim, in the text under the heading."]),
    ("marker in the summary", "alpha.md", "summary: The first test failure mode.",
     "summary: The first test failure mode [?summary].",
     [f"{E}alpha.md:6: 'summary' must be plain text without links or citations (got 'The first test failure mode "
      "[?summary].'). Fix: move links and citations into the body."]),
    ("unknown marker in a dimension why", "alpha.md", 'why: "The post says so [@post]."',
     'why: "The post says so [@post] [?our-reeding]."',
     [f"{E}alpha.md:14: unknown claim marker (got '[?our-reeding]'). Fix: use one of {KINDS} "
      "(did you mean 'our-reading'?)."]),
    ("marker anchor taken by a heading", "alpha.md", "Somehow [@other].",
     "Somehow [@other] [?lost#arises].\n\n### Note {#claim-arises}\n\nMore.",
     [f"{E}alpha.md:23: claim marker id 'arises' gives the anchor 'claim-arises', which a heading already has (got "
      "both). Fix: rename the marker id."]),
    ("attribute list beside a valid marker", "alpha.md", "Somehow [@other].",
     "Somehow [@other] [?our-reading]{: .evil onclick=\"x()\"}.",
     [f"{E}alpha.md:23: attribute lists ('{{: ...}}', '{{.class}}', '{{key=value}}') are not allowed in entry "
      "text. Fix: remove them; only headings take '{#id}'."]),
    ("retired marker anchor still present", "alpha.md", "status: active\n",
     "status: active\nformer_anchors: {claim-gap: definition}\n",
     [f"{E}alpha.md:12: former anchor 'claim-gap' is still a current anchor (got 'claim-gap'). "
      "Fix: remove it from 'former_anchors'."]),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "expected"), BAD_MARKERS, ids=[c[0] for c in BAD_MARKERS])
def test_bad_marker_is_reported_exactly(sources: Path, name: str, file: str, old: str, new: str,
                                        expected: list[str]) -> None:
    """Each malformed or misplaced marker yields exactly one `path:line: … Fix: …` message."""
    if name == "duplicate id across body and why":
        edit(sources / "entries" / file, 'why: "The post says so [@post]."', 'why: "So [@post] [?disputed#layer]."')
    if name == "retired marker anchor still present":
        edit(sources / "entries" / file, "Somehow [@other].", "Somehow [@other] [?lost#gap].")
    edit(sources / "entries" / file, old, new)
    assert [str(p) for p in check(sources, sources.parent)] == expected


@pytest.mark.parametrize("text", [
    "Somehow [@other] [?our-reading].",
    "Somehow [@other] [?lost#gap] and [?disputed#other-gap] [?summary#named].",
    "Write `[?gossip]` in code, or \\[?gossip] escaped, to show the syntax [@other].",
    "```text\n[?gossip]\n```",
])
def test_valid_or_inert_markers_pass(sources: Path, text: str) -> None:
    """Known markers, and marker-like text in code or escaped, raise no problem."""
    edit(sources / "entries/alpha.md", "Somehow [@other].", text)
    assert check(sources, sources.parent) == []


def _write_sources(sources: Path, items: str) -> None:
    (sources / SOURCES).write_text("sources:\n" + items, "utf-8")


GOOD_SOURCE = ("  - key: other\n    name: Other work\n    kind: copy\n    contains: All of it [@other].\n"
               "    breaks_off: Nowhere.\n    obtained: Read it [?our-reading].\n")
S = "taxonomy_src/sources.yaml"
BAD_SOURCES = [
    ("unknown field", GOOD_SOURCE.replace("    name:", "    nmae: x\n    name:"),
     [f"{S}:3: unknown field 'nmae' in a source (got 'nmae'). Fix: remove it or use one of key, name, kind, contains, "
      "breaks_off, obtained (did you mean 'name'?)."]),
    ("missing field", GOOD_SOURCE.replace("    obtained: Read it [?our-reading].\n", ""),
     [f"{S}:2: a source is missing obtained (got key, name, kind, contains, breaks_off). Fix: add 'obtained: ...'."]),
    ("key not in the bibliography", GOOD_SOURCE.replace("key: other", "key: othr"),
     [f"{S}:2: 'key' must be a bibliography key (got 'othr'). Fix: use a key from taxonomy_src/bibliography.yaml "
      "(did you mean 'other'?) or add the work there."]),
    ("unknown kind", GOOD_SOURCE.replace("kind: copy", "kind: coppy"),
     [f"{S}:4: 'kind' must be one of post, copy, local-copy, summary, comment-thread (got 'coppy'). "
      "Fix: pick one (did you mean 'copy'?)."]),
    ("described twice", GOOD_SOURCE + GOOD_SOURCE,
     [f"{S}:8: source 'other' is described twice (first on line 2). Fix: keep one item."]),
    ("open-question marker", GOOD_SOURCE.replace("[?our-reading]", "[?lost#x]"),
     [f"{S}:7: only entries and cases carry open questions (got '[?lost#x]'). Fix: use claim markers without ids, "
      "and no `disputed` or `lost` ones: [?summary], [?local-copy], [?comment-thread], [?our-reading]."]),
    ("unknown marker", GOOD_SOURCE.replace("[?our-reading]", "[?gossip]"),
     [f"{S}:7: unknown claim marker (got '[?gossip]'). Fix: use one of {KINDS}."]),
    ("unknown citation", GOOD_SOURCE.replace("[@other]", "[@othr]"),
     [f"{S}:5: unknown citation key 'othr' (got '[@othr]'). Fix: use a key from taxonomy_src/bibliography.yaml "
      "(did you mean 'other'?) or add the work there."]),
    ("raw HTML", GOOD_SOURCE.replace("All of it", "<b>All</b> of it"),
     [f"{S}:5: raw HTML is not allowed in entries (got '<b'). Fix: use Markdown; write '&lt;' for a literal '<'."]),
    ("not a list", None,
     [f"{S}:1: the file needs a 'sources:' list (got mapping). Fix: start it with 'sources:' and one '- key: ...' "
      "item per source."]),
]


@pytest.mark.parametrize(("name", "items", "expected"), BAD_SOURCES, ids=[c[0] for c in BAD_SOURCES])
def test_bad_sources_file_is_reported_exactly(sources: Path, name: str, items: str | None,
                                              expected: list[str]) -> None:
    """sources.yaml is validated strictly, with `path:line` messages that say how to fix each problem."""
    if items is None:
        (sources / SOURCES).write_text("sources: {key: other}\n", "utf-8")
    else:
        _write_sources(sources, items)
    assert [str(p) for p in check(sources, sources.parent)] == expected


def test_good_sources_file_loads(sources: Path) -> None:
    """A valid item becomes a source with its fields as written."""
    _write_sources(sources, GOOD_SOURCE)
    [source] = load(sources, sources.parent).sources
    assert (source.key, source.name, source.kind, source.obtained) == ("other", "Other work", "copy",
                                                                       "Read it [?our-reading].")


@pytest.mark.parametrize(("line", "expected"), [
    ("Alpha [@post, sec. 1].[^1] The rest is lost [@copy] [?lost#a].", "The rest is lost [@copy]"),
    ("- **Layer.** Whether it is inner, e.g. by y [@o, sec. 2.1] [?disputed#b].",
     "Whether it is inner, e.g. by y [@o, sec. 2.1]"),
    ("One. Two \"three.\" Four [?our-reading].", "Four"),
    ("It is lost [@copy]. [?lost#a]", "It is lost [@copy]."),
    ("1. First item [?summary]", "First item"),
    ("See [[beta#definition|the text. Here]] again [?summary].", "See [[beta#definition|the text. Here]] again"),
])
def test_claim_text_is_the_sentence_the_marker_closes(line: str, expected: str) -> None:
    """The quoted claim runs from the start of its sentence or list item to the marker."""
    assert claims.sentence_before(line, line.index("[?")) == expected


def test_label_escapes_every_value() -> None:
    """The label's HTML escapes what it interpolates, even a hostile address."""
    html = str(claims.label_html("our-reading", None, '"><script>alert(1)</script>'))
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html


def test_convert_leaves_code_and_unknown_markers_alone() -> None:
    """Only well-formed markers of known kinds outside code become labels."""
    body = "A [?summary] b `[?summary]` c [?gossip] d \\[?lost#x]"
    out = markup.convert(body, lambda *a: "", lambda *a: "", claim=lambda kind, _id: f"<{kind}>")
    assert out == "A <summary> b `[?summary]` c [?gossip] d \\[?lost#x]"


# --- the fixture taxonomy with markers: expectations derived from its source files ---

_CODE = re.compile(r"(`+).+?\1", re.DOTALL)
_MARKER = re.compile(r"(?<!\\)\[\?([a-z-]+)(?:#([a-z0-9-]+))?\]")


def _markers_in(path: Path) -> list[tuple[str, str | None]]:
    """(kind, id) of every marker in an entry file, read independently of the loader."""
    text = _CODE.sub("", path.read_text("utf-8"))
    return [(m.group(1), m.group(2)) for m in _MARKER.finditer(text)]


@pytest.fixture(scope="module")
def fixture_pages() -> dict[str, str]:
    """The generated pages of the provenance fixture taxonomy."""
    return Renderer(load(PROVENANCE, PROVENANCE.parent)).files()


def test_open_questions_list_exactly_the_disputed_and_lost_markers(fixture_pages: dict[str, str]) -> None:
    """Every disputed and lost marker, and nothing else, is listed under its kind and links to its own anchor."""
    page = fixture_pages[pages.OPEN_QUESTIONS.path]
    listed: dict[str, set[str]] = {}
    for section in re.split(r"^## ", page, flags=re.M)[1:]:
        kind = re.search(r"\{#([a-z-]+)\}", section.splitlines()[0])
        assert kind is not None
        listed[kind.group(1)] = set(re.findall(r"^- \[[^\]]+\]\(([^)]+)\)", section, flags=re.M))
    expected: dict[str, set[str]] = {k.id: set() for k in claims.KINDS if k.open_question}
    for path in sorted((PROVENANCE / "entries").glob("*.md")):
        for kind, claim_id in _markers_in(path):
            if kind in expected:
                expected[kind].add(f"{entry_path(path.stem)}#claim-{claim_id}")
    assert listed == expected
    assert sum(map(len, expected.values())) >= 2


def test_open_questions_quote_claims_that_work_on_their_page(fixture_pages: dict[str, str]) -> None:
    """Quoted claims keep their citations but carry no markers, footnote references or same-page links."""
    items = [line for line in fixture_pages[pages.OPEN_QUESTIONS.path].splitlines() if line.startswith("- [")]
    assert items
    for item in items:
        assert "[?" not in item and "tx-claim" not in item and "[^" not in item and "](#" not in item
        assert item.endswith((".", "?", "!"))


def test_every_label_has_an_accessible_name_and_a_sources_anchor(fixture_pages: dict[str, str]) -> None:
    """Each marker renders as one link named 'Claim status: …', pointing at an anchor the Sources page has."""
    sources_anchors = set(re.findall(r"\{#([a-z0-9-]+)\}", fixture_pages[pages.SOURCES.path]))
    for path in sorted((PROVENANCE / "entries").glob("*.md")):
        page = entry_path(path.stem)
        labels = BeautifulSoup(fixture_pages[page], "html.parser").select("a.tx-claim")
        markers = _markers_in(path)
        base = SITE + page[: -len(".md")] + "/"
        rendered = []
        for label in labels:
            assert label["aria-label"] == f"Claim status: {label.get_text()}"
            address, _, kind = urljoin(base, label["href"]).partition("#")
            assert address == f"{SITE}sources/" and kind in sources_anchors
            rendered.append((kind, label["id"].removeprefix("claim-") if label.get("id") else None))
        assert sorted(rendered, key=str) == sorted(markers, key=str), path.name


def test_sources_page_describes_every_source_and_label(fixture_pages: dict[str, str]) -> None:
    """The Sources page has a section per source in sources.yaml and per marker kind."""
    page = fixture_pages[pages.SOURCES.path]
    keys = re.findall(r"^  - key: (\S+)$", (PROVENANCE / SOURCES).read_text("utf-8"), flags=re.M)
    anchors = re.findall(r"^### .* \{#([a-z0-9-]+)\}$", page, flags=re.M)
    assert sorted(anchors) == sorted(keys + list(claims.NAMES))


def test_export_counts_markers_per_entry() -> None:
    """The JSON export counts each entry's markers by kind, every kind present."""
    from taxonomy.export import export
    data = export(load(PROVENANCE, PROVENANCE.parent))
    for entry in data["entries"]:
        found = _markers_in(PROVENANCE / "entries" / f"{entry['id']}.md")
        assert entry["claims"] == {k: sum(1 for kind, _ in found if kind == k) for k in claims.NAMES}
    assert [s["key"] for s in data["sources"]] == re.findall(
        r"^  - key: (\S+)$", (PROVENANCE / SOURCES).read_text("utf-8"), flags=re.M)


def test_marker_anchors_are_published_and_guarded(tmp_path: Path) -> None:
    """Ids of markers are public anchors: removing one that is registered fails with the usual fix."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(PROVENANCE, src)
    (src / "anchors.txt").write_text("/taxonomy/alpha/#claim-alpha-rest\n/open-questions/#lost\n", "utf-8")
    assert check(src, tmp_path) == []
    edit(src / "entries/alpha.md", " [?lost#alpha-rest]", "")
    assert [str(p) for p in check(src, tmp_path)] == [
        "taxonomy_src/anchors.txt:1: registered address '/taxonomy/alpha/#claim-alpha-rest' is no longer published "
        "(got no section there). Fix: restore it, or add 'claim-alpha-rest: <current section id>' to "
        "'former_anchors' of that entry; a deprecated entry keeps its page."]
    edit(src / "entries/alpha.md", "status: active\n",
         "status: active\nformer_anchors: {claim-alpha-rest: definition}\n")
    assert check(src, tmp_path) == []
