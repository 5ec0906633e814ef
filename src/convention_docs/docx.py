"""Convention → .docx through a docxtpl template, in a sandboxed Jinja environment.

Safety: the environment is a ``SandboxedEnvironment`` with autoescape and ``StrictUndefined``;
every value goes through ``wordml.finalize`` (XML escaping, braces as character references),
and the rendered XML is re-parsed strictly before docxtpl's forgiving parser sees it, so a
template that produces broken XML is an error instead of silently lost text (PITFALLS.md).

Speed: a render takes a few milliseconds because what depends only on the template is done
once per process and kept in small bounded LRU caches shared by threads: docxtpl's
``patch_xml`` of each part and the compiled Jinja template (keyed by the XML text) here, the
template's reading and the deflated parts in :mod:`._docx_package`. Only immutable values are
kept, so renders share no mutable state. docxtpl's ``resolve_listing`` is skipped when no tab
or line break lies inside a ``<w:t>`` (it would change nothing).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import io
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from PIL import Image, UnidentifiedImageError

from convention_docs import wordml
from convention_docs._cache import BoundedCache
from convention_docs._docx_package import open_document, save
from convention_docs.context import ImageSpec, build_context
from convention_docs.errors import AssetError, TemplateError
from convention_docs.model import Convention

__all__ = ["DEFAULT_TEMPLATE", "logo_file", "render_docx", "template_file"]

DEFAULT_TEMPLATE = "convention.docx"

_STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@contextmanager
def _resource(*parts: str) -> Iterator[Path]:
    ref = importlib.resources.files("convention_docs").joinpath(*parts)
    if not ref.is_file():
        raise AssetError(f"ressource introuvable dans le paquet : {'/'.join(parts)}")
    with importlib.resources.as_file(ref) as path:
        yield path


def template_file(name: str = DEFAULT_TEMPLATE) -> Any:
    """Return a context manager giving the path of a template shipped in the package."""
    return _resource("templates", name)


def logo_file(name: str) -> Any:
    """Return a context manager giving the path of a logo shipped in the package."""
    return _resource("assets", "logos", name)


EMBED_DPI = 600
"""Pictures are embedded at no more than this resolution at their printed size: sharp in print,
small and quick to convert and to check."""


@functools.lru_cache(maxsize=32)
def _prepared(path: Path, mtime_ns: int, max_width_mm: float,
              max_height_mm: float) -> tuple[bytes, float, float]:
    """Return (PNG or original bytes, width mm, height mm) of a picture fitted to its box."""
    del mtime_ns  # part of the cache key only
    try:
        with Image.open(path) as picture:
            picture.load()
            width_px, height_px = picture.size
            scale = min(max_width_mm / width_px, max_height_mm / height_px)
            width_mm, height_mm = width_px * scale, height_px * scale
            limit = (round(width_mm / 25.4 * EMBED_DPI), round(height_mm / 25.4 * EMBED_DPI))
            if width_px <= limit[0] * 1.2:
                return path.read_bytes(), width_mm, height_mm
            smaller = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
            smaller = smaller.resize(limit, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            smaller.save(buffer, "PNG", optimize=False)
            return buffer.getvalue(), width_mm, height_mm
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise AssetError(f"{path} : image illisible ({exc})") from exc


class _Image(InlineImage):  # type: ignore[misc]
    """docxtpl's InlineImage, with alternative text (read by screen readers, kept in PDFs)."""

    def __init__(self, tpl: DocxTemplate, spec: ImageSpec) -> None:
        path = Path(spec.path)
        try:
            mtime = path.stat().st_mtime_ns
        except OSError as exc:
            raise AssetError(f"{path} : image introuvable ({exc.strerror})") from exc
        data, width_mm, height_mm = _prepared(path, mtime, spec.max_width_mm,
                                              spec.max_height_mm)
        super().__init__(tpl, io.BytesIO(data), width=Mm(width_mm), height=Mm(height_mm))
        self.spec = spec

    def _insert_image(self) -> str:
        xml: str = super()._insert_image()
        alt = wordml.escape(self.spec.alt)
        return xml.replace("<wp:docPr ", f'<wp:docPr descr="{alt}" title="{alt}" ', 1)


# ------------------------------------------------------------------------------------------
# What renders share (see the module docstring)
# ------------------------------------------------------------------------------------------

_PATCHED: BoundedCache[str, str] = BoundedCache(32)
"""Part XML of a template → the same after docxtpl's ``patch_xml`` (which reads nothing else)."""

def _listing_in_text(xml: str) -> bool:
    """Return whether a tab, line feed, bell or form feed lies inside a ``<w:t>`` element.

    Those are the only characters docxtpl's ``resolve_listing`` rewrites, and only between a
    ``<w:t>`` (or ``<w:t …>``) and the next ``</w:t>``: when this is false, it would return
    its input unchanged. (Our own runs write tabs and line breaks as elements; plain text
    values such as a funding mention still rely on ``resolve_listing``.)

    >>> _listing_in_text('<w:r><w:t xml:space="preserve">a\\tb</w:t></w:r>')
    True
    >>> _listing_in_text('<w:r><w:tab/><w:t>a</w:t></w:r>\\n  <wp:extent cx="1"/>')
    False
    """
    for char in "\t\a\n\f":
        at = xml.find(char)
        while at != -1:
            opening = max(xml.rfind("<w:t ", 0, at), xml.rfind("<w:t>", 0, at))
            if opening != -1 and xml.find("</w:t>", opening, at) == -1:
                return True
            at = xml.find(char, at + 1)
    return False


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------


class _StrictTemplate(DocxTemplate):  # type: ignore[misc]
    template_name: str = ""
    docx: Any
    is_rendered: bool

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            self.docx = open_document(Path(self.template_file))
            self.is_rendered = False

    def patch_xml(self, src_xml: str) -> str:
        patch = super().patch_xml
        return _PATCHED.get_or_compute(src_xml, lambda: str(patch(src_xml)))

    def resolve_listing(self, xml: str) -> str:
        return str(super().resolve_listing(xml)) if _listing_in_text(xml) else xml

    def fix_tables(self, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8"), parser=_STRICT_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                "le rendu du modèle produit un XML invalide (une balise Jinja est-elle placée "
                f"dans un attribut ou coupe-t-elle un élément Word ?) : {exc}",
                template=self.template_name) from exc
        return super().fix_tables(xml)


class _Environment(SandboxedEnvironment):
    """The sandboxed environment, remembering compiled templates: docxtpl compiles the whole
    document XML on every render, which is most of a render's time."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined,
                         finalize=wordml.finalize, keep_trailing_newline=True)
        self._compiled: BoundedCache[str, jinja2.Template] = BoundedCache(32)

    def from_string(self, source: Any, globals: Any = None,
                    template_class: Any = None) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compile_ = super().from_string
        return self._compiled.get_or_compute(source, lambda: compile_(source))


_ENVIRONMENT = _Environment()


def _environment() -> SandboxedEnvironment:
    return _ENVIRONMENT


def _set_properties(doc: Any, convention: Convention) -> None:
    meta = convention.metadata
    core = doc.core_properties
    core.title = f"{convention.title} {convention.object}"
    core.subject = meta.subject or convention.object
    core.author = meta.drafting_organisation or ""
    core.last_modified_by = meta.drafting_organisation or ""
    core.keywords = ", ".join(meta.keywords or convention.territories)
    core.comments = ""
    core.category = "Convention de partenariat"
    core.identifier = meta.reference or ""
    core.version = meta.version
    core.language = "fr-FR"
    core.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core.created = core.modified = now


def render_docx(convention: Convention, destination: str | Path | IO[bytes], *,
                template: str | Path | None = None, draft: bool = False) -> None:
    """Render ``convention`` with ``template`` (default: the shipped one) to ``destination``.

    Raises ``TemplateError`` naming the template and the variable when the template uses a
    variable the model does not provide, breaks the sandbox, or produces invalid XML.
    """
    with ExitStack() as stack:
        if template is None:
            template_path = stack.enter_context(template_file())
            name = DEFAULT_TEMPLATE
        else:
            template_path = Path(template)
            name = str(template)
            if not template_path.is_file():
                raise TemplateError("modèle introuvable", template=name)
        try:
            tpl = _StrictTemplate(str(template_path))
            tpl.init_docx()
        except zipfile.BadZipFile as exc:
            raise TemplateError("modèle illisible (ce n'est pas un fichier .docx)",
                                template=name) from exc
        except Exception as exc:  # python-docx raises many kinds on a broken file
            raise TemplateError(f"modèle illisible ({exc})", template=name) from exc
        tpl.template_name = name

        def logo_path(logo: str) -> Path:
            return Path(stack.enter_context(logo_file(logo)))

        context = build_context(convention, image=lambda spec: _Image(tpl, spec),
                                logo_path=logo_path, draft=draft)
        try:
            tpl.render(context, _environment(), autoescape=True)
        except jinja2.UndefinedError as exc:
            variable = str(exc.message or "").split("'")[1] if "'" in str(exc.message) else None
            raise TemplateError(
                f"variable inconnue du modèle : {exc.message}", template=name,
                variable=variable) from exc
        except SecurityError as exc:
            raise TemplateError(f"opération interdite dans le modèle : {exc}",
                                template=name) from exc
        except jinja2.TemplateSyntaxError as exc:
            where = f" (ligne {exc.lineno})" if exc.lineno else ""
            raise TemplateError(f"erreur de syntaxe Jinja{where} : {exc.message}",
                                template=name) from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"erreur de rendu du modèle : {exc}", template=name) from exc
        _set_properties(tpl.docx, convention)
        save(tpl.docx, destination)
