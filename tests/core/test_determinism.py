"""Rendering is a function of the sources alone: separate processes with different string-hash seeds (which change
the iteration order of every set and of dicts built from them) write byte-identical pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

RENDER = """
import hashlib, json, sys
from pathlib import Path
from taxonomy.loader import load
from taxonomy.render import Renderer
digests = {}
for src in sys.argv[1:]:
    for path, text in Renderer(load(Path(src), Path(src).parent)).files().items():
        digests[f"{Path(src).parent.name}/{path}"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
print(json.dumps(digests, sort_keys=True))
"""
SEEDS = ("1", "4294967295")


@pytest.mark.slow
def test_pages_are_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Every generated file of two fixture taxonomies (one with cases, outcomes and a crosswalk, one with sources
    and claim markers) has the same bytes under two hash seeds."""
    with_cases = tmp_path / "cases" / "taxonomy_src"
    shutil.copytree(FIXTURES / "minimal", with_cases)
    shutil.copytree(FIXTURES / "cases", with_cases, dirs_exist_ok=True)
    provenance = tmp_path / "provenance" / "taxonomy_src"
    shutil.copytree(FIXTURES / "provenance", provenance)
    runs = [subprocess.Popen([sys.executable, "-c", RENDER, str(with_cases), str(provenance)], cwd=tmp_path,
                             env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT / "hooks")),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for seed in SEEDS]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        outputs.append(json.loads(out))
    first = outputs[0]
    assert len(first) > 30 and any(path.endswith(".html") for path in first)
    for seed, other in zip(SEEDS[1:], outputs[1:]):
        differing = sorted(path for path in first.keys() | other.keys() if first.get(path) != other.get(path))
        assert differing == [], f"PYTHONHASHSEED={seed} changes {differing}"
