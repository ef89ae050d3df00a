"""Golden files: the comparison page and one entry page rendered from the minimal fixture, reviewed like code.

A change to a template or to the renderer shows up as a diff of these files in the pull request. When the change is
intended, rewrite them with `.venv/bin/python -m pytest tests/core/test_goldens.py --snapshot-update` and commit
the result (see CONTRIBUTING.md).
"""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from conftest import FIXTURES
from taxonomy.loader import load
from taxonomy.render import Renderer

MINIMAL = FIXTURES / "minimal"


class MarkdownPage(SingleFileSnapshotExtension):
    """One golden file per page, as the Markdown that MkDocs receives (readable in a diff)."""

    file_extension = "md"
    _write_mode = WriteMode.TEXT


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Every generated page of the minimal fixture taxonomy."""
    return Renderer(load(MINIMAL, MINIMAL.parent)).files()


@pytest.mark.parametrize("page", ["compare.md", "taxonomy/alpha.md"], ids=["compare", "entry-alpha"])
def test_page_matches_its_golden_file(pages: dict[str, str], page: str, snapshot: SnapshotAssertion) -> None:
    """The page is exactly its reviewed golden file."""
    assert pages[page] == snapshot.use_extension(MarkdownPage)
