"""The `taxonomy` command: check, register anchors, scaffold an entry, check a built site, cut a release."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from .anchors import register_new, unregistered
from .loader import load
from .model import KINDS
from .problems import Problem, TaxonomyError, display_path, in_github_actions

# The other commands' modules (site checking, scaffolding, releases; the templates they use) are imported by the
# commands themselves, so that `taxonomy check` starts quickly.

SRC = Path("taxonomy_src")


def _version() -> str:
    """The installed generator's version (the taxonomy's own version is in taxonomy_src/taxonomy.yaml)."""
    try:
        return metadata.version("misalignment-taxonomy")
    except metadata.PackageNotFoundError:
        return "unknown (not installed; run 'make install')"


def _src(sub: argparse.ArgumentParser, positional: bool = False) -> None:
    """The sources folder argument every command that reads the sources takes."""
    meaning = "the sources folder (default: taxonomy_src)"
    if positional:
        sub.add_argument("src", nargs="?", default=SRC, type=Path, help=meaning)
    else:
        sub.add_argument("--src", default=SRC, type=Path, help=meaning)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taxonomy", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True,
                                metavar="{check,anchors,new,new-case,sitecheck,release,editions}")
    check_cmd = sub.add_parser("check", help="validate taxonomy_src/ and print every problem (make check)")
    _src(check_cmd, positional=True)
    anchors_cmd = sub.add_parser("anchors", help="validate, then register newly published addresses (make anchors)")
    _src(anchors_cmd, positional=True)
    new_cmd = sub.add_parser("new", help="scaffold a new entry and list it in the upcoming release (make new-entry)")
    new_cmd.add_argument("id", help="the new entry's permanent id: lowercase letters, digits and hyphens")
    new_cmd.add_argument("--kind", required=True, choices=KINDS, help="what the entry is: %(choices)s")
    new_cmd.add_argument("--parent", help="the id of the category it sits under (a failure mode needs one; a concept "
                                          "has none)")
    new_cmd.add_argument("--title", help="its title (default: the id in words)")
    _src(new_cmd)
    case_cmd = sub.add_parser("new-case", help="scaffold a worked case in taxonomy_src/cases/ (make new-case)")
    case_cmd.add_argument("id", help="the new case's permanent id: lowercase letters, digits and hyphens")
    case_cmd.add_argument("--kind", required=True, help="the id of the failure mode or category the case "
                                                        "illustrates; its path through the decision tree is filled in")
    case_cmd.add_argument("--title", help="its title (default: the id in words)")
    _src(case_cmd)
    sub.add_parser("editions", add_help=False,
                   help="freeze a release's edition, or assemble the site with every edition (make freeze, editions)")
    sub.add_parser("sitecheck", add_help=False,
                   help="prove every link, anchor, footnote and citation of a built site resolves (make linkcheck)")
    release_cmd = sub.add_parser("release", help="date the upcoming release and set the version everywhere "
                                                 "(make release VERSION=x.y.z)")
    release_cmd.add_argument("version", help="the version to release, MAJOR.MINOR.PATCH in ASCII digits")
    release_cmd.add_argument("--date", default=datetime.date.today().isoformat(),
                             help="the release date, YYYY-MM-DD (default: today)")
    _src(release_cmd)
    return parser


def _missing_sources(src: Path) -> str | None:
    """Why `src` cannot be the sources folder, if it cannot."""
    if src.is_dir():
        return None
    where = "" if src.is_absolute() else f" in {Path.cwd()}"
    return (f"error: found no sources folder {src.as_posix()}/{where} (got {'a file' if src.exists() else 'nothing'} "
            "there). Fix: run the command from the project's root folder, or name the folder, e.g. "
            "'taxonomy check path/to/taxonomy_src'.")


def _report(problems: list[Problem], src: Path) -> int:
    for problem in problems:
        print(problem)
    if in_github_actions():
        for problem in problems:
            print(problem.annotation())
    if problems:
        print(f"{len(problems)} problem(s) found in {src}/.", file=sys.stderr)
        return 1
    print(f"{src}/ is valid.", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sitecheck"]:
        from . import sitecheck
        return sitecheck.main(argv[1:], prog="taxonomy sitecheck")
    if argv[:1] == ["editions"]:
        from . import editions
        return editions.main(argv[1:])
    args = _parser().parse_args(argv)
    absent = _missing_sources(args.src)
    if absent:
        print(absent, file=sys.stderr)
        return 2
    if args.command in ("new", "new-case"):
        from .scaffold import ScaffoldError, new_case, new_entry, next_steps, next_steps_case
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
    if args.command == "release":
        from .publish import cut
        from .releases import ChangelogEditError
        try:
            written = cut(args.src, Path.cwd(), args.version, args.date)
        except TaxonomyError as exc:
            return _report(exc.problems, args.src)
        except ChangelogEditError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        shown = ", ".join(display_path(path, Path.cwd()) for path in written)
        print(f"released {args.version} ({args.date}); updated {shown}. Review and commit them.", file=sys.stderr)
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
    return _report(problems, args.src)


def exit_now(code: int) -> NoReturn:
    """End the process with `code` once everything printed is flushed, without Python's own shutdown.

    That shutdown collects and frees every object still alive, the parses remembered while loading included
    (0.2 s of `taxonomy check` at 1000 entries, 0.5 s with cases); nothing needs it: every file a command writes
    is closed before `main` returns, and no command registers exit handlers.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    exit_now(main())
