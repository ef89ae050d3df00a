"""Untrusted text is inert by construction: payloads in every text field of the model, past the loader's checks,
come out of the renderer as text. The sanitiser has nothing to remove, and the page still shows the text."""

from __future__ import annotations

import dataclasses
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
}
INLINE_FIELDS = {"DimensionValue": ("why",), "DecisionNode": ("help",), "Outcome": ("help",),
                 "RetiredQuestion": ("note",),
                 "SourceCopy": ("contains", "breaks_off", "obtained")}


def _poison(value: Any, payload: str, inline_payload: str) -> Any:
    """The same model object with every free-text field replaced by (or, for inline Markdown, extended with) a
    payload; identifiers, addresses and dates are left as the loader validated them."""
    if isinstance(value, dict):
        return {k: _poison(v, payload, inline_payload) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_poison(v, payload, inline_payload) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    name = type(value).__name__
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        current = getattr(value, field.name)
        if field.name in PLAIN_FIELDS.get(name, ()) and current is not None:
            changes[field.name] = tuple(payload for _ in current) if isinstance(current, tuple) else payload
        elif field.name in INLINE_FIELDS.get(name, ()):
            changes[field.name] = f"{current} {inline_payload}"
        elif not field.name.startswith("_"):
            changes[field.name] = _poison(current, payload, inline_payload)
    return dataclasses.replace(value, **changes)


@pytest.fixture(scope="module")
def real() -> Taxonomy:
    """The real taxonomy, for every template to have something to render."""
    return load(ROOT / "taxonomy_src", ROOT)


def _poisoned(real: Taxonomy, payload: str, inline_payload: str) -> Taxonomy:
    return Taxonomy.build(
        _poison(real.meta, payload, inline_payload), list(_poison(tuple(real.entries.values()), payload,
                                                                   inline_payload)),
        _poison(dict(real.works), payload, inline_payload), _poison(real.dimensions, payload, inline_payload),
        _poison(real.decision_tree, payload, inline_payload), _poison(real.releases, payload, inline_payload),
        _poison(real.sources, payload, inline_payload), _poison(real.outcomes, payload, inline_payload),
        _poison(real.retired_questions, payload, inline_payload), (),  # cases name answers by their label's words
        _poison(real.crosswalk, payload, inline_payload))


@pytest.mark.slow  # renders and converts every page of the real taxonomy once per payload
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_text_field_render_inert(real: Taxonomy, payload: str) -> None:
    """Every generated page: no live payload, nothing for the sanitiser to remove, and the payload still shown."""
    inline_payload = INLINE_PAYLOADS[PAYLOADS.index(payload) % len(INLINE_PAYLOADS)]
    renderer = Renderer(_poisoned(real, payload, inline_payload))
    shown = one_line(payload)
    pages = renderer.files()
    for path, text in pages.items():
        if path.endswith((".json", ".tsv")):  # data files, never rendered as HTML
            continue
        html = text if path.endswith(".html") else render(text)
        assert live_payloads(html) == [], path
        if path.endswith(".md"):
            assert sanitize.findings(html) == [], path
            for key, value in front_matter(text).items():
                if key in ("title", "description"):
                    assert "<" not in str(value) and '"' not in str(value), (path, key, value)
    entry = next(iter(real.entries))
    assert shown in unescape(render(pages[f"taxonomy/{entry}.md"])), "the title is shown, not dropped"


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
