"""Problems found in taxonomy sources, reported as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source file, with the line it is on and how to fix it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class TaxonomyError(Exception):
    """Raised when sources have problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """Path as shown to contributors: relative to the project root when possible."""
    try:  # absolute, not resolved: a symbolic link is shown where it is, never where it points
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


_last_read = ["taxonomy_src"]


def reading(shown: str) -> None:
    """Note which file is being read, so that an internal error can name it."""
    _last_read[0] = shown


def internal_error(exc: BaseException) -> Problem:
    """An unexpected exception as a problem report instead of a stack trace."""
    detail = f"{type(exc).__name__}: {str(exc)[:120]}".rstrip(": ")
    return Problem(_last_read[0], 1, f"internal error while reading this file (got {detail}). Fix: this is a bug "
                                     "in the checker, not in your text; please report it with this file attached.")


def locate(path: Path, finding: str) -> int:
    """The first line of a source file that mentions what a finding names ('<script>', 'onclick= on <a>'), or 1."""
    needle = finding.split("=")[0].split(" ")[0].strip("<>\"").lower()
    try:
        lines = path.read_text("utf-8", errors="replace").lower().split("\n")
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, 1) if needle and needle in line), 1)
