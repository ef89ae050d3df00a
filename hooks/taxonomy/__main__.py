"""Command line: `python -m taxonomy check [SRC]` validates the sources without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loader import check


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m taxonomy", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check_cmd = sub.add_parser("check", help="validate taxonomy_src/ and print every problem")
    check_cmd.add_argument("src", nargs="?", default="taxonomy_src", type=Path)
    args = parser.parse_args(argv)
    problems = check(args.src, Path.cwd())
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in {args.src}/.", file=sys.stderr)
        return 1
    print(f"{args.src}/ is valid.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
