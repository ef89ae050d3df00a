"""Random front matter, YAML and Markdown: either the sources load and render with nothing live and nothing for the
sanitiser to remove (so `make check` and the build agree), or the loader refuses them with `path:line` problems."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown_site import live_payloads, render

from taxonomy import sanitize
from taxonomy.loader import load
from taxonomy.problems import TaxonomyError
from taxonomy.render import Renderer

pytestmark = pytest.mark.slow  # hundreds of random taxonomies loaded and rendered

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
PROBLEM = re.compile(r"^taxonomy_src/[^:\n]+:\d+: .+$")

MARKDOWN_TOKENS = [
    "```", "````", "~~~", "```python", "```foo bar", "`", "``", "\\`", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "{: onclick=alert(1)}", "{.x}", "{#x}", "{ onclick }", "[x](", ")", "](",
    "javascript:alert(1)", "https://evil.example/x.png", "![", "]", "[", "[[alpha]]", "[[beta#definition|b]]",
    "[@post]", "[@other, p. 2]", "[^1]", "[^1]: note", "\n", "\n\n", "    ", "  ", "#", "## H {#h}", "### I {#i}",
    "*", "_", "<", ">", "&", "&lt;", "&#60;", "&#x3C;", "|", "-", "1.", "<!--", "-->", "<https://example.org>",
    "<http://example.org>", "<mailto:a@b.c>", "=", '"', "'", "onclick=", "!!! note", '=== "t"', "??? x",
    "*[HTML]: x", ": def", "---", "\t", "data:", "[r]: javascript:alert(1)", "[r]: https://example.org", "[r]",
]
YAML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def _body(tokens: list[str]) -> str:
    return "".join(tokens)


@given(title=YAML_TEXT, summary=YAML_TEXT,
       tokens=st.lists(st.sampled_from(MARKDOWN_TOKENS) | st.text(max_size=6), max_size=12))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_entries_load_inert_or_fail_cleanly(title: str, summary: str, tokens: list[str]) -> None:
    """The scanner is never laxer than Python-Markdown, and nothing but TaxonomyError ever escapes the loader."""
    with tempfile.TemporaryDirectory() as scratch:
        src = Path(scratch) / "taxonomy_src"
        shutil.copytree(FIXTURE, src)
        path = src / "entries" / "alpha.md"
        text = path.read_text("utf-8")
        text = text.replace("title: Alpha failure", f"title: {_yaml_string('T ' + title)}")
        text = text.replace("summary: The first test failure mode.", f"summary: {_yaml_string('S ' + summary + '.')}")
        text = text.replace("Somehow [@other].", f"Somehow [@other]. {_body(tokens)}")
        path.write_text(text, "utf-8")
        try:
            taxonomy = load(src, src.parent)
        except TaxonomyError as exc:
            event("refused")
            assert exc.problems and all(PROBLEM.match(str(p)) for p in exc.problems), exc.problems
            return
        event("loaded")
        html = render(Renderer(taxonomy).entry_page(taxonomy.entries["alpha"]))
        assert sanitize.findings(html) == [], (tokens, html)
        assert live_payloads(html) == []


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_yaml_files_fail_cleanly(text: str) -> None:
    """Any text as any YAML source file either loads or yields the project's own problems."""
    for name in ("bibliography.yaml", "dimensions.yaml", "decision-tree.yaml", "changelog.yaml", "taxonomy.yaml"):
        with tempfile.TemporaryDirectory() as scratch:
            src = Path(scratch) / "taxonomy_src"
            shutil.copytree(FIXTURE, src)
            (src / name).write_text(text, "utf-8")
            try:
                load(src, src.parent)
            except TaxonomyError as exc:
                assert all(PROBLEM.match(str(p)) for p in exc.problems), exc.problems


def _yaml_string(text: str) -> str:
    """Text as a YAML double-quoted scalar (any character, escaped)."""
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text)
    return f'"{escaped}"'
