"""Fast paths of validation agree with their plain definitions.

Paths shown to contributors are the same as with pathlib's absolute() and relative_to(). Escaping's shortcuts give
what its regular expressions give. Slugs of ASCII text, made without the transliteration tables, are the slugs the
tables give.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from taxonomy import escaping, export, urls, yamlsrc
from taxonomy.escaping import CONTROL
from taxonomy.problems import display_path
from taxonomy.yamlsrc import YamlProblem, parse_yaml


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
