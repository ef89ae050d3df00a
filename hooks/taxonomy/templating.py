"""The one Jinja environment factory. Every template (generated pages, scaffolded source files, CHANGELOG.md) is
loaded from templates/ with the same syntax, the same undefined-variable rule and the same filters, and each
`{{ value }}` is escaped for the kind of file the template writes."""

from __future__ import annotations

import enum
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from .escaping import code_span, md_text, meta_yaml, script_json, url, yaml_string
from .model import step_name

TEMPLATES = Path(__file__).parent / "templates"
PLAIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.'_-]*")
"""What a source template may write unquoted: ids, keys and fixed prompts, which mean the same in YAML (plain or
inside quotes) and in Markdown."""


class Output(enum.Enum):
    """The kind of file a template writes, which decides how a value is escaped."""

    PAGE = "page"
    """A generated page: Markdown that becomes HTML (and HTML redirect stubs, `.html.j2`, escaped as HTML)."""
    SOURCE = "source"
    """A source file for a contributor to edit: YAML front matter and a Markdown body."""
    TEXT = "text"
    """A repository document written from validated data (CHANGELOG.md), as it is."""


class UnquotedValue(ValueError):
    """A source template wrote free text without saying how to quote it (a bug in the template)."""


def _page_value(value: object) -> object:
    """Every `{{ … }}` in a page template is inert text unless it is Markup: output the core built from escaped
    parts, or (with `| safe`) a macro's own output or a citation placed inside a code block, which Markdown
    escapes."""
    if isinstance(value, Markup):
        return value
    return md_text(value)


def _source_value(value: object) -> object:
    """A value in a source template is a plain token or was quoted for its place (`| yaml`); anything else could
    change the file's structure, so it stops rendering."""
    if isinstance(value, Markup) or PLAIN_TOKEN.fullmatch(str(value)):
        return value
    raise UnquotedValue(f"a source template wrote free text unquoted (got {str(value)!r}). "
                        "Fix: write it as '{{ value | yaml }}'.")


_FINALIZE = {Output.PAGE: _page_value, Output.SOURCE: _source_value, Output.TEXT: None}


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled earlier in this process, for the environments that share this cache; Jinja compiles a
    template again when its source changed (the cache keeps each template's checksum)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {output: CompiledTemplates() for output in Output}
"""One cache per kind of output: compiled code depends on the environment's settings, the cache key does not.
Every build makes a new Renderer, and compiling its templates again took about two thirds of rendering the real
site's generated pages."""


def environment(output: Output) -> jinja2.Environment:
    """A Jinja environment over templates/ for one kind of output."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False,
                                            default=False) if output is Output.PAGE else False,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change while one is in use; skip a stat() per include
        trim_blocks=True,
        lstrip_blocks=True,
        comment_start_string="{##",  # Markdown heading anchors are written {#id}
        comment_end_string="##}",
        finalize=_FINALIZE[output],
        bytecode_cache=_COMPILED[output],
    )
    env.filters.update(meta=meta_yaml, json=script_json, url=url, code=code_span, md=md_text, yaml=yaml_string,
                       step=step_name)
    return env
