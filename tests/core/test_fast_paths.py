"""Fast paths of validation agree with their plain definitions.

The fast YAML path (libyaml's composer) accepts exactly what the event-by-event path accepts, with the same nodes and
lines, and reports exactly its problems: it may only ever hand a document over, never decide otherwise. Paths shown
to contributors are the same as with pathlib's absolute() and relative_to().
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taxonomy import yamlsrc
from taxonomy.problems import display_path
from taxonomy.yamlsrc import MAX_DEPTH, Node, YamlProblem, parse_yaml

composer = pytest.mark.skipif(yamlsrc._COMPOSER is None, reason="PyYAML without libyaml has one path only")

TOKENS = ["a", "b", "key", "id", ":", ": ", "-", "- ", " ", "  ", "\n", "\n  ", "\n- ", "[", "]", "{", "}", ", ",
          "!!str ", "!!int ", "!!map ", "!!seq ", "!!float ", "!!bool ", "!!null ", "! ", "!custom ", "!<tag:x> ",
          "&a ", "*a", "<<", '"', "'", "|\n  ", ">\n  ", "#", " # c", "1", "0x1f", "1_000", "1e3", "-.inf", ".nan",
          "true", "yes", "No", "null", "~", "2026-06-21", "2026-06-21T10:00:00Z", "---\n", "...\n", "? ", "=",
          "1234567890123456789", "\t", "é", "\\", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n"]
CASES = [
    "", "# only a comment\n", "---\n", "a: 1\nb: '2'\nc: !!str 3\n", "a: !!int 3\n", "a: ! 3\n", "a: !!str x\n",
    "!!map {a: 1}\n", "!!seq {a: 1}\n", "!!map [1]\n", "a: &x 1\nb: *x\n", "a: &x 1\n", "<<: {a: 1}\n",
    "a: 1\na: 2\n", "1: a\n", "true: a\n", "? [a]\n: b\n", "2026-06-21: a\n", "a: 2026-06-21\n", "a: ~\n",
    "a: 12345678901234567890\n", "a: 1e400\n", "a: 0o17\n", "a: [1, {b: [c, {d: e}]}]\n", "- - - x\n",
    "a: b\n---\nc: d\n", "a: [\n", "a: 'x\n", "\ta: 1\n", "a:\n- 1\n- 2\nb: x\n", "a: |\n  text\n  more\n",
    "a: \"\\u0041\"\n", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "[" * MAX_DEPTH + "]" * MAX_DEPTH,
    "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 2)) + " " * (MAX_DEPTH + 2) + "v\n",
    "[" * 1200 + "]" * 1200, "a: !custom x\n", "a: R&D\n", "a: *emphasis*\n", "a: b: c\n",
]


def _outcome(parse: object, text: str) -> tuple[object, ...]:
    yamlsrc._PARSED.clear()  # parse it now, not from an earlier test's parse
    try:
        node = parse(text, 3)  # type: ignore[operator]
    except YamlProblem as exc:
        return ("problem", exc.line, exc.message)
    return ("node", node, _types(node))


def _types(node: Node | None) -> object:
    """The Python types inside a node (1 == True == 1.0, so equality alone would not tell them apart)."""
    if node is None:
        return None
    if isinstance(node.value, list):
        return [_types(item) for item in node.value]
    if isinstance(node.value, dict):
        return {key: _types(value) for key, value in node.value.items()}
    return type(node.value).__name__


def _same(text: str) -> None:
    assert _outcome(parse_yaml, text) == _outcome(yamlsrc._parse_events, text), text


@composer
@pytest.mark.parametrize("text", CASES)
def test_fast_path_agrees_on_tricky_documents(text: str) -> None:
    """Tags, anchors, merge keys, duplicate or non-text keys, deep nesting, several documents, broken syntax."""
    _same(text)


@composer
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_path_agrees_on_random_documents(tokens: list[str]) -> None:
    """Any document: the same nodes, lines and value types, or the same first problem."""
    _same("".join(tokens))


@composer
def test_fast_path_is_taken_for_ordinary_front_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain front matter never needs the event-by-event path (else the fast path would be dead code)."""
    monkeypatch.setattr(yamlsrc, "_parse_events", lambda text, offset: pytest.fail("fell back"))
    monkeypatch.setattr(yamlsrc, "_PARSED", {})
    node = parse_yaml("id: alpha\ntitle: Alpha\nrelations: {distinct-from: [beta]}\norder: 2\nparent: null\n")
    assert node is not None and node.plain() == {"id": "alpha", "title": "Alpha", "order": 2, "parent": None,
                                                "relations": {"distinct-from": ["beta"]}}
    assert [line for _, line in node.key_lines] == [1, 2, 3, 4, 5]


PATHS = [".", "a", "a/b/c.md", "../a", "a/../b", "./a", "/", "/tmp", "/tmp/x/y.md", "//x/y", os.getcwd(),
         os.getcwd() + "/taxonomy_src/entries/a.md", "taxonomy_src", "taxonomy_src/entries/a.md"]


@pytest.mark.parametrize("root", PATHS)
def test_display_path_is_relative_to_the_root_as_pathlib_says(root: str) -> None:
    """Absolute, not resolved, relative to the root where it lies under it, else as given."""
    for path in PATHS:
        try:
            expected = Path(path).absolute().relative_to(Path(root).absolute()).as_posix()
        except ValueError:
            expected = Path(path).as_posix()
        assert display_path(Path(path), Path(root)) == expected, (path, root)


def test_a_text_parsed_again_gives_the_same_tree_and_a_bad_one_the_same_problem() -> None:
    """Parses are remembered by text (serve reads every file on every rebuild): problems are never remembered."""
    text = "id: alpha\nrelations: {distinct-from: [beta]}\n"
    assert parse_yaml(text) == parse_yaml(text) == yamlsrc._parse_events(text, 0)
    for _ in range(2):
        with pytest.raises(YamlProblem, match="duplicate key 'id'"):
            parse_yaml("id: a\nid: b\n", 1)
