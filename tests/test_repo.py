"""Repository hygiene that contributors and CI rely on: pinned actions, least privilege, forms, commands."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Site, copy_project

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commit_shas(path: Path) -> None:
    """Every third-party action is pinned to a full commit SHA, with its version as a comment."""
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text("utf-8"))
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"# v\d", comment), action


def _images(workflow: dict) -> list[str]:
    found = []
    for job in workflow["jobs"].values():
        container = job.get("container")
        if isinstance(container, dict):
            container = container.get("image")
        if container and "${{" in container:
            found += [item["image"] for item in job["strategy"]["matrix"]["include"]]
        elif container:
            found.append(container)
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_are_named_and_containers_pinned_by_digest(path: Path) -> None:
    """Every job has a name for the checks list; every container image is pinned by its sha256 digest."""
    workflow = _load(path)
    assert all(job.get("name") for job in workflow["jobs"].values())
    for image in _images(workflow):
        assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", image), image


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_use_least_privilege(path: Path) -> None:
    """Top-level permissions are read-only or none; only the deploy job may write Pages."""
    workflow = _load(path)
    assert workflow["permissions"] in ({}, {"contents": "read"})
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= ({"pages", "id-token"} if name == "deploy" else set()), name


def test_pull_requests_test_every_python_and_preview_only_a_passing_build() -> None:
    """Each supported Python runs check, build and every test; the preview is built after they pass, then uploaded."""
    workflow = _load(ROOT / ".github/workflows/pull-request.yml")
    assert "pull_request" in workflow["on"]
    test, preview = workflow["jobs"]["test"], workflow["jobs"]["preview"]
    pythons = [item["python"] for item in test["strategy"]["matrix"]["include"]]
    assert pythons[0] == PYTHON_MIN == REQUIRES_PYTHON and pythons == [f"3.{n}" for n in range(11, 14)]
    for item in test["strategy"]["matrix"]["include"]:
        assert item["image"].startswith(f"python:{item['python']}.")
    runs = [step.get("run") for step in test["steps"] if "run" in step]
    assert runs == ["make install-dev", "make check", "make site", "make test"]
    assert any(step.get("uses", "").startswith("actions/cache@") for step in test["steps"])
    assert preview["needs"] == "test"
    upload = preview["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "preview/"
    assert all("if" not in step for step in preview["steps"])  # no preview of a failed build
    assert [step["run"] for step in preview["steps"] if "run" in step][0] == "make preview"


def test_deploy_uses_no_cache() -> None:
    """What is published never depends on a cache that a pull request's run could have written."""
    workflow = _load(ROOT / ".github/workflows/deploy.yml")
    assert not any(step.get("uses", "").startswith("actions/cache@")
                   for job in workflow["jobs"].values() for step in job.get("steps", []))


def test_dependabot_updates_actions_and_the_python_locks() -> None:
    """Dependabot proposes updates for the pinned actions and for the hashed locks."""
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text("utf-8"))
    updates = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert updates == {("github-actions", "/"), ("pip", "/requirements")}


def test_housekeeping_files() -> None:
    """Pre-commit runs ruff and make check; CODEOWNERS covers the content; .editorconfig is the root one."""
    hooks = {h["id"]: h for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))["repos"]
             for h in repo["hooks"]}
    assert "ruff" in hooks["ruff"]["entry"] and hooks["make-check"]["entry"].endswith("make --no-print-directory check")
    owners = [line.split() for line in (ROOT / ".github/CODEOWNERS").read_text("utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    assert any(rule[0] == "/taxonomy_src/" and len(rule) > 1 for rule in owners)
    assert "root = true" in (ROOT / ".editorconfig").read_text("utf-8")


def test_deploys_one_at_a_time_from_main() -> None:
    """The deploy workflow runs on main, never cancels a deployment midway, and publishes site/."""
    workflow = _load(ROOT / ".github/workflows/deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_deploy_publishes_what_make_editions_assembles() -> None:
    """The published site is the documented command's output: the current site and every verified edition."""
    steps = _load(ROOT / ".github/workflows/deploy.yml")["jobs"]["build"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[-1] == "make editions" and "make editions" in (ROOT / "README.md").read_text("utf-8")
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/" and steps.index(upload) > max(
        steps.index(step) for step in steps if step.get("run") == "make editions")


@pytest.mark.parametrize("name", ["propose-entry.yml", "report-problem.yml"])
def test_issue_forms_are_valid(name: str) -> None:
    """Issue forms parse and have a required field."""
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE" / name).read_text("utf-8"))
    assert form["name"] and form["description"] and form["body"]
    assert any(item.get("validations", {}).get("required") for item in form["body"])


def test_pull_request_template_has_the_checklist() -> None:
    """The PR template lists the commands and content rules reviewers check."""
    text = (ROOT / ".github/pull_request_template.md").read_text("utf-8")
    for item in ("make check", "make test", "make anchors", "own words", "cited"):
        assert item in text


def test_readme_gives_two_commands_and_ci_runs_the_test_one() -> None:
    """README's quick start is `make serve` and `make test`; .ci/run runs `make test` and nothing else."""
    readme = (ROOT / "README.md").read_text("utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make (\w+)", quick, re.MULTILINE) == ["serve", "test"]
    commands = [line for line in (ROOT / ".ci/run").read_text("utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    assert commands[-1] == "make test"


MAKEFILE = (ROOT / "Makefile").read_text("utf-8")
TARGETS = set(re.findall(r"^([a-z][\w-]*):", MAKEFILE, re.MULTILINE))
DOCUMENTED = re.findall(r"^## ([a-z][\w-]*): ", MAKEFILE, re.MULTILINE)
DOCS = {name: (ROOT / name).read_text("utf-8") for name in ("README.md", "CONTRIBUTING.md")}
PYTHON_MIN = re.search(r"^PYTHON_MIN\s*:=\s*(\S+)", MAKEFILE, re.MULTILINE).group(1)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
REQUIRES_PYTHON = PYPROJECT["project"]["requires-python"].removeprefix(">=")


def _documented_commands(prefix: str) -> set[str]:
    """Every command line that README.md or CONTRIBUTING.md shows, in code, starting with `prefix`."""
    found = set()
    for text in DOCS.values():
        code = re.findall(r"`([^`\n]+)`", text) + re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
        for block in code:
            for line in block.splitlines():
                line = line.split("  #")[0].strip()
                if line.startswith(prefix):
                    found.add(line)
    return found


def test_every_documented_make_target_exists_and_is_in_help() -> None:
    """Each `make …` the README or CONTRIBUTING shows is a target that `make help` lists."""
    documented = {re.match(r"make ([\w-]+)", c).group(1) for c in _documented_commands("make ")}
    assert {"serve", "test", "test-fast", "check", "anchors", "new-entry", "release", "preview"} <= documented
    assert documented <= set(DOCUMENTED) <= TARGETS
    declared = re.search(r"^\.PHONY:(.*?)(?<!\\)$", MAKEFILE, re.MULTILINE | re.DOTALL).group(1)
    phony = set(declared.replace("\\", "").split())
    assert phony == set(DOCUMENTED)
    listed = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == DOCUMENTED


def test_every_documented_taxonomy_command_exists() -> None:
    """Each `taxonomy …` command in the docs is installed in the venv, with the subcommand and options shown."""
    commands = _documented_commands("taxonomy ") | {c.removeprefix(".venv/bin/")
                                                     for c in _documented_commands(".venv/bin/taxonomy ")}
    assert {c.split()[1] for c in commands} >= {"check", "anchors", "new", "sitecheck", "release"}
    script = Path(sys.executable).parent / "taxonomy"
    assert script.exists(), "the console script is installed by `make install` (pyproject [project.scripts])"
    for command in commands:
        words = command.split()
        helped = subprocess.run([str(script), words[1], "--help"], cwd=ROOT, capture_output=True, text=True)
        assert helped.returncode == 0, command
        for option in (w.split("=")[0] for w in words[2:] if w.startswith("--")):
            assert option in helped.stdout, f"{command}: {option}"
    for command in _documented_commands(".venv/bin/python "):
        words = command.split()
        target = words[3] if words[1] == "-m" else words[1]  # `python -m pytest <file>` names the file third
        assert (ROOT / target).exists(), command


def test_supported_pythons_are_stated_once() -> None:
    """The Makefile's minimum is pyproject's requires-python; ruff and mypy target the same version."""
    assert PYTHON_MIN == REQUIRES_PYTHON
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + PYTHON_MIN.replace(".", "")
    assert PYPROJECT["tool"]["mypy"]["python_version"] == PYTHON_MIN


def _requirements(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text("utf-8")
    options = [line for line in text.splitlines() if line.startswith("-")]
    assert options == [] and "file:" not in re.sub(r"(?m)^\s*#.*$", "", text), name  # PyPI alone
    entries = re.split(r"\n(?=\S)", text)
    pins = {}
    for entry in entries:
        if not entry.strip() or entry.startswith("#"):
            continue
        match = re.match(r"([A-Za-z0-9_.\-]+)==([\w.]+) \\\n", entry)
        assert match, entry[:80]
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), entry[:80]
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_dependencies_are_bounded_and_locked_with_hashes() -> None:
    """Direct dependencies have bounds; two hashed locks pin everything, pip included; dev agrees with runtime."""
    runtime, dev = _requirements("runtime.txt"), _requirements("dev.txt")
    direct = PYPROJECT["project"]["dependencies"]
    extras = PYPROJECT["project"]["optional-dependencies"]["dev"]
    assert all(re.search(r">=[\d.]+,<\d", line) for line in direct + extras)
    name = lambda line: re.split(r"[<>=\[]", line)[0].lower().replace("_", "-")  # noqa: E731
    assert {name(line) for line in direct} <= runtime.keys()
    assert {name(line) for line in extras} <= dev.keys() and not {name(line) for line in extras} & runtime.keys()
    assert {"pip", "setuptools"} <= runtime.keys()
    assert {k: dev[k] for k in runtime} == runtime
    _requirements("tools.txt")


def test_make_installs_only_the_runtime_lock_for_serving() -> None:
    """`make serve` and `make site` need only the runtime lock; tests add the dev lock; both with --require-hashes."""
    assert re.search(r"^serve: \$\(NEEDS_RUNTIME\)$", MAKEFILE, re.MULTILINE)
    assert re.search(r"^site: \$\(NEEDS_RUNTIME\)$", MAKEFILE, re.MULTILINE)
    joined = re.sub(r"\\\n\s*", " ", MAKEFILE)
    installs = re.findall(r"pip install .*-r (requirements/\S+)", joined)
    assert set(installs) == {"requirements/runtime.txt", "requirements/dev.txt", "requirements/tools.txt"}
    assert all("--require-hashes" in line for line in joined.splitlines() if "pip install" in line and " -r " in line)


def _make(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", "-C", str(project), *args], capture_output=True, text=True,
                          timeout=120, env={**{k: v for k, v in os.environ.items() if k != "NO_INSTALL"}, **env})


FAKE_PYTHON = """#!/bin/sh
# A stand-in interpreter: reports a version, makes a "venv" that is a copy of itself, and logs pip installs.
case "$*" in
  *"version_info >="*) echo "$FAKE_OK" ;;
  *"%d.%d.%d"*) echo "$FAKE_VERSION" ;;
  *"%d.%d"*) echo "${FAKE_VERSION%.*}" ;;
  "-m venv "*) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  *) echo "$*" >> "$FAKE_LOG" ;;
esac
"""


def test_make_checks_the_python_version_first(tmp_path: Path) -> None:
    """An interpreter older than the minimum stops make at once, saying which and what to do."""
    fake = tmp_path / "python-old"
    fake.write_text(FAKE_PYTHON, "utf-8")
    fake.chmod(0o755)
    result = _make(ROOT, "check", f"PYTHON={fake}", FAKE_VERSION="3.10.13", FAKE_OK="0",
                   FAKE_LOG=str(tmp_path / "log"))
    assert result.returncode == 2
    assert (f"Python {PYTHON_MIN} or newer is needed (got 3.10.13 from '{fake}'). Fix: install a newer Python and "
            "name it, e.g. make test PYTHON=python3.12") in result.stderr
    assert not (tmp_path / "log").exists()
    missing = _make(ROOT, "check", "PYTHON=/nonexistent/python3")
    assert missing.returncode == 2 and "No Python found" in missing.stderr


def test_make_rebuilds_a_venv_made_by_another_python(tmp_path: Path) -> None:
    """A .venv left by another interpreter (say a failed 3.10 install) is replaced, never reused."""
    project = copy_project(tmp_path / "p")
    fake = tmp_path / "python3.13"
    fake.write_text(FAKE_PYTHON, "utf-8")
    fake.chmod(0o755)
    old = project / ".venv" / "bin" / "python"
    old.parent.mkdir(parents=True)
    old.write_text("#!/bin/sh\necho 3.10\n", "utf-8")
    old.chmod(0o755)
    (project / ".venv" / "left-over").write_text("from the old interpreter", "utf-8")
    result = _make(project, "install", f"PYTHON={fake}", FAKE_VERSION="3.13.0", FAKE_OK="1",
                   FAKE_LOG=str(tmp_path / "log"))
    assert result.returncode == 0, result.stderr
    assert f".venv was made by another Python; rebuilding it with {fake} (3.13.0)." in result.stdout
    assert not (project / ".venv" / "left-over").exists() and old.read_text("utf-8") == FAKE_PYTHON
    log = (tmp_path / "log").read_text("utf-8")
    assert "--require-hashes -r requirements/runtime.txt" in log and "dev.txt" not in log
    assert list((project / ".venv").glob(".runtime-3.13-*"))


def test_make_clean_removes_every_cache(tmp_path: Path) -> None:
    """`make clean` leaves no built site, venv or cache behind (the external-link cache in .cache/ included)."""
    project = copy_project(tmp_path)
    made = ["site", "preview", ".venv", ".cache", ".pytest_cache", ".mypy_cache", ".ruff_cache"]
    for name in made:
        (project / name).mkdir()
        (project / name / "file").write_text("x", "utf-8")
    assert _make(project, "clean").returncode == 0
    assert not [name for name in made if (project / name).exists()]


@pytest.mark.parametrize(("target", "arguments", "message"), [
    ("new-entry", ["ID=x\n", "KIND=concept"],
     "error: ID must be a lowercase slug such as 'reward-hacking' (got 'x\\n')."),
    ("new-case", ["ID=x\n", "KIND=alpha"], "error: ID must be a lowercase slug such as 'coinrun-coin' (got 'x\\n')."),
    ("release", ["VERSION=0.2.0\n"], "error: VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got '0.2.0\\n')."),
    ("release", ["VERSION=\u0660.\u0662.\u0660"],
     "error: VERSION must be MAJOR.MINOR.PATCH in digits 0-9 (got '\u0660.\u0662.\u0660')."),
    ("release", ["VERSION=9.0.0", "DATE=2026-12-01\n"],
     "error: DATE must be a real date written YYYY-MM-DD in digits 0-9 (got '2026-12-01\\n')."),
])
def test_documented_commands_refuse_a_malformed_argument_by_name(tmp_path: Path, target: str, arguments: list[str],
                                                                 message: str) -> None:
    """A trailing line break or another script's digits in a `make` argument: the argument named, no traceback,
    nothing written."""
    project = copy_project(tmp_path / "p")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    venv = str(Path(sys.executable).parent.parent)
    result = _make(project, target, "NO_INSTALL=1", f"VENV={venv}", *arguments)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert message in result.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_new_entry_passes_values_to_the_command_inertly(tmp_path: Path) -> None:
    """Backticks, $(…) and quotes in ID or TITLE reach the command as text; nothing is run by the shell or make."""
    project = copy_project(tmp_path / "p")
    venv = str(Path(sys.executable).parent.parent)
    hostile = "x`touch pwned-backtick`$(touch pwned-subshell)$(shell touch pwned-make)"
    result = _make(project, "new-entry", "NO_INSTALL=1", f"VENV={venv}", f"ID={hostile}", "KIND=concept")
    assert result.returncode != 0
    assert f"error: ID must be a lowercase slug such as 'reward-hacking' (got {hostile!r})." in result.stderr
    assert not list(project.rglob("pwned*")) and not list(Path.cwd().glob("pwned*"))
    title = 'Quotes " and \' and `ticks` and $(touch pwned-title)'
    made = _make(project, "new-entry", "NO_INSTALL=1", f"VENV={venv}", "ID=inert-entry", "KIND=concept",
                 f"TITLE={title}")
    assert made.returncode == 0, made.stderr
    assert f"title: {json.dumps(title)}" in (project / "taxonomy_src/entries/inert-entry.md").read_text("utf-8")
    assert not list(project.rglob("pwned*"))


def test_licences_are_stated_everywhere() -> None:
    """MIT for the code, CC BY 4.0 for the text: the files, pyproject, CITATION.cff, the site footer and the docs."""
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n")
    content = (ROOT / "LICENSE-CONTENT").read_text("utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in content and len(content) > 18000
    assert PYPROJECT["project"]["license"] == "MIT"
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))["license"] == "CC-BY-4.0"
    footer = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\ntheme:")[0])["copyright"]
    assert "CC BY 4.0" in footer and "MIT" in footer
    for name, text in DOCS.items():
        assert "LICENSE-CONTENT" in text and "CC BY 4.0" in text and "MIT" in text, name
    assert "## Licence and terms of contribution" in DOCS["CONTRIBUTING.md"]


def test_footer_shows_the_licences(site: Site) -> None:
    """Every page's footer names both licences."""
    footer = site.page("").select_one(".md-copyright").get_text(" ")
    assert "CC BY 4.0" in footer and "MIT" in footer


def test_contributing_is_published(site: Site) -> None:
    """CONTRIBUTING.md is the site's Contributing page, with an edit link to the file itself."""
    page = site.page("contributing/")
    assert page.select_one("article h1").get_text(strip=True).startswith("Contributing")
    assert page.find(id="add-an-entry-in-ten-minutes") is not None
    assert page.select_one("a.md-content__button[href$='/edit/main/CONTRIBUTING.md']") is not None


def test_site_url_is_the_same_everywhere() -> None:
    """mkdocs.yml, taxonomy.yaml, CITATION.cff and pyproject.toml agree on the public address used in permalinks."""
    mkdocs = re.search(r"^site_url: (\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.MULTILINE).group(1)
    meta = yaml.safe_load((ROOT / "taxonomy_src/taxonomy.yaml").read_text("utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert mkdocs == meta["site_url"] == cff["url"] == project["urls"]["Homepage"]


def test_core_never_imports_mkdocs() -> None:
    """Importing every core module leaves MkDocs unloaded: the core can move to another generator."""
    modules = sorted(p.stem for p in (ROOT / "hooks/taxonomy").glob("*.py") if p.stem != "__main__")
    code = ("import sys\n" + "".join(f"import taxonomy.{m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "hooks", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(modules) >= 10


@pytest.mark.slow
def test_the_source_distribution_holds_the_whole_project(tmp_path: Path) -> None:
    """Unpacked, the sdist builds the site and runs the tests: it has every tracked file but the hosting's own."""
    import tarfile

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    if not tracked:
        pytest.skip("not a git checkout")
    made = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                           "print(build_meta.build_sdist(sys.argv[1]))", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    name = made.stdout.split()[-1]
    with tarfile.open(tmp_path / name) as archive:
        packed = {member.split("/", 1)[1] for member in archive.getnames() if "/" in member}
    wanted = {path for path in tracked.splitlines()
              if not path.startswith((".github/", ".editorconfig", ".gitignore", ".pre-commit-config.yaml"))}
    assert sorted(wanted - packed) == []
