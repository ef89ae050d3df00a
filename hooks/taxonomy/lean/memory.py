"""Speed piece of the lean layer (`gc`): keep the garbage collector off what loading and a build hold."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from . import on


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while reading a whole taxonomy (with the piece on).

    Reading builds some hundred thousand small objects that live until the taxonomy is built; the collector would
    walk them again and again (a fifth of the time at 1000 entries) to find no cycles. It runs again afterwards,
    with what was read moved straight to the oldest generation (unless the process froze objects itself): there
    the next full collection, not three collections in a row, looks at it once; nothing stays out of its reach.
    """
    collecting = gc.isenabled() and on("gc")
    if collecting:
        gc.disable()
    try:
        yield
    finally:
        if collecting:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def settle(frozen: bool) -> bool:
    """Keep the collector off what the build holds so far (the taxonomy, the generated pages and, later, every
    page's HTML and table of contents, which live until the build ends: each full collection walked them all
    again, a second and more at 1000 entries with cases). Objects the process froze itself are left alone, and
    then nothing is frozen here. Returns whether this build has frozen objects."""
    if on("gc") and (frozen or not gc.get_freeze_count()):
        gc.freeze()
        return True
    return frozen


def unsettle(frozen: bool) -> bool:
    """Give what `settle` froze back to the collector; returns False (nothing frozen any more)."""
    if frozen:
        gc.unfreeze()
    return False
