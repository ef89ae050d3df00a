"""The real command line: content errors stop the build cleanly, untrusted text stays inert, serve reloads live."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, edit, mkdocs_env, run_mkdocs
from taxonomy.loader import load
from taxonomy.render import Renderer


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the whole project."""
    return copy_project(tmp_path)


@pytest.mark.slow
def test_broken_sources_fail_the_build_with_every_message(project: Path) -> None:
    """Two broken files: strict build and `make check`'s command both exit non-zero, naming both, no traceback."""
    entries = project / "taxonomy_src" / "entries"
    edit(entries / "overfit.md", "kind: failure-mode", "kind: failure")
    edit(entries / "rlvr.md", "status: active", "status: active\nsee-also: [x]")
    kind_line, extra_line = _line_of(entries / "overfit.md", "kind: failure"), _line_of(entries / "rlvr.md", "see-also")
    expected = [
        f"taxonomy_src/entries/overfit.md:{kind_line}: 'kind' must be one of failure-mode, category, concept "
        "(got 'failure'). Fix: pick one (did you mean 'failure-mode'?).",
        f"taxonomy_src/entries/rlvr.md:{extra_line}: unknown field 'see-also' (got 'see-also'). Fix: remove it or use "
        "one of id, title, kind, parent, summary, aliases, relations, references, status, evidence, dimensions, order, "
        "former_ids, former_anchors, replaced_by, status_note.",
    ]
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    for message in expected:
        assert f"ERROR   -  {message}" in build.stderr
    assert build.stderr.rstrip().endswith("ERROR   -  2 problem(s) in taxonomy_src/; see the messages above.")
    assert not (project / "out" / "taxonomy" / "overfit").exists()

    check = subprocess.run([sys.executable, "-m", "taxonomy", "check", "taxonomy_src"], cwd=project,
                           env=mkdocs_env(), capture_output=True, text=True)
    assert check.returncode == 1
    assert check.stdout.splitlines() == expected
    assert check.stderr.strip() == "2 problem(s) found in taxonomy_src/."


def test_check_passes_on_real_sources() -> None:
    """`python -m taxonomy check` exits 0 on the shipped sources."""
    result = subprocess.run([sys.executable, "-m", "taxonomy", "check"], cwd=ROOT, env=mkdocs_env(),
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.slow
def test_entry_text_is_never_a_template(project: Path) -> None:
    """Jinja syntax in an entry body (in code: prose refuses braces) is printed literally, not evaluated."""
    path = project / "taxonomy_src" / "entries" / "rlvr.md"
    text = path.read_text("utf-8")
    path.write_text(text.rstrip("\n") + "\n\nLiteral `{{ 7 * 7 }}` and `{{ meta.version }}` and `{% raw %}`.\n",
                    "utf-8")
    build = run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out"))
    assert build.returncode == 0, build.stderr
    html = (project / "out" / "taxonomy" / "rlvr" / "index.html").read_text("utf-8")
    assert "{{ 7 * 7 }}" in html and "{{ meta.version }}" in html and "{% raw %}" in html
    assert ">49<" not in html


def test_rendering_is_deterministic() -> None:
    """Loading and rendering twice gives byte-identical pages and nav."""
    first = Renderer(load(ROOT / "taxonomy_src", ROOT))
    second = Renderer(load(ROOT / "taxonomy_src", ROOT))
    assert first.files() == second.files()
    assert first.nav([], []) == second.nav([], [])


@pytest.mark.slow
def test_nothing_is_written_into_docs(project: Path) -> None:
    """A build leaves docs/ exactly as it was: generated pages exist only in memory."""
    before = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    assert run_mkdocs(project, "build", "--strict", "--site-dir", str(project / "out")).returncode == 0
    after = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    assert after == before
    assert (project / "out" / "taxonomy" / "precocious" / "index.html").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


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


@pytest.mark.slow
def test_serve_picks_up_source_edits_live(project: Path) -> None:
    """`mkdocs serve` rebuilds when a file in taxonomy_src/ changes, and the page shows the new text."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/taxonomy/rlvr/"
        _wait_for(url, "<h1", 60)
        path = project / "taxonomy_src" / "entries" / "rlvr.md"
        text = re.sub(r"^summary:.*?(?=^\w)", "summary: Freshly edited summary sentence.\n", path.read_text("utf-8"),
                      count=1, flags=re.MULTILINE | re.DOTALL)
        path.write_text(text, "utf-8")
        _wait_for(url, "Freshly edited summary sentence.", 60)
    finally:
        server.terminate()
        server.wait(timeout=20)
