"""Which Chromium the browser tests drive: $CHROMIUM, else the first of the usual names on PATH.

`python tests/chromium.py` prints the path, or says how to get one and exits 1 (`make browser` uses it).
"""

from __future__ import annotations

import os
import shutil
import sys

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HOW = ("Fix: install one (Debian: apt-get install chromium), or set CHROMIUM=/path/to/chrome, or run "
       "'make test-fast', which skips the browser tests.")


def find_chromium() -> tuple[str | None, str]:
    """The browser's path, or None and a message saying what was looked for and how to fix it."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        path = shutil.which(chosen)
        if path:
            return path, ""
        return None, f"CHROMIUM is set but is not an executable browser (got {chosen!r}). {HOW}"
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path, ""
    return None, f"no Chromium found (got none of {', '.join(NAMES)} on PATH, and CHROMIUM is not set). {HOW}"


if __name__ == "__main__":
    found, why = find_chromium()
    print(found or why, file=sys.stdout if found else sys.stderr)
    sys.exit(0 if found else 1)
