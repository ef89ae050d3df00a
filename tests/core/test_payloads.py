"""Untrusted text is inert by construction: payloads in every text field of the model, past the loader's checks,
come out of the renderer as text. The sanitiser has nothing to remove, and the page still shows the text."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_site import FOREIGN, MARKER, ROOT, front_matter, live_payloads, render

from taxonomy import sanitize
from taxonomy.escaping import inline_md, md_text, one_line, script_json
from taxonomy.loader import load
from taxonomy.model import Taxonomy
from taxonomy.render import Renderer

PAYLOADS = [
    f"<script>{MARKER}</script>",
    f'"><img src=x onerror={MARKER}>',
    f"' onmouseover='{MARKER}",
    f"*x*{{: onclick='{MARKER}'}}",
    f"[x](javascript:{MARKER})",
    f"<https://{FOREIGN}/t.png> ![t](https://{FOREIGN}/t.png)",
    f"</script><script>{MARKER}</script>",
    f"javascript&#58;{MARKER} &lt;b&gt; &#60;script&#62;",
    f"line one\n# heading\n<script>{MARKER}</script>\n    indented",
    "| a | b |\n|---|---|",
    "{{ 7 * 7 }} {% raw %} {#x} ``` ~~~",
    f"1. list --- *[HTML]: {MARKER} [^1] -->",
]
"""Payloads for plain-text fields: they must show as the same text, never as markup."""

INLINE_PAYLOADS = [p for p in PAYLOADS if "[" not in p]
"""Inline-Markdown fields may hold links and citations, which the loader resolves; these payloads leave them out."""

PLAIN_FIELDS = {
    "Entry": ("title", "summary", "aliases", "status_note"),
    "Work": ("authors", "title", "container", "publisher", "note", "caveat"),
    "Dimension": ("title", "question"),
    "DimensionOption": ("label", "meaning"),
    "DecisionNode": ("question",),
    "Answer": ("label",),
    "Release": ("summary",),
    "Meta": ("title",),
    "SourceCopy": ("name",),
    "Outcome": ("title",),
    "RetiredQuestion": ("question",),
    "Case": ("title", "summary"),
    "CrosswalkRow": ("term", "justification"),
}
INLINE_FIELDS = {"DimensionValue": ("why",), "DecisionNode": ("help",), "Outcome": ("help",),
                 "RetiredQuestion": ("note",), "Illustration": ("why",),
                 "SourceCopy": ("contains", "breaks_off", "obtained")}


class _Payloads:
    """Hands out the payloads in turn, so that one rendering puts a different payload in each field."""

    def __init__(self, start: int) -> None:
        self.plain = itertools.islice(itertools.cycle(PAYLOADS), start, None)
        self.inline = itertools.islice(itertools.cycle(INLINE_PAYLOADS), start, None)


def _poison(value: Any, payloads: _Payloads) -> Any:
    """The same model object with every free-text field replaced by (or, for inline Markdown, extended with) a
    payload; identifiers, addresses and dates are left as the loader validated them."""
    if isinstance(value, dict):
        return {k: _poison(v, payloads) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_poison(v, payloads) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    name = type(value).__name__
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        current = getattr(value, field.name)
        if name == "Answer" and field.name == "label":  # cases name an answer by the words before its colon
            changes["label"] = f"{current.split(':')[0]}: {next(payloads.plain)}"
        elif field.name in PLAIN_FIELDS.get(name, ()) and current is not None:
            changes[field.name] = tuple(next(payloads.plain) for _ in current) if isinstance(current, tuple) \
                else next(payloads.plain)
        elif field.name in INLINE_FIELDS.get(name, ()):
            changes[field.name] = f"{current} {next(payloads.inline)}"
        elif not field.name.startswith("_"):
            changes[field.name] = _poison(current, payloads)
    return dataclasses.replace(value, **changes)


@pytest.fixture(scope="module")
def real() -> Taxonomy:
    """The real taxonomy, for every template to have something to render."""
    return load(ROOT / "taxonomy_src", ROOT)


def _poisoned(real: Taxonomy, start: int) -> Taxonomy:
    """The same taxonomy with every part poisoned, built again through Taxonomy.build."""
    parts = {name: getattr(real, name) for name in inspect.signature(Taxonomy.build).parameters if name != "cls"}
    parts["entries"] = list(real.entries.values())
    parts["works"] = dict(real.works)
    payloads = _Payloads(start)
    return Taxonomy.build(**{name: _poison(value, payloads) for name, value in parts.items()})


@pytest.mark.slow  # renders every page of the real taxonomy four times
@pytest.mark.parametrize("start", [0, 1, 2, 3])
def test_payloads_in_every_text_field_render_inert(real: Taxonomy, start: int) -> None:
    """Every generated page: no live payload, nothing for the sanitiser to remove, and the payload still shown.
    Each field gets a different payload; the four runs shift which field gets which."""
    poisoned = _poisoned(real, start)
    pages = Renderer(poisoned).files()
    for path, text in pages.items():
        if not path.endswith((".md", ".html")):
            continue  # data files (JSON, TSV) are not HTML; the schema and export tests read them
        html = text if path.endswith(".html") else render(text)
        if path.endswith(".html"):  # a redirect stub: its own canonical link and refresh, to a slug-built address
            refresh = re.search(r'<meta http-equiv="refresh" content="([^"]*)">', html)
            assert refresh and re.fullmatch(r"0; url=[a-z0-9./-]+/", refresh.group(1)), path
            assert [f for f in live_payloads(html) if f not in ("<link>", "<meta http-equiv>")] == [], path
        else:
            assert live_payloads(html) == [], path
        if path.endswith(".md"):
            assert sanitize.findings(html) == [], path
            for key, value in front_matter(text).items():
                if key in ("title", "description"):
                    assert "<" not in str(value) and '"' not in str(value), (path, key, value)
    entry = next(iter(poisoned.entries.values()))
    assert one_line(entry.title) in unescape(render(pages[f"taxonomy/{entry.id}.md"])), "the title is shown"


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_plain_text_round_trips_through_markdown(text: str) -> None:
    """Any text escaped for Markdown renders as exactly that text (spaces collapsed), in one paragraph."""
    html = render(f"Before {md_text(text)} after.")
    assert html.startswith("<p>") and html.endswith("</p>") and "<p>" not in html[3:]
    assert unescape(html[3:-4]) == f"Before {one_line(text)} after."
    assert sanitize.findings(html) == []


@given(st.text(max_size=120))
@settings(max_examples=300, deadline=None)
def test_plain_text_in_a_table_cell_and_a_heading_stays_text(text: str) -> None:
    """The contexts the templates use: a table cell and a heading keep one cell and show the text."""
    escaped = md_text(text)
    table = render(f"| A | B |\n|---|---|\n| {escaped} | x |")
    assert table.count("<td") == 2 and sanitize.findings(table) == []
    heading = render(f"## {escaped} {{#fixed}}")
    assert heading.startswith('<h2 id="fixed">') and sanitize.findings(heading) == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120))
@settings(max_examples=300, deadline=None)
def test_inline_markdown_never_yields_markup_beyond_emphasis(text: str) -> None:
    """Inline-Markdown fields keep emphasis and code but never produce HTML tags, attributes or links."""
    html = render(f"| A |\n|---|\n| {inline_md(text)} |")
    tags = set(re.findall(r"<([a-z0-9]+)", html))
    assert tags <= {"table", "thead", "tbody", "tr", "th", "td", "em", "strong", "code", "a"}, tags
    assert sanitize.findings(html) == []


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                max_size=4), max_leaves=20))
@settings(max_examples=200, deadline=None)
def test_script_json_cannot_end_a_script_element(value: object) -> None:
    """JSON written into a <script> or an attribute has no '<', '>' or '&', and parses back to the same value."""
    text = str(script_json(value))
    assert not set(text) & {"<", ">", "&"}
    assert json.loads(text) == value


def test_pages_list_is_complete(real: Taxonomy) -> None:
    """The payload test above covers every generated page kind: entries, compare, tree, names, redirects."""
    pages = Renderer(real).files()
    assert {Path(p).parent.as_posix() for p in pages} >= {".", "taxonomy", "names"}
