"""Incremental serve (`mkdocs serve --dirty`, as `make serve` runs it) never serves a stale page.

Two servers run on the same scratch project: the incremental one and MkDocs' full rebuild. After each edit both
must serve the same bytes on every page, generated file and the search index; so every page that depends on the
edited source (its entry, backlinks, the tree, the comparison, names, JSON, the nav) is fresh.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, edit, mkdocs_env, mount_path
from taxonomy.loader import load
from taxonomy.render import Renderer

LIVERELOAD = re.compile(rb"<script>[^<]*livereload\([^<]*</script>(?=</body>)")


@dataclass(frozen=True)
class Server:
    """A running `mkdocs serve` and its address."""

    process: subprocess.Popen[bytes]
    base: str

    def get(self, path: str) -> bytes:
        """A served file, with the injected live-reload script and the port made neutral."""
        with urllib.request.urlopen(self.base + path, timeout=120) as response:
            body: bytes = response.read()
        return LIVERELOAD.sub(b"", body).replace(self.base.encode(), b"http://server/")

    def wait_for(self, path: str, needle: str, seconds: float = 180) -> None:
        """Poll until the file at `path` contains `needle` (MkDocs answers only once a rebuild is complete)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if needle.encode() in self.get(path):
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} did not appear at {self.base}{path} within {seconds}s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _make_serve_flags() -> list[str]:
    """The flags `make serve` gives `mkdocs serve` (read from the Makefile, so the test follows it)."""
    line = next(line for line in (ROOT / "Makefile").read_text("utf-8").splitlines() if "mkdocs serve" in line)
    return [flag for flag in line.split("mkdocs serve", 1)[1].split() if flag.startswith("--") and "addr" not in flag]


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[Path, Server, Server]]:
    """The project copy, served incrementally and with full rebuilds."""
    project = copy_project(tmp_path)
    started = []
    try:
        for flags in (_make_serve_flags(), []):
            port = _free_port()
            process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                                        *flags], cwd=project, env=mkdocs_env(), stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            started.append(Server(process, f"http://127.0.0.1:{port}{mount_path(project)}"))
        for server in started:
            server.wait_for("", "<h1")
        yield project, started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
            server.process.wait(timeout=30)


def _addresses(project: Path) -> list[str]:
    """Every page and generated file of the project, as a path below the server root."""
    paths = list(Renderer(load(project / "taxonomy_src", project)).files())
    paths += [p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")]
    paths += ["contributing.md"]
    addresses = []
    for path in paths:
        if not path.endswith(".md"):
            addresses.append(path)
        elif path == "index.md" or path.endswith("/index.md"):
            addresses.append(path.removesuffix("index.md"))
        else:
            addresses.append(path.removesuffix(".md") + "/")
    return sorted(addresses)


def _search_index(server: Server) -> list[tuple[str, str, str]]:
    docs = json.loads(server.get("search/search_index.json"))["docs"]
    return sorted((d["location"], d["title"], d["text"]) for d in docs)


def _assert_same_site(project: Path, incremental: Server, full: Server) -> None:
    for address in _addresses(project):
        assert incremental.get(address) == full.get(address), f"stale or different: /{address}"
    assert _search_index(incremental) == _search_index(full)


def test_incremental_serve_is_never_stale(servers: tuple[Path, Server, Server]) -> None:
    """Edits to an entry (text, summary, a new link and name, then its title) and to a work leave no stale page."""
    project, incremental, full = servers
    assert "--dirty" in _make_serve_flags()
    _assert_same_site(project, incremental, full)
    src = project / "taxonomy_src"
    taxonomy = load(src, project)
    entry = taxonomy.of_kind("failure-mode")[0]
    target = next(e for e in taxonomy.entries.values() if e.id != entry.id and e.id not in entry.links)
    path = project / entry.path
    text = path.read_text("utf-8")
    summary = re.search(r"^summary:.*?(?=^\w)", text, re.MULTILINE | re.DOTALL)
    assert summary is not None
    text = text.replace(summary.group(0), "summary: Quokka edited summary sentence.\n", 1)
    text = re.sub(r"^aliases: \[", "aliases: [quokka alias, ", text, count=1, flags=re.MULTILINE)
    path.write_text(text.rstrip("\n") + f"\n\nQuokka links to [[{target.id}]] now.\n", "utf-8")
    for server in (incremental, full):
        server.wait_for(f"taxonomy/{entry.id}/", "Quokka edited summary")
    _assert_same_site(project, incremental, full)

    edit(path, f"title: {entry.title}", "title: Wombat renamed title")
    for server in (incremental, full):
        server.wait_for(f"taxonomy/{entry.id}/", "Wombat renamed title")
    _assert_same_site(project, incremental, full)

    key = next(k for k in entry.all_references if k != taxonomy.meta.source)
    bibliography = src / "bibliography.yaml"
    retitled = re.sub(rf"^({re.escape(key)}:\n(?:[ #].*\n)*?  title: ).*$", r"\1Numbat retitled work",
                      bibliography.read_text("utf-8"), count=1, flags=re.MULTILINE)
    assert "Numbat" in retitled
    bibliography.write_text(retitled, "utf-8")
    for server in (incremental, full):
        server.wait_for("bibliography/", "Numbat retitled work")
    _assert_same_site(project, incremental, full)


def test_a_failed_rebuild_is_followed_by_a_full_one(servers: tuple[Path, Server, Server]) -> None:
    """After a content error stops a rebuild, fixing it brings back a site identical to a full rebuild."""
    project, incremental, full = servers
    entries = project / "taxonomy_src" / "entries"
    path = next(entries.glob("*.md"))
    original = path.read_text("utf-8")
    path.write_text(original.replace("status: active", "status: bogus", 1), "utf-8")
    time.sleep(3)
    path.write_text(original.rstrip("\n") + "\n\nPlatypus fixed text.\n", "utf-8")
    for server in (incremental, full):
        server.wait_for(f"taxonomy/{path.stem}/", "Platypus fixed text")
    _assert_same_site(project, incremental, full)
