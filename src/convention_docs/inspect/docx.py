"""Read a .docx into a :class:`DocumentView`: every paragraph, every placed image, metadata.

Lines come in this order: page headers, the body, page footers. Body paragraphs (tables and
text boxes included) are numbered 1, 2, 3 … in reading order (``location.paragraph``); the
paragraphs of each header or footer part are numbered from 1 within that part, and ``region``
(``"header"``/``"footer"``) tells them apart. A header or footer part that Word never shows
(a first-page header without « première page différente », even pages without « pages paires
et impaires différentes ») is listed with ``visible=False``.

Paragraphs of automatically numbered lists start with their label (« Article 1 » and its tab
or space), which Word draws from ``numbering.xml`` (see :mod:`._docx_numbering`). Footnotes,
endnotes and comments are not read.

Formatting is resolved through the style chain (see :mod:`._docx_styles`); a paragraph's
``font_size``, ``color``, ``font``, ``bold`` and ``italic`` are those of most of its
characters. Visibility thresholds are in :mod:`._visibility`.

Images: every ``w:drawing`` (inline or anchored; each picture of a group) and legacy
``w:pict``/``w:object`` (``v:imagedata``), sized by ``wp:extent`` (VML: the shape's style), alt
text from ``wp:docPr/@descr`` (or ``@title``). Hidden when the run is hidden, ``docPr/@hidden``
or VML ``visibility:hidden`` is set, the picture is tiny, or it floats off the page (see
:mod:`._docx_anchor`). Not detected: a picture behind another shape, cropping
(``a:srcRect``), linked pictures.

Metadata keys: ``title``, ``subject``, ``author``, ``keywords``, ``language``, ``category``,
``comments``, ``last_modified_by``, ``created``, ``modified`` (ISO 8601) from the core
properties; ``application``, ``app_version``, ``company``, ``template``, ``manager``,
``app_pages`` from ``docProps/app.xml``; ``default_language`` (``w:docDefaults``, what a PDF
export writes as ``/Lang``); ``undecoded_images`` when some picture could not be decoded.

XML the reader parses itself (theme, ``app.xml``) goes through a parser that resolves no
entity and never touches the network; python-docx's own parser resolves no entity either.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.coreprops import CT_CoreProperties
from lxml import etree

from convention_docs._cache import BoundedCache
from convention_docs._docx_package import open_archive
from convention_docs.errors import DocumentError
from convention_docs.inspect._docx_body import PartWalker
from convention_docs.inspect._docx_numbering import Numbering
from convention_docs.inspect._docx_styles import StyleResolver, W, theme_fonts
from convention_docs.inspect._files import read_bytes
from convention_docs.inspect._xml import safe_parser
from convention_docs.inspect.view import DocumentView

__all__ = ["read_docx"]

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_UNZIPPED = 512 * 1024 * 1024  # refuse archives that would inflate beyond this
_NOT_DOCX = "fichier illisible : ce n'est pas un document Word (.docx)"
_Story = tuple[Any, Any, bool, str, bool]
# a header or footer part, its XML root, whether never shown, its label, whether on page 1
_APP_KEYS = {"Application": "application", "AppVersion": "app_version", "Company": "company",
             "Template": "template", "Manager": "manager", "Pages": "app_pages"}


def read_docx(path: str | Path) -> DocumentView:
    """Return the :class:`DocumentView` of the .docx at ``path``.

    Raises :class:`~convention_docs.errors.DocumentError` (French message naming the file) when
    the file is missing, is not a .docx (plain text, Word 97-2003, password-protected), is a
    damaged archive, lacks its main document part or holds malformed XML.
    """
    document = _open(path)
    source = str(path)
    body = document.element.find(f"{W}body")
    if body is None:
        raise DocumentError("fichier illisible : document Word sans corps de texte (w:body)",
                            path=path)
    resolver = _resolver(document, _theme(document))
    walker = PartWalker(resolver, _numbering(document), source)
    headers, footers = _header_footer_parts(document, body)
    for part, root, hidden, label, first in headers:
        walker.walk(root, part, "header", "en-tête non affiché" if hidden else None,
                    label=label, first_page=first)
    walker.walk(body, document.part, "body")
    for part, root, hidden, label, first in footers:
        walker.walk(root, part, "footer", "pied de page non affiché" if hidden else None,
                    label=label, first_page=first)
    metadata = _metadata(document)
    if resolver.default_language:
        metadata["default_language"] = resolver.default_language
    if walker.undecoded:
        metadata["undecoded_images"] = str(walker.undecoded)
    return DocumentView("docx", source, tuple(walker.lines), tuple(walker.images), None, metadata)


def _open(path: str | Path) -> Any:
    data = read_bytes(path)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            message = "document Word protégé par un mot de passe : impossible de le lire"
        else:
            message = ("fichier illisible : document Word 97-2003 (.doc) ou autre format OLE ; "
                       "enregistrez-le au format .docx")
        raise DocumentError(message, path=path)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as error:
        raise DocumentError(_NOT_DOCX, path=path) from error
    with archive:
        if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED:
            raise DocumentError("fichier refusé : archive .docx démesurée une fois "
                                "décompressée", path=path)
        return _document(archive, data, path)


def _document(archive: zipfile.ZipFile, data: bytes, path: str | Path) -> Any:
    """``docx.Document`` of the archive (read once), python-docx's errors told in French."""
    try:
        return open_archive(archive, data, BytesIO(data))
    except etree.XMLSyntaxError as error:
        raise DocumentError("fichier illisible : XML mal formé dans le document Word",
                            path=path) from error
    except KeyError as error:
        raise DocumentError("fichier illisible : archive sans document Word "
                            "(word/document.xml manquant)", path=path) from error
    except ValueError as error:  # python-docx: main part is not a WordprocessingML document
        raise DocumentError(f"{_NOT_DOCX} ({error})", path=path) from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise DocumentError("fichier illisible : archive .docx endommagée", path=path) from error
    except (AttributeError, TypeError) as error:  # python-docx on mangled relationships
        raise DocumentError("fichier illisible : structure du document Word endommagée",
                            path=path) from error


def _header_footer_parts(document: Any, body: Any) -> tuple[list[_Story], list[_Story]]:
    """Header and footer parts in section order: (part, its XML, never shown, where a person
    finds it (« pied de page de la section 2 »), whether it shows on the first page).

    The first page shows the first section's « first » header (footer) when « première page
    différente » (``w:titlePg``) is set, else its « default » one; a section without a reference
    of some kind inherits the previous section's, the first section none.
    """
    even_odd = _shared(document, RT.SETTINGS, _EVEN_ODD, _even_odd)
    shown: dict[str, list[Any]] = {}
    sections = [s for s in body.iter(f"{W}sectPr") if s.getparent().tag != f"{W}sectPrChange"]
    many = len(sections) > 1
    for number, sect_pr in enumerate(sections, start=1):
        first = _on(sect_pr.find(f"{W}titlePg"))
        for ref in sect_pr:
            if ref.tag not in (f"{W}headerReference", f"{W}footerReference"):
                continue
            part = document.part.related_parts.get(ref.get(f"{_R}id"))
            root = None if part is None else _xml(part)
            if root is None:
                continue
            kind = ref.get(f"{W}type", "default")
            visible = kind == "default" or (kind == "first" and first) or (
                kind == "even" and even_odd)
            on_first = number == 1 and ((kind == "first" and first) or (
                kind == "default" and not first))
            noun = "en-tête" if ref.tag == f"{W}headerReference" else "pied de page"
            which = {"first": " (première page)", "even": " (pages paires)"}.get(kind, "")
            label = f"{noun} de la section {number}{which}" if many else f"{noun}{which}"
            entry = shown.setdefault(str(part.partname),
                                     [part, root, ref.tag, False, label, False])
            entry[3] = entry[3] or visible
            entry[5] = entry[5] or on_first
    stories = [(part, root, tag, not visible, label, on_first)
               for part, root, tag, visible, label, on_first in shown.values()]
    return ([(p, r, h, lab, f) for p, r, tag, h, lab, f in stories
             if tag == f"{W}headerReference"],
            [(p, r, h, lab, f) for p, r, tag, h, lab, f in stories
             if tag == f"{W}footerReference"])


def _on(element: Any) -> bool:
    return element is not None and element.get(f"{W}val", "1") not in ("0", "false", "off")


def _xml(part: Any) -> Any:
    """The XML root of ``part``: python-docx's when it parsed it, else parsed here (safely)."""
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:
        return etree.fromstring(part.blob, safe_parser())
    except etree.XMLSyntaxError:
        return None


_Value = TypeVar("_Value")
_Key = tuple[bytes, ...]


def _shared(document: Any, relationship: str, cache: BoundedCache[_Key, _Value],
            compute: Callable[[Any], _Value], salt: bytes = b"") -> _Value:
    """``compute`` of the XML root of the part related by ``relationship`` (None when there
    is none or it is not XML), kept in ``cache`` by the part's content (and ``salt``).

    The content of a part python-docx parses is the part as python-docx writes it: the parts a
    template gives every document of a batch are then not even parsed (see ``_docx_package``).
    """
    try:
        part = document.part.part_related_by(relationship)
    except KeyError:
        part = None
    if isinstance(part, XmlPart):
        return cache.get_or_compute((salt, b"part", part.blob), lambda: compute(part.element))
    root = None if part is None else _xml(part)
    written = b"none" if root is None else etree.tostring(root)
    return cache.get_or_compute((salt, b"xml", written), lambda: compute(root))


_RESOLVERS = BoundedCache[_Key, StyleResolver](8)
_NUMBERINGS = BoundedCache[_Key, Numbering](8)
_EVEN_ODD = BoundedCache[_Key, bool](8)


def _resolver(document: Any, fonts: dict[str, str]) -> StyleResolver:
    """The style resolver of the document's styles part and theme fonts.

    The conventions of a batch share their template's styles: a resolver (and what it has
    resolved) is kept for the next document whose styles part and theme fonts are the same,
    compared by content.
    """
    return _shared(document, RT.STYLES, _RESOLVERS, lambda styles: StyleResolver(styles, fonts),
                   salt=repr(sorted(fonts.items())).encode())


def _numbering(document: Any) -> Numbering:
    """The numbering of the document's lists, its definitions read once per content."""
    return _shared(document, RT.NUMBERING, _NUMBERINGS, Numbering).fresh()


def _even_odd(settings: Any) -> bool:
    """Whether the settings ask for different headers on even and odd pages."""
    return settings is not None and _on(settings.find(f"{W}evenAndOddHeaders"))


def _theme(document: Any) -> dict[str, str]:
    """The theme's Latin typefaces (``theme_fonts``); a theme met before is not parsed again."""
    try:
        part = document.part.part_related_by(RT.THEME)
    except KeyError:
        return {}
    element = getattr(part, "element", None)
    return theme_fonts(element) if element is not None else dict(_theme_of(part.blob))


@functools.lru_cache(maxsize=16)
def _theme_of(blob: bytes) -> tuple[tuple[str, str], ...]:
    try:
        root = etree.fromstring(blob, safe_parser())
    except etree.XMLSyntaxError:
        return ()
    return tuple(theme_fonts(root).items())


def _metadata(document: Any) -> dict[str, str]:
    try:
        core = document.core_properties
    except AttributeError:  # docProps/core.xml with a wrong content type: no core properties
        core = None
    names = ("title", "subject", "author", "keywords", "language", "category", "comments",
             "last_modified_by", "created", "modified")
    values: dict[str, object] = {
        name: _date(core, name) if name in ("created", "modified") else getattr(core, name, None)
        for name in names}
    metadata = {
        key: value.isoformat() if hasattr(value, "isoformat") else str(value)
        for key, value in values.items() if value
    }
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            metadata.update(_app_properties(part.blob))
            break
    return metadata


_W3CDTF = functools.lru_cache(maxsize=64)(CT_CoreProperties._parse_W3CDTF_to_datetime)
"""python-docx's reading of a W3CDTF date (up to four ``strptime``), once per text: the
documents of a batch are made within a few seconds."""


def _date(core: Any, name: str) -> Any:
    """``getattr(core, name, None)`` for ``created`` or ``modified``, the date read by
    ``_W3CDTF`` (python-docx's ``CoreProperties`` reads it the same way every time)."""
    try:
        element = getattr(core._element, name)
    except AttributeError:
        return None
    if element is None:
        return None
    try:
        return _W3CDTF(element.text)
    except ValueError:  # python-docx ignores what is not a date
        return None


@functools.lru_cache(maxsize=16)  # the template's, in every document of a batch
def _app_properties(blob: bytes) -> tuple[tuple[str, str], ...]:
    try:
        root = etree.fromstring(blob, safe_parser())
    except etree.XMLSyntaxError:
        return ()
    found: dict[str, str] = {}
    for child in root:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in _APP_KEYS and child.text and child.text.strip():
            found[_APP_KEYS[name]] = child.text.strip()
    return tuple(found.items())
