"""The lean layer: everything that exists only for speed or size, switched off in one place.

Each piece is named in PIECES. The environment variable `TAXONOMY_LEAN_OFF` switches pieces off: `all`, or a
comma-separated list of names (`TAXONOMY_LEAN_OFF=compact,gc make site`). With every speed piece off the built
site is byte for byte the same; with every piece off it is the same after normalising white space and script
placement, with the same search index (tests/test_lean_layer.py). The MkDocs side is hooks/taxonomy_lean.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum

SWITCH = "TAXONOMY_LEAN_OFF"
"""The one setting: which pieces are off (`all`, or names from PIECES separated by commas)."""


class Gain(Enum):
    """What a piece saves: build time (the site stays byte for byte the same) or bytes of output."""

    SPEED = "speed"
    SIZE = "size"


@dataclass(frozen=True)
class Piece:
    """One piece of the lean layer."""

    name: str
    gain: Gain
    does: str


PIECES = (
    Piece("gc", Gain.SPEED, "keeps the garbage collector off what loading and the build hold (gc.freeze)"),
    Piece("incremental", Gain.SPEED, "`--dirty` rebuilds only the pages whose text changed and makes the search "
                                     "index whole (Material's private `search_index_prev`); off, a full build"),
    Piece("compact", Gain.SIZE, "drops the theme's indentation and single-quotes JSON attributes"),
    Piece("theme-scripts", Gain.SIZE, "serves Material's inline scripts, repeated on every page, as files"),
    Piece("lean-theme", Gain.SIZE, "ships no theme file that no page loads (source maps and the comments that point "
                                   "to them; search languages other than English)"),
)
BY_NAME = {piece.name: piece for piece in PIECES}


def off() -> frozenset[str]:
    """The pieces the setting switches off; an unknown name is an error that lists the known ones."""
    value = os.environ.get(SWITCH, "").strip()
    if value == "all":
        return frozenset(BY_NAME)
    names = frozenset(name.strip() for name in value.split(",") if name.strip())
    unknown = sorted(names - BY_NAME.keys())
    if unknown:
        raise ValueError(f"{SWITCH} names no piece {', '.join(unknown)}. Fix: use `all` or some of "
                         f"{', '.join(BY_NAME)}.")
    return names


def on(name: str) -> bool:
    """Whether a piece is on (all are, unless the setting switches them off)."""
    assert name in BY_NAME, name
    return name not in off()
