"""The decision tree ("which failure mode is this?"): loading and validation."""

from __future__ import annotations

from pathlib import Path

from .model import DecisionNode, Entry
from .problems import Problem


def load_tree(src: Path, root: Path, entries: list[Entry], problems: list[Problem]) -> tuple[DecisionNode, ...]:
    """Load `decision-tree.yaml` if present."""
    return ()
