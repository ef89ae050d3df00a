"""What a build holds in memory: a one-off build keeps no parse for a next build, keeps the garbage collector off
what lives until its end while pages are rendered, and gives it all back when it ends; `mkdocs serve` remembers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import fixture_project, mkdocs_env

BUILD = """
import gc, json, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from taxonomy import yamlsrc
site, command, own = sys.argv[1:]
if own == "own":
    gc.freeze()
before = gc.get_freeze_count()
config = load_config("mkdocs.yml", strict=True, site_dir=site)
config.plugins.on_startup(command=command, dirty=False)
rendering = []
config.plugins.events["page_context"].append(lambda context, page, config, nav: rendering.append(
    gc.get_freeze_count()) or context)
build(config)
print(json.dumps({"before": before, "rendering": rendering, "after": gc.get_freeze_count(),
                  "remembered": len(yamlsrc._PARSED)}))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_project(tmp_path_factory.mktemp("memory"))


def _build(project: Path, command: str, own: str = "") -> dict[str, object]:
    """Build the project in a fresh process as `command` would; what the build held, as the BUILD script saw it."""
    result = subprocess.run([sys.executable, "-c", BUILD, str(project / "out"), command, own], cwd=project,
                            env=mkdocs_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout.splitlines()[-1]))


def test_a_one_off_build_keeps_nothing_for_later_and_settles_what_it_holds(project: Path) -> None:
    """`mkdocs build`: no parse remembered; every page rendered with the build's objects frozen; none after."""
    held = _build(project, "build")
    rendering = held["rendering"]
    assert isinstance(rendering, list) and rendering and min(rendering) > 0
    assert held["before"] == held["after"] == 0
    assert held["remembered"] == 0


def test_serve_remembers_parses_and_gives_back_what_it_settled(project: Path) -> None:
    """`mkdocs serve` keeps parses for its next rebuild; each build still ends with nothing frozen."""
    held = _build(project, "serve")
    rendering = held["rendering"]
    assert isinstance(rendering, list) and rendering and min(rendering) > 0
    assert held["after"] == 0
    assert isinstance(held["remembered"], int) and held["remembered"] > 0


def test_what_the_process_froze_itself_is_left_alone(project: Path) -> None:
    """A host that froze objects before the build finds no more frozen during it, and its own still frozen after
    (fewer only where the build freed some of them)."""
    held = _build(project, "build", "own")
    before, rendering, after = held["before"], held["rendering"], held["after"]
    assert isinstance(before, int) and isinstance(rendering, list) and isinstance(after, int)
    assert before > 1000 and rendering and max(rendering) <= before and before - 1000 < after <= before
