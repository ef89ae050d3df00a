"""Every Markdown field of every source file is checked as an entry body is (issue 24 §1): the rules, each with
its exact message, and, derived from the schema's one list of fields, every inline field of the fixtures refusing
each kind of broken reference at its own file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from taxonomy import schema
from taxonomy.loader import check, load
from taxonomy.render import Renderer
from taxonomy.scaffold import new_case, new_entry
from taxonomy.schema import SCAFFOLD_PROMPTS

T = "taxonomy_src/decision-tree.yaml"
S = "taxonomy_src/sources.yaml"
X = "taxonomy_src/crosswalk.yaml"
A = "taxonomy_src/cases/alpha-case.md"
E = "taxonomy_src/entries/alpha.md"
SHAPES = {"cases": ("minimal", "cases"), "provenance": ("provenance",)}
ENTRY_MARKERS = "[?summary], [?local-copy], [?comment-thread], [?our-reading]"
BLOCK = "this field is one line of inline Markdown, but it starts like a block (got {!r}). Fix: start it with a word."

# (case id, fixture shape, file, text to replace, replacement, expected problems)
RULES: list[tuple[str, str, str, str, str, list[str]]] = [
    ("tree help links to a missing section", "cases", "decision-tree.yaml", "help: See [[beta]].",
     "help: See [[beta#nosuch|beta]].",
     [f"{T}:11: link to a missing section of 'beta' (got '#nosuch'). Fix: use one of cite, definition, dimensions, "
      "example, how-it-arises, neighbours, place, references, referred-by, related, related-terms, uncertain."]),
    ("tree help with an unsafe link", "cases", "decision-tree.yaml", "help: See [[beta]].",
     "help: See [x](javascript:alert(1)).",
     [f"{T}:11: unsafe link scheme (got 'javascript:alert'). Fix: link only to https:// addresses."]),
    ("tree help that starts a heading", "cases", "decision-tree.yaml", "help: See [[beta]].", "help: '## Beta'",
     [f"{T}:11: " + BLOCK.format("## Beta")]),
    ("tree help that starts a list", "cases", "decision-tree.yaml", "help: See [[beta]].", "help: '- beta'",
     [f"{T}:11: " + BLOCK.format("- beta")]),
    ("tree help that is a rule", "cases", "decision-tree.yaml", "help: See [[beta]].", "help: '==='",
     [f"{T}:11: " + BLOCK.format("===")]),
    ("tree help that is a reference definition", "cases", "decision-tree.yaml", "help: See [[beta]].",
     "help: '[x]: https://example.org'", [f"{T}:11: " + BLOCK.format("[x]: https://example.org")]),
    ("tree help with a footnote", "cases", "decision-tree.yaml", "help: See [[beta]].", "help: See [[beta]].[^1]",
     [f"{T}:11: footnotes are not allowed in a one-line field (got '[^1]'). Fix: say it in the text, or move it "
      "into an entry body."]),
    ("tree help linking its own page", "cases", "decision-tree.yaml", "help: See [[beta]].",
     "help: See [the start](#start).",
     [f"{T}:11: a field cannot link to a section of the page it is shown on (got '#start'). Fix: link the entry's "
      "section with [[id#section|text]]."]),
    ("outcome help with an open question", "cases", "decision-tree.yaml", "[[beta]] [@other].",
     "[[beta]] [@other] [?lost#which].",
     [f"{T}:20: only entries and cases carry open questions (got '[?lost#which]'). Fix: use claim markers without "
      f"ids, and no `disputed` or `lost` ones: {ENTRY_MARKERS}."]),
    ("retired note linking an unknown entry", "cases", "decision-tree.yaml", "see [[alpha]].", "see [[alfa]].",
     [f"{T}:24: link to an unknown entry (got '[[alfa]]'). Fix: use an existing id (did you mean 'alpha'?)."]),
    ("case why linking an unknown entry", "cases", "cases/alpha-case.md", "why: The post says so [@post].",
     "why: The post says so [[nope]] [@post].",
     [f"{A}:8: link to an unknown entry (got '[[nope]]'). Fix: use an existing id."]),
    ("case why with an unsafe link", "cases", "cases/alpha-case.md", "why: The post says so [@post].",
     "why: The post says [so](javascript:x) [@post].",
     [f"{A}:8: unsafe link scheme (got 'javascript:x'). Fix: link only to https:// addresses."]),
    ("tree help with a disputed marker", "cases", "decision-tree.yaml", "help: See [[beta]].",
     "help: See [[beta]] [?disputed#x].",
     ["taxonomy_src/decision-tree.yaml:11: only entries and cases carry open questions (got '[?disputed#x]'). Fix: "
      f"use claim markers without ids, and no `disputed` or `lost` ones: {ENTRY_MARKERS}."]),
    ("dimension why linking an unknown entry", "cases", "entries/alpha.md", 'why: "The post says so [@post]."',
     'why: "The post says so [[nope]] [@post]."',
     [f"{E}:14: link to an unknown entry (got '[[nope]]'). Fix: use an existing id."]),
    ("dimension why linking a missing section", "cases", "entries/alpha.md", 'why: "The post says so [@post]."',
     'why: "As [[beta#nosuch|beta]] [@post]."',
     [f"{E}:14: link to a missing section of 'beta' (got '#nosuch'). Fix: use one of cite, definition, dimensions, "
      "example, how-it-arises, neighbours, place, references, referred-by, related, related-terms, uncertain."]),
    ("body link without a target or section", "cases", "entries/alpha.md", "Somehow [@other].",
     "Somehow [@other] [[|x]].",
     [f"{E}:23: link to a missing section of this page (got '#'). Fix: use one of the heading ids: definition, "
      "example, how-it-arises, neighbours, uncertain."]),
    ("source text linking an unknown entry", "provenance", "sources.yaml", "contains: The whole post [@post].",
     "contains: The whole post [[nope]] [@post].",
     [f"{S}:6: link to an unknown entry (got '[[nope]]'). Fix: use an existing id."]),
    ("crosswalk locator with brackets", "cases", "crosswalk.yaml", "locator: p. 2", "locator: p. 2 [[nope]]",
     [f"{X}:13: 'locator' ends a citation of the source, so it cannot hold brackets (got 'p. 2 [[nope]]'). Fix: "
      "write the place in the source without '[' or ']', e.g. 'sec. 4'."]),
]


def _sources(tmp_path: Path, shape: str) -> Path:
    src = tmp_path / "taxonomy_src"
    for overlay in SHAPES[shape]:
        shutil.copytree(FIXTURES / overlay, src, dirs_exist_ok=True)
    return src


@pytest.mark.parametrize(("shape", "file", "old", "new", "expected"), [r[1:] for r in RULES],
                         ids=[r[0] for r in RULES])
def test_a_markdown_field_is_checked_like_a_body(tmp_path: Path, shape: str, file: str, old: str, new: str,
                                                 expected: list[str]) -> None:
    """Each rule of a Markdown field, with its exact message at the field's own line."""
    src = _sources(tmp_path, shape)
    text = (src / file).read_text("utf-8")
    assert old in text
    (src / file).write_text(text.replace(old, new, 1), "utf-8")
    assert [str(p) for p in check(src, src.parent)] == expected


PAYLOADS = {
    "unknown entry": "[[zz-unknown]]",
    "missing section": "[[{entry}#zz-missing|x]]",
    "unknown citation": "[@zz-unknown]",
    "unsafe link": "[x](javascript:alert(1))",
    "raw HTML": "<img src=x onerror=alert(1)>",
    "open question": "[?lost#zz-open]",
    "unknown marker": "[?zz-unknown]",
}
"""What each inline field must refuse, whatever file it sits in."""


def _inline_fields() -> list[tuple[str, str, str, str]]:
    """(shape, file under taxonomy_src/, field name, file as the schema names it) for every inline field the
    schema lists, as the fixtures have them."""
    found = []
    for spec in schema.SOURCE_FIELDS:
        if spec.kind != schema.INLINE:
            continue
        pattern = spec.file.replace("<id>", "*")
        for shape in SHAPES:
            files = sorted({p.relative_to(FIXTURES / o).as_posix() for o in SHAPES[shape]
                            for p in (FIXTURES / o).glob(pattern)})
            found += [(shape, file, spec.name, spec.file) for file in files]
    return found


def _field_lines(text: str, name: str) -> list[tuple[int, re.Match[str]]]:
    """Where a field's text value is written: block style ('name: text') or in a flow mapping ('name: "text"')."""
    pattern = re.compile(rf"(?:^\s*(?:- )?|[{{,]\s*){re.escape(name)}: (\"?)([^\"\n{{}}]+)\1", re.MULTILINE)
    return [(text.count("\n", 0, m.start(2)) + 1, m) for m in pattern.finditer(text)]


def _fixture_text(shape: str, file: str) -> str:
    """A file as the shape's overlays leave it (the last overlay that has it wins)."""
    found = [FIXTURES / o / file for o in SHAPES[shape] if (FIXTURES / o / file).exists()]
    return found[-1].read_text("utf-8")


def test_every_inline_field_of_the_schema_has_a_fixture() -> None:
    """Each inline field the schema lists occurs in a fixture, so the test below covers it (a new field needs one)."""
    present = {name for shape, file, name, _ in _inline_fields() if _field_lines(_fixture_text(shape, file), name)}
    assert {spec.name for spec in schema.SOURCE_FIELDS if spec.kind == schema.INLINE} <= present


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_inline_field_refuses_a_broken_reference_at_its_line(tmp_path: Path, payload: str) -> None:
    """Appended to each inline field of each fixture file, in turn: refused, in that file, at that field's line."""
    failures, tried = [], 0
    for shape in SHAPES:
        src = _sources(tmp_path / shape, shape)
        entry = "beta"
        for _, file, name, spec_file in [f for f in _inline_fields() if f[0] == shape]:
            if payload == PAYLOADS["open question"] and schema.carries_open_questions(spec_file):
                continue  # entries do carry them
            path = src / file
            original = path.read_text("utf-8")
            for line, match in _field_lines(original, name):
                tried += 1
                value = match.group(2).rstrip()
                path.write_text(original[:match.start(2)] + value + " " + payload.format(entry=entry)
                                + original[match.start(2) + len(value):], "utf-8")
                expected = f"taxonomy_src/{file}:{line}: "
                problems = [str(p) for p in check(src, src.parent)]
                if not any(p.startswith(expected) for p in problems):
                    failures.append(f"{file}:{line} {name} + {payload}: got {problems}")
            path.write_text(original, "utf-8")
    assert tried and not failures, failures


def test_fixtures_with_every_inline_field_still_render(tmp_path: Path) -> None:
    """The fixtures the tests above change are valid and render as they are."""
    for shape in SHAPES:
        Renderer(load(_sources(tmp_path / shape, shape))).files()


def test_the_schema_page_lists_every_free_text_field_of_every_source() -> None:
    """TEXT_RULES comes from the one list of fields: every plain or Markdown field of every file is in it."""
    listed = {(rule.file, name.strip()) for rule in schema.TEXT_RULES for name in rule.fields.split(", ")}
    for spec in schema.SOURCE_FIELDS:
        if spec.kind != schema.DATA:
            assert (spec.file, schema.BODY if spec.name == schema.BODY else spec.shown) in listed, spec
    files = {rule.file for rule in schema.TEXT_RULES}
    assert {"cases/<id>.md", "crosswalk.yaml", "sources.yaml", "decision-tree.yaml"} <= files


def test_the_templates_show_as_markdown_exactly_the_fields_the_schema_says() -> None:
    """What the loader checks as inline Markdown is what the pages convert with `inline(...)`, and nothing else."""
    templates = Path(schema.__file__).parent / "templates"
    converted = {m.group(1) for path in templates.glob("*.j2")
                 for m in re.finditer(r"\binline\(\s*[a-z_]+\.([a-z_]+)\s*\)", path.read_text("utf-8"))}
    inline = {spec.name for spec in schema.SOURCE_FIELDS if spec.kind == schema.INLINE}
    assert converted == inline | {"text"}  # `text`: the claims the Open questions page quotes from entry bodies


CODE = [("cases", "decision-tree.yaml", "help: See [[beta]].", "help: See `[@zz]` and `[[zz]]`."),
        ("cases", "entries/alpha.md", 'why: "The post says so [@post]."', 'why: "The post says so [@post] `[@zz]`."'),
        ("cases", "cases/alpha-case.md", "why: The post says so [@post].", "why: It says `[@zz]` [@post].")]


@pytest.mark.parametrize(("shape", "file", "old", "new"), CODE, ids=[c[1] for c in CODE])
def test_a_reference_in_code_is_text_for_the_check_and_the_pages(tmp_path: Path, shape: str, file: str, old: str,
                                                                  new: str) -> None:
    """What a field shows as code is neither checked nor converted, nor listed among the works a page cites."""
    src = _sources(tmp_path, shape)
    (src / file).write_text((src / file).read_text("utf-8").replace(old, new, 1), "utf-8")
    Renderer(load(src, src.parent)).files()


def test_every_scaffold_prompt_is_written_by_a_scaffold_and_flagged_where_left(tmp_path: Path) -> None:
    """The prompts are one list: the entry scaffolds (each kind) and the case scaffold write them all between
    them, and the check names every line of an entry or a case that still holds one."""
    written: set[str] = set()
    for kind in ("concept", "category", "failure-mode", "case"):
        src = _sources(tmp_path / kind, "cases")
        made = [new_case(src, src.parent, "new-beta", "beta", None) if kind == "case" else
                new_entry(src, src.parent, "delta", kind, "group" if kind == "failure-mode" else None, None)]
        flagged = {(p.path, p.line) for p in check(src, src.parent) if "scaffold text is still here" in p.message}
        for path in made:
            lines = path.read_text("utf-8").split("\n")
            holding = {n for n, line in enumerate(lines, 1) if any(p in line for p in SCAFFOLD_PROMPTS.values())}
            written |= {p for p in SCAFFOLD_PROMPTS.values() for line in lines if p in line}
            shown = f"taxonomy_src/{path.relative_to(src).as_posix()}"
            assert holding and holding == {line for file, line in flagged if file == shown}, shown
    assert written == set(SCAFFOLD_PROMPTS.values())
