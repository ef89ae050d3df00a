"""Shared fixtures: a scratch copy of the sources, and one real strict build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def mkdocs_env() -> dict[str, str]:
    """Environment for running the real mkdocs CLI from the project venv."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT / "hooks"))
    return env


def run_mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs` (the real command line) in a project folder."""
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=mkdocs_env(),
                          capture_output=True, text=True, timeout=300)


PROJECT_FILES = ("mkdocs.yml", "docs", "overrides", "hooks", "taxonomy_src", "CONTRIBUTING.md", "README.md", "Makefile",
                 "requirements", "pyproject.toml", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-CONTENT")


def copy_project(dest: Path) -> Path:
    """A scratch copy of the project files that a build, a check or a release reads."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def fixture_project(dest: Path) -> Path:
    """A scratch project whose sources are the minimal fixture taxonomy, with hand-written pages to match."""
    copy_project(dest)
    shutil.rmtree(dest / "taxonomy_src")
    shutil.copytree(FIXTURES / "minimal", dest / "taxonomy_src")
    for page in (FIXTURES / "docs").iterdir():
        shutil.copy2(page, dest / "docs" / page.name)
    return dest


def taxonomy_cli(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `taxonomy` command (as `make check`, `make anchors`, `make new-entry` do) in a project folder."""
    return subprocess.run([sys.executable, "-m", "taxonomy", *args], cwd=project, env=env or mkdocs_env(),
                          capture_output=True, text=True, timeout=120)


def line_of(path: Path, needle: str) -> int:
    """The first line of a file that contains `needle` (1-based)."""
    return next(i for i, line in enumerate(path.read_text("utf-8").split("\n"), 1) if needle in line)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a scratch file, failing loudly if the text is not there (count -1: every occurrence)."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


@dataclass(frozen=True)
class Site:
    """A built site: its folder and every HTML page parsed once."""

    root: Path
    pages: dict[str, BeautifulSoup]

    def page(self, url_path: str) -> BeautifulSoup:
        """The parsed page at a site path such as 'taxonomy/precocious/'."""
        key = url_path.strip("/") + "/index.html" if not url_path.endswith(".html") else url_path
        return self.pages[key.lstrip("/")]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real site, built once with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("site")
    result = run_mkdocs(ROOT, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    pages = {p.relative_to(out).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
             for p in sorted(out.rglob("*.html"))}
    return Site(out, pages)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The minimal fixture taxonomy, built once with `mkdocs build --strict` (its project is the site's parent)."""
    project = fixture_project(tmp_path_factory.mktemp("fixture-project"))
    result = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert result.returncode == 0, result.stderr
    pages = {p.relative_to(project / "out").as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
             for p in sorted((project / "out").rglob("*.html"))}
    return Site(project / "out", pages)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A scratch copy of the minimal fixture sources, as <tmp>/taxonomy_src."""
    dest = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", dest)
    return dest
