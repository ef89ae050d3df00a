"""Untrusted text for BibTeX and biblatex records: LaTeX written as text through latexcodec, and the one trusted
command, `\\url`, around the site's own addresses. Only the exports import it (latexcodec's tables take a tenth of a
second to build, which `taxonomy check` does not need)."""

from __future__ import annotations

from latexcodec import lexer
from latexcodec.codec import (
    LatexUnicodeTable,
    UnicodeLatexIncrementalDecoder,
    UnicodeLatexIncrementalEncoder,
    UnicodeLatexTranslation,
)

from .escaping import one_line
from .formats import is_https_url

LATEX_SYNTAX = {"\\": "\\textbackslash", "{": "\\textbraceleft", "}": "\\textbraceright", "$": "\\$",
                "^": "\\textasciicircum"}
"""The characters latexcodec passes through as LaTeX syntax, with the commands that print them instead (`\\$`, not
`\\textdollar`, which biber turns back into a bare `$`)."""
LIGATURES = frozenset({"--", "``", "''", ",,", "!`", "?`", "<<", ">>"})
"""Pairs of characters LaTeX prints as one glyph (`--` a dash, two quotes a double quote); never written as text."""


class _BibtexTable(LatexUnicodeTable):
    """latexcodec's table, plus the syntax characters as their text commands and `{}` (a ligature break) as
    nothing, without the translations that do not decode to the character they encode."""

    def register_all(self) -> None:
        """Register latexcodec's translations, then ours."""
        super().register_all()
        for char, command in LATEX_SYNTAX.items():
            self.register(UnicodeLatexTranslation(unicode=char, latex=command, encode=True, decode=True,
                                                  text_mode=True, math_mode=False))
        self.register(UnicodeLatexTranslation(unicode="", latex="{}", encode=False, decode=True, text_mode=True,
                                              math_mode=False))
        for char, (_, tokens) in list(self.latex_map.items()):
            if self.unicode_map.get(tokens) != char:  # one way only ('’' as "'"): the character is kept instead
                del self.latex_map[char]


_TABLE = _BibtexTable(lexer.LatexIncrementalDecoder())


class _BibtexEncoder(UnicodeLatexIncrementalEncoder):
    """latexcodec's encoder with the table above; characters it names only in math mode (`$\\times$`: two in a row
    would open display math) or cannot name at all are kept (UTF-8)."""

    table = _TABLE
    inputenc = "ascii"

    def _get_latex_chars_tokens_from_char(self, c: str) -> tuple[str, tuple[lexer.Token, ...]]:
        latex, tokens = super()._get_latex_chars_tokens_from_char(c)
        if latex.startswith(("$", "\\(")):
            return c, (lexer.Token(name="chars", text=c),)
        return latex, tokens


class BibtexDecoder(UnicodeLatexIncrementalDecoder):
    """latexcodec's decoder with the same table: it gives back the text `bibtex_text` encoded."""

    table = _TABLE
    inputenc = "ascii"


def bibtex_text(value: object) -> str:
    """Untrusted text as the inside of a braced BibTeX field: every LaTeX special character written as text (a
    command such as `\\input` prints as text), braces balanced (none but `{}` between two characters that would
    print as one glyph), one line, trimmed. Characters with a LaTeX name (accents) take it; others stay UTF-8."""
    encoder = _BibtexEncoder(errors="keep")
    written: list[str] = []
    for char in one_line(str(value)).strip():
        latex = encoder.encode(char)
        if written and written[-1][-1:] + latex[:1] in LIGATURES:
            written.append("{}")
        written.append(latex)
    return "".join(written) + encoder.encode("", final=True)


def bibtex_decode(latex: str) -> str:
    """The text a BibTeX field encoded with `bibtex_text` holds (latexcodec's decoder, with the same table)."""
    return BibtexDecoder().decode(latex, final=True)


def bibtex_address(address: str) -> str:
    """The site's own address as a verbatim field value (biblatex's `url`): refused unless it is an https address
    with nothing a BibTeX field or `\\url` reads as syntax (braces, backslashes, percent signs, spaces)."""
    if not is_https_url(address) or any(c in address for c in "{}\\%"):
        raise ValueError(f"not an address a BibTeX record may carry (got {address!r})")
    return address


def bibtex_url(address: str) -> str:
    """The site's own address as `\\url{…}`, the one command a BibTeX field is trusted with."""
    return f"\\url{{{bibtex_address(address)}}}"
