"""A contributor's three changes to a project folder, done as CONTRIBUTING.md says: add, rename, retire an entry.

Used by the tests on a copy of the real tree, and runnable by hand to try a whole suite on a changed tree:
`python tests/lifecycle.py <project folder>` adds, renames and retires one entry each and prints which.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from taxonomy.loader import load  # noqa: E402
from taxonomy.model import Entry, Taxonomy  # noqa: E402
from taxonomy.releases import add_to_upcoming  # noqa: E402
from taxonomy.scaffold import used_ids  # noqa: E402
from taxonomy.schema import REQUIRED_SECTIONS, SCAFFOLD_PROMPTS  # noqa: E402
from taxonomy.yamlsrc import parse_yaml  # noqa: E402


@dataclass(frozen=True)
class Changes:
    """What was changed: the new entry, the rename (with a section anchor), the retired entry."""

    added: str
    renamed: tuple[str, str]
    anchor: tuple[str, str]
    retired: str
    replaced_by: str


def _taxonomy_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "taxonomy", *args], cwd=project, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})


def _write(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def add_concept(project: Path, entry_id: str, source: str) -> None:
    """`make new-entry ID=… KIND=concept`, then replace every instruction with cited text of one's own."""
    made = _taxonomy_cli(project, "new", entry_id, "--kind", "concept", "--title", f"Lifecycle {entry_id}")
    assert made.returncode == 0, made.stderr
    path = project / "taxonomy_src" / "entries" / f"{entry_id}.md"
    lines = path.read_text("utf-8").split("\n")
    for index, line in enumerate(lines):
        if SCAFFOLD_PROMPTS["summary"] in line:
            lines[index] = "summary: A concept added by the lifecycle test to exercise the contributor flow."
        elif any(prompt in line for prompt in SCAFFOLD_PROMPTS.values()):
            lines[index] = f"Our own words for this section, with their source [@{source}]."
    _write(path, "\n".join(lines))


def fill_in(path: Path, source: str) -> None:
    """Replace every instruction a scaffold (an entry's or a case's) wrote with cited text of one's own."""
    lines = path.read_text("utf-8").split("\n")
    for index, line in enumerate(lines):
        if not any(prompt in line for prompt in SCAFFOLD_PROMPTS.values()):
            continue
        if line.startswith("summary:"):
            lines[index] = "summary: A test entry in which the AI exploits flaws in its reward signal."
        elif SCAFFOLD_PROMPTS["tell_apart"] in line:
            lines[index] = f"{line[:line.index(':') + 1]} \"What tells the two apart [@{source}].\""
        elif "why:" in line:
            lines[index] = f"{line[:line.index('why:')]}why: \"The post does not discuss this case [@{source}].\""
        else:
            lines[index] = f"Our own words for this section [@{source}]."
    _write(path, "\n".join(lines))


def _referrers(taxonomy: Taxonomy, entry_id: str) -> int:
    return sum(entry_id in e.links or any(entry_id in (r.source, r.target) for r in e.relations)
               for e in taxonomy.entries.values() if e.id != entry_id)


def _own_section(entry: Entry) -> str | None:
    """A section of the entry that its kind does not require (so it can be renamed)."""
    required = REQUIRED_SECTIONS.get(entry.kind, ())
    return next((s.id for s in entry.sections if s.level == 2 and s.id not in required), None)


def _relink(text: str, old: str, new: str, old_anchor: str, new_anchor: str) -> str:
    """Point every [[old…]] wiki link at new, and links to the renamed section at its new anchor."""
    def link(match: re.Match[str]) -> str:
        fragment = match.group(1) or ""
        fragment = f"#{new_anchor}" if fragment == f"#{old_anchor}" else fragment
        return f"[[{new}{fragment}{match.group(2) or ''}]]"
    return re.sub(rf"\[\[{re.escape(old)}(#[^\]|]*)?(\|[^\]]*)?\]\]", link, text)


def _front_matter_ids(text: str, old: str, new: str) -> str:
    """Replace `old` where front matter names an entry: relations, parent, replaced_by and the keys of tell_apart
    (not titles or prose)."""
    lines = text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    section = ""
    for index in range(1, close):
        line = lines[index]
        if not line.startswith((" ", "-")):
            section = line.split(":", 1)[0]
        if section == "relations" or line.startswith(("parent:", "replaced_by:")):
            lines[index] = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, line)
        elif section == "tell_apart":  # a key, in block ('  old:') or flow ('{old: "…"', ', old: "…"') style
            lines[index] = re.sub(rf"(^\s+|[{{,]\s*){re.escape(old)}(?=:)", rf"\g<1>{new}", line)
    return "\n".join(lines)


def rename(project: Path, old: str, new: str) -> tuple[str, str]:
    """Rename an entry and one of its section anchors, update every inbound reference; return (old, new) anchor."""
    src = project / "taxonomy_src"
    entries = src / "entries"
    taxonomy = load(src, project)
    entry = taxonomy.entries[old]
    old_anchor = _own_section(entry)
    path = entries / f"{old}.md"
    text = path.read_text("utf-8")
    if old_anchor is None:  # give it one to rename, registered like any published section
        old_anchor = "lifecycle-note"
        _write(path, text.rstrip("\n") + f"\n\n## A note {{#{old_anchor}}}\n\nA note [@{taxonomy.meta.source}].\n")
        assert _taxonomy_cli(project, "anchors").returncode == 0
        text = path.read_text("utf-8")
    new_anchor = f"{old_anchor}-renamed"
    text = text.replace(f"{{#{old_anchor}}}", f"{{#{new_anchor}}}")
    # Former ids and anchors accumulate: an entry renamed twice keeps answering to every earlier address.
    former_ids = ", ".join([*entry.former_ids, old])
    anchors = {o: (new_anchor if n == old_anchor else n) for o, n in entry.former_anchors} | {old_anchor: new_anchor}
    former_anchors = ", ".join(f"{o}: {n}" for o, n in anchors.items())
    text = re.sub(r"^id: .*$", f"id: {new}\nformer_ids: [{former_ids}]\nformer_anchors: {{{former_anchors}}}",
                  re.sub(r"^(former_ids|former_anchors): .*\n", "", text, flags=re.MULTILINE), count=1,
                  flags=re.MULTILINE)
    _write(path, re.sub(rf"\[\[#{re.escape(old_anchor)}(?=[|\]])", f"[[#{new_anchor}", text))
    path.rename(entries / f"{new}.md")
    relinked = []
    for other in entries.glob("*.md"):
        before = other.read_text("utf-8")
        after = _relink(_front_matter_ids(before, old, new), old, new, old_anchor, new_anchor)
        _write(other, after)
        if after != before and other.stem != new:
            relinked.append(other.stem)
    tree = src / "decision-tree.yaml"
    text = re.sub(rf"^(\s*(?:- )?entry: ){re.escape(old)}\s*$", rf"\g<1>{new}", tree.read_text("utf-8"),
                  flags=re.MULTILINE)
    text = re.sub(rf"entry: {re.escape(old)}(?=[,}}])", f"entry: {new}", text)
    _write(tree, _relink(text, old, new, old_anchor, new_anchor))
    for other in [*(src / "cases").glob("*.md"), src / "crosswalk.yaml"]:  # cases and crosswalk rows name kinds
        if other.exists():
            text = re.sub(rf"(\bkind: ){re.escape(old)}(?=\s*$|[,}}])", rf"\g<1>{new}", other.read_text("utf-8"),
                          flags=re.MULTILINE)
            _write(other, _relink(text, old, new, old_anchor, new_anchor))
    add_to_upcoming(src, "renamed", f"{{from: {old}, to: {new}}}")
    for other_id in sorted(set(relinked) - _upcoming_changed(src)):  # their links, so their text, changed
        add_to_upcoming(src, "changed", other_id)
    return old_anchor, new_anchor


def _upcoming_changed(src: Path) -> set[str]:
    """The ids under 'changed' of the upcoming release, read without validating (the rename is half recorded)."""
    node = parse_yaml((src / "changelog.yaml").read_text("utf-8"))
    assert node is not None and isinstance(node.value, dict)
    last = node.value["releases"].value[-1].value
    listed = last.get("changed") if isinstance(last, dict) else None
    return {str(i.value["id"].value if isinstance(i.value, dict) else i.value) for i in listed.value} \
        if listed is not None and isinstance(listed.value, list) else set()


def retire(project: Path, entry_id: str, replaced_by: str) -> None:
    """Deprecate an entry with a note and its replacement, and record the retirement in the changelog."""
    src = project / "taxonomy_src"
    path = src / "entries" / f"{entry_id}.md"
    text = re.sub(r"^status: active$", f"status: deprecated\nstatus_note: Retired by the lifecycle test.\n"
                                       f"replaced_by: {replaced_by}", path.read_text("utf-8"), count=1,
                  flags=re.MULTILINE)
    _write(path, text)
    add_to_upcoming(src, "retired", entry_id)


def fresh_id(base: str, used: set[str]) -> str:
    """An id never used before: `base`, else `base-2`, `base-3`… (the tree may have been through this already)."""
    return next(candidate for n in range(1, 1000) if (candidate := base if n == 1 else f"{base}-{n}") not in used)


def apply(project: Path) -> Changes:
    """Add, rename and retire one entry each in a project folder, chosen from its own sources."""
    src = project / "taxonomy_src"
    taxonomy = load(src, project)
    entries = list(taxonomy.entries.values())
    # A failure mode touches the most: links, relations, the decision tree and the comparison's pair anchors.
    by_links = sorted(entries, key=lambda e: (e.kind != "failure-mode", -_referrers(taxonomy, e.id), e.id))
    old = by_links[0].id
    parents = {e.parent for e in entries}
    retired = next(e for e in sorted(entries, key=lambda e: (e.kind != "concept", e.id))
                   if e.id != old and e.id not in parents and e.status == "active")
    replacement = next(e.id for e in entries if e.id not in (old, retired.id) and e.status == "active")
    used = used_ids(src)
    added = fresh_id("lifecycle-added-concept", used)
    add_concept(project, added, taxonomy.meta.source)
    new = fresh_id(f"{old}-renamed", used | {added})
    anchor = rename(project, old, new)
    retire(project, retired.id, replacement)
    registered = _taxonomy_cli(project, "anchors")
    assert registered.returncode == 0, registered.stdout + registered.stderr
    return Changes(added, (old, new), anchor, retired.id, replacement)


if __name__ == "__main__":
    print(apply(Path(sys.argv[1]).resolve()))
