"""Incremental rebuilds (`mkdocs serve --dirty`): which pages changed since the last successful build."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    """What a rebuild must redo: everything (the site's structure changed), or the pages whose text changed."""

    full: bool
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()


@dataclass
class BuildState:
    """The last successful build of this process: its structure and the text of every page it rendered.

    The structure is everything that appears on every page (the nav, the set of pages, the configuration and the
    theme); when it changes, every page is stale. Otherwise a page is stale exactly when its own text changed: the
    text of a generated page already contains everything it shows about other entries (titles, summaries,
    backlinks, relations), so comparing texts catches every dependent page.
    """

    structure: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    pending: tuple[str, dict[str, str]] | None = None

    def plan(self, structure: str, pages: dict[str, str]) -> Plan:
        """Compare this build's structure and page texts with the last successful build's."""
        self.pending = (structure, pages)
        if structure != self.structure:
            return Plan(full=True)
        return Plan(full=False, changed=frozenset(p for p, text in pages.items() if self.pages.get(p) != text),
                    removed=frozenset(self.pages.keys() - pages.keys()))

    def commit(self) -> None:
        """Record the planned build as done (call when it succeeded)."""
        if self.pending is not None:
            self.structure, self.pages = self.pending
            self.pending = None

    def forget(self) -> None:
        """After a failed build nothing on disk can be trusted: the next build is a full one."""
        self.structure, self.pages, self.pending = None, {}, None
