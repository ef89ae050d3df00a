"""The contributor commands (`make new-entry`, `make new-case`, `make check`): each refusal with its exact message."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import change, mkdocs_env
from taxonomy.__main__ import main
from taxonomy.anchors import register_new
from taxonomy.loader import load
from taxonomy.publish import cut
from taxonomy.releases import ChangelogEditError, add_to_upcoming
from taxonomy.scaffold import ScaffoldError, new_case, new_entry

GROUP_2 = ("---\nid: group-two\ntitle: Group two\nkind: category\nparent: null\nsummary: Another category.\n"
           "aliases: []\nrelations: {}\nreferences: [post]\nstatus: active\nevidence: confirmed\n---\n\n"
           "## Definition {#definition}\n\nAnother group [@post].\n")
BROKEN = ("taxonomy.yaml", "version: 1.2.3", "version: v1")
BROKEN_MESSAGE = ("the sources have problems; fix them first (run 'make check'):\ntaxonomy_src/taxonomy.yaml:2: "
                  "'version' must be semantic (MAJOR.MINOR.PATCH) (got 'v1'). Fix: write e.g. '0.1.0'.")

Scaffold = Callable[[Path], Path]

# (case id, fixture ('sources' or 'case_sources'), changes before, the command, expected message)
CASES: list[tuple[str, str, list[tuple[str, str | None, str | None]], Scaffold, str]] = [
    ("entry id that is not a slug", "sources", [],
     lambda src: new_entry(src, src.parent, "Reward_Hacking", "concept", None, None),
     "ID must be a lowercase slug such as 'reward-hacking' (got 'Reward_Hacking'). "
     "Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. ID=reward-hacking."),
    ("entry id with a trailing line break", "sources", [],
     lambda src: new_entry(src, src.parent, "x\n", "concept", None, None),
     "ID must be a lowercase slug such as 'reward-hacking' (got 'x\\n'). "
     "Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. ID=reward-hacking."),
    ("entry id in Arabic-Indic digits", "sources", [],
     lambda src: new_entry(src, src.parent, "x-\u0661", "concept", None, None),
     "ID must be a lowercase slug such as 'reward-hacking' (got 'x-\u0661'). "
     "Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. ID=reward-hacking."),
    ("parent with a trailing line break", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "failure-mode", "group\n", None),
     "PARENT must be a lowercase slug such as 'inner-misalignment' (got 'group\\n'). "
     "Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. PARENT=inner-misalignment."),
    ("title with markup", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "concept", None, "<b>Delta</b>"),
     "TITLE: 'title' is plain text, so markup would show literally (got '<b>Delta</b>'). Fix: remove the markup."),
    ("empty title", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "concept", None, " "),
     "TITLE: 'title' must be non-empty text (got text ' '). Fix: write 'title: <text>'."),
    ("unknown kind", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "failure", None, None),
     "kind must be one of failure-mode, category, concept (got 'failure'). "
     "Fix: pass KIND=failure-mode, KIND=category or KIND=concept."),
    ("sources with problems", "sources", [BROKEN],
     lambda src: new_entry(src, src.parent, "delta", "concept", None, None), BROKEN_MESSAGE),
    ("failure mode without a parent", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "failure-mode", None, None),
     "a failure mode needs a parent category (got none). "
     "Fix: pass PARENT=inner-misalignment or another category id."),
    ("concept with a parent", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "concept", "group", None),
     "concepts have no parent (got 'group'). Fix: leave PARENT out."),
    ("parent that is not a category", "sources", [],
     lambda src: new_entry(src, src.parent, "delta", "failure-mode", "alpha", None),
     "PARENT must be a category (got 'alpha'). Fix: use one of group."),
    ("case id that is not a slug", "case_sources", [],
     lambda src: new_case(src, src.parent, "Coin Run", "beta", None),
     "ID must be a lowercase slug such as 'coinrun-coin' (got 'Coin Run'). "
     "Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. ID=coinrun-coin."),
    ("case id with a trailing line break", "case_sources", [],
     lambda src: new_case(src, src.parent, "new-case\n", "beta", None),
     "ID must be a lowercase slug such as 'coinrun-coin' (got 'new-case\\n'). "
     "Fix: use lowercase letters a-z, digits 0-9 and hyphens, e.g. ID=coinrun-coin."),
    ("case id in use", "case_sources", [],
     lambda src: new_case(src, src.parent, "beta-case", "beta", None),
     "case id 'beta-case' exists or existed before (got it in taxonomy_src/). "
     "Fix: case ids are never reused; choose another id."),
    ("case for sources with problems", "case_sources", [BROKEN],
     lambda src: new_case(src, src.parent, "new-case", "beta", None), BROKEN_MESSAGE),
    ("case of a concept", "case_sources", [],
     lambda src: new_case(src, src.parent, "new-case", "gamma", None),
     "kind must be a failure mode or category (got 'gamma'). Fix: pass KIND= one of alpha, beta, group."),
    ("case of a kind no path reaches", "case_sources",
     [("entries/group-two.md", None, GROUP_2), ("changelog.yaml", "gamma, group]", "gamma, group, group-two]")],
     lambda src: new_case(src, src.parent, "new-case", "group-two", None),
     "no path through the decision tree reaches 'group-two' (got none). "
     "Fix: add an answer leading to it in taxonomy_src/decision-tree.yaml first."),
]


@pytest.mark.parametrize(("fixture", "changes", "command", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_scaffold_refuses_with_its_fix(request: pytest.FixtureRequest, fixture: str,
                                       changes: list[tuple[str, str | None, str | None]], command: Scaffold,
                                       expected: str) -> None:
    """Each refusal names what is wrong and what to do, and writes nothing."""
    src: Path = request.getfixturevalue(fixture)
    for name, old, new in changes:
        change(src, name, old, new)
    before = sorted(p.relative_to(src) for p in src.rglob("*"))
    with pytest.raises(ScaffoldError) as refused:
        command(src)
    assert str(refused.value) == expected
    assert sorted(p.relative_to(src) for p in src.rglob("*")) == before


def test_check_reports_unregistered_addresses(sources: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`make check` fails when published addresses are missing from the registry, naming the first three."""
    register_new(load(sources, sources.parent), sources)
    registry = sources / "anchors.txt"
    lines = registry.read_text("utf-8").splitlines(keepends=True)
    dropped = [line.strip() for line in lines if line.startswith("/taxonomy/gamma/")]
    registry.write_text("".join(line for line in lines if line.strip() not in dropped), "utf-8")
    monkeypatch.chdir(sources.parent)
    assert main(["check", "taxonomy_src"]) == 1
    shown = ", ".join(repr(address) for address in sorted(dropped)[:3])
    assert capsys.readouterr().out == (
        f"taxonomy_src/anchors.txt:1: {len(dropped)} published address(es) are not registered (got {shown}, …). "
        "Fix: run 'make anchors' and commit the file.\n")


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "with a problem"])
def test_the_check_command_prints_all_that_main_prints_and_exits_with_its_code(
        sources: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], broken: bool) -> None:
    """`python -m taxonomy check` ends the process without Python's shutdown, after flushing both streams."""
    register_new(load(sources, sources.parent), sources)
    if broken:
        change(sources, *BROKEN)
    monkeypatch.chdir(sources.parent)
    code = main(["check", "taxonomy_src"])
    printed = capsys.readouterr()
    buffered = {name: value for name, value in mkdocs_env().items() if name != "PYTHONUNBUFFERED"}
    command = subprocess.run([sys.executable, "-m", "taxonomy", "check", "taxonomy_src"], cwd=sources.parent,
                             env=buffered, capture_output=True, text=True, timeout=120)
    assert (command.returncode, command.stdout, command.stderr) == (code, printed.out, printed.err)
    assert code == int(broken) and printed.err


@pytest.mark.parametrize(("version", "date", "expected"), [
    ("2.0", "2026-12-01", "VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got '2.0'). Fix: e.g. VERSION=0.2.0."),
    ("2.0.0\n", "2026-12-01",
     "VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got '2.0.0\\n'). Fix: e.g. VERSION=0.2.0."),
    ("\u0662.\u0660.\u0660", "2026-12-01",
     "VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got '\u0662.\u0660.\u0660'). Fix: e.g. VERSION=0.2.0."),
    ("2.0.0", "1 December 2026",
     "DATE must be a real date written YYYY-MM-DD in digits 0-9 (got '1 December 2026'). Fix: e.g. DATE=2026-12-01."),
    ("2.0.0", "2026-12-01\n",
     "DATE must be a real date written YYYY-MM-DD in digits 0-9 (got '2026-12-01\\n'). Fix: e.g. DATE=2026-12-01."),
    ("2.0.0", "\u0662\u0660\u0662\u0666-12-01", "DATE must be a real date written YYYY-MM-DD in digits 0-9 "
     "(got '\u0662\u0660\u0662\u0666-12-01'). Fix: e.g. DATE=2026-12-01."),
])
def test_release_refuses_a_malformed_version_or_date(sources: Path, version: str, date: str, expected: str) -> None:
    """`make release` names the malformed argument and writes nothing, in the sources or the project."""
    before = {p: p.read_bytes() for p in sources.parent.rglob("*") if p.is_file()}
    with pytest.raises(ChangelogEditError) as refused:
        cut(sources, sources.parent, version, date)
    assert str(refused.value) == expected
    assert {p: p.read_bytes() for p in sources.parent.rglob("*") if p.is_file()} == before


def test_recording_a_change_in_a_release_field_written_as_text_is_refused(sources: Path) -> None:
    """`make new-entry` cannot append to an upcoming release whose list field is not a list; it says so."""
    change(sources, "changelog.yaml", "    retired: []",
           '    retired: []\n  - version: "1.3.0"\n    date: null\n    summary: Later.\n    added: gamma')
    with pytest.raises(ChangelogEditError) as refused:
        add_to_upcoming(sources, "added", "delta")
    assert str(refused.value) == (f"cannot add 'delta' to 'added' of the upcoming release automatically (got text). "
                                  f"Fix: add it by hand in {sources / 'changelog.yaml'}.")



@pytest.mark.parametrize("command", [["check"], ["anchors"], ["new", "x", "--kind", "concept"],
                                     ["new-case", "x", "--kind", "x"], ["release", "1.0.0"]])
def test_a_command_run_outside_a_project_says_it_found_no_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  command: list[str]) -> None:
    """One message naming the folder it looked for and how to name another, not one problem per missing file."""
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"error: found no sources folder taxonomy_src/ in {tmp_path} (got nothing there). Fix: run the "
                   "command from the project's root folder, or name the folder, e.g. 'taxonomy check "
                   "path/to/taxonomy_src'.\n")


def test_version_and_help_say_what_each_argument_means(capsys: pytest.CaptureFixture[str]) -> None:
    """`--version` prints the generator's version; `new --help` lists the allowed kinds."""
    for argv in (["--version"], ["new", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("taxonomy ") and "failure-mode, category, concept" in out
