"""Shared fixtures: a scratch copy of the sources, and one real strict build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
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


def copy_project(dest: Path) -> Path:
    """A scratch copy of the project files that a build reads."""
    for name in ("mkdocs.yml", "docs", "overrides", "hooks", "taxonomy_src", "CONTRIBUTING.md", "Makefile",
                 "requirements.lock"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


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
    from bs4 import BeautifulSoup

    out = tmp_path_factory.mktemp("site")
    result = run_mkdocs(ROOT, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    pages = {p.relative_to(out).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
             for p in sorted(out.rglob("*.html"))}
    return Site(out, pages)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A scratch copy of the minimal fixture sources, as <tmp>/taxonomy_src."""
    dest = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", dest)
    return dest


def change(src: Path, name: str, old: str | None, new: str | bytes | None) -> None:
    """Change one file under a scratch taxonomy_src/: replace `old` by `new`, write `new` whole (old None), or
    delete the file (both None)."""
    path = src / name
    if old is not None:
        assert isinstance(new, str)
        edit(path, old, new)
    elif new is None:
        path.unlink()
    elif isinstance(new, bytes):
        path.write_bytes(new)
    else:
        path.write_text(new, "utf-8")


@pytest.fixture
def case_sources(tmp_path: Path) -> Path:
    """The minimal fixture sources with the cases overlay (a tree with an outcome, cases, a crosswalk)."""
    dest = tmp_path / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", dest)
    shutil.copytree(FIXTURES / "cases", dest, dirs_exist_ok=True)
    return dest
