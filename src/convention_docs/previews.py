"""``preview()``: the pages of a rendered convention as pictures, shown in a notebook.

Pages are rasterised by PDFium (``pypdfium2``, ``page.render()``), in this process: no
``pdftoppm``. PDFium is not thread-safe: every call to it here holds the package's one PDFium
lock (``inspect.pdf.pdfium_lock()``), the one the validator's PDF reader holds.

What can be previewed:

- a PDF file;
- a .docx file: converted to PDF by LibreOffice first (the project's ``Converter``);
- a ``Convention``: rendered through the whole pipeline (``build``: .docx, LibreOffice, the
  validator) into a temporary folder, removed afterwards, with the default template or
  ``template=``. A convention the validator refuses (its model, or the document made with that
  template) is rendered as a draft (« PROJET » on its first page, when the template shows it) so
  that it can still be looked at; ``draft=False`` refuses it instead (``ConventionRejected``),
  ``draft=True`` forces the draft. The report of that render is ``Preview.report``.

>>> from convention_docs import preview, render
>>> pages = preview(render(convention, "out/c.pdf"))   # doctest: +SKIP
>>> pages                                               # doctest: +SKIP
<Preview out/c.pdf : pages 1 à 4 sur 4, 40 dpi>
>>> pages.images[0].size                                # doctest: +SKIP
(331, 468)
"""

from __future__ import annotations

import base64
import html
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from convention_docs.errors import ConventionRejected, ConversionError, DocumentError
from convention_docs.model import Convention
from convention_docs.validate.report import Report

if TYPE_CHECKING:  # pragma: no cover
    from convention_docs.convert import PdfConverter

__all__ = ["THUMBNAIL_DPI", "Preview", "preview"]

THUMBNAIL_DPI = 40.0
"""Resolution of the thumbnails shown by default (an A4 page: 331 × 468 pixels)."""

_THUMBNAIL_WIDTH = 220  # pixels, as shown in the notebook
_MAX_DPI = 600.0


@dataclass(frozen=True, eq=False)
class Preview:
    """Pictures of some pages of a document; a notebook shows them (``_repr_html_``).

    ``images`` are ``PIL.Image.Image`` (RGB), ``png`` the same pages as PNG bytes; ``pages``
    their 1-based numbers, ``page_count`` the document's number of pages. ``report`` is the
    validator's report when the preview was rendered from a ``Convention``.
    """

    source: str
    images: tuple[Image.Image, ...]
    pages: tuple[int, ...]
    page_count: int
    dpi: float
    thumbnails: bool = True
    report: Report | None = None
    _png: dict[int, bytes] = field(default_factory=dict, repr=False)

    @property
    def png(self) -> tuple[bytes, ...]:
        """The pages as PNG files (bytes), in the order of ``pages``."""
        return tuple(self._png_of(index) for index in range(len(self.images)))

    def _png_of(self, index: int) -> bytes:
        if index not in self._png:
            buffer = io.BytesIO()
            self.images[index].save(buffer, format="PNG", optimize=True)
            self._png[index] = buffer.getvalue()
        return self._png[index]

    def __len__(self) -> int:
        return len(self.images)

    def __iter__(self) -> Iterator[Image.Image]:
        return iter(self.images)

    def __getitem__(self, index: int) -> Image.Image:
        return self.images[index]

    def _describe_pages(self) -> str:
        numbers = self.pages
        if not numbers:
            return f"aucune page sur {self.page_count}"
        if numbers == tuple(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
            return f"pages {numbers[0]} à {numbers[-1]} sur {self.page_count}"
        if len(numbers) == 1:
            return f"page {numbers[0]} sur {self.page_count}"
        return f"pages {', '.join(map(str, numbers))} sur {self.page_count}"

    def __repr__(self) -> str:
        return f"<Preview {self.source} : {self._describe_pages()}, {self.dpi:g} dpi>"

    def _repr_html_(self) -> str:
        """The pages as inline PNG pictures: thumbnails side by side, or full width."""
        style = (f"width:{_THUMBNAIL_WIDTH}px" if self.thumbnails else "max-width:100%")
        figures = []
        for index, number in enumerate(self.pages):
            data = base64.b64encode(self._png_of(index)).decode("ascii")
            label = f"page {number} / {self.page_count}"
            figures.append(
                '<figure style="margin:0;text-align:center">'
                f'<img src="data:image/png;base64,{data}" alt="{label}" '
                f'style="{style};border:1px solid #999;box-shadow:2px 2px 4px #ccc">'
                f'<figcaption style="font-size:85%">{label}</figcaption></figure>')
        caption = (f'<p style="margin:0 0 6px"><b>{html.escape(self.source)}</b> — '
                   f"{html.escape(self._describe_pages())}</p>")
        wrap = "display:flex;flex-wrap:wrap;gap:12px" if self.thumbnails else ""
        return (f'<div class="convention-docs-preview">{caption}'
                f'<div style="{wrap}">{"".join(figures)}</div></div>')


def _page_indices(pages: int | Iterable[int] | None, count: int, source: str) -> list[int]:
    if pages is None:
        return list(range(count))
    wanted = [pages] if isinstance(pages, int) else list(pages)
    indices = []
    for number in wanted:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= count:
            raise ValueError(f"{source} : page {number!r} inexistante, le document a {count} "
                             f"page{'s' if count > 1 else ''} (numérotées à partir de 1)")
        indices.append(number - 1)
    return indices


def _rasterise(pdf: Path, pages: int | Iterable[int] | None, dpi: float,
               source: str) -> tuple[list[Image.Image], list[int], int]:
    """Render the chosen pages of ``pdf`` with PDFium: (images, 1-based numbers, page count).

    The PDF is opened as the validator opens it (``inspect.pdf.open_pdf``: the same French
    ``DocumentError`` for a damaged or protected file), under the one PDFium lock of the
    package."""
    import pypdfium2 as pdfium

    from convention_docs.inspect._files import read_bytes
    from convention_docs.inspect._pdfium import render_page
    from convention_docs.inspect.pdf import open_pdf, pdfium_lock

    data = read_bytes(pdf)
    with pdfium_lock():
        document = open_pdf(source, data)
        try:
            count = len(document)
            indices = _page_indices(pages, count, source)
            images = [render_page(document, index, dpi) for index in indices]
        except pdfium.PdfiumError as error:
            raise DocumentError("fichier PDF endommagé : une page ne peut être dessinée",
                                path=source) from error
        finally:
            document.close()
    return images, [index + 1 for index in indices], count


def _check_dpi(dpi: float) -> None:
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 1 <= dpi <= _MAX_DPI:
        raise ValueError(f"dpi : attendu un nombre entre 1 et {_MAX_DPI:g}, reçu {dpi!r}")


def preview(source: Convention | str | Path, *, dpi: float | None = None,
            pages: int | Sequence[int] | None = None, draft: bool | None = None,
            converter: PdfConverter | None = None,
            template: str | Path | None = None) -> Preview:
    """Return the pictures of the pages of ``source`` (a PDF, a .docx, or a ``Convention``).

    ``dpi``: resolution; by default thumbnails (``THUMBNAIL_DPI``) shown side by side, with an
    explicit ``dpi`` the pages are shown full width. ``pages``: a page number (1-based) or a
    sequence of them; by default every page. A .docx is converted by LibreOffice first, a
    ``Convention`` rendered through the whole pipeline (``draft``, ``template``: see the
    module's docstring); ``converter`` lends a warm ``Converter`` (or pool) for these.

    Raises ``DocumentError`` for a file that cannot be read (missing, not a PDF or .docx,
    corrupt, protected by a password), ``ConversionError`` when LibreOffice cannot convert,
    ``SpecError``/``ConventionRejected`` for a convention, ``ValueError`` for a bad ``dpi`` or
    page number.
    """
    thumbnails = dpi is None
    resolution = THUMBNAIL_DPI if dpi is None else dpi
    _check_dpi(resolution)
    if isinstance(source, Convention):
        return _preview_convention(source, resolution, pages, thumbnails, draft, converter,
                                   template)
    path = Path(source)
    name = str(source)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise DocumentError("format non reconnu : attendu un fichier .pdf (ou .docx, converti "
                            "par LibreOffice)", path=name)
    if not path.is_file():
        raise DocumentError("fichier introuvable" if not path.exists()
                            else "ce n'est pas un fichier", path=name)
    if suffix == ".pdf":
        images, numbers, count = _rasterise(path, pages, resolution, name)
        return Preview(name, tuple(images), tuple(numbers), count, resolution, thumbnails)
    with tempfile.TemporaryDirectory(prefix="convention-docs-preview-") as folder:
        pdf = Path(folder) / "apercu.pdf"
        _convert(path, pdf, converter)
        images, numbers, count = _rasterise(pdf, pages, resolution, name)
    return Preview(name, tuple(images), tuple(numbers), count, resolution, thumbnails)


def _convert(docx: Path, pdf: Path, converter: PdfConverter | None) -> None:
    from convention_docs.convert import Converter

    try:
        if converter is not None:
            converter.convert(docx, pdf)
            return
        with Converter(warm=False) as own:
            own.convert(docx, pdf)
    except ConversionError as exc:
        raise type(exc)(f"{exc} ; pour prévisualiser un .docx il faut LibreOffice : sinon "
                        "rendez la convention en PDF (render(convention, « c.pdf »)) et "
                        "prévisualisez ce PDF", source=docx, details=exc.details) from exc


def _preview_convention(convention: Convention, dpi: float,
                        pages: int | Sequence[int] | None, thumbnails: bool,
                        draft: bool | None, converter: PdfConverter | None,
                        template: str | Path | None) -> Preview:
    from convention_docs.build import build
    from convention_docs.drafting import checked
    from convention_docs.validate import validate

    model = checked(convention)
    automatic = draft is None
    if draft is None:
        draft = not validate(model).ok
    with tempfile.TemporaryDirectory(prefix="convention-docs-preview-") as folder:
        target = Path(folder) / "apercu.pdf"
        try:
            result = build(model, target, template=template, converter=converter, draft=draft)
        except ConventionRejected:
            if not automatic or draft:
                raise
            # refused for what only the document shows (a template without the funding
            # block …): drawn as a draft all the same, the report says why
            draft = True
            result = build(model, target, template=template, converter=converter, draft=True)
        images, numbers, count = _rasterise(result.path, pages, dpi, "(convention)")
    name = f"(convention{', projet' if draft else ''})"
    # the temporary file is gone: the report speaks of the convention
    report = Report.of(name, result.report.kind, (
        replace(f, location=replace(f.location, file=None)) for f in result.report.findings))
    return Preview(name, tuple(images), tuple(numbers), count, dpi, thumbnails, report)
