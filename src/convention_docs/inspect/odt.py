"""Read an OpenDocument text (.odt, LibreOffice's own format) into a :class:`DocumentView`.

French administrations often write in LibreOffice. The .odt is converted to .docx by
LibreOffice itself (``soffice --convert-to docx``, a private profile in a temporary folder, no
network), then read by :func:`~convention_docs.inspect.read_docx`: the same rules judge it,
headers and footers, sections, crops and rotations included. Locations name the .odt.
"""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from convention_docs._office import kill_group, office_env
from convention_docs._profile import configure, seed
from convention_docs.convert import find_soffice
from convention_docs.errors import ConventionDocsError, DocumentError
from convention_docs.inspect.docx import read_docx
from convention_docs.inspect.view import DocumentView

__all__ = ["ODT_MIMETYPE", "read_odt"]

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
TIMEOUT_S = 120.0


def _check(path: Path) -> None:
    if not path.is_file():
        raise DocumentError("fichier introuvable", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            mimetype = archive.read("mimetype").strip()
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise DocumentError("fichier illisible : ce n'est pas un document OpenDocument texte "
                            "(.odt)", path=path) from error
    if mimetype != ODT_MIMETYPE:
        kind = mimetype.decode(errors="replace")
        raise DocumentError(f"fichier illisible : type OpenDocument « {kind} », attendu "
                            f"« {ODT_MIMETYPE.decode()} » (.odt)", path=path)


def read_odt(path: str | Path) -> DocumentView:
    """Return the :class:`DocumentView` of the .odt at ``path`` (through LibreOffice).

    Raises :class:`~convention_docs.errors.DocumentError` when the file is not an .odt, when
    LibreOffice is missing or cannot convert it.
    """
    source = Path(path)
    _check(source)
    try:
        soffice = find_soffice()
    except ConventionDocsError as error:
        raise DocumentError(f"LibreOffice est nécessaire pour lire un .odt : {error}",
                            path=source) from error
    with tempfile.TemporaryDirectory(prefix="convention-docs-odt-") as folder:
        work = Path(folder)
        profile = work / "profile"
        seed(profile, soffice)
        configure(profile, soffice)
        out = work / "out"
        out.mkdir()
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                   str(source.resolve())]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=office_env(work),
                                   start_new_session=True)
        try:
            process.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            kill_group(process)
            raise DocumentError(f"LibreOffice n'a pas converti le .odt en {TIMEOUT_S:g} s",
                                path=source) from error
        finally:
            if process.poll() is None:
                kill_group(process)
        produced = out / (source.stem + ".docx")
        if not produced.is_file():
            raise DocumentError("fichier illisible : LibreOffice n'a pas pu ouvrir ce .odt",
                                path=source)
        view = read_docx(produced)
    name = str(source)
    return DocumentView(
        "docx", name,
        tuple(replace(line, location=replace(line.location, file=name)) for line in view.lines),
        tuple(replace(image, location=replace(image.location, file=name))
              for image in view.images),
        None, {**view.metadata, "format": "odt"})
