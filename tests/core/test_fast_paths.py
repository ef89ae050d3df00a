"""Fast paths of validation agree with their plain definitions.

The fast YAML path (libyaml's composer) accepts exactly what the event-by-event path accepts, with the same nodes and
lines, and reports exactly its problems: it may only ever hand a document over, never decide otherwise. Paths shown
to contributors are the same as with pathlib's absolute() and relative_to(). The sanitiser's quick check passes a
page only when its full reading (html.parser) would report nothing. Escaping's shortcuts give what its regular
expressions give. Slugs of ASCII text, made without the transliteration tables, are the slugs the tables give.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from anyascii import anyascii
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taxonomy import escaping, export, sanitize, urls, yamlsrc
from taxonomy.escaping import CONTROL
from taxonomy.lean import quickcheck
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
        node = parse(text)  # type: ignore[operator]
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
    monkeypatch.setattr(yamlsrc, "_parse_events", lambda text: pytest.fail("fell back"))
    monkeypatch.setattr(yamlsrc, "_PARSED", {})
    node = parse_yaml("id: alpha\ntitle: Alpha\nrelations: {distinct-from: [beta]}\norder: 2\nparent: null\n")
    assert node is not None and node.plain() == {"id": "alpha", "title": "Alpha", "order": 2, "parent": None,
                                                "relations": {"distinct-from": ["beta"]}}
    assert [line for _, line in node.key_lines] == [1, 2, 3, 4, 5]


def test_the_reader_looks_for_control_characters_wherever_one_could_be() -> None:
    """The byte-level quick look of the reader finds every character the control pattern matches."""
    for code in range(0x110000):
        if CONTROL.match(chr(code)) and not 0xD800 <= code <= 0xDFFF:
            assert yamlsrc._may_hold_control(f"text {chr(code)} text".encode()), hex(code)
    assert not yamlsrc._may_hold_control("plain text, é, — and ✓\n\tindented\n".encode())


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
    assert parse_yaml(text) == parse_yaml(text) == yamlsrc._parse_events(text)
    for _ in range(2):
        with pytest.raises(YamlProblem, match="duplicate key 'id'"):
            parse_yaml("id: a\nid: b\n", 1)


TAG_NAMES = ["p", "a", "A", "img", "span", "svg", "path", "script", "style", "iframe", "input", "td", "form", "math"]
ATTRIBUTE_NAMES = ["href", "HREF", "src", "class", "onclick", "data-x", "title", "style", "hidden", "type", "align",
                   "d", "viewBox", "xlink:href", "open"]
VALUES = ["", "x", "https://example.org/", "javascript:alert(1)", "javascript&#58;alert(1)", "java&#x73;cript:x",
          " JavaScript:x", "//evil.example/x", "#x", "../x/", "data:text/html,x", "a<b", "a>b", "&quot;", "left"]
QUOTES = ['"', "'", "", None]  # None: an attribute without a value
ATTRIBUTE = st.tuples(st.sampled_from(ATTRIBUTE_NAMES), st.sampled_from(VALUES), st.sampled_from(QUOTES))
ENDS = [">", "/>", " >", "", " / >"]
TAG = st.tuples(st.sampled_from(TAG_NAMES), st.lists(ATTRIBUTE, max_size=3), st.sampled_from(ENDS))
BETWEEN = st.sampled_from(["", "x", " ", "<", "< b", "&lt;", "\n", "<!-- <p onclick=x> -->", "</p>", "</a x>",
                           "<!DOCTYPE html>", "<?x?>", "<![CDATA[<script>]]>"])


def _tag(name: str, attributes: list[tuple[str, str, str | None]], end: str) -> str:
    written = "".join(f" {key}" if quote is None else f" {key}={quote}{value}{quote}"
                      for key, value, quote in attributes)
    return f"<{name}{written}{end}"


@given(st.lists(st.tuples(BETWEEN, TAG), max_size=8), BETWEEN)
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_sanitiser_quick_check_passes_only_what_the_full_reading_finds_clean(
        parts: list[tuple[str, tuple[str, list[tuple[str, str, str | None]], str]]], tail: str) -> None:
    """Whatever the markup, the quick check never lets through HTML in which html.parser finds something."""
    html = "".join(between + _tag(*tag) for between, tag in parts) + tail
    if quickcheck.plainly_allowed(html):
        finder = sanitize._Finder()
        finder.feed(html)
        finder.close()
        assert finder.found == [], html


@pytest.mark.parametrize(("html", "plain"), [
    ('<p>Text <a class="tx-cite" href="#ref-x">A 2026</a> and <code>x &lt; y</code>.</p>', True),
    ('<table><tr><td align="left" data-x=\'1\'>1</td></tr></table><input checked="checked" type="radio">', True),
    ('<a href="https://example.org/">x</a><a href="../y/">y</a><img src="../i.png" alt="">', True),
    ('<a href="javascript&#58;alert(1)">x</a>', False), ('<a href=x>y</a>', False), ('<p title="a<b">', False),
    ("<!-- c --><p>", False), ('<script>x</script>', False), ('<p onclick="x">', False), ("<P STYLE='x'>", False),
])
def test_sanitiser_quick_check_takes_ordinary_pages(html: str, plain: bool) -> None:
    """Pages as Markdown writes them pass the quick check; a tag or value it cannot vouch for goes to the parser."""
    assert quickcheck.plainly_allowed(html) == plain
    assert (sanitize.findings(html) == []) or not plain


@given(st.text(alphabet=st.sampled_from([" ", "\n", "\t", "\x00", "\x1f", "\x85", "\xa0", "\u2028", "\u3000",
                                         "\ufffe", "a", "é", "<", "&", "*", "_", "[", "1", ".", "-", "#", "\\", "`"])))
@settings(max_examples=500, deadline=None)
def test_escaping_shortcuts_agree_with_their_definitions(text: str) -> None:
    """one_line: runs of whitespace as one space, control characters gone; md_text: every special a reference."""
    collapsed = re.sub(r"\s+", " ", escaping.CONTROL.sub("", text))
    assert escaping.one_line(text) == collapsed
    expected = re.sub(r"[\\`*_{}\[\]()#+!|<>&\"'~^=:$@%]", lambda m: f"&#{ord(m.group(0))};", collapsed)
    marker = re.match(r"^(?:[0-9]{1,9}(\.)|(-))", expected)  # a list marker at the start is escaped too
    if marker:
        at = marker.start(1) if marker.group(1) else marker.start(2)
        expected = f"{expected[:at]}&#{ord(expected[at])};{expected[at + 1:]}"
    assert str(escaping.md_text(text)) == expected


@given(st.text("ab\ue000é𝓐", max_size=12), st.text("ab\ue000é𝓐", max_size=12))
def test_shared_parts_of_citations_are_the_longest(one: str, other: str) -> None:
    """The halving search for what a printed and a dated citation share finds the longest prefix and suffix."""
    assert export._shared(one, other, lambda text, n: text[:n]) == len(os.path.commonprefix([one, other]))
    assert export._shared(one, other, lambda text, n: text[len(text) - n:]) == \
        len(os.path.commonprefix([one[::-1], other[::-1]]))


SLUG_TEXTS = ["", "Goal misgeneralization", "  Deceptive   alignment!  ", "a--b__c", "ALL CAPS 42", "-", "#/?&=",
              "x\ty\nz", "\x00\x7f", "Déjà vu", "Über-Optimierung", "naïve café", "целевая функция", "目標の誤汎化",
              "ħ ŋ ø æ", "\u200b zero width", "emoji 🤖 agent", "\ufffe\uffff", "é" * 200, "a" * 300 + "é"]


@pytest.mark.parametrize("text", SLUG_TEXTS)
def test_slugs_made_without_the_transliteration_tables_are_theirs(text: str) -> None:
    """ASCII text skips the tables (imported only for a text that needs them); any text gets the slug they give."""
    assert urls.slugify(text) == re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
