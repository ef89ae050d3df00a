"""`taxonomy_src/taxonomy.yaml`: the taxonomy's title, version, source post and site address."""

from __future__ import annotations

import re
from pathlib import Path

from . import checks
from .formats import is_https_url, is_semver
from .model import Meta
from .problems import Checked, Problem, collect, display_path

META = "taxonomy.yaml"
META_FIELDS = {"title": True, "version": True, "source": True, "site_url": True, "cases_per_failure_mode": False}


def load_meta(src: Path, root: Path, problems: list[Problem]) -> Meta | None:
    """The taxonomy's metadata, or None after its problems."""
    return collect(checks.shown(src, META, root), _meta(src, root), problems)


def _meta(src: Path, root: Path) -> Checked[Meta | None]:
    node = yield from checks.yaml_file(src, META, root, f"create {display_path(src / META, root)}.")
    if node is None:
        return None
    values = yield from checks.mapping(node, META_FIELDS)
    if values is None:
        return None
    if "version" in values and not is_semver(values["version"]):
        yield node.key_line("version"), (f"'version' must be semantic (MAJOR.MINOR.PATCH) "
                                         f"(got {values['version']!r}). Fix: write e.g. '0.1.0'.")
        return None
    if not {name for name, required in META_FIELDS.items() if required} <= values.keys():
        return None
    if not is_https_url(values["site_url"]):
        yield node.key_line("site_url"), (f"'site_url' must be an https address (got {values['site_url']!r}). "
                                          "Fix: write e.g. 'https://example.org/'.")
        return None
    minimum = values.get("cases_per_failure_mode", "0")
    if not re.fullmatch(r"[0-9]{1,3}", minimum):
        yield node.key_line("cases_per_failure_mode"), (
            f"'cases_per_failure_mode' must be a whole number, 0 or more (got {minimum!r}). Fix: write e.g. 3.")
        return None
    return Meta(values["title"], values["version"], values["source"], values["site_url"].rstrip("/") + "/",
                node.key_line("source"), int(minimum))
