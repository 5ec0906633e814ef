"""Reading a document's bytes, with the French errors both readers give."""

from __future__ import annotations

from pathlib import Path

from convention_docs.errors import DocumentError, os_reason

__all__ = ["read_bytes"]


def read_bytes(path: str | Path) -> bytes:
    """Return the bytes of ``path``, or raise ``DocumentError`` naming it."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as error:
        raise DocumentError("fichier introuvable", path=path) from error
    except OSError as error:
        raise DocumentError(f"fichier illisible ({os_reason(error)})", path=path) from error
