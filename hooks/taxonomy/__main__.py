"""Command line: `python -m taxonomy check [SRC]` validates the sources without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .anchors import register_new, unregistered
from .loader import load
from .problems import Problem, TaxonomyError
from .scaffold import ScaffoldError, new_case, new_entry, next_steps, next_steps_case


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m taxonomy", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check_cmd = sub.add_parser("check", help="validate taxonomy_src/ and print every problem")
    check_cmd.add_argument("src", nargs="?", default="taxonomy_src", type=Path)
    anchors_cmd = sub.add_parser("anchors", help="append newly published addresses to the anchor registry")
    anchors_cmd.add_argument("src", nargs="?", default="taxonomy_src", type=Path)
    new_cmd = sub.add_parser("new", help="scaffold a new entry in taxonomy_src/entries/")
    new_cmd.add_argument("id")
    new_cmd.add_argument("--kind", required=True)
    new_cmd.add_argument("--parent")
    new_cmd.add_argument("--title")
    new_cmd.add_argument("--src", default="taxonomy_src", type=Path)
    case_cmd = sub.add_parser("new-case", help="scaffold a worked case in taxonomy_src/cases/")
    case_cmd.add_argument("id")
    case_cmd.add_argument("--kind", required=True)
    case_cmd.add_argument("--title")
    case_cmd.add_argument("--src", default="taxonomy_src", type=Path)
    args = parser.parse_args(argv)
    if args.command == "new-case":
        try:
            path = new_case(args.src, Path.cwd(), args.id, args.kind, args.title)
        except ScaffoldError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(next_steps_case(path))
        return 0
    if args.command == "new":
        try:
            path = new_entry(args.src, Path.cwd(), args.id, args.kind, args.parent, args.title)
        except ScaffoldError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(next_steps(path, args.kind, args.id))
        return 0
    try:
        taxonomy = load(args.src, Path.cwd())
        problems: list[Problem] = []
    except TaxonomyError as exc:
        taxonomy, problems = None, exc.problems
    if taxonomy is not None and args.command == "anchors":
        added = register_new(taxonomy, args.src)
        print(f"registered {len(added)} new address(es) in {args.src}/anchors.txt.", file=sys.stderr)
        return 0
    if taxonomy is not None:
        missing = unregistered(taxonomy, args.src)
        if missing:
            problems.append(Problem(f"{args.src.as_posix()}/anchors.txt", 1,
                                    f"{len(missing)} published address(es) are not registered (got "
                                    f"{', '.join(repr(m) for m in missing[:3])}{', …' if len(missing) > 3 else ''}). "
                                    "Fix: run 'make anchors' and commit the file."))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in {args.src}/.", file=sys.stderr)
        return 1
    print(f"{args.src}/ is valid.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
