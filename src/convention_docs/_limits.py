"""Bounds on what is read, and the one funnel that turns an unexpected exception into an error.

Everything a hostile or broken input could make large is bounded here, in one place, and each
bound is refused with a French message naming the file and what was expected:

- files: regular files only (no FIFO, device or ``/dev/zero`` behind a symlink: they would hang
  or never end), read with a byte limit whatever their declared size (a sparse file says
  nothing true);
- specs: nesting depth, number of values and characters once YAML aliases are expanded;
- .docx archives (received documents and templates): members, inflated size, encrypted members,
  XML nesting;
- pictures: pixels before decoding (a decompression bomb is refused before it is inflated);
- work: a :class:`Deadline` that long computations (reading a PDF, rendering a template) check
  with :func:`checkpoint`; it is carried by a context variable so that code deep inside a
  reader needs no extra argument, and each thread has its own.

:func:`as_error` is the funnel: the command line and ``batch`` call it on whatever escaped, and
get a :class:`~convention_docs.errors.ConventionDocsError` with a French message (a full disk, a
read-only folder, memory exhausted, data nested too deep…), never a traceback.
"""

from __future__ import annotations

import contextvars
import errno
import functools
import logging
import os
import stat
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from convention_docs.errors import ConventionDocsError, LimitExceeded, os_reason

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_EXPANDED_CHARS",
    "MAX_EXPANDED_VALUES",
    "MAX_IMAGE_PIXELS",
    "MAX_INFLATED_BYTES",
    "MAX_NESTING",
    "MAX_PART_BYTES",
    "MAX_ZIP_MEMBERS",
    "Deadline",
    "as_error",
    "bounded_callable",
    "bounded_join",
    "check_arguments",
    "check_binop",
    "check_docx_archive",
    "check_growth",
    "check_picture",
    "checkpoint",
    "deadline",
    "json_int",
    "measure",
    "pdf_repairs",
    "read_regular",
    "remaining",
    "shorten",
    "yaml_loader",
]

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
"""A .docx, .pdf or picture larger than this is refused (a convention is well under 10 MB)."""

MAX_ZIP_MEMBERS = 2_000
"""Members of a .docx archive (Word writes about twenty)."""

MAX_INFLATED_BYTES = 200 * 1024 * 1024
"""Total size of a .docx once inflated."""

MAX_PART_BYTES = 10 * 1024 * 1024
"""One XML part of a .docx once inflated (a 100-page document.xml is about 2 MB; 30 MB took
11 s and 860 MB to read)."""

MAX_NESTING = 64
"""Levels of nesting of a spec (a convention needs about ten)."""

MAX_EXPANDED_VALUES = 200_000
"""Values of a spec once YAML aliases are expanded."""

MAX_EXPANDED_CHARS = 4_000_000
"""Characters of a spec's texts once YAML aliases are expanded (twice the file size limit)."""

MAX_IMAGE_PIXELS = 60_000_000
"""Pixels of a logo or picture (a 600 dpi A4 page is 35 million)."""

DOCUMENT_SECONDS = 30.0
"""Time allowed to read and check one document before it is declared too complex."""



# ------------------------------------------------------------------------------------------
# Work bounds
# ------------------------------------------------------------------------------------------


class Deadline:
    """A time limit for one piece of work (``what`` names it in the message).

    ``check()`` raises :class:`LimitExceeded` once ``seconds`` have passed; it costs one
    clock reading, so it can be called for every object visited."""

    def __init__(self, what: str, seconds: float) -> None:
        self.what = what
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    @property
    def remaining(self) -> float:
        """Seconds left (0 when past)."""
        return max(0.0, self.end - time.monotonic())

    def check(self) -> None:
        """Raise :class:`LimitExceeded` when the time is up."""
        if time.monotonic() > self.end:
            raise LimitExceeded(self.what, self.seconds)


_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "convention_docs_deadline", default=None)


@contextmanager
def deadline(what: str, seconds: float = DOCUMENT_SECONDS) -> Iterator[Deadline]:
    """Run the ``with`` block under a :class:`Deadline` that :func:`checkpoint` checks.

    Nested deadlines keep the earlier end (an inner one cannot extend an outer one)."""
    outer = _CURRENT.get()
    limit = Deadline(what, seconds)
    if outer is not None and outer.end < limit.end:
        limit = outer
    token = _CURRENT.set(limit)
    try:
        yield limit
    finally:
        _CURRENT.reset(token)


def remaining(default: float) -> float:
    """Seconds left before the current deadline (at least a tenth of a second), or ``default``
    when there is none: the timeout to give a subprocess working for the current check."""
    limit = _CURRENT.get()
    return default if limit is None else max(0.1, min(default, limit.remaining))


def checkpoint() -> None:
    """Raise :class:`LimitExceeded` if the current deadline (if any) has passed.

    Readers call this in their loops (per page, per object, per drawn form)."""
    limit = _CURRENT.get()
    if limit is not None:
        limit.check()


# ------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------


def read_regular(path: str | os.PathLike[str], *, limit: int = MAX_DOCUMENT_BYTES,
                 error: Callable[[str], Exception], what: str = "fichier") -> bytes:
    """Return the bytes of the regular file ``path``, at most ``limit`` of them.

    A FIFO, device, socket or folder (also behind a symbolic link) is refused without blocking,
    and so is a file that holds more than ``limit`` bytes, whatever its declared size.
    ``error(message)`` builds the exception raised (the caller's kind, naming the file)."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would wait for ever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise error(f"{what} introuvable") from exc
    except OSError as exc:
        raise error(f"{what} illisible ({os_reason(exc)})") from exc
    try:
        _regular(os.fstat(fd), limit, error, what)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise error(f"{what} trop volumineux (plus de {limit} octets)")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{what} illisible ({os_reason(exc)})") from exc
    finally:
        os.close(fd)


def check_regular(path: str | os.PathLike[str], *, limit: int = MAX_DOCUMENT_BYTES,
                  error: Callable[[str], Exception], what: str = "fichier") -> None:
    """Raise ``error(message)`` unless ``path`` is a regular file of at most ``limit`` bytes
    (without opening it: a FIFO is refused before anyone blocks on it)."""
    try:
        info = Path(path).stat()
    except FileNotFoundError as exc:
        raise error(f"{what} introuvable") from exc
    except OSError as exc:
        raise error(f"{what} inaccessible ({os_reason(exc)})") from exc
    _regular(info, limit, error, what)


def _regular(info: os.stat_result, limit: int, error: Callable[[str], Exception],
             what: str) -> None:
    """Raise ``error(message)`` unless ``info`` is that of a regular file of at most ``limit``
    bytes."""
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{what} illisible (c'est un dossier)")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"ce n'est pas un fichier ordinaire (tube, périphérique…), "
                    f"attendu : un {what} ordinaire")
    if info.st_size > limit:
        raise error(f"{what} trop volumineux ({info.st_size} octets ; maximum {limit} octets)")


def check_docx_archive(path: str | Path, *, error: Callable[[str], Exception],
                       what: str = "fichier") -> None:
    """Raise ``error(message)`` unless ``path`` is a regular, reasonably sized ZIP whose
    members are few, not encrypted, and inflate to a bounded size (read from the central
    directory: nothing is inflated here; the readers' ``ZipFile.read`` never returns more than
    the declared size)."""
    check_regular(path, error=error, what=what)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        return  # not a ZIP at all: the reader says what it is (a .doc, a PDF, damaged…)
    if len(members) > MAX_ZIP_MEMBERS:
        raise error(f"archive .docx de {len(members)} éléments (maximum {MAX_ZIP_MEMBERS})")
    if any(info.flag_bits & 0x1 for info in members):
        raise error(f"{what} chiffré (protégé par mot de passe) : enregistrez-le sans mot "
                    "de passe")
    total = sum(info.file_size for info in members)
    if total > MAX_INFLATED_BYTES:
        raise error(f"archive .docx trop volumineuse une fois décompressée ({total} octets ; "
                    f"maximum {MAX_INFLATED_BYTES})")
    for info in members:
        if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_PART_BYTES:
            raise error(f"partie {info.filename} trop volumineuse une fois décompressée "
                        f"({info.file_size} octets ; maximum {MAX_PART_BYTES})")


BOMB = f"image trop grande (plus de {MAX_IMAGE_PIXELS} pixels), refusée"
"""What is said of a picture Pillow itself refuses as a decompression bomb."""


def check_picture(size: tuple[int, int], *, error: Callable[[str], Exception]) -> None:
    """Raise ``error(message)`` when a picture of ``size`` pixels is too large to decode."""
    width, height = size
    if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
        raise error(f"image de {width} × {height} pixels refusée (maximum "
                    f"{MAX_IMAGE_PIXELS} pixels)")


# ------------------------------------------------------------------------------------------
# Specs
# ------------------------------------------------------------------------------------------


def measure(data: Any) -> str | None:
    """Return why ``data`` (parsed YAML/JSON) is too large or too deep, or None.

    Walks without recursion; containers shared through YAML aliases are measured once and
    counted at every place they appear (what the expansion would cost)."""
    sizes: dict[int, tuple[int, int]] = {}  # id → (values, characters) once expanded
    # (value, depth, children pushed?)
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        value, depth, expanded = stack.pop()
        if not isinstance(value, dict | list):
            continue
        key = id(value)
        children = list(value.keys()) + list(value.values()) if isinstance(value, dict) \
            else value
        if expanded:
            values, chars = 1, 0
            for child in children:
                if isinstance(child, dict | list):
                    child_values, child_chars = sizes.get(id(child), (1, 0))
                else:
                    child_values, child_chars = 1, len(child) if isinstance(child, str) else 1
                values += child_values
                chars += child_chars
            if values > MAX_EXPANDED_VALUES:
                return (f"trop de valeurs une fois les alias YAML (*ancre) développés (plus de "
                        f"{MAX_EXPANDED_VALUES})")
            if chars > MAX_EXPANDED_CHARS:
                return (f"trop de texte une fois les alias YAML (*ancre) développés (plus de "
                        f"{MAX_EXPANDED_CHARS} caractères)")
            sizes[key] = (values, chars)
            continue
        if key in sizes:
            continue
        if depth > MAX_NESTING:
            return f"données trop imbriquées (plus de {MAX_NESTING} niveaux)"
        sizes[key] = (1, 0)  # a cycle counts once
        stack.append((value, depth, True))
        stack.extend((child, depth + 1, False) for child in children
                     if isinstance(child, dict | list) and id(child) not in sizes)
    return None


# ------------------------------------------------------------------------------------------
# The funnel
# ------------------------------------------------------------------------------------------

_EXTRA_REASONS = {errno.ENOSPC: "disque plein", errno.EDQUOT: "quota disque dépassé",
                  errno.EROFS: "système de fichiers en lecture seule",
                  errno.EEXIST: "existe déjà", errno.EFBIG: "fichier trop grand",
                  errno.EMFILE: "trop de fichiers ouverts", errno.ENOENT: "introuvable"}


def as_error(exc: BaseException, source: str | Path | None = None) -> ConventionDocsError:
    """Return ``exc`` as a ``ConventionDocsError`` with a French message (``exc`` itself when
    it is one already); ``source`` is the file being worked on, named when ``exc`` names none.
    """
    if isinstance(exc, ConventionDocsError):
        return exc
    where = f"{source} : " if source is not None else ""
    if isinstance(exc, OSError):
        reason = _EXTRA_REASONS.get(exc.errno or 0) or os_reason(exc)
        name = exc.filename or source
        where = f"{name} : " if name is not None else ""
        error = ConventionDocsError(f"{where}écriture ou lecture impossible ({reason})")
    elif isinstance(exc, MemoryError):
        error = ConventionDocsError(f"{where}mémoire insuffisante : données trop volumineuses")
    elif isinstance(exc, RecursionError):
        error = ConventionDocsError(f"{where}données trop imbriquées pour être lues")
    elif isinstance(exc, zipfile.BadZipFile | EOFError):
        error = ConventionDocsError(f"{where}archive illisible ou tronquée")
    else:
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        error = ConventionDocsError(
            f"{where}erreur inattendue ({type(exc).__name__}"
            + (f" : {detail}" if detail else "")
            + ") ; si les données sont correctes, merci de la signaler")
    error.__cause__ = exc
    return error


# ------------------------------------------------------------------------------------------
# YAML values that Python cannot hold
# ------------------------------------------------------------------------------------------

MAX_INT_DIGITS = 100
"""Digits of a whole number in a spec (an amount in cents has fewer than twenty)."""


@functools.cache
def yaml_loader(base: type[Any], *, dates: bool = True) -> type[Any]:
    """Return ``base`` (a PyYAML safe loader) whose dates and whole numbers are checked: an
    impossible date (``2026-02-30``) or a number of thousands of digits is a YAML error at its
    line and column, instead of a ``ValueError`` from deep inside PyYAML. ``dates=False``
    leaves dates to the caller (``spec.load`` names the field of an impossible date)."""
    import yaml

    class Checked(base):  # type: ignore[misc]
        pass

    def timestamp(loader: Any, node: Any) -> Any:
        try:
            return base.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"date impossible « {node.value} »", node.start_mark) from exc

    def integer(loader: Any, node: Any) -> Any:
        if sum(c.isdigit() for c in str(node.value)) > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"nombre de plus de {MAX_INT_DIGITS} chiffres", node.start_mark)
        return base.construct_yaml_int(loader, node)

    if dates:
        Checked.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    Checked.add_constructor("tag:yaml.org,2002:int", integer)
    return Checked


def json_int(text: str) -> int:
    """``json.loads``'s ``parse_int``: a whole number of at most ``MAX_INT_DIGITS`` digits."""
    if len(text) > MAX_INT_DIGITS + 1:
        raise ValueError(f"nombre de plus de {MAX_INT_DIGITS} chiffres")
    return int(text)


MAX_PROPERTY_CHARS = 255
"""Characters of a .docx core property (python-docx refuses more, as Word's schema does)."""


def shorten(text: str, limit: int = MAX_PROPERTY_CHARS) -> str:
    """Return ``text`` cut at a word boundary with « … » so that it holds in ``limit``
    characters (``text`` itself when it fits)."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


# ------------------------------------------------------------------------------------------
# Templates (the sandboxed Jinja environment of docx.py)
# ------------------------------------------------------------------------------------------

TEMPLATE_SECONDS = 30.0
"""Time allowed to render a template (the default one takes a few milliseconds)."""

MAX_RENDERED_CHARS = 50_000_000
"""Characters of one rendered part of a template (a 100-page document.xml is 2 million)."""

MAX_TEMPLATE_NUMBER = 100_000
"""Largest number a template may give a filter or a function, or repeat a value by."""

MAX_TEMPLATE_TEXT = 5_000_000
"""Longest text or list a template may build or pass to a function."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any],
                    error: Callable[[str], Exception], *, numbers: bool = True) -> None:
    """Raise ``error`` when a template gives a function or filter a huge text or list, or
    (``numbers``) a huge number."""
    for value in (*args, *kwargs.values()):
        if numbers and isinstance(value, int | float) and not isinstance(value, bool) \
                and abs(value) > MAX_TEMPLATE_NUMBER:
            raise error(f"nombre trop grand pour un modèle ({MAX_TEMPLATE_NUMBER} au plus)")
        if _size(value) > MAX_TEMPLATE_TEXT:
            raise error(f"texte trop long pour un modèle ({MAX_TEMPLATE_TEXT} au plus)")


def check_growth(value: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                 error: Callable[[str], Exception]) -> None:
    """Raise ``error`` when a function of text ``value`` (a filter, a method of ``str``) could
    make it huge: its length times the largest number or text given (``|indent(n)``,
    ``|replace("x", long)``, ``.ljust(n)``)."""
    size = _size(value)
    if not size:
        return
    factor = 1
    for other in (*args, *kwargs.values()):
        if isinstance(other, int) and not isinstance(other, bool):
            factor = max(factor, abs(other))
        else:
            factor = max(factor, _size(other))
    if size * factor > MAX_TEMPLATE_TEXT * 4:
        raise error(f"texte trop long pour un modèle ({MAX_TEMPLATE_TEXT} au plus)")


def check_binop(operator: str, left: Any, right: Any,
                error: Callable[[str], Exception]) -> None:
    """Raise ``error`` when ``left operator right`` (``*`` or ``**``) would be huge."""
    checkpoint()
    if operator == "**":
        if isinstance(right, int | float) and abs(right) > 64 \
                and isinstance(left, int | float) and abs(left) > 1:
            raise error("puissance trop grande dans le modèle")
        return
    for one, other in ((left, right), (right, left)):
        if _size(one) and isinstance(other, int) and _size(one) * other > MAX_TEMPLATE_TEXT:
            raise error(f"texte trop long pour un modèle ({MAX_TEMPLATE_TEXT} au plus)")


def bounded_callable(function: Any, error: Callable[[str], Exception]) -> Any:
    """Return ``function`` (a Jinja filter) refusing huge numbers and texts as arguments
    other than the value filtered (``"x"|center(10**9)``)."""
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check_arguments(args[skip:], kwargs, error)
        if len(args) >= skip:
            check_growth(args[skip - 1], args[skip:], kwargs, error)
        return function(*args, **kwargs)

    return bounded


def bounded_join(pieces: Iterator[str], error: Callable[[str], Exception]) -> str:
    """Return the pieces a template generates joined, checking the current deadline every
    thousand pieces and refusing more than ``MAX_RENDERED_CHARS`` characters."""
    out: list[str] = []
    total = 0
    for count, piece in enumerate(pieces):
        out.append(piece)
        total += len(piece)
        if total > MAX_RENDERED_CHARS:
            raise error(f"le modèle produit un document trop volumineux (plus de "
                        f"{MAX_RENDERED_CHARS} caractères)")
        if count % 1000 == 0:
            checkpoint()
    return "".join(out)


# ------------------------------------------------------------------------------------------
# Library chatter
# ------------------------------------------------------------------------------------------

PDF_LOGGER = "pypdf"

logging.getLogger(PDF_LOGGER).addHandler(logging.NullHandler())
"""pypdf logs what it repairs in a damaged PDF as English warnings: with no handler at all,
Python's last-resort handler would print each on stderr (14,000 lines for one file). The
records still reach the application's handlers if it configured logging."""


class _Collector(logging.Handler):
    """Counts the warnings logged by the thread that installed it (batches check in threads)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.count = 0
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.count += 1
            if not self.first:
                self.first = record.getMessage()[:200]


@contextmanager
def pdf_repairs() -> Iterator[_Collector]:
    """Within the ``with`` block, count what the PDF library repaired while reading (its
    warnings, this thread's only); ``.count`` and ``.first`` afterwards."""
    collector = _Collector()
    logger = logging.getLogger(PDF_LOGGER)
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
