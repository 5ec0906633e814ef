"""Bridge between ``convention_docs.convert`` and a running LibreOffice, through UNO.

Runs under a Python that has LibreOffice's ``uno`` module (Debian: ``python3-uno``, for the
system Python), not in the project's virtual environment; standard library only::

    python3 -I _uno_worker.py --pipe NAME --connect-timeout SECONDS

It connects to ``soffice --accept=pipe,name=NAME;urp;StarOffice.ComponentContext``, retrying
until the deadline, and writes ``{"ok": true, "ready": true, "seconds": …}`` (or ``{"ok":
false, …}`` and exits). Then, for each JSON line read on stdin, it writes one JSON line:

- ``{"docx": "/abs/in.docx", "pdf": "/abs/out.pdf", "filter_data": {"UseTaggedPDF":
  {"type": "boolean", "value": "true"}, …}, "keywords": ["…", …]}`` (``keywords`` optional:
  the document's keywords, set before the export) → ``{"ok": true}`` or
  ``{"ok": false, "error": "…", "fatal": false}``; ``fatal`` means the connection to
  LibreOffice is lost, and the worker exits after saying so.
- ``{"terminate": true}`` → asks LibreOffice to quit, answers ``{"ok": true}``, exits.

At the end of its input (its parent died or closed the pipe) it asks LibreOffice to quit too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

DOCX_IMPORT_FILTER = "MS Word 2007 XML"
PDF_EXPORT_FILTER = "writer_pdf_Export"
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE


class LoadError(Exception):
    """LibreOffice returned no document (message in French: it reaches the user as is)."""


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _typed(name: str, spec: Mapping[str, str]) -> Any:
    """The UNO value of one filter option written as ``{"type": …, "value": …}``."""
    kind, value = spec["type"], spec["value"]
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "long":
        return uno.Any("long", int(value))
    if kind == "string":
        return value
    raise ValueError(f"filter option {name}: unsupported {spec!r}")


def connect(pipe: str, deadline: float) -> Any:
    """Return LibreOffice's Desktop, retrying the connection until ``deadline``."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.02)  # LibreOffice is usually ready within a second
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                            context)


def convert(desktop: Any, docx: str, pdf: str, filter_data: Mapping[str, Any],
            keywords: Sequence[str] | None = None) -> None:
    """Load ``docx`` hidden and read-only, export it to ``pdf``, close it; ``keywords``, when
    given, replace the document's own (which LibreOffice cut at every space)."""
    load = (
        _property("Hidden", True),
        _property("ReadOnly", True),
        _property("FilterName", DOCX_IMPORT_FILTER),
        _property("MacroExecutionMode", uno.Any("short", NEVER_EXECUTE)),
        _property("UpdateDocMode", uno.Any("short", NO_UPDATE)),
    )
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, load)
    if document is None:
        raise LoadError("document illisible, ce n'est pas un .docx valide")
    try:
        if keywords is not None:
            # best effort: the metadata are written again afterwards when they are not right
            with contextlib.suppress(Exception):
                document.getDocumentProperties().Keywords = tuple(str(k) for k in keywords)
        data = uno.Any("[]com.sun.star.beans.PropertyValue",
                       tuple(_property(name, _typed(name, spec))
                             for name, spec in filter_data.items()))
        store = (_property("FilterName", PDF_EXPORT_FILTER), _property("FilterData", data))
        uno.invoke(document, "storeToURL",
                   (uno.systemPathToFileUrl(pdf),
                    uno.Any("[]com.sun.star.beans.PropertyValue", store)))
    finally:
        try:
            document.close(True)
        except Exception:
            document.dispose()


def _alive(desktop: Any) -> bool:
    try:
        desktop.getFrames()
    except Exception:
        return False
    return True


def _terminate(desktop: Any) -> None:
    with contextlib.suppress(Exception):  # the bridge goes away while LibreOffice quits
        desktop.terminate()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, LoadError):
        return str(exc)
    message = getattr(exc, "Message", "") or str(exc)
    return f"{type(exc).__name__}: {message}".strip()


def serve(desktop: Any, requests: TextIO, reply: Callable[..., None]) -> int:
    """Answer requests until ``terminate`` or the end of input; return the exit code."""
    for line in requests:
        try:
            request = json.loads(line)
            if request.get("terminate"):
                _terminate(desktop)
                reply(ok=True)
                return 0
            convert(desktop, request["docx"], request["pdf"], request["filter_data"],
                    request.get("keywords"))
        except Exception as exc:
            fatal = not _alive(desktop)
            reply(ok=False, error=_describe(exc), fatal=fatal)
            if fatal:
                return 1
        else:
            reply(ok=True)
    _terminate(desktop)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    # Replies go to a private copy of stdout; anything else printed lands on stderr.
    with os.fdopen(os.dup(1), "w", encoding="utf-8") as out:
        os.dup2(2, 1)

        def reply(**fields: Any) -> None:
            out.write(json.dumps(fields) + "\n")
            out.flush()

        started = time.monotonic()
        try:
            desktop = connect(args.pipe, started + args.connect_timeout)
        except Exception as exc:
            reply(ok=False, error=_describe(exc), fatal=True)
            return 1
        reply(ok=True, ready=True, seconds=round(time.monotonic() - started, 3))
        return serve(desktop, sys.stdin, reply)


if __name__ == "__main__":
    sys.exit(main())
