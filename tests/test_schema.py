"""The JSON Schema agrees with load() both ways: every valid spec passes, spoiled ones fail."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from convention_docs import SpecError, load
from convention_docs.cli import main
from convention_docs.cli._new import EXAMPLES as SHIPPED
from convention_docs.cli._new import starter_text
from convention_docs.schema import json_schema

from .conftest import EXAMPLES, MINIMAL

VALIDATOR = jsonschema.Draft202012Validator(
    json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def as_editor_sees(data: Any) -> Any:
    """YAML 1.2 (editors) reads an unquoted date as a string; PyYAML gives a ``date``."""
    return json.loads(json.dumps(data, default=str))


def agree(tmp_path: Path, data: dict[str, Any]) -> bool:
    """Return whether the spec is valid, after checking load() and the schema agree on it."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load(spec)
        loaded = True
    except SpecError:
        loaded = False
    errors = list(VALIDATOR.iter_errors(as_editor_sees(data)))
    assert loaded == (not errors), (loaded, [e.message for e in errors])
    return loaded


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_uses_only_keywords_draft_07_editors_read_alike() -> None:
    # yaml-language-server (VS Code's YAML extension) validates with draft-07 rules
    shared = {"$schema", "$ref", "$defs", "title", "description", "type", "properties",
              "required", "additionalProperties", "items", "minItems", "enum", "pattern",
              "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
              "anyOf", "oneOf", "default"}  # exclusive bounds: numbers since draft-06
    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                used.add(key)
                if key in ("properties", "$defs"):
                    for child in value.values():
                        walk(child)
                elif key not in ("default", "enum"):  # values, not schemas
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json_schema())
    assert used - shared == set()
    assert {"$ref", "oneOf", "enum", "pattern"} <= used


def test_every_field_is_described_in_french() -> None:
    schema = json_schema()
    for name, definition in [("Convention", schema), *schema["$defs"].items()]:
        assert "description" in definition, name
        for field, prop in definition.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field}"
            assert "title" not in prop
    assert "Genre grammatical" in schema["$defs"]["Gender"]["description"]


SPECS: list[tuple[str, Callable[[], str]]] = [
    *[(f"examples/{p.name}", lambda p=p: p.read_text(encoding="utf-8"))  # type: ignore[misc]
      for p in sorted(EXAMPLES.glob("*.yaml"))],
    ("new", lambda: starter_text()),
    *[(f"new --from {name}", lambda name=name: starter_text(name))  # type: ignore[misc]
      for name in SHIPPED],
    ("conftest MINIMAL", lambda: yaml.safe_dump(MINIMAL, allow_unicode=True)),
]


@pytest.mark.parametrize(("name", "text"), SPECS, ids=[name for name, _ in SPECS])
def test_every_valid_spec_passes(name: str, text: Callable[[], str], tmp_path: Path) -> None:
    data = yaml.safe_load(text())
    assert agree(tmp_path, data), name


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split(".")

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return change


_DELETE = object()

SPOILED = [
    ("missing title", _set("title", _DELETE)),
    ("missing first name", _set("parties.1.representative.first_name", _DELETE)),
    ("missing signature", _set("signature", _DELETE)),
    ("title not a text", _set("title", ["a", "b"])),
    ("parties not a list", _set("parties", {"key": "etat"})),
    ("originals not a number", _set("signature.originals", "deux")),
    ("originals too many", _set("signature.originals", 100)),
    ("unknown key", _set("parties.1.designaton", "le facilitateur")),
    ("unknown top key", _set("colour", "bleu")),
    ("article number", _set("articles.0.number", 3)),
    ("bad gender", _set("parties.0.gender", "neutre")),
    ("bad civility", _set("parties.0.representative.civility", "Mlle")),
    ("bad period", _set("funding.period", "FSE 2007-2013")),
    ("bad apostrophe", _set("typography", {"apostrophe": "courbe"})),
    ("bad date", _set("signature.date", "2026-02-30")),
    ("date in words", _set("signature.date", "le 3 mai")),
    ("bad key", _set("parties.0.key", "État")),
    ("blank title", _set("title", "  ")),
    ("line break in a name", _set("parties.0.name", "L'État\nde droit")),
    ("blank keyword", _set("metadata", {"keywords": ["insertion", ""]})),
    ("one party", lambda d: d.update(parties=d["parties"][:1])),
    ("no articles", _set("articles", [])),
    ("empty bullets", _set("articles.0.blocks", [{"bullets": []}])),
    ("unknown span", _set("articles.0.blocks", [{"paragraph": [{"gras": "x"}]}])),
    ("unknown block", _set("articles.0.blocks", [{"bolds": "x"}])),
]

ACCEPTED = [
    ("French gender", _set("parties.0.gender", "masculin")),
    ("French gender, feminine", _set("parties.1.gender", "féminin")),
    ("Madame", _set("parties.1.representative.civility", "Madame")),
    ("French typography", _set("typography", {"guillemet_space": "fine",
                                              "apostrophe": "typographique"})),
    ("paragraph as a string", _set("articles.0.blocks", [{"paragraph": "Un texte."}])),
    ("bullets as strings", _set("articles.0.blocks", [{"bullets": ["a ;", ["b", {"bold": "c"}]]}])),
    ("quotation", _set("articles.0.blocks", [{"quotation": "x", "source": "y"}])),
    ("no date", _set("signature.date", None)),
    ("line breaks where allowed", _set("signature.blocks", [
        {"party": "etat", "function": "Le préfet\nde région"}, {"party": "plie"}])),
]


@pytest.mark.parametrize(("name", "spoil"), SPOILED, ids=[n for n, _ in SPOILED])
def test_spoiled_specs_fail_both(name: str, spoil: Callable[[dict[str, Any]], None],
                                 tmp_path: Path) -> None:
    data = copy.deepcopy(MINIMAL)
    spoil(data)
    assert not agree(tmp_path, data), name


@pytest.mark.parametrize(("name", "change"), ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_shorthand_and_french_forms_pass_both(name: str, change: Callable[[dict[str, Any]], None],
                                              tmp_path: Path) -> None:
    data = copy.deepcopy(MINIMAL)
    change(data)
    assert agree(tmp_path, data), name


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()
    assert main(["schema", "-o", str(tmp_path / "absent" / "schema.json")]) == 2
    assert "écriture impossible" in capsys.readouterr().err
