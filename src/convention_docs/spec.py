"""``load()``: a YAML or JSON spec file (or a mapping) → a validated ``Convention``.

YAML is read with ``yaml.SafeLoader`` (no object construction); aliases are bounded, and files
larger than ``MAX_SPEC_BYTES`` are refused before parsing. Relative logo paths are resolved
against the spec file's folder. Every problem is reported with the file, the field path
(``parties[1].representative.last_name``) and what was expected, in French.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from convention_docs import _limits
from convention_docs._spec_help import (
    FRENCH_WORDS,
    enum_message,
    french_values,
    impossible_date,
    json_nodes,
    location,
    logo_problem,
    suggest,
)
from convention_docs.errors import SpecError
from convention_docs.model import Convention

__all__ = ["FRENCH_WORDS", "MAX_SPEC_BYTES", "load", "load_data"]

MAX_SPEC_BYTES = 2_000_000
"""A spec larger than this is refused (a real convention is a few tens of kilobytes)."""

_MAX_ALIASES = 100

_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "string_type": "attendu : un texte",
    "int_type": "attendu : un nombre entier",
    "int_parsing": "attendu : un nombre entier",
    "bool_type": "attendu : vrai ou faux (true/false)",
    "bool_parsing": "attendu : vrai ou faux (true/false)",
    "date_type": "attendu : une date AAAA-MM-JJ",
    "date_from_datetime_parsing": "attendu : une date AAAA-MM-JJ",
    "date_parsing": "attendu : une date AAAA-MM-JJ",
    "tuple_type": "attendu : une liste",
    "list_type": "attendu : une liste",
    "dict_type": "attendu : un objet (clé: valeur)",
    "model_type": "attendu : un objet (clé: valeur)",
    "model_attributes_type": "attendu : un objet (clé: valeur)",
    "frozen_instance": "valeur non modifiable",
}


def _describe(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "enum" or kind == "literal_error":
        loc = tuple(error.get("loc", ()))
        field = loc[-1] if loc else None
        return enum_message(field, error.get("input"), str(ctx.get("expected", "")))
    if kind in ("date_from_datetime_parsing", "date_parsing") and isinstance(
            error.get("input"), str):
        return (f"date impossible ou mal écrite « {error.get('input')} », attendu : une date "
                "AAAA-MM-JJ qui existe")
    if kind == "string_pattern_mismatch":
        return ("attendu : un identifiant en minuscules sans accent (lettres, chiffres, « _ »), "
                f"reçu {error.get('input')!r}")
    if kind == "too_short":
        return f"au moins {ctx.get('min_length')} élément(s) attendu(s)"
    if kind == "too_long":
        return f"au plus {ctx.get('max_length')} élément(s) attendu(s)"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "au moins" if kind == "greater_than_equal" else "au plus"
        return f"attendu : un nombre {word} égal à {bound}"
    if kind == "value_error":
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return str(error.get("msg", kind))


_UNION_TAGS = {"text"}  # tags of the rich-text unions that are no field of the spec


def _path(loc: tuple[Any, ...]) -> str:
    """Return ``parties[1].representative.name`` from pydantic's location, without the tags
    its tagged unions insert (``blocks[0].text``, ``blocks[0].paragraph.paragraph``)."""
    parts = [part for index, part in enumerate(loc)
             if not (part in _UNION_TAGS or (isinstance(part, str) and index + 1 < len(loc)
                                                and loc[index + 1] == part))]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _issues(exc: ValidationError) -> list[tuple[str, str]]:
    raw = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in raw]
    issues: list[tuple[str, str]] = []
    for error, loc in zip(raw, locs, strict=True):
        # pydantic also reports a container as "too short" when one of its items failed:
        # keep only the item's own error.
        if error["type"] == "too_short" and any(
            other != loc and other[: len(loc)] == loc for other in locs
        ):
            continue
        message = _describe(error)
        if error["type"] == "value_error" and " :: " in message:
            # Cross-field checks of Convention report "path :: message" lines.
            for line in message.splitlines():
                sub_path, _, sub_message = line.partition(" :: ")
                prefix = _path(loc)
                issues.append((f"{prefix}.{sub_path}" if prefix else sub_path, sub_message))
            continue
        issues.append((_path(loc), message))
    return issues


_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (several times faster)."""


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses documents using more than ``_MAX_ALIASES`` aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > _MAX_ALIASES:
                raise yaml.YAMLError(f"plus de {_MAX_ALIASES} alias YAML (*ancre) : refusé")
        return super().compose_node(parent, index)


def _resolve_paths(data: Any, base: Path) -> Any:
    """Resolve ``path`` entries of logo files relative to ``base``."""

    def fix(entry: Any) -> Any:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            path = Path(entry["path"])
            return {**entry, "path": str(path if path.is_absolute() else base / path)}
        return entry

    if isinstance(data, dict) and isinstance(data.get("parties"), list):
        data = {**data, "parties": [
            {**party, "logo": fix(party["logo"])} if isinstance(party, dict)
            and "logo" in party else party for party in data["parties"]]}
    funding = data.get("funding") if isinstance(data, dict) else None
    if not isinstance(funding, dict):
        return data

    funding = dict(funding)
    if "fse_logo" in funding:
        funding["fse_logo"] = fix(funding["fse_logo"])
    if isinstance(funding.get("partner_logos"), list):
        funding["partner_logos"] = [fix(e) for e in funding["partner_logos"]]
    return {**data, "funding": funding}


def load_data(data: Any, *, source: str | Path | None = None) -> Convention:
    """Return the ``Convention`` described by ``data`` (a mapping), or raise ``SpecError``.

    Enumerated values may be written with their French words (``FRENCH_WORDS``).
    """
    return _validate(data, source, None)


def _validate(data: Any, source: str | Path | None, nodes: Any) -> Convention:
    """``load_data``, with the YAML nodes the data came from (to give line numbers)."""
    if isinstance(data, Convention):
        return data
    if not isinstance(data, Mapping):
        raise SpecError([("", "attendu : un objet (clé: valeur) décrivant la convention")],
                        source)
    try:
        # pydantic's validator itself: Convention.model_validate would already raise the
        # French SpecError (drafting.py), without the file and before the translation here
        convention: Convention = Convention.__pydantic_validator__.validate_python(
            french_values(dict(data)))
    except ValidationError as exc:
        issues = suggest(_issues(exc), _MESSAGES["extra_forbidden"])
        locations = [location(nodes, path) for path, _ in issues] if nodes is not None \
            else None
        raise SpecError(issues, source, locations) from exc
    problems = list(_party_logo_problems(convention))
    if problems:
        locations = [location(nodes, path) for path, _ in problems] if nodes is not None \
            else None
        raise SpecError(problems, source, locations)
    return convention


def _read_yaml(text: str, path: Path) -> tuple[Any, Any]:
    """Return the data of a YAML text and its composed node tree (for line numbers)."""
    # Safe loading only (no object construction). Aliases are bounded by counting
    # (pure-Python loader) and, whichever loader, by the expanded size in load().
    base = _BoundedLoader if text.count("*") > _MAX_ALIASES else _SAFE_LOADER
    # numbers bounded; impossible dates are told below with their field path
    loader = _limits.yaml_loader(base, dates=False)(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        try:
            return loader.construct_document(root), root
        except ValueError as exc:
            found = impossible_date(loader, root)
            if found is None:
                raise
            field, value, at = found
            raise SpecError([(field, f"date impossible « {value} », attendu : une date "
                                     "AAAA-MM-JJ qui existe")], path, [at]) from exc
    finally:
        loader.dispose()


def _missing_logos(data: Any, root: Any, path: Path) -> None:
    """Refuse logo files that do not exist or are no image (bad input, found before any
    rendering)."""
    funding = data.get("funding") if isinstance(data, dict) else None
    if not isinstance(funding, dict):
        return
    entries = [("funding.fse_logo", funding.get("fse_logo"))]
    if isinstance(funding.get("partner_logos"), list):
        entries += [(f"funding.partner_logos[{i}]", entry)
                    for i, entry in enumerate(funding["partner_logos"])]
    issues = []
    for field, entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            problem = logo_problem(Path(entry["path"]))
            if problem:
                issues.append((f"{field}.path", f"{problem} : {entry['path']}"))
    if issues:
        raise SpecError(issues, path, [location(root, field) for field, _ in issues])


def _party_logo_problems(convention: Convention) -> Iterator[tuple[str, str]]:
    """A party's logo that is missing or is no usable picture (path relative to the spec
    file): the same check as the funding logos (``logo_problem``)."""
    for index, party in enumerate(convention.parties):
        if party.logo is None:
            continue
        problem = logo_problem(party.logo.path)
        if problem:
            yield (f"parties[{index}].logo.path",
                   f"{problem} : {party.logo.path} (attendu : une image PNG ou JPEG, chemin "
                   "relatif au fichier de spécification)")


def load(path: str | Path) -> Convention:
    """Return the ``Convention`` of a YAML (``.yaml``/``.yml``) or JSON (``.json``) spec file.

    Raises ``SpecError`` naming the file, the field path and what was expected.
    """
    path = Path(path)

    def refuse(message: str) -> SpecError:
        return SpecError([("", message)], path)

    if path.is_dir():
        raise refuse("c'est un dossier, pas un fichier de spécification")
    raw = _limits.read_regular(path, limit=MAX_SPEC_BYTES, error=refuse)
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark, as some editors write, is fine
    except UnicodeDecodeError as exc:
        raise SpecError([("", "le fichier n'est pas en UTF-8")], path) from exc
    suffix = path.suffix.lower()
    nodes = None
    try:
        if suffix == ".json":
            data = json.loads(text, parse_int=_limits.json_int)
        elif suffix in (".yaml", ".yml"):
            data, nodes = _read_yaml(text, path)
        else:
            raise SpecError([("", f"extension « {path.suffix} » non reconnue, attendu : "
                                  ".yaml, .yml ou .json")], path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"ligne {mark.line + 1}, colonne {mark.column + 1} : " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError([("", f"{where}YAML invalide ({problem})")], path) from exc
    except json.JSONDecodeError as exc:
        raise SpecError([("", f"ligne {exc.lineno}, colonne {exc.colno} : JSON invalide "
                              f"({exc.msg})")], path) from exc
    except SpecError:
        raise  # already said, with its field and line (an impossible date)
    except ValueError as exc:  # a number too long for JSON (parse_int)
        raise SpecError([("", f"JSON invalide ({exc})")], path) from exc
    except RecursionError as exc:
        raise SpecError([("", "données trop imbriquées")], path) from exc
    problem = _limits.measure(data)
    if problem:
        raise SpecError([("", f"{problem} : refusé")], path)
    data = _resolve_paths(data, path.parent)
    if suffix == ".json":
        try:
            convention = _validate(data, path, None)
        except SpecError:
            nodes = json_nodes(text, _SAFE_LOADER)
            if nodes is None:
                raise
            convention = _validate(data, path, nodes)  # the same errors, with their lines
    else:
        convention = _validate(data, path, nodes)
    _missing_logos(data, nodes, path)
    return convention
