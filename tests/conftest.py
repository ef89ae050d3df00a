"""Shared fixtures: a scratch copy of the sources, one real strict build of the site, and a guarded browser."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pytest
from hypothesis import settings

from chromium import find_chromium
from taxonomy.loader import load
from taxonomy.model import Taxonomy

if TYPE_CHECKING:  # imported where used, so that the pure-core tests need neither bs4 nor a browser
    from bs4 import BeautifulSoup
    from playwright.sync_api import Browser, Page

# Property tests draw the same examples on every run, so no tier flakes; HYPOTHESIS_PROFILE=explore draws anew.
settings.register_profile("seeded", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "seeded"))

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


def mount_path(project: Path) -> str:
    """The path `mkdocs serve` serves a project under: the path of its mkdocs.yml site_url, as on GitHub Pages."""
    found = re.search(r"^site_url: (\S+)", (project / "mkdocs.yml").read_text("utf-8"), re.MULTILINE)
    return urlparse(found.group(1)).path if found else "/"


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


def grown_sources(src: Path, added: int, parent: str | None = "group", *overlays: str) -> Path:
    """The minimal fixture sources (and overlays) at `src`, with `added` more categories under `parent` (None:
    roots), each added to the first release."""
    for overlay in ("minimal", *overlays):
        shutil.copytree(FIXTURES / overlay, src, dirs_exist_ok=True)
    template = (src / "entries" / "group.md").read_text("utf-8")
    ids = [f"sub-{i:02d}" for i in range(added)]
    for new in ids:
        text = re.sub(r"(?m)^id: group$", f"id: {new}", template)
        text = re.sub(r"(?m)^parent: null$", f"parent: {parent or 'null'}", text)
        (src / "entries" / f"{new}.md").write_text(text.replace("title: Group", f"title: Sub {new}"), "utf-8")
    changelog = src / "changelog.yaml"
    text = changelog.read_text("utf-8")
    changelog.write_text(re.sub(r"added: \[([^]]*)\]", lambda m: f"added: [{', '.join([m[1], *ids])}]", text,
                                count=1),
                         "utf-8")
    return src


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
    from bs4 import BeautifulSoup

    out = tmp_path_factory.mktemp("site")
    result = run_mkdocs(ROOT, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    pages = {p.relative_to(out).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
             for p in sorted(out.rglob("*.html"))}
    return Site(out, pages)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The minimal fixture taxonomy, built once with `mkdocs build --strict` (its project is the site's parent)."""
    from bs4 import BeautifulSoup

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


CHROMIUM, NO_CHROMIUM = find_chromium()
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its mount path, as GitHub Pages serves a project: elsewhere there is nothing."""

    mount = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not (path.split("?", 1)[0] + "/").startswith(self.mount):
            return os.path.join(self.directory, "_outside_the_mount_", "_")  # no such file: 404
        return super().translate_path("/" + path[len(self.mount):])


@pytest.fixture(scope="session")
def base_url(site: Site) -> Iterator[str]:
    """The built site served on a free localhost port, under the path it is published under."""
    mount = mount_path(ROOT)
    handler = functools.partial(type("_Mounted", (_QuietHandler,), {"mount": mount}), directory=str(site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium (Playwright's own browser download is never used)."""
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        pytest.fail(NO_CHROMIUM)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def new_tab(browser: Browser, base_url: str, site: Site) -> Iterator[Callable[..., Page]]:
    """Opens tabs (any viewport, colour scheme or context option) that abort, and record, every request not
    addressed to the local server, and record JavaScript errors; the test fails if there were any."""
    site_url = load(ROOT / "taxonomy_src", ROOT).meta.site_url
    local = urlparse(base_url).netloc
    outside: list[str] = []
    errors: list[str] = []
    contexts = []

    def sitemap(route, request) -> None:  # type: ignore[no-untyped-def]
        # Material's instant navigation only follows links listed in the sitemap, under the site's own
        # host and port; serve it as if the site were deployed here.
        body = (site.root / "sitemap.xml").read_text("utf-8").replace(site_url, base_url)
        route.fulfill(status=200, content_type="application/xml", body=body)

    def block(route, request) -> None:  # type: ignore[no-untyped-def]
        outside.append(request.url)
        route.abort()

    # Only requests that leave the local server reach Python, which keeps page loads fast.
    elsewhere = re.compile(rf"^(?!(?:https?://{re.escape(local)}/|data:|blob:))")

    def open_tab(width: int = 1280, height: int = 900, color_scheme: str = "light", **options: Any) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                                      **options)
        context.route(elsewhere, block)
        context.route(f"{base_url}sitemap.xml", sitemap)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert outside == [], f"requests left the local server: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def page(new_tab: Callable[..., Page]) -> Page:
    """A fresh desktop-sized, light-scheme tab on the guarded browser."""
    return new_tab()


def tree_paths(taxonomy: Taxonomy) -> list[tuple[list[int], str]]:
    """Every root-to-result path through the decision tree, as answer indices, with the entry or outcome it ends at."""
    questions = {q.id: q for q in taxonomy.decision_tree}
    found: list[tuple[list[int], str]] = []

    def walk(question_id: str, prefix: list[int]) -> None:
        for index, answer in enumerate(questions[question_id].answers):
            if answer.next:
                walk(answer.next, prefix + [index])
            else:
                found.append((prefix + [index], str(answer.result)))

    walk(taxonomy.decision_tree[0].id, [])
    return found


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
