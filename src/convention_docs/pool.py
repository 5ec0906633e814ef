"""``ConverterPool``: several warm LibreOffice instances shared by the threads of one process.

A LibreOffice converts one document at a time, while our own Python work on a convention
(render, validation, metadata) takes a third of the time its conversion does. So one Python
process can keep several LibreOffice instances busy: threads run the conventions, and each
conversion borrows whichever instance is free. On a small machine this does more per second
than one Python process per LibreOffice (no interpreter start and no import per worker, caches
shared), which is what ``batch(jobs=N)`` uses.

Instances start at the first conversion that finds none free (a batch of .docx only starts
none), up to ``size``; a crashed instance restarts itself (see :class:`Converter`). The pool is
a drop-in ``converter=`` for ``render``/``build``: anything with ``convert(docx, pdf, options)``
is (:class:`convention_docs.convert.PdfConverter`), which is also the seam for a pool of
LibreOffice servers on other machines.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from convention_docs.convert import Converter, PdfOptions
from convention_docs.errors import ConversionError

__all__ = ["ConverterPool"]


class ConverterPool:
    """Up to ``size`` warm :class:`Converter` s, lent one conversion at a time; a context manager.

    ``timeout`` is each converter's (see :class:`Converter`).
    """

    def __init__(self, size: int, *, timeout: float = 120.0) -> None:
        if size < 1:
            raise ValueError(f"taille du groupe : au moins 1 convertisseur, pas {size}")
        self.size = size
        self.timeout = timeout
        self._free: queue.SimpleQueue[Converter] = queue.SimpleQueue()
        self._all: list[Converter] = []
        self._lock = threading.Lock()
        self._closed = False
        self._starting = 0

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def started(self) -> int:
        """How many LibreOffice instances were started so far."""
        return len(self._all)

    def convert(self, docx: Path, pdf: Path, options: PdfOptions = PdfOptions()) -> Path:
        """Convert with a free instance (started if none is free and fewer than ``size`` run);
        same contract as :meth:`Converter.convert`."""
        converter = self._borrow()
        try:
            return converter.convert(docx, pdf, options)
        finally:
            self._free.put(converter)

    def close(self) -> None:
        """Stop every instance (waiting for conversions under way); idempotent."""
        with self._lock:
            self._closed = True
            converters = list(self._all)
        for converter in converters:
            converter.close()

    def _borrow(self) -> Converter:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._closed:
                raise ConversionError("ce groupe de convertisseurs est fermé")
            start = len(self._all) + self._starting < self.size
            self._starting += start
        if not start:
            return self._free.get()
        try:  # outside the lock: several instances start at once
            converter = Converter(timeout=self.timeout)
        finally:
            with self._lock:
                self._starting -= 1
        with self._lock:
            self._all.append(converter)
            closed = self._closed
        if closed:
            converter.close()
            raise ConversionError("ce groupe de convertisseurs est fermé")
        return converter
