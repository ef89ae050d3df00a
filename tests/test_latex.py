"""The BibTeX a reader copies works in the real client: a LaTeX document citing entries, run through `latex` and
`bibtex` with the standard `plain` style, prints each entry's title, edition and address, with no warning; hostile
text prints as text and runs nothing. Needs `latex` and `bibtex` (Debian's texlive-latex-base; `make test`
installs it as root on Debian); without them the tests are skipped, except in CI (CI=true), where they fail. The
biblatex records go through `biber` and biblatex's standard style where both are installed (Debian's biber and
texlive-bibtex-extra; optional everywhere)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from taxonomy import export
from taxonomy.loader import load
from taxonomy.model import Entry, Taxonomy

pytestmark = pytest.mark.latex
TOOLS = ("latex", "bibtex", "dvi2tty")
TAXONOMY = load(ROOT / "taxonomy_src", ROOT)
DOCUMENT = r"""\documentclass{article}
\pagestyle{empty}
\usepackage{url}
\hyphenpenalty=10000 \exhyphenpenalty=10000 \sloppy
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"{', '.join(missing)} not found; CI must run the LaTeX citation tests. Fix: install Debian's "
                    "texlive-latex-base (make test does, as root).")
    if missing:
        pytest.skip(f"{', '.join(missing)} not found (outside CI these tests are optional). To run them, install "
                    "Debian's texlive-latex-base: 'make latex' as root, or 'sudo apt-get install texlive-latex-base'.")


def _compile(folder: Path, records: list[str], document: str = DOCUMENT, processor: str = "bibtex") -> tuple[str, str]:
    """The text of the typeset document (no line breaks or spaces; words are never hyphenated) and the log of the
    bibliography processor, after latex, the processor and latex twice (as authors run them); every run must
    succeed."""
    (folder / "refs.bib").write_text("\n\n".join(records) + "\n", "utf-8")
    (folder / "doc.tex").write_text(document, "utf-8")
    for command in ("latex", processor, "latex", "latex"):
        arguments = ["doc"] if command == processor else ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
        run = subprocess.run([command, *arguments], cwd=folder, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "openout_any": "p", "openin_any": "p"})
        assert run.returncode == 0, run.stdout + run.stderr
    shown = subprocess.run(["dvi2tty", "-w", "132", "doc.dvi"], cwd=folder, capture_output=True, text=True,
                           timeout=60, check=True).stdout
    return "".join(shown.split()), (folder / "doc.blg").read_text("utf-8")


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_plain_prints_title_edition_and_address(tmp_path: Path) -> None:
    """Every entry and the taxonomy as a whole, cited with `plain`: BibTeX warns about nothing; the page shows
    each title, edition and address."""
    cited = [export.cited_entry(TAXONOMY, e) for e in TAXONOMY.entries.values()] + [export.cited_whole(TAXONOMY)]
    shown, log = _compile(tmp_path, [export.bibtex(TAXONOMY, c, "2030-01-02") for c in cited])
    assert "Warning--" not in log and "(There were" not in log, log
    for record in cited:
        assert _squeezed(record.title or TAXONOMY.meta.title) in shown
        assert _squeezed(record.address) in shown
        assert _squeezed(f"edition {record.version}" if record.version else export.UNRELEASED) in shown
    assert "accessed2030-01-02" in shown


def _hostile(title: str, taxonomy_title: str) -> tuple[Taxonomy, Entry]:
    entry = dataclasses.replace(next(iter(TAXONOMY.entries.values())), title=title)
    taxonomy = dataclasses.replace(TAXONOMY, meta=dataclasses.replace(TAXONOMY.meta, title=taxonomy_title),
                                   entries={**TAXONOMY.entries, entry.id: entry})
    return taxonomy, entry


def test_hostile_text_prints_as_text(tmp_path: Path) -> None:
    """LaTeX commands and special characters in a title and the taxonomy's title print literally: `\\input` reads
    no file, a brace closes nothing, a comment sign hides nothing."""
    title = r"Hostile } \input /etc/passwd 50% #1 & a~b x^2 {y} $z$ -- end \\"
    taxonomy, entry = _hostile(title, r"Taxonomy {of} \end{document} %")
    shown, log = _compile(tmp_path, [export.cite_bibtex(taxonomy, entry)])
    assert "Warning--" not in log, log
    assert "root:" not in shown
    for part in (r"Hostile}\input/etc/passwd50%#1&a~bx^2{y}$z$", "end\\\\", r"Taxonomy{of}\end{document}%"):
        assert part in shown
    assert _squeezed(export.permalink(taxonomy, entry.id)) in shown


BIBLATEX_DOCUMENT = r"""\documentclass{article}
\usepackage[backend=biber,style=numeric]{biblatex}
\addbibresource{refs.bib}
\hyphenpenalty=10000 \exhyphenpenalty=10000 \sloppy
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def test_biblatex_prints_title_version_and_address(tmp_path: Path) -> None:
    """The biblatex records of every entry (one with hostile text) and the whole taxonomy, through biber and
    biblatex's standard style: biber warns about nothing; the page shows each title, version and address, and the
    hostile text as text."""
    kpsewhich = shutil.which("kpsewhich")
    found = subprocess.run([kpsewhich, "biblatex.sty"], capture_output=True, text=True).stdout if kpsewhich else ""
    if shutil.which("biber") is None or not found.strip():
        pytest.skip("biber or biblatex not found (optional): install Debian's biber and texlive-bibtex-extra to run it")
    title = r"Hostile } \input /etc/passwd 50% #1 & a~b x^2 {y} $z$ -- end \\"
    taxonomy, hostile = _hostile(title, TAXONOMY.meta.title)
    cited = [export.cited_entry(taxonomy, e) for e in taxonomy.entries.values()] + [export.cited_whole(taxonomy)]
    shown, log = _compile(tmp_path, [export.biblatex(taxonomy, c, "2030-01-02") for c in cited], BIBLATEX_DOCUMENT,
                          "biber")
    assert "WARN" not in log and "ERROR" not in log, log
    assert "root:" not in shown
    for part in (r"Hostile}\input/etc/passwd50%#1&a~bx^2{y}$z$", "end\\\\"):
        assert part in shown
    for record in cited:
        if record.title != hostile.title:
            assert _squeezed(record.title or taxonomy.meta.title) in shown
        assert _squeezed(record.address) in shown
    assert all(f"Version{r.version}" in shown for r in cited if r.version)
