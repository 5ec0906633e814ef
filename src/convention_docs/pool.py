"""``ConverterPool``: several warm LibreOffice instances shared by the threads of one process.

A LibreOffice converts one document at a time, while our own Python work on a convention
(render, validation, metadata) takes a third of the time its conversion does. So one Python
process can keep several LibreOffice instances busy: threads run the conventions, and each
conversion borrows whichever instance is free. On a small machine this does more per second
than one Python process per LibreOffice (no interpreter start and no import per worker, caches
shared), which is what ``batch(jobs=N)`` uses.

Instances start at the first conversion that finds none free (a batch of .docx only starts
none), up to ``size``, or ahead of time with :meth:`ConverterPool.start` (a batch that makes
PDFs starts them while it renders its first documents); a crashed instance restarts itself (see
:class:`Converter`). A warm instance started ahead of time converts the built-in template
once before it is lent: LibreOffice loads its Writer, its .docx filter, fonts and PDF export
at its first document, which takes twice as long as the next ones, and nothing waits for it
yet (ready 0.3 s after the command starts, it would otherwise wait for our imports and first
render; measured on a batch of 100: 0.15 s sooner in all).

The pool is a drop-in ``converter=`` for ``render``/``build``: anything with
``convert(docx, pdf, options)`` is (:class:`convention_docs.convert.PdfConverter`), which is also
the seam for a pool of LibreOffice servers on other machines.
"""

from __future__ import annotations

import threading
from pathlib import Path

from convention_docs.convert import Converter, PdfOptions
from convention_docs.errors import ConventionDocsError, ConversionError

__all__ = ["ConverterPool"]

_CLOSED = "ce groupe de convertisseurs est fermé"


class ConverterPool:
    """Up to ``size`` warm :class:`Converter` s, lent one conversion at a time; a context manager.

    ``timeout`` is each converter's (see :class:`Converter`).
    """

    def __init__(self, size: int, *, timeout: float = 120.0) -> None:
        if size < 1:
            raise ValueError(f"taille du groupe : au moins 1 convertisseur, pas {size}")
        self.size = size
        self.timeout = timeout
        self._changed = threading.Condition()  # guards everything below
        self._free: list[Converter] = []
        self._all: list[Converter] = []
        self._starting = 0
        self._closed = False

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def started(self) -> int:
        """How many LibreOffice instances were started so far."""
        with self._changed:
            return len(self._all)

    def start(self) -> None:
        """Start every instance not started yet, in the background, and return at once.

        A conversion asked meanwhile waits for the first instance ready. An instance that
        cannot start is not retried here: the next conversion that finds none free tries again,
        and reports why it failed.
        """
        with self._changed:
            missing = 0 if self._closed else self.size - len(self._all) - self._starting
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._start_one, name="convention-docs-start",
                             daemon=True).start()

    def convert(self, docx: Path, pdf: Path, options: PdfOptions = PdfOptions()) -> Path:
        """Convert with a free instance (started if none is free and fewer than ``size`` run);
        same contract as :meth:`Converter.convert`."""
        converter = self._borrow()
        try:
            return converter.convert(docx, pdf, options)
        finally:
            with self._changed:
                self._free.append(converter)
                self._changed.notify()

    def close(self) -> None:
        """Stop every instance, all at once (waiting for conversions under way and for
        instances still starting); idempotent."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            while self._starting:
                self._changed.wait()
            converters = list(self._all)
        stoppers = [threading.Thread(target=c.close, name="convention-docs-stop")
                    for c in converters[1:]]
        for stopper in stoppers:
            stopper.start()
        if converters:
            converters[0].close()
        for stopper in stoppers:
            stopper.join()

    def _borrow(self) -> Converter:
        with self._changed:
            while True:
                if self._closed:
                    raise ConversionError(_CLOSED)
                if self._free:
                    return self._free.pop()
                if len(self._all) + self._starting < self.size:
                    self._starting += 1
                    break
                self._changed.wait()
        converter = self._new_instance()  # outside the lock: several instances start at once
        if converter is None:
            raise ConversionError(_CLOSED)
        return converter

    def _start_one(self) -> None:
        """Start one instance ahead of time, warm it up and leave it free (see :meth:`start`)."""
        try:
            converter = self._new_instance()
        except Exception:  # the conversion that needs an instance will try and say why
            return
        if converter is not None:
            try:
                _warm_up(converter)
            finally:  # lent whatever happened: threads may be waiting for it
                with self._changed:
                    self._free.append(converter)
                    self._changed.notify()

    def _new_instance(self) -> Converter | None:
        """A new instance for a slot already counted in ``_starting``; None if the pool was
        closed meanwhile (``close`` stops it). Whatever happens, the slot is released and waiting
        threads are woken, so that none waits for an instance that will never come."""
        converter = None
        try:
            converter = Converter(timeout=self.timeout)
        finally:
            with self._changed:
                if converter is not None:
                    self._all.append(converter)
                self._starting -= 1
                closed = self._closed
                self._changed.notify_all()
        return None if closed else converter


def _warm_up(converter: Converter) -> None:
    """Have ``converter`` convert the built-in template once (see the module's documentation).
    Best effort: a failure here is for the next conversion to meet and report."""
    if converter.mode != "warm":
        return  # a cold converter starts a LibreOffice for each document: nothing to warm
    from convention_docs.docx import template_file  # not at import: the CLI starts us first

    try:
        with template_file() as template:
            # in its own private folder, which goes with it (even if we are killed)
            converter.convert(template, converter.workdir / "warm-up.pdf").unlink()
    except (ConventionDocsError, OSError):  # conversion failed, template missing
        pass
