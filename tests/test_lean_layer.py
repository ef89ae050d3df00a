"""The lean layer (taxonomy.lean, hooks/taxonomy_lean.py) only saves time and bytes: switched off, the site is the
same; each piece is documented, and the one setting refuses names it does not know."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, fixture_project, grown_sources, mkdocs_env
from taxonomy import lean
from taxonomy.render import NAV_LIMIT

SPEED = ",".join(p.name for p in lean.PIECES if p.gain is lean.Gain.SPEED)


def _build(project: Path, out: str, off: str) -> dict[str, bytes]:
    """The site built with the named pieces off, every file's bytes by path (compressed files decompressed)."""
    env = dict(mkdocs_env(), **{lean.SWITCH: off})
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", out], cwd=project,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    root = project / out
    return {p.relative_to(root).as_posix(): gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            for p in root.rglob("*") if p.is_file()}


class _Tokens(HTMLParser):
    """A page as its tags, attributes and text, with white space collapsed and scripts left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[object] = []
        self.script = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.script += tag == "script"
        if not self.script:
            self.tokens.append((tag, sorted(attrs, key=lambda a: a[0])))

    def handle_endtag(self, tag: str) -> None:
        if not self.script:
            self.tokens.append(f"/{tag}")
        self.script -= tag == "script" and self.script > 0

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data).strip()
        if text and not self.script:
            self.tokens.append(text)


def _normalised(page: bytes) -> list[object]:
    parser = _Tokens()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser.tokens


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture taxonomy with cases, and more kinds under one category than the nav lists (unlisted pages)."""
    project = fixture_project(tmp_path_factory.mktemp("lean-layer"))
    shutil.rmtree(project / "taxonomy_src")
    grown_sources(project / "taxonomy_src", NAV_LIMIT + 1, "group", "cases")
    return project


@pytest.mark.slow  # builds a fixture site three times
def test_the_lean_layer_changes_nothing_a_reader_or_search_sees(project: Path) -> None:
    """With every speed piece off the site is byte for byte the same; with every piece off the same pages say the
    same after normalising white space and script placement, and the search index is identical."""
    on = _build(project, "on", "")
    slow = _build(project, "speed-off", SPEED)
    assert sorted(on) == sorted(slow)
    assert [path for path in on if on[path] != slow[path]] == []
    plain = _build(project, "off", "all")
    pages = sorted(path for path in on if path.endswith(".html"))
    assert pages == sorted(path for path in plain if path.endswith(".html"))
    assert [path for path in pages if _normalised(on[path]) != _normalised(plain[path])] == []
    assert on["search/search_index.json"] == plain["search/search_index.json"]
    assert sum(map(len, on.values())) < sum(map(len, plain.values()))


def test_every_piece_is_documented() -> None:
    """docs/architecture.md names every piece of the lean layer and the setting that switches them off."""
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    assert lean.SWITCH in text
    assert [p.name for p in lean.PIECES if f"`{p.name}`" not in text] == []


@pytest.mark.parametrize(("value", "off"), [
    ("", set()),
    ("all", {p.name for p in lean.PIECES}),
    (" compact , gc ", {"compact", "gc"}),
])
def test_the_setting_names_the_pieces_off(value: str, off: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`all`, or names separated by commas."""
    monkeypatch.setenv(lean.SWITCH, value)
    assert lean.off() == off
    assert all(lean.on(p.name) == (p.name not in off) for p in lean.PIECES)


def test_an_unknown_piece_is_refused_with_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """A misspelt piece would silently leave it on: it is an error that lists the names."""
    monkeypatch.setenv(lean.SWITCH, "compcat")
    with pytest.raises(ValueError) as refused:
        lean.off()
    assert str(refused.value) == "TAXONOMY_LEAN_OFF names no piece compcat. Fix: use `all` or some of " + \
        ", ".join(lean.BY_NAME) + "."
