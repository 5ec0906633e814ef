"""LibreOffice behind a small interface: ``Converter().convert(docx, pdf)``.

A ``Converter`` owns a private LibreOffice user profile (two ``soffice`` sharing a profile fail
silently) in a temporary folder it removes on ``close()`` and at interpreter exit. It runs in one
of two modes, given by ``Converter.mode`` (and why, by ``Converter.mode_reason``):

- ``"warm"``: one long-lived ``soffice --accept=pipe,…`` in its own process group, driven
  through UNO by ``_uno_worker.py``, which runs under the system Python that has LibreOffice's
  ``uno`` module (``/usr/bin/python3``, or ``$CONVENTION_DOCS_UNO_PYTHON``) and speaks JSON lines
  on its stdin/stdout. About 0.1 s per document after a start of a second or two.
- ``"cold"``: one ``soffice --convert-to`` process per call, or per batch in ``convert_many``.
  Used when ``warm=False``, when ``uno`` cannot be imported, or when the warm start failed.

Every conversion goes to a private folder, is checked (non-empty, starts with ``%PDF-``, ends
with ``%%EOF``) and only then moved to its destination: on failure nothing is written there.
A conversion that takes longer than ``timeout`` seconds gets its whole process group killed
(SIGTERM, then SIGKILL) and raises ``ConversionTimeout``; a crash raises ``ConversionError``.
Either way the next call starts a fresh LibreOffice, and in a batch the other documents are
still converted.

Thread safety: a ``Converter`` serialises its calls with a lock (one LibreOffice converts one
document at a time). For parallel conversions use one ``Converter`` per thread or process.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import shutil
import subprocess
import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from select import select
from typing import IO, Any, Literal, Protocol

from convention_docs import _profile, _reaper
from convention_docs._office import kill_group as _kill_group
from convention_docs._office import office_env as _office_env
from convention_docs.errors import ConversionError, ConversionTimeout, LibreOfficeNotFound

__all__ = ["Converter", "PdfConverter", "PdfOptions", "find_soffice", "pdf_destination_name"]

SOFFICE_ENV = "CONVENTION_DOCS_SOFFICE"
UNO_PYTHON_ENV = "CONVENTION_DOCS_UNO_PYTHON"
DEFAULT_UNO_PYTHON = "/usr/bin/python3"
INSTALL_HINT = "apt-get install libreoffice-writer-nogui fonts-liberation2"
DOCX_IMPORT_FILTER = "MS Word 2007 XML"  # refuse what is not a .docx (else read as plain text)

_STOP_WAIT = 5.0  # seconds LibreOffice gets to quit when asked politely
_MIN_START_TIMEOUT = 30.0  # a first start creates the profile: give it time
_POLL = 0.05
_LOG_TAIL = 2000


def find_soffice() -> str:
    """Return the path of LibreOffice's ``soffice``.

    ``$CONVENTION_DOCS_SOFFICE`` wins when set; otherwise ``soffice`` or ``libreoffice`` on the
    ``PATH``. Raises ``LibreOfficeNotFound`` (saying how to install it) when there is none.
    """
    override = os.environ.get(SOFFICE_ENV)
    if override:
        found = shutil.which(override)
        if found is None:
            raise LibreOfficeNotFound(
                f"LibreOffice est introuvable : {SOFFICE_ENV} désigne « {override} », qui "
                "n'existe pas ou n'est pas exécutable. Corrigez cette variable, ou installez "
                f"LibreOffice avec « {INSTALL_HINT} »."
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found is not None:
            return found
    raise LibreOfficeNotFound(
        "LibreOffice est introuvable : ni « soffice » ni « libreoffice » dans le PATH. "
        f"Installez-le avec « {INSTALL_HINT} » (ou indiquez le chemin de soffice dans "
        f"{SOFFICE_ENV})."
    )


def _flag(value: bool) -> dict[str, str]:
    return {"type": "boolean", "value": "true" if value else "false"}


@dataclass(frozen=True)
class PdfOptions:
    """What the PDF must be, as options of LibreOffice's ``writer_pdf_Export`` filter.

    - ``pdfa``: PDF/A-2b (XMP identification, output intent, embedded fonts).
    - ``tagged``: structure tree for screen readers.
    - ``lossless_images``: images kept pixel-exact (no JPEG, no downsampling).
    - ``bookmarks``: headings become PDF bookmarks and Word bookmarks become named destinations
      (see ``pdf_destination_name`` for the names LibreOffice gives them).

    - ``keywords``: the PDF's ``/Keywords``, one per item, where LibreOffice would take the
      .docx's and cut them at spaces too (``clauses sociales`` → ``clauses, sociales``). Set
      by a warm converter (through UNO, before the export); a cold one (``--convert-to``)
      cannot, and leaves LibreOffice's: ``render`` writes the metadata afterwards anyway
      (:func:`convention_docs.pdfmeta.set_metadata`), which then has nothing left to change.

    LibreOffice ignores a misspelled or mistyped option without a word, so the tests check the
    PDFs, not these strings. Every option is sent explicitly, whatever the profile says.
    ``EmbedStandardFonts`` is not sent: LibreOffice 7.4 does not know it, and embeds every font.
    """

    pdfa: bool = False
    tagged: bool = True
    lossless_images: bool = True
    bookmarks: bool = True
    keywords: tuple[str, ...] | None = None

    def filter_data(self) -> dict[str, dict[str, str]]:
        """Return the filter options, typed as LibreOffice's ``--convert-to`` JSON expects."""
        return {
            "SelectPdfVersion": {"type": "long", "value": "2" if self.pdfa else "0"},
            "UseTaggedPDF": _flag(self.tagged),
            "UseLosslessCompression": _flag(self.lossless_images),
            "ReduceImageResolution": _flag(not self.lossless_images),
            "ExportBookmarks": _flag(self.bookmarks),
            "ExportBookmarksToPDFDestination": _flag(self.bookmarks),
        }

    def filter_string(self) -> str:
        """Return the ``--convert-to`` argument: ``pdf:writer_pdf_Export:{json}``."""
        return "pdf:writer_pdf_Export:" + json.dumps(self.filter_data(), separators=(",", ":"))


class PdfConverter(Protocol):
    """What ``render``/``build`` ask of a converter: :class:`Converter`,
    :class:`~convention_docs.pool.ConverterPool`, or a client of remote conversion servers."""

    def convert(self, docx: Path, pdf: Path, options: PdfOptions = ...) -> Path:
        """Convert ``docx`` into exactly ``pdf``; raise ``ConversionError`` (nothing at ``pdf``)."""
        ...


_URL_UNSAFE = frozenset(' "#%<>[\\]^`{|}')


def pdf_destination_name(bookmark: str) -> str:
    """Return the name of the PDF destination LibreOffice makes from a Word bookmark.

    LibreOffice percent-encodes the bookmark like a URL fragment (non-ASCII characters as
    UTF-8, spaces, ``#``, ``%``), then keeps ASCII letters, digits and ``-`` and writes any
    other character as two hexadecimal digits. The encoding cannot be undone in general, so
    look destinations up by the name this returns:

    >>> pdf_destination_name("signature_porteur")
    'signature5Fporteur'
    >>> pdf_destination_name("signature-é")
    'signature-25C325A9'
    """
    encoded = "".join(
        "".join(f"%{byte:02X}" for byte in char.encode())
        if not char.isascii() or char in _URL_UNSAFE or not char.isprintable()
        else char
        for char in bookmark
    )
    return "".join(
        char if char.isalnum() or char == "-" else f"{ord(char):02X}" for char in encoded
    )


@functools.cache
def _uno_problem(python: str) -> str | None:
    """Why ``python`` cannot run the UNO worker, or None when ``import uno`` works."""
    try:
        probe = subprocess.run(
            [python, "-I", "-c", "import uno"], stdin=subprocess.DEVNULL,
            capture_output=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    else:
        if probe.returncode == 0:
            return None
        lines = probe.stderr.decode(errors="replace").strip().splitlines()
        detail = lines[-1] if lines else f"code de sortie {probe.returncode}"
    return (
        f"mode chaud indisponible : « {python} -c 'import uno' » a échoué ({detail}) ; "
        f"installez python3-uno ou indiquez un autre Python dans {UNO_PYTHON_ENV}"
    )


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - _LOG_TAIL))
            return log.read().decode(errors="replace").strip()
    except OSError:
        return ""


def _pdf_problem(path: Path) -> str | None:
    """Why ``path`` is not a finished PDF (French), or None when it is one."""
    try:
        with path.open("rb") as pdf:
            head = pdf.read(5)
            size = pdf.seek(0, os.SEEK_END)
            pdf.seek(max(0, size - 1024))
            tail = pdf.read()
    except FileNotFoundError:
        return "LibreOffice n'a produit aucun PDF"
    except OSError as exc:
        return f"PDF produit illisible ({exc.strerror})"
    if size == 0:
        return "LibreOffice a produit un PDF vide"
    if head != b"%PDF-":
        return "LibreOffice a produit un fichier qui n'est pas un PDF"
    if b"%%EOF" not in tail:
        return "LibreOffice a produit un PDF incomplet"
    return None


def _move(produced: Path, destination: Path) -> None:
    """Put ``produced`` at ``destination`` atomically (copy then rename across file systems)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        produced.replace(destination)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    part = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
    try:
        shutil.copyfile(produced, part)
        part.replace(destination)
    finally:
        part.unlink(missing_ok=True)
        produced.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Job:
    docx: Path
    pdf: Path


class _CrashError(Exception):
    """The warm LibreOffice or its worker died (internal, turned into ConversionError)."""


class _LineReader:
    """Reads the worker's JSON lines with a deadline (no thread, no blocking readline)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._fd = stream.fileno()
        self._buffer = b""

    def readline(self, until: float) -> bytes | None:
        """Return the next line, None if none came before ``until``; EOFError at end."""
        while b"\n" not in self._buffer:
            remaining = until - time.monotonic()
            if remaining <= 0 or not select([self._fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line


class _Resources:
    """What a Converter must release: its processes and its temporary folder.

    Kept apart from the Converter so that ``weakref.finalize`` can release them at interpreter
    exit or garbage collection without keeping the Converter alive.
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.soffice: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.reader: _LineReader | None = None
        self.cold: subprocess.Popen[bytes] | None = None

    def running(self) -> bool:
        return (self.soffice is not None and self.soffice.poll() is None
                and self.worker is not None and self.worker.poll() is None)

    def stop(self, *, graceful: bool) -> None:
        """Stop the warm LibreOffice and its worker; ``graceful`` asks them to quit first."""
        worker, soffice = self.worker, self.soffice
        self.worker = self.soffice = self.reader = None
        quitting = False  # LibreOffice was asked to quit and the worker says it did
        if worker is not None:
            if graceful and worker.poll() is None and worker.stdin is not None:
                try:
                    worker.stdin.write(b'{"terminate": true}\n')
                    worker.stdin.flush()
                    quitting = worker.wait(_STOP_WAIT) == 0
                except (OSError, subprocess.TimeoutExpired):
                    pass
            _kill_group(worker, grace=0)
            for pipe in (worker.stdin, worker.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        if soffice is not None:
            if quitting:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    soffice.wait(_STOP_WAIT)
            _kill_group(soffice)

    def release(self) -> None:
        self.stop(graceful=True)
        if self.cold is not None:
            _kill_group(self.cold)
            self.cold = None
        shutil.rmtree(self.workdir, ignore_errors=True)
        _reaper.forget_folder(self.workdir)


@dataclass(frozen=True)
class _ColdRun:
    returncode: int | None  # None: killed after a timeout
    output: str


class Converter:
    """Converts .docx files to PDF with LibreOffice; a context manager (see the module doc).

    ``soffice`` defaults to ``find_soffice()``. ``timeout`` (seconds, may be changed later)
    bounds each document: in a cold batch, soffice is stopped when no new PDF appeared for that
    long; a warm start gets at least 30 s. ``warm`` asks for a long-lived LibreOffice: ``mode``
    says whether it got one (``"warm"``/``"cold"``) and ``mode_reason`` why not.
    ``startup_seconds`` is how long the last warm start took; ``workdir`` is the private folder
    (profile and scratch files) that ``close()`` removes.
    """

    def __init__(self, soffice: str | None = None, *, timeout: float = 120.0,
                 warm: bool = True) -> None:
        if soffice is None:
            self.soffice = find_soffice()
        else:
            found = shutil.which(soffice)
            if found is None:
                raise LibreOfficeNotFound(
                    f"LibreOffice est introuvable : « {soffice} » n'existe pas ou n'est pas "
                    f"exécutable. Installez-le avec « {INSTALL_HINT} »."
                )
            self.soffice = found
        self.timeout = timeout
        self.mode: Literal["warm", "cold"] = "cold"
        self.mode_reason = "mode froid demandé (warm=False)"
        self.startup_seconds: float | None = None
        self.uno_python = os.environ.get(UNO_PYTHON_ENV) or DEFAULT_UNO_PYTHON
        self._lock = threading.Lock()
        self._workdir = _reaper.new_folder("convention-docs-lo-")  # removed if we die
        self._resources = _Resources(self._workdir)
        self._finalizer = weakref.finalize(self, self._resources.release)
        self._count = 0
        if warm:
            problem = _uno_problem(self.uno_python)
            if problem is not None:
                self.mode_reason = problem
            else:
                try:
                    self._start_warm()
                except ConversionError as exc:
                    self.mode_reason = f"démarrage du mode chaud impossible, {exc}"
                else:
                    self.mode, self.mode_reason = "warm", ""

    # -- public API -----------------------------------------------------------------------

    @property
    def workdir(self) -> Path:
        """The private folder holding the LibreOffice profile and scratch files."""
        return self._workdir

    @property
    def closed(self) -> bool:
        """True once ``close()`` ran."""
        return not self._finalizer.alive

    def close(self) -> None:
        """Stop LibreOffice and remove the profile and scratch files; idempotent."""
        with self._lock:
            self._finalizer()

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def convert(self, docx: Path, pdf: Path, options: PdfOptions = PdfOptions()) -> Path:
        """Convert ``docx`` into exactly ``pdf`` and return ``pdf``.

        Raises ``ConversionTimeout`` or ``ConversionError``; then nothing is written at ``pdf``.
        """
        job = _Job(Path(docx), Path(pdf))
        with self._lock:
            self._check_open()
            self._check_input(job)
            if self.mode == "warm":
                return self._convert_warm(job, options)
            result = self._convert_cold([job], options)[0]
        if isinstance(result, ConversionError):
            raise result
        return result

    def convert_many(self, pairs: Iterable[tuple[Path, Path]],
                     options: PdfOptions = PdfOptions()) -> list[Path | ConversionError]:
        """Convert each ``(docx, pdf)`` pair; one result per pair, in order.

        A result is the PDF's path or the ``ConversionError`` that document met: a failure
        never loses the others. Cold mode converts them with one ``soffice`` (restarted after a
        crash or a timeout); warm mode one by one through the running LibreOffice.
        """
        jobs = [_Job(Path(docx), Path(pdf)) for docx, pdf in pairs]
        results: list[Path | ConversionError | None] = [None] * len(jobs)
        with self._lock:
            self._check_open()
            runnable: list[int] = []
            for index, job in enumerate(jobs):
                try:
                    self._check_input(job)
                except ConversionError as exc:
                    results[index] = exc
                else:
                    runnable.append(index)
            if self.mode == "warm":
                for index in runnable:
                    try:
                        results[index] = self._convert_warm(jobs[index], options)
                    except ConversionError as exc:
                        results[index] = exc
            else:
                converted = self._convert_cold([jobs[i] for i in runnable], options)
                for index, result in zip(runnable, converted, strict=True):
                    results[index] = result
        return [result for result in results if result is not None]

    # -- shared -----------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise ConversionError("ce convertisseur est fermé (close() a déjà été appelé)")

    @staticmethod
    def _check_input(job: _Job) -> None:
        if not job.docx.is_file():
            raise ConversionError(f"{job.docx} : fichier introuvable", source=job.docx)

    def _prepare_profile(self) -> None:
        """The private profile, seeded from the kept one (first start only) and configured."""
        profile = self._workdir / "profile"
        _profile.seed(profile, self.soffice)
        _profile.configure(profile, self.soffice)

    @property
    def _profile_arg(self) -> str:
        return f"-env:UserInstallation={(self._workdir / 'profile').as_uri()}"

    def _deliver(self, produced: Path, job: _Job, details: str = "") -> Path:
        problem = _pdf_problem(produced)
        if problem is not None:
            produced.unlink(missing_ok=True)
            raise ConversionError(f"{job.docx} : {problem}", source=job.docx, details=details)
        try:
            _move(produced, job.pdf)
        except OSError as exc:
            raise ConversionError(
                f"{job.pdf} : impossible d'écrire le PDF ({exc.strerror or exc})",
                source=job.docx,
            ) from exc
        return job.pdf

    def _timeout_error(self, job: _Job, details: str = "") -> ConversionTimeout:
        return ConversionTimeout(
            f"{job.docx} : LibreOffice n'a pas terminé la conversion en {self.timeout:g} s ; "
            "il a été arrêté",
            source=job.docx, details=details,
        )

    # -- warm mode ----------------------------------------------------------------------------

    def _start_warm(self) -> None:
        """Start soffice and the UNO worker; return once the worker is connected."""
        resources = self._resources
        resources.stop(graceful=False)
        self._prepare_profile()
        pipe = f"convention_docs_{self._workdir.name}"
        started = time.monotonic()
        deadline = started + max(self.timeout, _MIN_START_TIMEOUT)
        with (self._workdir / "soffice.log").open("ab") as log:
            try:
                resources.soffice = subprocess.Popen(
                    [self.soffice, self._profile_arg, "--headless", "--invisible", "--nologo",
                     "--norestore", "--nodefault", "--nolockcheck",
                     f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True, env=_office_env(self._workdir),
                )
            except OSError as exc:
                raise ConversionError(f"soffice n'a pas pu être lancé ({exc})") from exc
            _reaper.watch_group(resources.soffice.pid)  # killed if we die, even by SIGKILL
        with (self._workdir / "worker.log").open("ab") as log:
            try:
                worker = subprocess.Popen(
                    [self.uno_python, "-I", str(Path(__file__).with_name("_uno_worker.py")),
                     "--pipe", pipe, "--connect-timeout", f"{deadline - time.monotonic():.1f}"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                    start_new_session=True,
                )
            except OSError as exc:
                resources.stop(graceful=False)
                raise ConversionError(f"le pont UNO n'a pas démarré ({exc})") from exc
        _reaper.watch_group(worker.pid)
        resources.worker = worker
        assert worker.stdout is not None
        resources.reader = _LineReader(worker.stdout)
        try:
            reply = self._await_reply(deadline)
        except _CrashError as crash:
            resources.stop(graceful=False)
            raise ConversionError(
                f"LibreOffice n'a pas démarré ({crash})", details=self._logs()) from None
        if reply is None or not reply.get("ok"):
            resources.stop(graceful=False)
            why = "pas de connexion" if reply is None else reply.get("error", "?")
            raise ConversionError(f"LibreOffice n'a pas démarré ({why})", details=self._logs())
        self.startup_seconds = time.monotonic() - started

    def _await_reply(self, deadline: float) -> dict[str, Any] | None:
        """The worker's next reply; None at ``deadline``; ``_CrashError`` if soffice or it died."""
        resources = self._resources
        assert resources.reader is not None and resources.soffice is not None
        while time.monotonic() < deadline:
            try:
                line = resources.reader.readline(min(deadline, time.monotonic() + 0.2))
            except EOFError:
                raise _CrashError("le pont UNO s'est arrêté") from None
            if line is not None:
                try:
                    reply = json.loads(line)
                except ValueError:
                    raise _CrashError(f"réponse illisible du pont UNO : {line[:200]!r}") from None
                if not isinstance(reply, dict):
                    raise _CrashError(f"réponse illisible du pont UNO : {line[:200]!r}")
                return reply
            code = resources.soffice.poll()
            if code is not None:
                raise _CrashError(f"soffice s'est arrêté, code de sortie {code}")
        return None

    def _logs(self) -> str:
        parts = [f"{name} :\n{text}" for name in ("soffice.log", "worker.log")
                 if (text := _tail(self._workdir / name))]
        return "\n".join(parts)

    def _convert_warm(self, job: _Job, options: PdfOptions) -> Path:
        resources = self._resources
        if not resources.running():
            try:
                self._start_warm()
            except ConversionError as exc:
                raise ConversionError(f"{job.docx} : {exc}", source=job.docx,
                                      details=exc.details) from exc
        worker = resources.worker
        assert worker is not None and worker.stdin is not None
        self._count += 1
        produced = self._workdir / f"warm-{self._count:05d}.pdf"
        request: dict[str, Any] = {"docx": str(job.docx.resolve()), "pdf": str(produced),
                                   "filter_data": options.filter_data()}
        if options.keywords is not None:
            request["keywords"] = list(options.keywords)
        try:
            worker.stdin.write(json.dumps(request).encode() + b"\n")
            worker.stdin.flush()
            reply = self._await_reply(time.monotonic() + self.timeout)
        except (OSError, _CrashError) as exc:
            resources.stop(graceful=False)
            produced.unlink(missing_ok=True)
            raise ConversionError(
                f"{job.docx} : LibreOffice s'est arrêté pendant la conversion ({exc}) ; "
                "il sera relancé pour le document suivant",
                source=job.docx, details=self._logs(),
            ) from None
        except BaseException:  # e.g. KeyboardInterrupt: a late reply would desynchronise
            resources.stop(graceful=False)
            produced.unlink(missing_ok=True)
            raise
        if reply is None:
            resources.stop(graceful=False)
            produced.unlink(missing_ok=True)
            raise self._timeout_error(job)
        if not reply.get("ok"):
            if reply.get("fatal") or not resources.running():
                resources.stop(graceful=False)
            produced.unlink(missing_ok=True)
            error = str(reply.get("error", "?"))
            raise ConversionError(
                f"{job.docx} : LibreOffice n'a pas pu convertir le document ({error})",
                source=job.docx, details=error,
            )
        return self._deliver(produced, job)

    # -- cold mode ------------------------------------------------------------------------------

    def _convert_cold(self, jobs: Sequence[_Job],
                      options: PdfOptions) -> list[Path | ConversionError]:
        results: list[Path | ConversionError | None] = [None] * len(jobs)
        pending = list(range(len(jobs)))
        while pending:
            pending = self._cold_round(jobs, pending, options, results)
        return [result for result in results if result is not None]

    def _cold_round(self, jobs: Sequence[_Job], pending: list[int], options: PdfOptions,
                    results: list[Path | ConversionError | None]) -> list[int]:
        """Convert ``pending`` with one soffice; return the ones to try again.

        soffice converts in order: after a crash or a timeout, the first document without a
        finished PDF is blamed and the ones after it are tried again in a new process.
        """
        indir, outdir = self._workdir / "in", self._workdir / "out"
        for folder in (indir, outdir):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        staged: dict[int, str] = {}
        for index in pending:
            name = f"doc-{index:05d}"  # neutral names: no collisions, nothing from the user
            try:
                shutil.copyfile(jobs[index].docx, indir / f"{name}.docx")
            except OSError as exc:
                results[index] = ConversionError(
                    f"{jobs[index].docx} : fichier illisible ({exc.strerror or exc})",
                    source=jobs[index].docx)
            else:
                staged[index] = name
        if not staged:
            return []
        try:
            run = self._run_cold([indir / f"{name}.docx" for name in staged.values()], outdir,
                                 options)
        except OSError as exc:
            for index in staged:
                results[index] = ConversionError(
                    f"{jobs[index].docx} : soffice n'a pas pu être lancé ({exc})",
                    source=jobs[index].docx)
            return []
        stopped_early = run.returncode != 0
        retry: list[int] = []
        blamed = False
        for index, name in staged.items():
            job, produced = jobs[index], outdir / f"{name}.pdf"
            problem = _pdf_problem(produced)
            if problem is None:
                try:
                    results[index] = self._deliver(produced, job, run.output)
                except ConversionError as exc:
                    results[index] = exc
            elif stopped_early and (not produced.exists() or problem.endswith("incomplet")):
                if blamed:
                    retry.append(index)
                    continue
                blamed = True
                if run.returncode is None:
                    results[index] = self._timeout_error(job, run.output)
                else:
                    results[index] = ConversionError(
                        f"{job.docx} : {problem} (code de sortie {run.returncode})",
                        source=job.docx, details=run.output)
            else:
                code = "" if produced.exists() else f" (code de sortie {run.returncode})"
                results[index] = ConversionError(f"{job.docx} : {problem}{code}",
                                                 source=job.docx, details=run.output)
        for folder in (indir, outdir):
            shutil.rmtree(folder, ignore_errors=True)
        return retry

    def _run_cold(self, inputs: list[Path], outdir: Path, options: PdfOptions) -> _ColdRun:
        """Run one ``soffice --convert-to``; kill it when no PDF appears for ``timeout``."""
        self._prepare_profile()
        log_path = self._workdir / "soffice-cold.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [self.soffice, self._profile_arg, "--headless", "--invisible", "--nologo",
                 "--norestore", "--nodefault", "--nolockcheck",
                 f"--infilter={DOCX_IMPORT_FILTER}", "--convert-to", options.filter_string(),
                 "--outdir", str(outdir), *map(str, inputs)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, env=_office_env(self._workdir),
            )
        _reaper.watch_group(proc.pid)
        self._resources.cold = proc
        timed_out = False
        try:
            seen, progress = 0, time.monotonic()
            while True:
                try:
                    proc.wait(_POLL)
                    break
                except subprocess.TimeoutExpired:
                    pass
                done = sum(1 for _ in outdir.iterdir())
                if done > seen:
                    seen, progress = done, time.monotonic()
                elif time.monotonic() - progress > self.timeout:
                    timed_out = True
                    break
        finally:
            _kill_group(proc)
            self._resources.cold = None
        return _ColdRun(None if timed_out else proc.returncode, _tail(log_path))
