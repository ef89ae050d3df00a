"""Front matter of generated pages reads back, through MkDocs' own reader, as exactly what the core wrote: no
character (an emoji, a mathematical letter, a C1 control) makes the reader drop the block and with it the page's
title, description, tags and JSON-LD."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data
from taxonomy_hooks import on_page_markdown, unread_front_matter

from conftest import FIXTURES, edit
from taxonomy.escaping import html_text, meta_yaml, script_json
from taxonomy.loader import load
from taxonomy.render import Renderer

ASTRAL = "\U0001f642 \U0001d400\U0001d7d8 \U00010348"
"""An emoji, mathematical letters and a Gothic letter: characters outside the Basic Multilingual Plane."""
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
"""Any text a source file could hold (UTF-8 cannot carry lone surrogates)."""


def _front_matter(page: str) -> dict[str, object]:
    """The front matter as MkDocs reads it, after checking PyYAML's pure-Python reader agrees."""
    body, data = get_data(page)
    assert page.startswith("---\n") and data, "MkDocs dropped the front matter"
    assert yaml.safe_load(page.split("\n---\n", 1)[0][4:]) == data
    return data


@given(TEXT, st.lists(TEXT, max_size=3))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_meta_values_round_trip_through_the_yaml_mkdocs_reads(text: str, tags: list[str]) -> None:
    """A title, description or tag list written by `meta` reads back as the HTML-escaped text, unchanged."""
    page = f"---\ntitle: {meta_yaml(text)}\ntags: {meta_yaml(tags)}\njsonld: {script_json({'name': text})}\n---\n"
    assert _front_matter(page) == {"title": html_text(text), "tags": [html_text(t) for t in tags],
                                   "jsonld": {"name": text}}


@pytest.mark.parametrize("field", ["title", "summary", "alias"])
def test_astral_characters_keep_every_page_field(tmp_path: Path, field: str) -> None:
    """An emoji or a mathematical letter in an entry's title, summary or alias, and in a case's title and summary,
    keeps the pages' title, description, tags and JSON-LD."""
    src = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    shutil.copytree(FIXTURES / "cases", src, dirs_exist_ok=True)
    old = {"title": "title: Alpha failure", "summary": "summary: The first test failure mode.",
           "alias": "aliases: [first failure]"}[field]
    new = {"title": f"title: Alpha {ASTRAL} failure", "summary": f"summary: The first {ASTRAL} failure mode.",
           "alias": f"aliases: [first {ASTRAL} failure]"}[field]
    edit(src / "entries" / "alpha.md", old, new)
    edit(src / "cases" / "alpha-case.md", "title: The alpha case", f"title: The alpha {ASTRAL} case")
    edit(src / "cases" / "alpha-case.md", "summary: A case of alpha", f"summary: A {ASTRAL} case of alpha")
    taxonomy = load(src, tmp_path)
    files = Renderer(taxonomy).files()
    entry = taxonomy.entries["alpha"]
    data = _front_matter(files["taxonomy/alpha.md"])
    assert data["title"] == html_text(entry.title) and data["description"] == html_text(entry.summary)
    assert data["tags"] == [html_text(a) for a in entry.aliases]
    assert json.loads(str(data["jsonld"]))["name"] == entry.title
    case = next(c for c in taxonomy.cases if c.id == "alpha-case")
    data = _front_matter(files["cases/alpha-case.md"])
    assert (data["title"], data["description"]) == (html_text(case.title), html_text(case.summary))
    for path, page in files.items():
        if path.endswith(".md") and page.startswith("---\n"):
            _front_matter(page)


def test_a_page_whose_front_matter_mkdocs_drops_stops_the_build() -> None:
    """Should a front matter ever not read (here: surrogate escapes, as JSON writes an emoji), the build stops
    naming the page instead of publishing it without its title."""
    text = '---\ntitle: "\\ud83d\\ude42"\n---\n\n# x\n'
    markdown, meta = get_data(text)
    page = SimpleNamespace(meta=meta, file=SimpleNamespace(src_uri="taxonomy/x.md"))
    with pytest.raises(PluginError) as caught:
        on_page_markdown(markdown, page, None, None)  # type: ignore[arg-type]
    assert str(caught.value) == unread_front_matter("taxonomy/x.md")
    assert unread_front_matter("taxonomy/x.md").startswith("docs/taxonomy/x.md:1: the front matter does not read")
    assert "Fix: for a hand-written page, correct the YAML between the '---' lines" in unread_front_matter("x.md")
