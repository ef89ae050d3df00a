"""Formats of values shared by several source files (versions, dates, web addresses), each decided once."""

from __future__ import annotations

import datetime
import re

_SEMVER = re.compile(r"^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
                        r"(?:/[A-Za-z0-9._~!$&*+,;=:@%/?#-]*)?$")


def is_semver(text: str) -> bool:
    """Whether text is a version MAJOR.MINOR.PATCH."""
    return bool(_SEMVER.match(text))


def semver_key(version: str) -> tuple[int, ...]:
    """A version as a sortable tuple (the version must be valid)."""
    return tuple(int(part) for part in version.split("."))


def is_date(text: str) -> bool:
    """Whether text is a real calendar date written YYYY-MM-DD."""
    if not _DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_commit(text: str) -> bool:
    """Whether text is a full git commit id (40 lowercase hexadecimal digits)."""
    return bool(_COMMIT.match(text))


def is_https_url(text: str) -> bool:
    """Whether text is an absolute https address with nothing that could end a link or an attribute."""
    return bool(_HTTPS_URL.match(text))
