"""Shared fixtures: the examples, a minimal valid spec, and helpers to read outputs back."""

from __future__ import annotations

import copy
import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = ROOT / "tests" / "data" / "seed-convention.txt"
"""A copy of the convention the project was created from (shared/seed/000_22954209336d223a.txt)."""

MINIMAL: dict[str, Any] = {
    "title": "CONVENTION DE PARTENARIAT",
    "object": "relative à la clause sociale",
    "parties": [
        {"key": "etat", "name": "L'État", "gender": "masculine", "designation": "l'État",
         "representative": {"civility": "M.", "first_name": "Pierre", "last_name": "Durand",
                            "function": "préfet de région"}},
        {"key": "plie", "name": "La Maison de l'emploi", "gender": "feminine",
         "designation": "le facilitateur",
         "representative": {"civility": "Mme", "first_name": "Anne", "last_name": "Martin",
                            "function": "présidente"}},
    ],
    "articles": [
        {"key": "objet", "title": "OBJET", "blocks": ["La présente convention a un objet."]},
        {"key": "duree", "title": "DURÉE",
         "blocks": ["Elle prend effet le 1er janvier 2027 pour une durée d'un an."]},
    ],
    "signature": {"place": "Marseille", "date": "2026-12-01"},
    "funding": {"period": "FSE+ 2021-2027"},
}


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A small valid spec (a fresh deep copy for each test)."""
    return copy.deepcopy(MINIMAL)


def soffice_available() -> bool:
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


needs_libreoffice = pytest.mark.skipif(not soffice_available(),
                                       reason="LibreOffice (soffice) absent")


def _stale_office_pipes() -> set[Path]:
    """LibreOffice's named pipes (Unix sockets ``/tmp/OSL_PIPE_…``) nobody listens on."""
    listening = {fields[7] for fields in map(str.split, Path("/proc/net/unix").read_text()
                                             .splitlines()) if len(fields) == 8}
    return {pipe for pipe in Path("/tmp").glob("OSL_PIPE_*") if str(pipe) not in listening}


@pytest.fixture
def new_stale_pipes() -> Callable[[], set[Path]]:
    """A function giving the LibreOffice named pipes left behind since the test started (a
    killed LibreOffice leaves them unless we remove them)."""
    before = _stale_office_pipes()
    return lambda: _stale_office_pipes() - before


def command_lines() -> dict[int, bytes]:
    """The command line (arguments separated by NUL) of every live process (Linux ``/proc``)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile
    return found


def descendants(root: int) -> set[int]:
    """The live processes started, directly or not, by process ``root`` (Linux ``/proc``)."""
    parent = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    found: set[int] = set()
    for pid in parent:
        ancestor = parent.get(pid)
        while ancestor and ancestor not in found and ancestor != root:
            ancestor = parent.get(ancestor)
        if ancestor == root or ancestor in found:
            found.add(pid)
    return found


def tool(name: str) -> ModuleType:
    """The script ``tools/<name>.py``, imported from the source tree (not part of the
    package)."""
    spec = importlib.util.spec_from_file_location(
        name, Path(__file__).resolve().parent.parent / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF whose objects are ``objects`` (numbered from 1, the first the catalog), with a
    correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def retitle(docx: Path, which: Callable[[str], bool], text: str) -> Path:
    """``docx`` with the first run of every paragraph whose text ``which`` accepts set to
    ``text`` (its other runs left as they are), saved in place."""
    from docx import Document

    document = Document(str(docx))
    for paragraph in document.paragraphs:
        if which(paragraph.text):
            paragraph.runs[0].text = text
    document.save(str(docx))
    return docx
