"""The home page starts the work: its first section offers the reader's three tasks, before any caveat."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import yaml

from conftest import ROOT, Site
from taxonomy import pages

pytestmark = pytest.mark.slow
TASKS = (pages.DECISION_TREE.path, pages.COMPARE.path, pages.OVERVIEW.path, pages.CASES.path)
"""Classify a failure, compare two kinds, browse the kinds and the cases."""


def _site_path(page: str) -> str:
    return "/" + page.removesuffix("index.md").removesuffix(".md") + ("/" if not page.endswith("index.md") else "")


def test_first_section_is_the_three_tasks(site: Site) -> None:
    """The first section after the title lists three tasks, one item each, linking to where each is done."""
    home = site.page("")
    first = home.select_one("article h2")
    assert first is not None and first["id"] == "start-here"
    items = first.find_next("ul").find_all("li", recursive=False)
    assert len(items) == 3
    targets = [urljoin("/", a["href"]) for li in items for a in li.find_all("a")]
    assert targets == [_site_path(p) for p in TASKS]


def test_open_an_issue_goes_to_the_tracker(site: Site) -> None:
    """Links to the issue tracker use the repository of mkdocs.yml, and the home page has one."""
    repo = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\ntheme:")[0])["repo_url"]
    home = site.page("")
    issues = [a["href"] for a in home.select("article a[href*='/issues']")]
    assert issues and all(href == f"{repo}/issues" for href in issues), issues
