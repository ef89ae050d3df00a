"""One Jinja environment factory (taxonomy/templating.py): every kind of output shares the template rules, and each
escapes values for what it writes. Scaffolded source files stay valid YAML whatever a contributor's title says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from lifecycle import fill_in
from taxonomy.escaping import one_line
from taxonomy.loader import check
from taxonomy.scaffold import ScaffoldError, new_case, new_entry
from taxonomy.schema import FIELDS
from taxonomy.templating import Output, UnquotedValue, environment
from taxonomy.yamlsrc import Node, parse_yaml

TITLES = [
    'Goal: "misgeneralisation"',
    "It's {{ not a template }} {% nor this %}",
    "--- a rule ---",
    "# not a comment, & [not a link](x) [[nor]] [@this]",
    "key: value\nsecond: line",
    "\\ backslash \\n and 'single' \"double\"",
    "- a list? | a pipe > a fold",
    "Переобучение 过拟合 🙂",
]


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text("utf-8")
    assert text.startswith("---\n")
    node = parse_yaml(text[4:].split("\n---\n", 1)[0])
    assert node is not None
    data = node.plain()
    assert isinstance(data, dict)
    return data


def _refused(src: Path, scaffold: Callable[[], Path], title: str) -> bool:
    """Whether the title field refuses `title`; if so, the scaffold must refuse it naming TITLE, writing nothing."""
    field = next(f for f in FIELDS if f.name == "title")
    problems = [message for _, message in field.validate(Node(title, 1))]
    if not problems:
        return False
    before = sorted(src.rglob("*"))
    with pytest.raises(ScaffoldError) as refused:
        scaffold()
    assert str(refused.value) == f"TITLE: {problems[0]}"
    assert sorted(src.rglob("*")) == before
    return True


@pytest.mark.parametrize("title", TITLES)
def test_a_scaffolded_entry_keeps_any_title_as_data(sources: Path, title: str) -> None:
    """Quotes, colons, Jinja syntax, '---' and line breaks in a title never change the file's structure: its front
    matter parses to the title as one line, and the summary prompt quotes it. A title the title field refuses is
    refused before anything is written, naming TITLE."""
    if _refused(sources, lambda: new_entry(sources, sources.parent, "delta", "failure-mode", "group", title), title):
        return
    path = new_entry(sources, sources.parent, "delta", "failure-mode", "group", title)
    data = _front_matter(path)
    assert data["title"] == one_line(title)
    assert one_line(title).lower() in str(data["summary"])
    assert data["id"] == "delta" and data["parent"] == "group"


@pytest.mark.parametrize("title", TITLES)
def test_a_scaffolded_case_keeps_any_title_as_data(case_sources: Path, title: str) -> None:
    """The same for a worked case, once its prompts are filled in: only the title's own text rules apply."""
    if _refused(case_sources, lambda: new_case(case_sources, case_sources.parent, "new-beta", "beta", title), title):
        return
    path = new_case(case_sources, case_sources.parent, "new-beta", "beta", title)
    assert _front_matter(path)["title"] == one_line(title)
    fill_in(path, "post")
    problems = [p for p in check(case_sources, case_sources.parent) if "'title'" not in p.message]
    assert problems == [], [str(p) for p in problems]


def test_source_templates_refuse_unquoted_free_text() -> None:
    """A source template that writes free text without `| yaml` stops instead of writing a broken file."""
    template = environment(Output.SOURCE).from_string("title: {{ title }}\n")
    assert template.render(title="reward-hacking") == "title: reward-hacking\n"
    with pytest.raises(UnquotedValue) as raised:
        template.render(title="a: b")
    assert str(raised.value) == ("a source template wrote free text unquoted (got 'a: b'). "
                                 "Fix: write it as '{{ value | yaml }}'.")
    assert environment(Output.SOURCE).from_string("title: {{ title | yaml }}\n").render(title="a: b") == \
        'title: "a: b"\n'


@pytest.mark.parametrize("output", list(Output))
def test_every_output_shares_the_template_rules(output: Output) -> None:
    """Undefined names stop rendering, `{#id}` is Markdown (comments are `{## … ##}`), and the filters are the
    same for every kind of output."""
    env = environment(output)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("## Heading {#heading}{## a comment ##}").render() == "## Heading {#heading}"
    assert set(env.filters) == set(environment(Output.PAGE).filters)
    assert env.list_templates() == environment(Output.PAGE).list_templates()


def test_page_templates_make_text_inert() -> None:
    """In a page, a value is inert Markdown and HTML unless the core marked it as built from escaped parts."""
    rendered = environment(Output.PAGE).from_string("{{ text }}").render(text="<b>*x*</b> [a](b)")
    assert not any(char in rendered for char in "<>*[]()")


def test_an_edited_template_is_compiled_again_though_compiled_templates_are_shared(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build makes a new environment that reuses what earlier ones compiled; under `mkdocs serve` an edited
    template must still render as edited, in every kind of output."""
    monkeypatch.setattr("taxonomy.templating.TEMPLATES", tmp_path)
    template = tmp_path / "probe.md.j2"
    for output in Output:
        template.write_text(f"first {output.name}", "utf-8")
        assert environment(output).get_template("probe.md.j2").render() == f"first {output.name}"
        template.write_text(f"second {output.name}", "utf-8")
        assert environment(output).get_template("probe.md.j2").render() == f"second {output.name}"
