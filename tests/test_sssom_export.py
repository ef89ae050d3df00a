"""The SSSOM export keeps every cell: hostile text that `make check` accepts (quotes, a leading double quote, hash
signs, backslashes, astral characters) reads back unchanged through Python's csv, pandas and the sssom package,
and a mapping never swallows the rows after it."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import warnings
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from taxonomy import crosswalk
from taxonomy.loader import load
from taxonomy.model import Taxonomy

HOSTILE = ['"quoted" term', 'a "quote" inside', '"', "'single", "# not a comment", "semi; colon, comma",
           "back\\slash \\t", "café 😀 𝔸 \u202e", "<script>x</script>", "a | pipe", "NA and null", "trailing \\"]
"""Cell text the loader and the crosswalk check accept."""


@pytest.fixture
def hostile(case_sources: Path) -> Taxonomy:
    """The fixture taxonomy with a hostile text in every crosswalk cell, kind title and the taxonomy's title."""
    taxonomy = load(case_sources, case_sources.parent)
    assert taxonomy.crosswalk
    rows = tuple(dataclasses.replace(row, term=HOSTILE[i % len(HOSTILE)], locator=HOSTILE[(i + 1) % len(HOSTILE)],
                                     justification=f"{HOSTILE[(i + 2) % len(HOSTILE)]}.")
                 for i, row in enumerate(taxonomy.crosswalk * len(HOSTILE)))
    entries = {key: dataclasses.replace(entry, title=f'"{entry.title}" #1 \\')
               for key, entry in taxonomy.entries.items()}
    meta = dataclasses.replace(taxonomy.meta, title='Taxonomy: "quoted" # not a comment')
    return dataclasses.replace(taxonomy, crosswalk=rows, entries=entries, meta=meta)


def _table(text: str) -> str:
    """The TSV part of the export (after the commented metadata block)."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[next(i for i, line in enumerate(lines) if not line.startswith("#")):])


def test_every_cell_reads_back_through_csv_and_pandas(hostile: Taxonomy) -> None:
    """csv and pandas (strings, no missing-value guessing) read exactly the rows written, in order."""
    import pandas as pd

    expected = [list(crosswalk.SSSOM_COLUMNS), *([row[c] for c in crosswalk.SSSOM_COLUMNS]
                                                 for row in crosswalk.sssom_rows(hostile))]
    table = _table(crosswalk.sssom_tsv(hostile))
    assert list(csv.reader(io.StringIO(table), dialect="excel-tab")) == expected
    frame = pd.read_csv(io.StringIO(table), sep="\t", dtype=str, keep_default_na=False)
    assert [list(frame.columns), *frame.values.tolist()] == expected
    assert [row.term for row in hostile.crosswalk] == [row[1] for row in expected[1:]]


def test_every_cell_reads_back_through_sssom(hostile: Taxonomy, tmp_path: Path) -> None:
    """The sssom package reads the same rows and the metadata block, the taxonomy's title included."""
    path = tmp_path / "crosswalk.sssom.tsv"
    path.write_text(crosswalk.sssom_tsv(hostile), "utf-8")
    with warnings.catch_warnings():  # sssom 0.4 calls pandas APIs that pandas 3 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        from sssom.parsers import parse_sssom_table
        msdf = parse_sssom_table(path)
    def cells(row: dict[str, object]) -> tuple[object, ...]:  # sssom sorts the rows and reads numbers
        return tuple(float(str(row[c])) if c == "confidence" else row[c] for c in crosswalk.SSSOM_COLUMNS)

    assert sorted(map(cells, msdf.df.to_dict("records"))) == sorted(map(cells, crosswalk.sssom_rows(hostile)))
    assert msdf.metadata["mapping_set_title"].startswith(hostile.meta.title)


def test_the_check_leaves_no_formula_cell(case_sources: Path) -> None:
    """Every crosswalk text the check accepts begins a cell with something other than a formula sign."""
    taxonomy = load(case_sources, case_sources.parent)
    for row in crosswalk.sssom_rows(taxonomy):
        assert not any(row[c].startswith(crosswalk.FORMULA_START) for c in ("subject_label", "comment")), row


def test_missing_cells_are_the_ones_pandas_guesses() -> None:
    """The words refused as a whole term are exactly those pandas reads as missing by default."""
    from pandas._libs.parsers import STR_NA_VALUES

    assert crosswalk.MISSING_CELLS == STR_NA_VALUES


@pytest.fixture(scope="module")
def cases_taxonomy(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    """The minimal fixture with the cases overlay, loaded once for the property test."""
    src = tmp_path_factory.mktemp("cases") / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", src)
    shutil.copytree(FIXTURES / "cases", src, dirs_exist_ok=True)
    return load(src, src.parent)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30),
                min_size=1, max_size=4))
def test_any_accepted_term_reads_back_through_csv_and_pandas(cases_taxonomy: Taxonomy, terms: list[str]) -> None:
    """Any terms the check lets through (trimmed, on one line) come back from csv and pandas as written."""
    import pandas as pd

    terms = [" ".join(t.split()) for t in terms]
    assume(all(t and not t.startswith(crosswalk.FORMULA_START) and t not in crosswalk.MISSING_CELLS for t in terms))
    rows = tuple(dataclasses.replace(cases_taxonomy.crosswalk[0], term=t, justification=f"{t}.") for t in terms)
    taxonomy = dataclasses.replace(cases_taxonomy, crosswalk=rows)
    table = _table(crosswalk.sssom_tsv(taxonomy))
    assert [row[1] for row in list(csv.reader(io.StringIO(table), dialect="excel-tab"))[1:]] == terms
    frame = pd.read_csv(io.StringIO(table), sep="\t", dtype=str, keep_default_na=False)
    assert frame["subject_label"].tolist() == terms
