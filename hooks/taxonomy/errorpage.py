"""The page `make serve` shows while the sources have problems: every `path:line` problem, escaped."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .problems import Problem

TEMPLATE = "serve-error.html.j2"


def error_page(problems: list[Problem], sources: str) -> str:
    """A self-contained HTML page listing the problems (no scripts, styles or requests of its own)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             undefined=jinja2.StrictUndefined, autoescape=True)
    return env.get_template(TEMPLATE).render(problems=problems, sources=sources)
