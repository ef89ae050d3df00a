"""No copying: no unquoted run of RUN or more words from the post's local copy, or from the quotations that
sources.yaml keeps, anywhere in taxonomy_src/ (CONTRIBUTING, "Your own words"). Quoted text is allowed; the papers'
abstracts are not in the repository, so for them the rule is a reviewer's (CONTRIBUTING says so)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

RUN = 10
SRC = ROOT / "taxonomy_src"
SEEDS = ROOT.parent / "shared" / "seeds"
"""The post's local copy: outside the repository, at ../shared/seeds/ from its root (present in CI)."""
QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”|^\s*>.*$', re.MULTILINE)
"""Quotations: straight or curly double quotes, and Markdown block quotes."""
TERM = 3
"""Quotation marks around fewer words than this mark a term ("correct", "half-baked"), not a quotation: a run of
copied words goes on through them."""
MARKUP = [(re.compile(r"\[\[[^\]|]*\|([^\]]*)\]\]"), r"\1"), (re.compile(r"\[\[([^\]#]*)(?:#[^\]]*)?\]\]"), r"\1"),
          (re.compile(r"\[[@?][^\]]*\]|\{#[^}]*\}|\[\^[^\]]*\]"), " ")]
"""Links print as their text; citations, claim markers, footnote marks and heading anchors print as nothing."""
BREAK = "\x00"


def words(text: str) -> list[str]:
    """The words of a text, case, punctuation and whitespace normalised; quotations become breaks."""
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    text = QUOTED.sub(lambda m: m.group(0).strip('"“”') if len(m.group(0).split()) < TERM and m.group(0)[:1] != ">"
                      else f" {BREAK} ", text)
    text = text.lower().replace("’", "").replace("'", "")
    return re.findall(rf"[a-z0-9]+|{BREAK}", text)


def runs(text: str, grams: set[tuple[str, ...]]) -> Iterator[str]:
    """Each maximal run of RUN or more words of `text`, outside quotations, that also occurs in the references."""
    found = words(text)
    hits = [i for i in range(len(found) - RUN + 1) if tuple(found[i:i + RUN]) in grams]
    start = end = -1
    for i in hits:
        if i > end - RUN + 1 and start >= 0:
            yield " ".join(found[start:end])
            start = -1
        if start < 0:
            start = i
        end = i + RUN
    if start >= 0:
        yield " ".join(found[start:end])


def ngrams(texts: list[str]) -> set[tuple[str, ...]]:
    """Every run of RUN words in the references (quotation marks in them are not breaks: they are the source)."""
    grams = set()
    for text in texts:
        found = [w for w in words(text.replace('"', " ").replace("“", " ").replace("”", " ")) if w != BREAK]
        grams.update(tuple(found[i:i + RUN]) for i in range(len(found) - RUN + 1))
    return grams


def strings(node: object) -> Iterator[str]:
    """Every string in a parsed YAML document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def prose(path: Path) -> Iterator[str]:
    """The text a source file publishes: YAML string values, and a Markdown file's front matter and body."""
    text = path.read_text("utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
        yield from strings(yaml.safe_load(front))
        yield body
    elif path.suffix == ".yaml":
        yield from strings(yaml.safe_load(text))


def quotations(sources: Path) -> list[str]:
    """The quotations sources.yaml keeps from the post, its copies and its thread."""
    return [m.group(0)[1:-1] for text in prose(sources) for m in QUOTED.finditer(text) if m.group(0)[:1] in "\"“"]


@pytest.mark.parametrize(("text", "expected"), [
    ("He said the quick brown fox jumps over the lazy dog by the river bank today.",
     ["the quick brown fox jumps over the lazy dog by the river bank"]),
    ('The quick brown fox jumps over the "lazy" dog by the river.',
     ["the quick brown fox jumps over the lazy dog by the river"]),
    ("The Quick, brown fox -- jumps over the [[lazy|lazy]] dog [@key] by the River.",
     ["the quick brown fox jumps over the lazy dog by the river"]),
    ('As "the quick brown fox jumps over the lazy dog by the river" says.', []),
    ("the quick brown fox jumps over the lazy cat by the river", []),
    ("> the quick brown fox jumps over the lazy dog by the river\n\nours", []),
])
def test_runs_are_found_outside_quotations(text: str, expected: list[str]) -> None:
    """A run of RUN copied words is found whatever its case, punctuation and markup; quoted or broken, it is not."""
    grams = ngrams(["Then the quick brown fox jumps over the lazy dog by the river bank."])
    assert list(runs(text, grams)) == expected


def test_no_unquoted_run_from_the_post_or_the_kept_quotations() -> None:
    """No source file repeats RUN or more words of the local copy or of a kept quotation outside quotation marks."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the post's local copy is missing ({SEEDS}); CI must provide it")
        pytest.skip(f"the post's local copy is not here ({SEEDS}): the copy check needs ../shared/seeds/")
    references = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))] + quotations(SRC / "sources.yaml")
    assert references[0], "the local copy is empty"
    grams = ngrams(references)
    copied = [f"{path.relative_to(ROOT)}: {run}" for path in sorted(SRC.rglob("*"))
              if path.suffix in (".md", ".yaml") for text in prose(path) for run in runs(text, grams)]
    assert copied == [], "restate these in your own words, or quote them with attribution:\n" + "\n".join(copied)
