"""The published JSON Schema: vocabularies from the model, no unlisted properties, formats, one answer target."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from taxonomy import export, urls
from taxonomy.loader import load
from taxonomy.model import KINDS, Taxonomy


@pytest.fixture(scope="module")
def fixture_taxonomy() -> Taxonomy:
    """The minimal fixture taxonomy (never today's content)."""
    src = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
    return load(src, src.parent)


def _objects(node: object) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for item in node:
            found += _objects(item)
    return found


def test_schema_is_complete_and_strict(fixture_taxonomy: Taxonomy) -> None:
    """No vocabulary placeholder is left, every object forbids unlisted properties, and the $id is absolute."""
    schema = export.schema(fixture_taxonomy)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "$vocabulary" not in json.dumps(schema)
    assert all(obj["additionalProperties"] is not True for obj in _objects(schema))
    assert schema["$id"] == f"{fixture_taxonomy.meta.site_url}{export.SCHEMA_PATH}"
    assert schema["$defs"]["entry"]["properties"]["kind"]["enum"] == list(KINDS)


def _invalid(data: dict[str, Any], schema: dict[str, Any]) -> bool:
    try:
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError:
        return True
    return False


MUTATIONS = {
    "answer with two targets": lambda d: d["decision_tree"]["questions"][0]["answers"][0].update(
        next="second", entry="alpha"),
    "answer with no target": lambda d: d["decision_tree"]["questions"][0]["answers"][0].update(
        next=None, entry=None, outcome=None),
    "unknown entry property": lambda d: d["entries"][0].update(colour="red"),
    "unknown dimension property": lambda d: d["dimensions"][0].update(weight=2),
    "kind outside the vocabulary": lambda d: d["entries"][0].update(kind="vibe"),
    "impossible release date": lambda d: d["releases"][0].update(date="2026-02-30"),
}


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_schema_rejects_malformed_exports(fixture_taxonomy: Taxonomy, mutate: Any) -> None:
    """The export validates as built, and each malformation makes it invalid."""
    schema = export.schema(fixture_taxonomy)
    data = export.export(fixture_taxonomy)
    assert not _invalid(json.loads(json.dumps(data)), schema)
    broken = copy.deepcopy(json.loads(json.dumps(data)))
    mutate(broken)
    assert _invalid(broken, schema)


@pytest.mark.parametrize("text", ["a", "a-b", "a1-2b", "A", "a--b", "-a", "a-", "a_b", "a b", "a\n", "é", "١"])
def test_the_published_schema_and_the_check_share_one_slug_rule(fixture_taxonomy: Taxonomy, text: str) -> None:
    """The export's JSON Schema accepts exactly the ids the check accepts (`urls.SLUG`)."""
    slug = export.schema(fixture_taxonomy)["$defs"]["slug"]
    assert jsonschema.Draft202012Validator(slug).is_valid(text) == bool(urls.SLUG.fullmatch(text)), text
