"""Repository hygiene that contributors and CI rely on: pinned actions, least privilege, forms, commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Site

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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_use_least_privilege(path: Path) -> None:
    """Top-level permissions are read-only or none; only the deploy job may write Pages."""
    workflow = _load(path)
    assert workflow["permissions"] in ({}, {"contents": "read"})
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= ({"pages", "id-token"} if name == "deploy" else set()), name


def test_pull_requests_run_every_check_and_upload_a_preview() -> None:
    """The PR workflow validates first, builds strictly, runs every test and uploads the site."""
    workflow = _load(ROOT / ".github/workflows/pull-request.yml")
    assert "pull_request" in workflow["on"]
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step.get("run") for step in steps if "run" in step]
    assert runs == ["make install", "make check", "make site", "make test"]
    assert steps[-1]["uses"].startswith("actions/upload-artifact@") and steps[-1]["with"]["path"] == "site/"


def test_deploys_one_at_a_time_from_main() -> None:
    """The deploy workflow runs on main, never cancels a deployment midway, and publishes site/."""
    workflow = _load(ROOT / ".github/workflows/deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


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
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("serve", "test", "site", "check", "linkcheck", "anchors", "new-entry", "lint"):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target


def test_dependencies_are_bounded_and_locked() -> None:
    """Direct dependencies have bounds; the lock pins every installed package exactly."""
    bounded = [line for line in (ROOT / "requirements.in").read_text("utf-8").splitlines()
               if line and not line.startswith("#")]
    assert all(re.search(r">=[\d.]+,<\d", line) for line in bounded), bounded
    locked = [line for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines()
              if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line) for line in locked), locked
    names = {line.split("==")[0].lower().replace("_", "-") for line in locked}
    for line in bounded:
        assert re.split(r"[<>=]", line)[0].lower().replace("_", "-") in names, line


def test_contributing_is_published(site: Site) -> None:
    """CONTRIBUTING.md is the site's Contributing page, with an edit link to the file itself."""
    page = site.page("contributing/")
    assert page.select_one("article h1").get_text(strip=True).startswith("Contributing")
    assert page.find(id="add-an-entry-in-ten-minutes") is not None
    assert page.select_one("a.md-content__button[href$='/edit/main/CONTRIBUTING.md']") is not None


def test_site_url_is_the_same_everywhere() -> None:
    """mkdocs.yml, taxonomy.yaml and CITATION.cff agree on the public address used in permalinks."""
    mkdocs = re.search(r"^site_url: (\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.MULTILINE).group(1)
    meta = yaml.safe_load((ROOT / "taxonomy_src/taxonomy.yaml").read_text("utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert mkdocs == meta["site_url"] == cff["url"]


def test_core_never_imports_mkdocs() -> None:
    """Importing every core module leaves MkDocs unloaded: the core can move to another generator."""
    modules = sorted(p.stem for p in (ROOT / "hooks/taxonomy").glob("*.py") if p.stem != "__main__")
    code = ("import sys\n" + "".join(f"import taxonomy.{m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "hooks", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(modules) >= 10
