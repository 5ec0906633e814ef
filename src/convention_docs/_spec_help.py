"""What makes a spec's errors helpful: where they are, what was meant, in French.

- the YAML (or JSON) line and column of a field path, from PyYAML's composed nodes;
- « vouliez-vous dire … ? » for an unknown key, among the keys known at that place;
- the French words enumerated values may be written with (``FRENCH_WORDS``);
- the impossible date PyYAML's timestamp resolver fails on, and logo files that cannot be used.

Used by ``spec.py``; nothing here raises.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from convention_docs.model import Convention

__all__ = ["FRENCH_WORDS"]

FRENCH_WORDS: dict[str, dict[str, str]] = {
    "gender": {"masculin": "masculine", "féminin": "feminine"},
    "civility": {"Monsieur": "M.", "Madame": "Mme"},
    "guillemet_space": {"fine": "thin", "normale": "normal"},
    "apostrophe": {"inchangée": "keep", "typographique": "typographic"},
}
"""French words a spec may use for the values of these fields, with the model's value each
stands for (the model's own values are accepted too)."""

_FRENCH_PATHS: tuple[tuple[str, ...], ...] = (
    ("parties", "*", "gender"),
    ("parties", "*", "representative", "civility"),
    ("signature", "blocks", "*", "signatory", "civility"),
    ("typography", "guillemet_space"),
    ("typography", "apostrophe"),
)


SHOWN_IN_FRENCH = ("gender", "guillemet_space", "apostrophe")
"""Fields whose expected values an error message gives as French words (civility's own
values, « M. » and « Mme », are French already)."""


def french_values(data: Any) -> Any:
    """Return ``data`` with the French words of ``FRENCH_WORDS`` replaced by model values."""

    def walk(value: Any, path: tuple[str, ...]) -> Any:
        if not path:
            return value
        head, rest = path[0], path[1:]
        if head == "*":
            if isinstance(value, list | tuple):
                return [walk(item, rest) for item in value]
            return value
        if not isinstance(value, dict) or head not in value:
            return value
        inner = value[head]
        if not rest:
            words = FRENCH_WORDS[head]
            if isinstance(inner, str) and inner in words:
                return {**value, head: words[inner]}
            return value
        return {**value, head: walk(inner, rest)}

    for path in _FRENCH_PATHS:
        data = walk(data, path)
    return data


def enum_message(field: Any, value: Any, expected: str) -> str:
    """Return the message for a value outside its list, with the closest allowed word.

    >>> print(enum_message("gender", "feminin", "'masculine' or 'feminine'"))
    ... # doctest: +NORMALIZE_WHITESPACE
    valeur non reconnue 'feminin', attendu : « masculin » ou « féminin » (vouliez-vous dire
    « féminin » ?)
    """
    message = f"valeur non reconnue {value!r}, attendu : {expected_words(field, expected)}"
    if isinstance(value, str):
        french = list(FRENCH_WORDS.get(field, {})) if isinstance(field, str) else []
        close = (difflib.get_close_matches(value, french, n=1, cutoff=0.6)  # French first
                 or difflib.get_close_matches(
                     value, re.findall(r"'((?:[^'\\]|\\.)*)'", expected), n=1, cutoff=0.6))
        if close:
            message += f" (vouliez-vous dire « {close[0]} » ?)"
    return message


def expected_words(field: Any, expected: str) -> str:
    """Return « « masculin » ou « féminin » » for a field's allowed values, in French."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    if field in SHOWN_IN_FRENCH:
        values = list(FRENCH_WORDS[field])
    quoted = [f"« {value} »" for value in values]
    if len(quoted) > 1:
        return ", ".join(quoted[:-1]) + " ou " + quoted[-1]
    return quoted[0] if quoted else expected


def _parts(path: str) -> list[str | int]:
    """Return ``["parties", 1, "key"]`` for ``parties[1].key``."""
    return [name if name else int(index)
            for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def _model_fields(cls: Any) -> dict[str, Any] | None:
    fields = getattr(cls, "model_fields", None)
    return fields if isinstance(fields, dict) else None


def _models_in(annotation: Any) -> list[Any]:
    """Return the pydantic model classes an annotation may hold (through unions, tuples,
    ``Annotated``, ``Optional``)."""
    if _model_fields(annotation) is not None:
        return [annotation]
    found: list[Any] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and getattr(annotation, "__metadata__", None) is not None:
        found.extend(_models_in(origin))
    return found


def _known_keys(parts: list[str | int]) -> list[str]:
    """Return the field names of the object at ``parts`` of a spec (empty when unknown)."""
    candidates: list[Any] = [Convention]
    for part in parts:
        if isinstance(part, int):
            continue
        following: list[Any] = []
        for model in candidates:
            fields = _model_fields(model) or {}
            if part in fields:
                following.extend(_models_in(fields[part].annotation))
        if not following:  # a union's tag (blocks[0].paragraph) names the member itself
            following = [m for m in candidates if part in (_model_fields(m) or {})]
            if not following:
                return []
        candidates = following
    names: list[str] = []
    for model in candidates:
        names.extend(name for name in (_model_fields(model) or {}) if name not in names)
    return names


def suggest(issues: list[tuple[str, str]], unknown: str) -> list[tuple[str, str]]:
    """Add « vouliez-vous dire … ? » to unknown fields that look like a known one."""
    out = []
    for path, message in issues:
        if message == unknown:
            parts = _parts(path)
            name = str(parts[-1]) if parts else path
            message = f"champ inconnu « {name} »"
            close = difflib.get_close_matches(name, _known_keys(parts[:-1]), n=1, cutoff=0.6)
            if close:
                message += f" : vouliez-vous dire « {close[0]} » ?"
        out.append((path, message))
    return out


def _node_at(root: Any, path: str) -> Any:
    """Return the YAML node of ``path`` (its key's node for a mapping entry), or the deepest
    node on the way (the parent of a missing field)."""
    node, mark_node = root, root
    for part in _parts(path):
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            entry = next(((k, v) for k, v in node.value
                          if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if entry is None:
                break
            mark_node, node = entry
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            node = mark_node = node.value[part]
        else:
            break
    return mark_node


def location(root: Any, path: str) -> tuple[int, int] | None:
    if root is None:
        return None
    mark = getattr(_node_at(root, path), "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def impossible_date(loader: Any, root: Any) -> tuple[str, str, tuple[int, int]] | None:
    """Find the unquoted date PyYAML could not build (``2026-02-30``): path, value, mark."""

    def walk(node: Any, path: str) -> tuple[str, str, tuple[int, int]] | None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found = walk(value, f"{path}.{key.value}" if path else str(key.value))
                if found:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                found = walk(value, f"{path}[{index}]")
                if found:
                    return found
        elif node.tag == "tag:yaml.org,2002:timestamp":
            try:
                loader.construct_yaml_timestamp(node)
            except ValueError:
                mark = node.start_mark
                return path, node.value, (mark.line + 1, mark.column + 1)
        return None

    return walk(root, "")


def logo_problem(path: Path) -> str | None:
    """Return why a logo file cannot be used, or None (a regular file of bounded size, a
    picture Pillow reads, of bounded pixels: no decompression bomb reaches the renderer)."""
    from PIL import Image, UnidentifiedImageError

    from convention_docs import _limits

    class _Problem(Exception):
        pass

    def problem(message: str) -> Exception:
        return _Problem(message)

    if not path.exists() and not path.is_symlink():
        return "fichier de logo introuvable"
    try:
        _limits.check_regular(path, error=problem, what="fichier de logo")
        with Image.open(path) as picture:
            _limits.check_picture(picture.size, error=problem)
            picture.verify()
    except _Problem as exc:
        return str(exc)
    except Image.DecompressionBombError:
        return _limits.BOMB
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return "fichier de logo illisible (ce n'est pas une image PNG ou JPEG valide)"
    return None


def json_nodes(text: str, loader_class: Any) -> Any:
    """Return YAML nodes of a JSON text (JSON is, nearly always, YAML too), to find the
    line of an error; None when the YAML parser reads it otherwise."""
    # YAML refuses JSON's escaped surrogate pairs (\ud83d\ude00): each half becomes a
    # space of the same length, so that lines and columns stay those of the file.
    loader = loader_class(re.sub(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}", r"\\u0020", text))
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, ValueError):
        return None
    finally:
        loader.dispose()
