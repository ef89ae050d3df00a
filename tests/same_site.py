"""Compare two built sites byte for byte, except the generator line (`make properdocs`: MkDocs against ProperDocs).

Usage: python tests/same_site.py SITE_A SITE_B; exits 1 and names every file that differs or exists in one only.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def contents(site: Path) -> dict[str, bytes]:
    """Every file of a site by path, compressed files decompressed, the generator line blanked."""
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        found[path.relative_to(site).as_posix()] = GENERATOR.sub(b'<meta name="generator">', data)
    return found


def differences(a: Path, b: Path) -> list[str]:
    """The paths whose files differ, or that one site has and the other lacks."""
    first, second = contents(a), contents(b)
    return sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path))


def main(argv: list[str]) -> int:
    """Compare the two sites named on the command line."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = map(Path, argv)
    different = differences(a, b)
    for path in different:
        print(f"{path}: differs between {a} and {b}", file=sys.stderr)
    if different:
        return 1
    print(f"{a} and {b} are the same except the generator line ({len(contents(a))} files).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
