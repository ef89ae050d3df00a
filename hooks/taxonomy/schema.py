"""The entry front-matter schema, defined once: the loader validates against it and the docs render it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from . import checks, markup
from .checks import SUMMARY_MAX
from .model import EVIDENCE, KINDS, RELATION_TYPES, STATUSES, Difference, Entry, Relation
from .problems import Checked
from .yamlsrc import Node, type_name

ALL_KINDS = KINDS
Check = Callable[[Node, str], Checked[Any]]


def relations(node: Node, name: str) -> Checked[tuple[Relation, ...]]:
    """Typed links to other entries: a mapping of relation type to a list of ids (the source id is set later)."""
    if not isinstance(node.value, dict):
        yield node.line, (f"'{name}' must be a mapping of relation type to ids (got {type_name(node.value)}). "
                          "Fix: write 'relations: {distinct-from: [other-id]}' or 'relations: {}'.")
        return ()
    found: list[Relation] = []
    for rel_type, targets in node.value.items():
        line = node.key_line(rel_type)
        if rel_type not in RELATION_TYPES:
            yield line, (f"unknown relation type '{rel_type}' (got '{rel_type}'). Fix: use one of "
                         f"{checks.choices(RELATION_TYPES)}{checks.did_you_mean(rel_type, RELATION_TYPES)}.")
            continue
        if not isinstance(targets.value, list):
            yield line, (f"relation '{rel_type}' must be a list of entry ids (got {type_name(targets.value)}). "
                         f"Fix: write '{rel_type}: [other-id]'.")
            continue
        for target in targets.value:
            entry_id = yield from checks.slug(target, rel_type)
            if entry_id:
                found.append(Relation(rel_type, "", entry_id, target.line))
    return tuple(found)


def differences(node: Node, name: str) -> Checked[tuple[Difference, ...]]:
    """How a kind differs from its neighbours: a mapping of neighbour id to one or two cited sentences (inline
    Markdown). Citation keys, link targets and which ids are neighbours are checked against the other files later."""
    if not isinstance(node.value, dict):
        yield node.line, (f"'{name}' must be a mapping of neighbour id to text (got {type_name(node.value)}). "
                          f"Fix: write '{name}: {{other-id: \"How the two differ [@key].\"}}'.")
        return ()
    found: list[Difference] = []
    for other, spec in node.value.items():
        line = node.key_line(other)
        if not markup.SLUG.match(other):
            yield line, (f"'{name}' keys are entry ids, lowercase slugs (got {other!r}). "
                         "Fix: use the neighbour's id, e.g. 'gradient'.")
            continue
        text = yield from checks.text(spec, name)
        if text is None:
            continue
        problems = markup.scan_inline(text, spec.line).problems
        yield from problems
        if problems:
            continue
        if not markup.CITATION.search(text):
            yield spec.line, (f"the '{name}' text for '{other}' has no citation (got {text!r}). "
                              "Fix: cite what the entries rest on as [@key].")
            continue
        found.append(Difference(other, text, spec.line))
    return tuple(found)


def _unchecked(node: Node, name: str) -> Checked[Node]:
    """Kept as written: checked against another file later (the dimensions against dimensions.yaml)."""
    yield from ()
    return node


_SLUG = {"$ref": "#/$defs/slug"}
JSON_TYPES: dict[Check, dict[str, Any]] = {
    checks.slug: _SLUG, checks.text: {"type": "string"},
    checks.sentence: {"type": "string", "maxLength": SUMMARY_MAX}, checks.integer: {"type": "integer"},
    checks.texts: {"type": "array", "items": {"type": "string"}},
    checks.slugs: {"type": "array", "items": _SLUG}, checks.keys: {"type": "array", "items": {"type": "string"}},
    checks.anchor_map: {"type": "object", "additionalProperties": _SLUG},
    relations: {"type": "array", "items": {"type": "object", "required": ["type", "target"], "properties": {
        "type": {"enum": list(RELATION_TYPES)}, "target": _SLUG}}},
    differences: {"type": "object", "additionalProperties": {"type": "string"}},
    _unchecked: {"type": "object", "additionalProperties": {"type": "object", "required": ["value", "why"],
                                                            "properties": {"value": {"type": "string"},
                                                                           "why": {"type": "string"}}}},
}
"""The JSON Schema of each kind of value, as the export writes it."""
TYPE_NAMES: dict[Check, str] = {checks.slug: "slug", checks.text: "text", checks.sentence: "sentence",
                                checks.integer: "integer", checks.texts: "texts", checks.slugs: "slugs",
                                checks.keys: "keys", checks.anchor_map: "anchor-map", relations: "relations",
                                differences: "differences", _unchecked: "dimensions"}
"""How the schema page names each kind of value."""


@dataclass(frozen=True)
class Field:
    """One front-matter field of an entry, defined once: its check, where it is required or allowed, what it
    means, and how it is exported. The model attribute `Entry.<name>` holds its value (its default when absent)."""

    name: str
    check: Check
    doc: str
    example: str
    required_for: tuple[str, ...] = ALL_KINDS
    allowed_for: tuple[str, ...] = ALL_KINDS
    vocabulary: tuple[str, ...] = ()
    nullable: bool = False
    export: Callable[[Entry], object] | None = None
    """The exported value, when it is not the model attribute as it is; see `exported`."""
    exported: bool = True

    @property
    def type(self) -> str:
        """The kind of value, as the schema page names it."""
        return "choice" if self.vocabulary else TYPE_NAMES[self.check]

    def validate(self, node: Node) -> Checked[Any]:
        """This field's value as written in `node`, or None after its problems."""
        if node.value is None and self.nullable:
            return None
        if self.vocabulary:
            return (yield from checks.choice(node, self.name, self.vocabulary))
        return (yield from self.check(node, self.name))

    def json_value(self, entry: Entry) -> object:
        """The value in the JSON export: tuples become lists, or mappings where the schema says object."""
        value = self.export(entry) if self.export else getattr(entry, self.name)
        if isinstance(value, tuple):
            return dict(value) if self.json_schema().get("type") == "object" else list(value)
        return value

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the exported value: null too when the field can be absent or null."""
        schema = {"enum": list(self.vocabulary)} if self.vocabulary else dict(JSON_TYPES[self.check])
        scalar = schema.get("type") not in ("array", "object")
        if scalar and (self.nullable or self.required_for != ALL_KINDS):
            return {"enum": [*self.vocabulary, None]} if self.vocabulary else {"anyOf": [schema, {"type": "null"}]}
        return schema


FIELDS: tuple[Field, ...] = (
    Field("id", checks.slug, "Stable identifier: lowercase letters, digits and hyphens, equal to the file name. "
          "It is the entry's URL (`/taxonomy/<id>/`) and is never reused.", "precocious"),
    Field("title", checks.text, "Display name of the entry, plain text.", "Precocious misalignment"),
    Field("kind", checks.text, "What the entry is.", "failure-mode", vocabulary=KINDS),
    Field("parent", checks.slug, "Id of the category this entry sits under, or `null` for a root. A failure "
          "mode's parent is a category; a concept's parent is `null`.", "inner-misalignment", nullable=True),
    Field("summary", checks.sentence, "One plain sentence (at most 300 characters, ending with a period) shown "
          "under the title, in tables and in search results.", "A half-formed sub-optimizer ... after training."),
    Field("aliases", checks.texts, "Other names used for the same thing, possibly empty.",
          "[precocious inner misalignment]"),
    Field("relations", relations, "Typed links to other entries: " + ", ".join(f"`{t}`" for t in RELATION_TYPES)
          + ". Relations are symmetric: declare each pair once, in either file; both pages show it.",
          "{distinct-from: [deceptive-alignment]}",
          export=lambda e: [{"type": r.type, "target": r.target} for r in e.relations]),
    Field("references", checks.keys, "Citation keys (from `taxonomy_src/bibliography.yaml`) of the works the "
          "entry draws on. Keys cited in the body with `[@key]` are added automatically.",
          "[misalignment-taxonomy-2026]", export=lambda e: e.all_references),
    Field("status", checks.text, "`deprecated` entries stay published and say what replaced them.", "active",
          vocabulary=STATUSES),
    Field("evidence", checks.text, "How well public copies of the source post support the entry: `confirmed` "
          "(the post's own definition survives), `partial` (it is cut off in every copy), `secondary` (known only "
          "from summaries).", "confirmed", vocabulary=EVIDENCE, required_for=("failure-mode", "category"),
          allowed_for=("failure-mode", "category")),
    Field("dimensions", _unchecked, "One value per comparison dimension (see `taxonomy_src/dimensions.yaml`), "
          "each with a one-line `why` that cites its source. Use `not-stated` where the source is silent.",
          "{layer: {value: inner, why: 'Listed among the inner kinds [@misalignment-taxonomy-2026].'}}",
          required_for=("failure-mode",), allowed_for=("failure-mode",),
          export=lambda e: {d.dimension: {"value": d.value, "why": d.why} for d in e.dimensions}),
    Field("tell_apart", differences, "How this failure mode differs from each neighbour (another failure mode "
          "under the same category): the neighbour's id, then one or two sentences in inline Markdown that cite "
          "what the two entries rest on. The comparison page shows them under *How to tell them apart*. Every "
          "pair of neighbours needs one, written in either of the two files, not both.",
          "{gradient: 'Precocious misalignment needs a partly formed sub-optimizer [@misalignment-taxonomy-2026]; "
          "...'}", required_for=(), allowed_for=("failure-mode",),
          export=lambda e: {d.other: d.text for d in e.tell_apart}),
    Field("order", checks.integer, "Optional position among siblings (reading order); entries without one "
          "follow, sorted by title.", "1", required_for=(), exported=False),
    Field("former_ids", checks.slugs, "Ids this entry was published under before a rename. Each old URL keeps "
          "working as a redirect to this entry; an id is never reused.", "[early-misalignment]", required_for=()),
    Field("former_anchors", checks.anchor_map, "Section anchors that were renamed: old id to current id. Old "
          "links and citations land on the current section.", "{summary-of-kind: definition}", required_for=()),
    Field("replaced_by", checks.slug, "For a deprecated entry: the entry that replaces it, if any.", "precocious",
          required_for=(), nullable=True),
    Field("status_note", checks.text, "For a deprecated entry: why it was retired or merged (required then).",
          "Merged into precocious misalignment, which the post treats as the same failure.", required_for=()),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}

MAX_PARENT_DEPTH = 32
"""The most categories above an entry. The nav, the tree and each page's trail are built by recursion, one call or
more per level, and Python stops at 1000 frames (a chain of 300 stopped the build); 32 levels is far more than a
taxonomy needs and far inside that limit."""

MAX_TREE_DEPTH = 64
"""The most questions one walk through the decision tree may ask. The flowchart is drawn by recursion, a few calls
per question, and Python stops at 1000 frames (a chain of 1,500 questions stopped the build); 64 is far more than
a reader would answer and far inside that limit."""

REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "failure-mode": ("definition", "how-it-arises", "neighbours", "example", "uncertain"),
    "category": ("definition",),
    "concept": ("definition",),
}


TextKind = Literal["plain", "inline", "block", "data"]
"""How the text of a field reaches readers: shown exactly as written, read as inline or block Markdown, or not text
at all (an id, a choice, a number, a list of ids, a structure of its own)."""
PLAIN: TextKind = "plain"
INLINE: TextKind = "inline"
BLOCK: TextKind = "block"
DATA: TextKind = "data"


@dataclass(frozen=True)
class SourceField:
    """One field of a record of a source file, and how its text reaches readers (`kind`)."""

    file: str
    record: str
    """Where the record sits in the file, as the schema page names it ('' for the file's top or the front matter,
    'questions' for an item of the 'questions' list)."""
    name: str
    kind: TextKind
    note: str = ""
    """A rule this field has beyond its kind (shown on the schema page)."""

    @property
    def shown(self) -> str:
        """The field as the schema page names it."""
        return f"`{self.record}.{self.name}`" if self.record else f"`{self.name}`"


ENTRY_FILE, CASE_FILE = "entries/<id>.md", "cases/<id>.md"
TREE_FILE, SOURCES_FILE, CROSSWALK_FILE = "decision-tree.yaml", "sources.yaml", "crosswalk.yaml"
DIMENSION_RECORD = "dimensions.<id>"
BODY = "the body"


def _entry_field(spec: Field) -> SourceField:
    free = spec.check in (checks.text, checks.sentence, checks.texts) and not spec.vocabulary
    return SourceField(ENTRY_FILE, "", spec.name, PLAIN if free else DATA)


def _record(file: str, record: str, *fields: tuple[str, TextKind] | tuple[str, TextKind, str]) -> tuple[
        SourceField, ...]:
    return tuple(SourceField(file, record, *spec) for spec in fields)


SOURCE_FIELDS: tuple[SourceField, ...] = (
    *(_entry_field(spec) for spec in FIELDS),
    *_record(ENTRY_FILE, DIMENSION_RECORD, ("value", DATA), ("why", INLINE)),
    SourceField(ENTRY_FILE, "", BODY, BLOCK),
    *_record(CASE_FILE, "", ("id", DATA), ("title", PLAIN), ("summary", PLAIN), ("illustrates", DATA),
             ("evidence", DATA), ("from_post", DATA), ("path", DATA)),
    *_record(CASE_FILE, "illustrates", ("kind", DATA), ("why", INLINE), ("primary", DATA)),
    *_record(CASE_FILE, "path", ("question", DATA), ("answer", DATA)),
    SourceField(CASE_FILE, "", BODY, BLOCK),
    *_record("bibliography.yaml", "<key>", ("authors", PLAIN), ("title", PLAIN), ("container", PLAIN),
             ("publisher", PLAIN), ("note", PLAIN), ("caveat", PLAIN),
             ("url", DATA, "an `https://` address without spaces, quotes or brackets")),
    *_record("dimensions.yaml", "", ("id", DATA), ("title", PLAIN), ("question", PLAIN), ("values", DATA)),
    *_record("dimensions.yaml", "values", ("id", DATA), ("label", PLAIN), ("meaning", PLAIN)),
    *_record(TREE_FILE, "questions", ("id", DATA), ("question", PLAIN), ("help", INLINE), ("answers", DATA)),
    *_record(TREE_FILE, "questions.answers", ("label", PLAIN), ("next", DATA), ("entry", DATA), ("outcome", DATA)),
    *_record(TREE_FILE, "outcomes", ("id", DATA), ("title", PLAIN), ("candidates", DATA), ("help", INLINE)),
    *_record(TREE_FILE, "retired", ("id", DATA), ("question", PLAIN), ("note", INLINE)),
    *_record("changelog.yaml", "", ("summary", PLAIN)),
    *_record("taxonomy.yaml", "", ("title", PLAIN)),
    *_record(SOURCES_FILE, "sources", ("key", DATA), ("name", PLAIN), ("kind", DATA),
             ("contains", INLINE), ("breaks_off", INLINE), ("obtained", INLINE)),
    *_record(CROSSWALK_FILE, "terms", ("id", DATA), ("term", PLAIN), ("source", DATA),
             ("locator", PLAIN, "it ends a citation, so without `[` or `]`"), ("mappings", DATA)),
    *_record(CROSSWALK_FILE, "mappings", ("kind", DATA), ("relation", DATA), ("justification", PLAIN),
             ("confidence", DATA)),
)
"""Every field of every source file whose fields are specified here, with how its text reaches readers: decided
once. The loaders take their records' field names from here and check every Markdown field of a record as they
check an entry body (`crosscheck.inline_field`); the page templates convert exactly those with `inline(...)`
(tests/core/test_text_field_rules.py holds them to it); the schema page lists the free-text fields."""


def fields_of(file: str, record: str = "") -> tuple[str, ...]:
    """The names of the fields of a record of a source file, in order (the body of a Markdown file excluded)."""
    return tuple(f.name for f in SOURCE_FIELDS if f.file == file and f.record == record and f.name != BODY)


def markdown_of(file: str, record: str = "") -> tuple[tuple[str, TextKind], ...]:
    """The fields of a record that are read as Markdown, with their kinds: the ones the loader checks as text."""
    return tuple((f.name, f.kind) for f in SOURCE_FIELDS if f.file == file and f.record == record
                 and f.kind in (INLINE, BLOCK) and f.name != BODY)


def carries_open_questions(file: str) -> bool:
    """Whether the Markdown of a source file may hold `disputed` or `lost` markers and marker ids (entries and
    cases: the Open questions page and the anchor registry collect them from both)."""
    return file in (ENTRY_FILE, CASE_FILE)


OPEN_QUESTIONS_ELSEWHERE = "claim markers without ids, and no `disputed` or `lost` ones"


@dataclass(frozen=True)
class TextRule:
    """How the text of some fields of a source file reaches readers."""

    file: str
    fields: str
    handling: str


HANDLING = {
    PLAIN: "plain text: shown exactly as written, never read as Markdown or HTML",
    INLINE: "inline Markdown, checked like an entry body: emphasis, `code`, `[[id]]` and `[[id#section|text]]` "
            "links, `[@key]` citations and claim markers; HTML, attribute lists, images, footnotes, links to a "
            "section of the same page and a start that would begin a block are refused",
    BLOCK: "Markdown without raw HTML, attribute lists or images; links are `[[id]]`, `#section` or `https://` "
           "addresses",
}
"""What each kind of text allows, as the schema page says it."""


def _text_rules() -> tuple[TextRule, ...]:
    groups: dict[tuple[str, str], list[str]] = {}
    for spec in SOURCE_FIELDS:
        if spec.kind == DATA and not spec.note:
            continue
        handling = HANDLING.get(spec.kind, spec.note)
        if spec.note and spec.kind != DATA:
            handling = f"{handling}; {spec.note}"
        if spec.kind == INLINE and not carries_open_questions(spec.file):
            handling = f"{handling}; {OPEN_QUESTIONS_ELSEWHERE}"
        groups.setdefault((spec.file, handling), []).append(BODY if spec.name == BODY else spec.shown)
    return tuple(TextRule(file, ", ".join(names), handling) for (file, handling), names in groups.items())


TEXT_RULES: tuple[TextRule, ...] = _text_rules()
"""Every free-text field of every source file and how it is shown (the schema page lists this table)."""

# What `make new-entry` and `make new-case` write where the contributor's own text goes, by field or section id:
# one list, which both scaffold templates take their prompts from. Validation rejects any line of an entry or a
# case that still contains one of these, so an untouched scaffold never passes `make check`.
SCAFFOLD_PROMPTS: dict[str, str] = {
    "summary": "Write one plain sentence that says what",
    "why": "Replace with what the source says",
    "tell_apart": "Say in one or two sentences what tells this kind apart from",
    "definition": "State the definition in your own words",
    "how-it-arises": "Explain the mechanism the source describes",
    "neighbours": "Link each nearest neighbour with",
    "example": "Give the source's own example, or say plainly that it gives none",
    "uncertain": "Say what is disputed, lost from the source, or our own reading",
    "in-this-taxonomy": "Say how the source post uses or contrasts this concept",
    "case-summary": "Write one plain sentence that says what happens in this case",
    "case-why": "Say in one line why the case fits this kind",
    "case": "Describe what happened (or is imagined) in your own words",
    "classification": "Say why the case fits",
}
