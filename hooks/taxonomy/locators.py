"""Citation locators: where in a cited work a claim is found, as in `[@wen2024, sec. 4.2]` or `[@key, abstract]`.

One small vocabulary serves every citation and the crosswalk's `locator`: each label is CSL's short form of a
locator type, so a locator is exported as a CSL citation item (`{"id", "label", "locator"}`) unchanged.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One locator label as written in a citation, the CSL locator type it stands for, and whether it takes a value."""

    written: str
    csl: str
    takes_value: bool = True


LABELS: tuple[Label, ...] = (
    Label("p.", "page"), Label("sec.", "section"), Label("fig.", "figure"), Label("tbl.", "table"),
    Label("app.", "appendix"), Label("ch.", "chapter"), Label("para.", "paragraph"),
    Label("abstract", "section", takes_value=False),
)
BY_LABEL = {label.written: label for label in LABELS}
NAMES = tuple(BY_LABEL)
EXAMPLE = "sec. 4.2"
_PART = re.compile(r"^(\S+)(?:\s+(\S.*))?$")


@dataclass(frozen=True)
class Locator:
    """A parsed locator: its label and the place within the work (None for a label that takes no value)."""

    label: Label
    value: str | None

    def csl_item(self, key: str) -> dict[str, str]:
        """The CSL-JSON citation item of a citation of `key` at this place."""
        return {"id": key, "label": self.label.csl, "locator": self.value or self.label.written}


def parse(text: str) -> Locator | None:
    """The locator written after a citation key's comma, or None if it is outside the vocabulary."""
    match = _PART.match(" ".join(text.split()))
    if not match or match.group(1) not in BY_LABEL:
        return None
    label, value = BY_LABEL[match.group(1)], match.group(2)
    if label.takes_value != (value is not None):
        return None
    return Locator(label, value)


def csl_item(key: str, written: str | None) -> dict[str, str]:
    """The CSL-JSON citation item of a citation as written: the key, and its locator if it has a valid one."""
    locator = parse(written) if written else None
    return locator.csl_item(key) if locator else {"id": key}


def problem(text: str, got: str) -> str | None:
    """What is wrong with a written locator (`got` is the citation as written), or None if it is valid."""
    if parse(text) is not None:
        return None
    head = text.split()[0] if text.split() else ""
    if head in BY_LABEL and BY_LABEL[head].takes_value:
        return (f"locator '{head}' needs a place after it (got '{got}'). Fix: write e.g. '{head} 3'.")
    if head in BY_LABEL:
        return f"locator '{head}' takes nothing after it (got '{got}'). Fix: write just '{head}'."
    return (f"unknown locator label (got '{got}'). Fix: start the locator with one of {', '.join(NAMES)}, "
            f"e.g. '{EXAMPLE}'{_did_you_mean(head)}.")


def _did_you_mean(word: str) -> str:
    close = difflib.get_close_matches(word, NAMES, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def missing(key: str, got: str) -> str:
    """The problem of a case's citation of a work, other than the post and its copies, without a locator."""
    return (f"a case must say where in '{key}' its claim is found (got '{got}' without a locator). Fix: add one "
            f"after a comma, e.g. '[@{key}, {EXAMPLE}]', using one of {', '.join(NAMES)}.")
