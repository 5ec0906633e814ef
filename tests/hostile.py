"""Helpers of the hostile corpus (tests/test_hostile_*.py): run the command line, build hostile
files, check that nothing was left behind.

Every hostile case is marked ``@pytest.mark.hostile("<class>")``; ``tools/reliability_table.py``
runs them and writes the table of ``docs/reliability.md`` (class, cases tried, cases held).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from convention_docs.cli import main

from .conftest import MINIMAL

TRACEBACK = "Traceback (most recent call last)"


def hostile(kind: str) -> pytest.MarkDecorator:
    """Mark a test as a case of the hostile corpus, of class ``kind``."""
    return pytest.mark.hostile(kind)


def spec(folder: Path, data: dict[str, Any] | None = None, name: str = "spec.yaml",
         text: str | None = None) -> Path:
    """Write a spec (``data`` as YAML, or ``text`` as is) in ``folder``."""
    path = folder / name
    if text is None:
        text = yaml.safe_dump(data if data is not None else MINIMAL, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run the command line in this process; return (exit code, stdout, stderr), the outputs
    on one line each (the console wraps long messages)."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    flat = (" ".join(captured.out.split()), " ".join(captured.err.split()))
    assert TRACEBACK not in captured.out + captured.err
    return code, *flat


def left_in(folder: Path) -> list[str]:
    """What a run left in ``folder`` that is no input of the tests: temporary folders and
    files of ours, partial outputs."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".convention-docs") or p.suffix in (".docx", ".pdf"))


def encrypted_zip(data: bytes) -> bytes:
    """``data`` (a ZIP) with every member marked as encrypted (ZipCrypto's flag bit 0), as a
    password-protected archive made by a ZIP tool says."""
    out = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at != -1:
            (flags,) = struct.unpack_from("<H", out, at + flags_at)
            struct.pack_into("<H", out, at + flags_at, flags | 0x1)
            at = out.find(signature, at + 4)
    return bytes(out)


def template_with(folder: Path, text: str, name: str = "modele.docx") -> Path:
    """A .docx template whose only paragraph is ``text`` (Jinja included)."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    path = folder / name
    document.save(str(path))
    return path


def zip_bomb(members: dict[str, int]) -> bytes:
    """A ZIP whose members inflate to the given sizes (zeros: a few KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                chunk = b"<a>" + b" " * (1 << 20)
                for _ in range(size >> 20):
                    member.write(chunk)
    return buffer.getvalue()


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
