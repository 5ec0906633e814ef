"""Writing a small text file the way every output is written: all of it, or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_text_atomically"]


def write_text_atomically(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed into place.

    Raises ``FileExistsError`` when ``path`` exists and ``overwrite`` is false, ``OSError``
    when the folder is missing or not writable; nothing is left behind on failure.
    """
    if path.exists() and not overwrite:
        raise FileExistsError(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".convention-docs-",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if overwrite:
            Path(temporary).replace(path)
        else:
            os.link(temporary, path)  # fails if someone created it meanwhile
            Path(temporary).unlink()
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
