"""The entry front-matter schema, defined once: the loader validates against it and the docs render it."""

from __future__ import annotations

from dataclasses import dataclass

from .model import EVIDENCE, KINDS, RELATION_TYPES, STATUSES

ALL_KINDS = KINDS


@dataclass(frozen=True)
class Field:
    """One front-matter field: its type, where it is required or allowed, and what it means."""

    name: str
    type: str
    doc: str
    example: str
    required_for: tuple[str, ...] = ALL_KINDS
    allowed_for: tuple[str, ...] = ALL_KINDS
    vocabulary: tuple[str, ...] = ()
    nullable: bool = False


FIELDS: tuple[Field, ...] = (
    Field("id", "slug", "Stable identifier: lowercase letters, digits and hyphens, equal to the file name. "
          "It is the entry's URL (`/taxonomy/<id>/`) and is never reused.", "precocious"),
    Field("title", "text", "Display name of the entry, plain text.", "Precocious misalignment"),
    Field("kind", "choice", "What the entry is.", "failure-mode", vocabulary=KINDS),
    Field("parent", "slug", "Id of the category this entry sits under, or `null` for a root. A failure mode's "
          "parent is a category; a concept's parent is `null`.", "inner-misalignment", nullable=True),
    Field("summary", "sentence", "One plain sentence (at most 300 characters, ending with a period) shown under "
          "the title, in tables and in search results.", "A half-formed sub-optimizer ... after training."),
    Field("aliases", "texts", "Other names used for the same thing, possibly empty.",
          "[precocious inner misalignment]"),
    Field("relations", "relations", "Typed links to other entries: " + ", ".join(f"`{t}`" for t in RELATION_TYPES)
          + ". Relations are symmetric: declare each pair once, in either file; both pages show it.",
          "{distinct-from: [deceptive-alignment]}"),
    Field("references", "keys", "Citation keys (from `taxonomy_src/bibliography.yaml`) of the works the entry "
          "draws on. Keys cited in the body with `[@key]` are added automatically.", "[misalignment-taxonomy-2026]"),
    Field("status", "choice", "`deprecated` entries stay published and say what replaced them.", "active",
          vocabulary=STATUSES),
    Field("evidence", "choice", "How well public copies of the source post support the entry: `confirmed` (the "
          "post's own definition survives), `partial` (it is cut off in every copy), `secondary` (known only from "
          "summaries).", "confirmed", vocabulary=EVIDENCE, required_for=("failure-mode", "category"),
          allowed_for=("failure-mode", "category")),
    Field("dimensions", "dimensions", "One value per comparison dimension (see `taxonomy_src/dimensions.yaml`), "
          "each with a one-line `why` that cites its source. Use `not-stated` where the source is silent.",
          "{layer: {value: inner, why: 'Listed among the inner kinds [@misalignment-taxonomy-2026].'}}",
          required_for=("failure-mode",), allowed_for=("failure-mode",)),
    Field("order", "integer", "Optional position among siblings (reading order); entries without one follow, "
          "sorted by title.", "1", required_for=()),
    Field("former_ids", "slugs", "Ids this entry was published under before a rename. Each old URL keeps "
          "working as a redirect to this entry; an id is never reused.", "[early-misalignment]", required_for=()),
    Field("former_anchors", "anchor-map", "Section anchors that were renamed: old id to current id. Old links "
          "and citations land on the current section.", "{summary-of-kind: definition}", required_for=()),
    Field("replaced_by", "slug", "For a deprecated entry: the entry that replaces it, if any.", "precocious",
          required_for=(), nullable=True),
    Field("status_note", "text", "For a deprecated entry: why it was retired or merged (required then).",
          "Merged into precocious misalignment, which the post treats as the same failure.", required_for=()),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}

REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "failure-mode": ("definition", "how-it-arises", "neighbours", "example", "uncertain"),
    "category": ("definition",),
    "concept": ("definition",),
}

SUMMARY_MAX = 300


@dataclass(frozen=True)
class TextRule:
    """How the text of some fields of a source file reaches readers."""

    file: str
    fields: str
    handling: str


PLAIN = "plain text: shown exactly as written, never read as Markdown or HTML"
INLINE = ("inline Markdown: emphasis, `code`, `[[id]]` links and `[@key]` citations; HTML and attribute lists are "
          "refused")
TEXT_RULES: tuple[TextRule, ...] = (
    TextRule("entries/<id>.md", "`title`, `summary`, `aliases`, `status_note`", PLAIN),
    TextRule("entries/<id>.md", "`dimensions.<id>.why`", INLINE),
    TextRule("entries/<id>.md", "the body", "Markdown without raw HTML, attribute lists or images; links are "
             "`[[id]]`, `#section` or `https://` addresses"),
    TextRule("bibliography.yaml", "`authors`, `title`, `container`, `publisher`, `note`, `caveat`", PLAIN),
    TextRule("bibliography.yaml", "`url`", "an `https://` address without spaces, quotes or brackets"),
    TextRule("dimensions.yaml", "`title`, `question`, `values.label`, `values.meaning`", PLAIN),
    TextRule("decision-tree.yaml", "`question`, `answers.label`", PLAIN),
    TextRule("decision-tree.yaml", "`help`", INLINE),
    TextRule("changelog.yaml", "`summary`", PLAIN),
    TextRule("taxonomy.yaml", "`title`", PLAIN),
    TextRule("sources.yaml", "`name`", PLAIN),
    TextRule("sources.yaml", "`contains`, `breaks_off`, `obtained`", INLINE + "; claim markers without ids"),
)
"""Every free-text field of every source file and how it is shown (the schema page lists this table)."""

# What `make new-entry` writes where the contributor's own text goes, by field or section id. Validation rejects
# any line that still contains one of these, so an untouched scaffold never passes `make check`.
SCAFFOLD_PROMPTS: dict[str, str] = {
    "summary": "Write one plain sentence that says what",
    "why": "Replace with what the source says",
    "definition": "State the definition in your own words",
    "how-it-arises": "Explain the mechanism the source describes",
    "neighbours": "Link each nearest neighbour with",
    "example": "Give the source's own example, or say plainly that it gives none",
    "uncertain": "Say what is disputed, lost from the source, or our own reading",
    "in-this-taxonomy": "Say how the source post uses or contrasts this concept",
}
