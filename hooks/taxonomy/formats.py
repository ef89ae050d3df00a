"""Formats of values shared by several source files and commands (versions, dates, years, web addresses), each
decided once. Every pattern is anchored with \\A and \\Z (`$` also matches before a final line break), matched
whole (`fullmatch`), and names ASCII digits ([0-9]: `\\d` and `str.isdigit` accept other scripts' digits)."""

from __future__ import annotations

import datetime
import re

_SEMVER = re.compile(r"\A(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\Z")
_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_YEAR = re.compile(r"\A[0-9]{4}\Z")
_COMMIT = re.compile(r"\A[0-9a-f]{40}\Z")
_HTTPS_URL = re.compile(r"\Ahttps://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
                        r"(?:/[A-Za-z0-9._~!$&*+,;=:@%/?#-]*)?\Z")


def is_semver(text: str) -> bool:
    """Whether text is a version MAJOR.MINOR.PATCH."""
    return bool(_SEMVER.fullmatch(text))


def semver_key(version: str) -> tuple[int, ...]:
    """A version as a sortable tuple (the version must be valid)."""
    return tuple(int(part) for part in version.split("."))


def is_date(text: str) -> bool:
    """Whether text is a real calendar date written YYYY-MM-DD."""
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_year(text: str) -> bool:
    """Whether text is a year written with four ASCII digits."""
    return bool(_YEAR.fullmatch(text))


def is_commit(text: str) -> bool:
    """Whether text is a full git commit id (40 lowercase hexadecimal digits)."""
    return bool(_COMMIT.fullmatch(text))


def is_https_url(text: str) -> bool:
    """Whether text is an absolute https address with nothing that could end a link or an attribute."""
    return bool(_HTTPS_URL.fullmatch(text))
