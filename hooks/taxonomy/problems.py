"""Problems found in taxonomy sources, reported as `path:line: message`."""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
Finding = tuple[int, str]
"""What a validator finds wrong in the file it checks: the 1-based line and the message."""
Checked = Generator[Finding, None, T]
"""A validator: it yields a Finding for each problem, then returns what it could validate.

Validators compose with `value = yield from other(...)`; `collect` is the one place that turns their findings
into Problems of a file (the manner of python/peps `check-peps.py`).
"""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source file, with the line it is on and how to fix it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def annotation(self, title: str = "make check") -> str:
        """This problem as a GitHub Actions error annotation on its file and line."""
        return annotation(self.path, self.line, self.message, title=title)


def collect(shown: str, checked: Checked[T], problems: list[Problem]) -> T:
    """Run a validator over one file (shown as `shown`), adding each finding to `problems`; return its result."""
    while True:
        try:
            line, message = next(checked)
        except StopIteration as done:
            return done.value
        problems.append(Problem(shown, line, message))


def findings_of(problems: list[Problem]) -> Checked[None]:
    """Problems already found in one file (by the file reader), handed on as findings of a validator."""
    for problem in problems:
        yield problem.line, problem.message


class TaxonomyError(Exception):
    """Raised when sources have problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """Path as shown to contributors: relative to the project root when possible."""
    if path.is_absolute() == root.is_absolute():  # both under the same working directory: compare the parts
        parts, base = path.parts, root.parts
        return "/".join(parts[len(base):]) or "." if parts[:len(base)] == base else path.as_posix()
    if not path.is_absolute() and str(root) == os.getcwd():  # the command's case, answered without new paths
        return path.as_posix()
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


def in_github_actions() -> bool:
    """Whether we run as a GitHub Actions step, where annotations show problems on the pull request's diff."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def annotation(path: str, line: int | None, message: str, level: str = "error", title: str = "taxonomy") -> str:
    """A GitHub Actions workflow command (`::error file=…,line=…::…`) for one problem."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    where = f"file={prop(path)}" + (f",line={line}" if line else "")
    return f"::{level} {where},title={prop(title)}::{data(message)}"
