"""What a rendered .docx must not say: where its template came from.

A template made with Word (python-docx's own default template included) carries Word's
revision-session identifiers (``w:rsid…`` attributes and the ``w:rsids`` list of the settings),
Word's paragraph identifiers (``w14:paraId``, ``w14:textId``) and, in ``docProps/app.xml``, the
application and template it was made with (« Microsoft Macintosh Word », « Normal.dotm »,
company, page and word counts of the template). None of it is the convention's: the template's
archive is cleaned once, when it is read (:func:`clean_template`, called by
``_docx_package.open_document`` and kept with the template's reading), so that every output says
only what the model states, and ``app.xml`` names this library.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile

__all__ = ["app_xml", "clean_template", "clean_xml"]


@functools.cache
def app_xml() -> bytes:
    """The extended properties of every output: this library, nothing of the template."""
    from convention_docs import __version__

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><Application>convention_docs {__version__}</Application>'
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


_IDENTIFIERS = re.compile(rb'\s(?:w:rsid[A-Za-z]*|w14:paraId|w14:textId)="[^"]*"')
_RSIDS = re.compile(rb'<w:rsids\s*/>|<w:rsids>.*?</w:rsids>|<w:rsid\s+w:val="[^"]*"\s*/>',
                    re.DOTALL)  # the session list of the settings, a style's own session


def clean_xml(xml: bytes) -> bytes:
    """``xml`` without revision-session and paragraph identifiers.

    >>> clean_xml(b'<w:p w:rsidR="00AB12CD" w14:paraId="1A2B3C4D" w:rsidRDefault="00AB12CD">')
    b'<w:p>'
    """
    if b"rsid" not in xml and b"w14:" not in xml:
        return xml
    return _RSIDS.sub(b"", _IDENTIFIERS.sub(b"", xml))


def clean_template(content: bytes) -> bytes:
    """Return the .docx ``content`` cleaned (see the module's documentation); ``content``
    itself when there is nothing to clean or it is no readable ZIP (the reader then says so)."""
    try:
        source = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        return content
    out = io.BytesIO()
    changed = False
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/app.xml":
                cleaned = app_xml()
            elif info.filename.endswith(".xml"):
                cleaned = clean_xml(data)
            else:
                cleaned = data
            changed = changed or cleaned != data
            target.writestr(info, cleaned, compress_type=info.compress_type)
    return out.getvalue() if changed else content
