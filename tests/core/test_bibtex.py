"""BibTeX and biblatex records stay well-formed and inert for any text: every record parses in pybtex and
bibtexparser as one entry with the fields written, decoding each field with latexcodec gives back the source text,
and no LaTeX command reaches a record but the text commands of the encoding and `\\url` around the site's address."""

from __future__ import annotations

import codecs
import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import latexcodec  # noqa: F401  (registers the 'ulatex' codec)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from taxonomy import export
from taxonomy.bibtex import _TABLE, LATEX_SYNTAX, bibtex_decode, bibtex_text
from taxonomy.escaping import one_line
from taxonomy.loader import load
from taxonomy.model import Entry, Taxonomy

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
BASE = load(FIXTURE, FIXTURE.parent)
HOSTILE = [
    "}", "{", "}{", "{unbalanced", "a}b", "ends with \\", "\\", "\\\\", "\\input /etc/passwd", "\\input{/etc/passwd}",
    "\\end{document}", "100%", "% comment", "#1", "A & B", "a~b", "x^2", "$x$", "a_b", "@misc{x, title={y}}",
    "a and b", '"quoted" title', "café Ünïcode", "astral 😀 𝔸", "a--b---c", "``q''", ",,x !` ?`", "<<a>>",
    "\u00a0non-breaking", "\u2013-\u2014 dashes beside a hyphen", "it\u2019s \u2018quoted\u2019 \u00d7\u00b0",
    "=HYPERLINK(1)", "tab\there", "line\nbreak", "  spaced  out  ",
]
"""Text a title, an author or the taxonomy's own title may hold (the loader lets each through)."""
RECORDS: dict[str, Callable[[Taxonomy, export.Cited, str | None], str]] = {
    "bibtex": export.bibtex, "biblatex": export.biblatex}
CITED: dict[str, Callable[[Taxonomy, Entry], export.Cited]] = {
    "an entry": export.cited_entry, "the taxonomy": lambda taxonomy, _: export.cited_whole(taxonomy)}
COMMANDS = {cmd for latex, _ in _TABLE.latex_map.values() for cmd in re.findall(r"\\[A-Za-z]+", latex)}
"""Every command the encoding writes: latexcodec's text commands (accents, symbols) and ours."""
TRUSTED_URL = re.compile(r"\\url\{https://[^{}\\\s%]*\}")


def _taxonomy(entry_title: str, taxonomy_title: str) -> tuple[Taxonomy, Entry]:
    entry = dataclasses.replace(next(iter(BASE.entries.values())), title=entry_title)
    taxonomy = dataclasses.replace(BASE, meta=dataclasses.replace(BASE.meta, title=taxonomy_title),
                                   entries={**BASE.entries, entry.id: entry})
    return taxonomy, entry


def _text(value: str) -> str:
    """Text as a record holds it: on one line, trimmed (as the loader trims every text field)."""
    return one_line(value).strip()


def _unbraced(value: str) -> str:
    """A field value without the one extra pair of braces that protects case and name lists."""
    assert value.startswith("{") and value.endswith("}"), value
    return value[1:-1]


def _fields(record: str) -> dict[str, str]:
    """The record's fields as bibtexparser reads them (one entry, nothing failed), checked against pybtex."""
    library = bibtexparser.parse_string(record)
    assert library.failed_blocks == [] and len(library.entries) == 1, record
    fields = {f.key: f.value for f in library.entries[0].fields}
    [(key, entry)] = parse_string(record, "bibtex").entries.items()
    assert key == library.entries[0].key
    assert {*entry.fields.keys(), *entry.persons.keys()} == set(fields)
    assert [str(p) for p in entry.persons["author"]] == [fields["author"]]  # one author, never split at 'and'
    return fields


def _inert(record: str) -> None:
    """No command but the encoding's text commands, and `\\url` only around an https address."""
    rest = TRUSTED_URL.sub("", record)
    assert set(re.findall(r"\\[A-Za-z]+", rest)) <= COMMANDS, record


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("where", ["entry title", "taxonomy title"])
@pytest.mark.parametrize("form", list(RECORDS))
@pytest.mark.parametrize(("what", "accessed"), [("an entry", "2026-12-07"), ("the taxonomy", None)])
def test_record_parses_and_gives_back_the_text(text: str, where: str, form: str, what: str,
                                               accessed: str | None) -> None:
    """Hostile text in a title or the taxonomy's title (and so the author) parses in both parsers as one record,
    each field decodes to its source text, and only the encoding's text commands are in it."""
    plain = "Reward hacking"
    taxonomy, entry = _taxonomy(text if where == "entry title" else plain,
                                text if where == "taxonomy title" else plain)
    cited = CITED[what](taxonomy, entry)
    record = RECORDS[form](taxonomy, cited, accessed)
    fields = _fields(record)
    _inert(record)
    title = entry.title if what == "an entry" else taxonomy.meta.title
    assert bibtex_decode(_unbraced(fields["title"])) == _text(title)
    assert bibtex_decode(_unbraced(fields["author"])) == _text(f"{taxonomy.meta.title} contributors")
    if form == "bibtex":
        assert fields["howpublished"] == f"\\url{{{cited.address}}}"
        note = bibtex_decode(fields["note"])
        assert note == export.edition_note(taxonomy, cited, accessed)
        assert note.startswith(_text(taxonomy.meta.title) + ", ") if what == "an entry" else True
        assert (f"edition {cited.version}" if cited.version else export.UNRELEASED) in note
    else:
        assert fields["url"] == cited.address and fields.get("urldate") == accessed
        assert fields.get("version") == cited.version
        if what == "an entry":
            assert bibtex_decode(_unbraced(fields["organization"])) == _text(taxonomy.meta.title)


@pytest.mark.parametrize("text", [t for t in HOSTILE if not set(t) & set(LATEX_SYNTAX) and "{}" not in bibtex_text(t)])
def test_latexcodec_alone_decodes_what_it_encodes(text: str) -> None:
    """Where the text holds none of the syntax characters the encoding adds commands for (and no pair it breaks
    with `{}`), latexcodec's own decoder gives it back too: the encoding is latexcodec's, extended only where
    latexcodec leaves syntax alone."""
    assert codecs.decode(bibtex_text(text), "ulatex") == _text(text)


SYNTAX_AND_TYPOGRAPHY = "\\{}$^%#&~_-`',!?<>@\" \n\u2013\u2014\u2018\u2019\u201c\u201d"
"""Characters a generated title is built of, half the time: LaTeX syntax, ligature halves, typographic quotes."""


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.text(st.one_of(st.sampled_from(SYNTAX_AND_TYPOGRAPHY), st.characters(blacklist_categories=("Cs",))),
               max_size=40))
def test_any_title_round_trips(title: str) -> None:
    """Any text as a title: the record parses in both parsers, and the title decodes to the text on one line."""
    taxonomy, entry = _taxonomy(title, BASE.meta.title)
    record = export.cite_bibtex(taxonomy, entry, None)
    fields = _fields(record)
    _inert(record)
    assert bibtex_decode(_unbraced(fields["title"])) == _text(title)


def test_a_foreign_address_is_refused() -> None:
    """`\\url` wraps only an https address with nothing a BibTeX field reads as syntax."""
    from taxonomy.bibtex import bibtex_url
    assert bibtex_url("https://example.org/a/#b") == "\\url{https://example.org/a/#b}"
    for address in ("javascript:alert(1)", "https://x.org/}\\input{/etc/passwd}", "https://x.org/a b",
                    "https://x.org/%7D"):
        with pytest.raises(ValueError):
            bibtex_url(address)
