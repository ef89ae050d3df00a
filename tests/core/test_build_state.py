"""The one object a builder process keeps (taxonomy.build.Build): what it reports and what it hands the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from taxonomy import pages
from taxonomy.build import Build
from taxonomy.problems import TaxonomyError
from taxonomy.urls import entry_path


def test_markup_the_sanitiser_would_remove_is_reported_in_the_file_to_edit(sources: Path) -> None:
    """A finding names the entry's source file and the line that mentions it, with the fix."""
    build = Build()
    renderer = build.load(sources.parent, directory_urls=True)
    assert renderer is not None
    entry = next(iter(renderer.taxonomy.entries.values()))
    with (sources.parent / entry.path).open("a", encoding="utf-8") as file:
        file.write("\nA script tag, quoted.\n")
    line = len((sources.parent / entry.path).read_text("utf-8").split("\n")) - 1
    found = build.unsafe("<p>x</p><script>alert(1)</script>", entry_path(entry.id), sources.parent)
    assert found == [f"{entry.path}:{line}: the page would contain markup that is not allowed (got <script>). Fix: "
                     "remove it; entry text is Markdown without HTML, and links go to https:// addresses."]
    assert build.unsafe("<p>x</p>", entry_path(entry.id), sources.parent) == []


def test_broken_sources_raise_unless_serving(sources: Path) -> None:
    """A one-off build fails on problems; `serve` keeps them to show instead of the site."""
    (sources / "entries" / "broken.md").write_text("no front matter\n", "utf-8")
    with pytest.raises(TaxonomyError):
        Build().load(sources.parent, directory_urls=True)
    serving = Build()
    serving.start(serving=True, dirty=False)
    assert serving.load(sources.parent, directory_urls=True) is None and serving.problems


def test_only_sourced_pages_of_registered_types_leave_sections_out_of_search(sources: Path) -> None:
    """Unsearched sections come from the page registry, for pages made from one source file."""
    build = Build()
    renderer = build.load(sources.parent, directory_urls=True)
    assert renderer is not None
    build.sourced = frozenset(renderer.edit_sources())
    entry = entry_path(next(iter(renderer.taxonomy.entries)))
    assert build.unsearched(entry) == pages.ENTRY.unsearched
    assert build.unsearched(pages.COMPARE.path) is None
    entries = [{"location": "taxonomy/x/"}, {"location": "taxonomy/x/#cite"}, {"location": "taxonomy/x/#body"}]
    build.unsearch(entries, entry, "taxonomy/x/")
    assert entries == [{"location": "taxonomy/x/"}, {"location": "taxonomy/x/#body"}]
