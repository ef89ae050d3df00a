"""The real command line: content errors stop the build cleanly, untrusted text stays inert, serve reloads live."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, edit, fixture_project, line_of, mkdocs_env, mount_path, run_mkdocs, taxonomy_cli
from taxonomy.loader import load
from taxonomy.render import NAV_TREE, Renderer
from taxonomy.schema import FIELDS

E = "taxonomy_src/entries/"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch project on the minimal fixture taxonomy (builds in seconds, independent of the real content)."""
    return fixture_project(tmp_path)


@pytest.mark.slow
def test_broken_sources_fail_the_build_with_every_message(project: Path) -> None:
    """Two broken files: strict build and `make check`'s command both exit non-zero, naming both, no traceback."""
    entries = project / "taxonomy_src" / "entries"
    edit(entries / "alpha.md", "kind: failure-mode", "kind: failure")
    edit(entries / "gamma.md", "status: active", "status: active\nsee-also: [x]")
    kind_line, extra_line = line_of(entries / "alpha.md", "kind: failure"), line_of(entries / "gamma.md", "see-also")
    expected = [
        f"{E}alpha.md:{kind_line}: 'kind' must be one of failure-mode, category, concept "
        "(got 'failure'). Fix: pick one (did you mean 'failure-mode'?).",
        f"{E}gamma.md:{extra_line}: unknown field 'see-also' (got 'see-also'). Fix: remove it or use "
        f"one of {', '.join(f.name for f in FIELDS)}.",
    ]
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    for message in expected:
        assert f"ERROR   -  {message}" in build.stderr
    assert build.stderr.rstrip().endswith("ERROR   -  2 problem(s) in taxonomy_src/; see the messages above.")
    assert not (project / "out" / "taxonomy" / "alpha").exists()

    check = taxonomy_cli(project, "check", "taxonomy_src")
    assert check.returncode == 1
    assert check.stdout.splitlines() == expected
    assert check.stderr.strip() == "2 problem(s) found in taxonomy_src/."


def test_problems_become_github_annotations_in_actions(project: Path) -> None:
    """In GitHub Actions, `make check` and the build also print `::error file=…,line=…::` for the pull request."""
    entries = project / "taxonomy_src" / "entries"
    edit(entries / "alpha.md", "kind: failure-mode", "kind: failure")
    line = line_of(entries / "alpha.md", "kind: failure")
    env = dict(mkdocs_env(), GITHUB_ACTIONS="true")
    annotation = (f"::error file={E}alpha.md,line={line},title=%s::'kind' must be one of failure-mode, category, "
                  "concept (got 'failure'). Fix: pick one (did you mean 'failure-mode'?).")
    check = taxonomy_cli(project, "check", env=env)
    assert annotation % "make check" in check.stdout.splitlines()
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "out")],
                           cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert build.returncode == 1 and annotation % "mkdocs build" in build.stdout.splitlines()
    quiet = taxonomy_cli(project, "check")
    assert "::error" not in quiet.stdout


def test_check_passes_on_real_sources() -> None:
    """`python -m taxonomy check` exits 0 on the shipped sources."""
    result = subprocess.run([sys.executable, "-m", "taxonomy", "check"], cwd=ROOT, env=mkdocs_env(),
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.slow
def test_entry_text_is_never_a_template(project: Path) -> None:
    """Jinja syntax in an entry body is printed literally, not evaluated."""
    path = project / "taxonomy_src" / "entries" / "gamma.md"
    text = path.read_text("utf-8")
    path.write_text(text.rstrip("\n") + "\n\nLiteral `{{ 7 * 7 }}` and `{{ meta.version }}` and `{% raw %}`.\n",
                    "utf-8")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    html = (project / "out" / "taxonomy" / "gamma" / "index.html").read_text("utf-8")
    assert "{{ 7 * 7 }}" in html and "{{ meta.version }}" in html and "{% raw %}" in html
    assert ">49<" not in html


def test_rendering_is_deterministic() -> None:
    """Loading and rendering twice gives byte-identical pages and nav."""
    first = Renderer(load(ROOT / "taxonomy_src", ROOT))
    second = Renderer(load(ROOT / "taxonomy_src", ROOT))
    assert first.files() == second.files()
    assert first.nav([NAV_TREE]) == second.nav([NAV_TREE])


@pytest.mark.slow
def test_nothing_is_written_into_docs(project: Path) -> None:
    """A build leaves docs/ exactly as it was: generated pages exist only in memory."""
    before = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    assert run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out")).returncode == 0
    after = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    assert after == before
    assert all((project / "out" / "taxonomy" / entry_id / "index.html").exists()
               for entry_id in load(project / "taxonomy_src", project).entries)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # a 404 page has a body too
        return error.read().decode("utf-8")


def _wait_for(url: str, needle: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _fetch(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds}s")


def _serve(project: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}{mount_path(project)}"


@pytest.mark.slow
def test_serve_shows_problems_and_recovers(project: Path) -> None:
    """`make serve` never hangs on a content error: every page lists the problems until they are fixed.

    It also rebuilds on edits to entries, to overrides/ and to the generator's templates.
    """
    entry = project / "taxonomy_src" / "entries" / "gamma.md"
    good = entry.read_text("utf-8")
    edit(entry, "kind: concept", "kind: concep")
    problem = f"{E}gamma.md:{line_of(entry, 'kind: concep')}</code>: &#39;kind&#39; must be one of"
    server, base = _serve(project)
    try:
        page = f"{base}taxonomy/gamma/"
        assert problem in _wait_for(base, "The site cannot be built", 60)  # a broken start still serves
        assert problem in _wait_for(page, "The site cannot be built", 10)
        assert problem in _wait_for(f"{base}no/such/page/", "The site cannot be built", 10)
        entry.write_text(good, "utf-8")
        assert "The site cannot be built" not in _wait_for(page, "Gamma concept", 60)
        edit(entry, "status: active", "status: retired")
        _wait_for(page, f"{E}gamma.md:{line_of(entry, 'status: retired')}</code>", 60)
        entry.write_text(good, "utf-8")
        _wait_for(page, "Gamma concept", 60)
        template = project / "hooks" / "taxonomy" / "templates" / "entry.md.j2"
        template.write_text(template.read_text("utf-8") + "\nTemplate edit seen live.\n", "utf-8")
        _wait_for(page, "Template edit seen live.", 60)
        override = project / "overrides" / "main.html"
        override.write_text(override.read_text("utf-8") + "\n{# override edit seen live #}\n"
                            "{% block footer %}{{ super() }}<span>Override edit seen live.</span>{% endblock %}\n",
                            "utf-8")
        _wait_for(page, "Override edit seen live.", 60)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_nav_without_the_tree_fails_the_build_saying_where_it_goes(project: Path) -> None:
    """A nav that leaves out the place of the tree of entries is refused with a fix, not built without the tree."""
    edit(project / "mkdocs.yml", f"      - {NAV_TREE}\n", "")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert (f"mkdocs.yml: the nav has no {NAV_TREE} item, where the tree of entries goes. "
            f"Fix: add `- {NAV_TREE}` to the Taxonomy section of `nav:`.") in build.stderr
