"""Convention → .docx through a docxtpl template, in a sandboxed Jinja environment.

Safety: the environment is a ``SandboxedEnvironment`` with autoescape and ``StrictUndefined``;
every value goes through ``wordml.finalize`` (XML escaping, braces as character references),
and the rendered XML is re-parsed strictly before docxtpl's forgiving parser sees it, so a
template that produces broken XML is an error instead of silently lost text (PITFALLS.md).

Speed: a render takes a few milliseconds because what depends only on the template is done
once per process and kept in small bounded LRU caches shared by threads: docxtpl's
``patch_xml`` of each part, the compiled Jinja template (keyed by the XML text), the header and
footer XML docxtpl reads, a picture's header and drawing XML here; the template's reading, the
parts it leaves alone and the deflated parts in :mod:`._docx_package`. Only immutable values
are kept, so renders share no mutable state. docxtpl steps that would change nothing are
skipped: ``resolve_listing`` when no tab or line break lies inside a ``<w:t>``, the rendering
of core properties that ``_set_properties`` replaces anyway, footnotes when there are none.
The rendered XML is parsed once (strictly, then docxtpl's table fix on that tree). A test
renders both ways and compares every part.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import jinja2
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range
from lxml import etree
from PIL import Image, UnidentifiedImageError

from convention_docs import _limits, wordml
from convention_docs._cache import BoundedCache
from convention_docs._docx_package import open_document, parsed_when_used, save
from convention_docs.anchors import AnchorSystem, check_system
from convention_docs.context import ImageSpec, build_context
from convention_docs.errors import AssetError, ConventionDocsError, TemplateError
from convention_docs.model import Convention

__all__ = ["DEFAULT_TEMPLATE", "logo_file", "render_docx", "template_file"]

DEFAULT_TEMPLATE = "convention.docx"

_STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_PLAIN_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@functools.cache
def _package_files() -> Any:
    """The package's resources (where they lie does not change while the process runs)."""
    return importlib.resources.files("convention_docs")


@contextmanager
def _resource(*parts: str) -> Iterator[Path]:
    ref = _package_files().joinpath(*parts)
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
    def refuse(message: str) -> AssetError:
        return AssetError(f"{path} : {message}")

    _limits.check_regular(path, error=refuse, what="image")
    try:
        with Image.open(path) as picture:
            _limits.check_picture(picture.size, error=refuse)
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
    except Image.DecompressionBombError as exc:
        raise AssetError(f"{path} : {_limits.BOMB}") from exc
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
        self.data = data

    def _insert_image(self) -> str:
        """docxtpl's ``_insert_image`` (no hyperlink) with python-docx's ``new_pic_inline``,
        the picture's header read once per content and the drawing XML kept by its arguments
        (reading a PNG's chunks and building the XML from fragments take most of the time)."""
        part = self.tpl.current_rendering_part
        picture = _PICTURES.get_or_compute(self.data, lambda: DocxImage.from_blob(self.data))
        image_parts = part.package.image_parts  # python-docx's get_or_add_image from here
        image_part = image_parts._get_by_sha1(picture.sha1)
        if image_part is None:
            image_part = image_parts._add_image_part(picture)
        rid = part.relate_to(image_part, RT.IMAGE)
        image = image_part.image
        width, height = image.scaled_dimensions(self.width, self.height)
        key = (part.next_id, rid, image.filename, width, height)
        inline = _INLINES.get_or_compute(key, lambda: str(CT_Inline.new_pic_inline(*key).xml))
        xml = (f"</w:t></w:r><w:r><w:drawing>{inline}</w:drawing></w:r><w:r>"
               '<w:t xml:space="preserve">')
        alt = wordml.escape(self.spec.alt)
        return xml.replace("<wp:docPr ", f'<wp:docPr descr="{alt}" title="{alt}" ', 1)


# ------------------------------------------------------------------------------------------
# What renders share (see the module docstring)
# ------------------------------------------------------------------------------------------

_PICTURES: BoundedCache[bytes, DocxImage] = BoundedCache(32)
"""Picture bytes → python-docx's ``Image`` of them (format, size, resolution; never changed)."""

_INLINES: BoundedCache[tuple[int, str, str, int, int], str] = BoundedCache(32)
"""(shape id, relationship id, file name, width, height) → python-docx's ``w:inline`` XML."""

_PATCHED: BoundedCache[str, str] = BoundedCache(32)
"""Part XML of a template → the same after docxtpl's ``patch_xml`` (which reads nothing else)."""

_SPREAD: BoundedCache[str, str] = BoundedCache(32)
"""Patched part XML → the same with each ``<w:p`` on a line of its own (docxtpl's first step
of ``render_xml_part``, for line numbers in errors)."""


def _escaped_delimiter(xml: str) -> bool:
    """Return whether ``xml`` holds ``{_{``, ``}_}``, ``{_%`` or ``%_}``, which docxtpl turns
    back into Jinja delimiters after rendering (found from the few underscores of the XML).

    >>> _escaped_delimiter("a_b {_% if %_}"), _escaped_delimiter("_a {_ _} %_")
    (True, False)
    """
    at = xml.find("_")
    while at != -1:
        before, after = xml[at - 1:at], xml[at + 1:at + 2]
        if (before == "{" and after in ("{", "%")) or (before in ("}", "%") and after == "}"):
            return True
        at = xml.find("_", at + 1)
    return False


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
        inside, start = False, 0
        at = xml.find(char)
        while at != -1:
            inside = _last_is_opening(xml, start, at, inside)
            if inside:
                return True
            start = at
            at = xml.find(char, at + 1)
    return False


def _last_is_opening(xml: str, start: int, end: int, otherwise: bool) -> bool:
    """Return whether the last ``<w:t>``, ``<w:t …>`` or ``</w:t>`` in ``xml[start:end]`` is
    an opening (``otherwise`` when there is none).

    Scanning back from ``end`` stops at the first of them: a few characters, where searching
    for the last opening and the last closing separately would each go further back.
    """
    while (found := xml.rfind("w:t", start, end)) != -1:
        after = xml[found + 3:found + 4]
        if after in (" ", ">") and xml[found - 1:found] == "<":
            return True
        if after == ">" and xml[found - 2:found] == "</":
            return False
        end = found
    return otherwise


_PART_XML: BoundedCache[bytes, str] = BoundedCache(32)
"""Header or footer part as written → docxtpl's ``get_part_xml`` of it (a parse, a write)."""


def _fix_tables(tree: Any) -> None:
    """docxtpl's ``fix_tables`` on a tree already parsed: the same steps, arithmetic and errors.

    A row with more cells than the grid has columns gets columns added (the table keeps its
    width); a grid with more columns than the widest row spans loses the last ones (their
    width goes to the others).
    """
    ns = "{" + tree.nsmap["w"] + "}"
    for table in tree.iter(ns + "tbl"):
        grid = table.find(ns + "tblGrid")
        columns = grid.findall(ns + "gridCol")
        to_add = 0
        for row in table.iter(ns + "tr"):
            cells = row.findall(ns + "tc")
            if len(columns) + to_add < len(cells):
                to_add = len(cells) - len(columns)
        if to_add > 0:
            width = 0.0
            for column in columns:
                if column.get(ns + "w") is not None:
                    width += float(column.get(ns + "w"))
            if width > 0:
                old_average = width / len(columns)
                new_average = width / (len(columns) + to_add)
                for column in columns:
                    column.set(ns + "w", str(int(float(column.get(ns + "w")) * new_average
                                                 / old_average)))
                for _ in range(to_add):
                    etree.SubElement(grid, ns + "gridCol", {ns + "w": str(int(new_average))})
        columns = grid.findall(ns + "gridCol")
        widest = 0
        for row in table.iter(ns + "tr"):
            spanned = 0
            for cell in row.findall(ns + "tc"):
                properties = cell.find(ns + "tcPr")
                span = None if properties is None else properties.find(ns + "gridSpan")
                spanned += 1 if span is None else int(span.get(ns + "val"))
            widest = max(widest, spanned)
        to_remove = len(columns) - widest
        if to_remove > 0:
            removed_width = 0.0
            for column in columns[-to_remove:]:
                removed_width += float(column.get(ns + "w"))
                grid.remove(column)
            left = grid.findall(ns + "gridCol")
            extra_space = int(removed_width / len(left)) if left else 0
            for column in left:
                column.set(ns + "w", str(int(float(column.get(ns + "w")) + extra_space)))


_RENDERED_PROPERTIES = {"author": "creator", "comments": "description",
                        "identifier": "identifier", "language": "language",
                        "subject": "subject", "title": "title"}
"""The core properties docxtpl renders as Jinja templates (``_set_properties`` then sets them
all), with the name of their element in python-docx's ``CT_CoreProperties``."""


def _properties_render_unchanged(core: Any) -> bool:
    """Return whether docxtpl's ``render_properties`` would change nothing that lasts.

    It renders each property and sets it back: plain text (no ``{``) renders to itself, and
    setting an existing property again changes nothing but its text, which ``_set_properties``
    then replaces. It can still create a missing property (which would then come first) or
    refuse a text over 255 characters: then it must run.
    """
    element = core._element
    for name, tag in _RENDERED_PROPERTIES.items():
        value: str = getattr(core, name)
        if "{" in value or len(value) > 255 or getattr(element, tag) is None:
            return False
    return True


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------


class _StrictTemplate(DocxTemplate):  # type: ignore[misc]
    template_name: str = ""
    docx: Any
    is_rendered: bool

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            self.docx = open_document(Path(self.template_file), clean=True)
            self.is_rendered = False

    def patch_xml(self, src_xml: str) -> str:
        patch = super().patch_xml
        return _PATCHED.get_or_compute(src_xml, lambda: str(patch(src_xml)))

    def render_xml_part(self, src_xml: str, part: Any, context: Any,
                        jinja_env: Any = None) -> str:
        """docxtpl's, with its substitutions around ``<w:p`` written as ``str.replace`` (the
        same result, several times faster) and done once per template part."""
        source = _SPREAD.get_or_compute(
            src_xml, lambda: src_xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>"))
        try:
            self.current_rendering_part = part
            template = jinja_env.from_string(source) if jinja_env else jinja2.Template(source)
            dst_xml = _limits.bounded_join(template.generate(context), SecurityError)
        except jinja2.TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:
                line_number = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]
                exc.docx_context = map(  # type: ignore[attr-defined]
                    lambda x: re.sub(r"<[^>]+>", "", x),
                    source.splitlines()[line_number:line_number + 7])
            raise
        dst_xml = dst_xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if _escaped_delimiter(dst_xml):
            dst_xml = (dst_xml.replace("{_{", "{{").replace("}_}", "}}")
                       .replace("{_%", "{%").replace("%_}", "%}"))
        return self.resolve_listing(dst_xml)

    def resolve_listing(self, xml: str) -> str:
        return str(super().resolve_listing(xml)) if _listing_in_text(xml) else xml

    def fix_tables(self, xml: str) -> Any:
        encoded = xml.encode("utf-8")
        try:  # within libxml2's default limits, docxtpl's forgiving parse gives this tree
            tree = etree.fromstring(encoded, parser=_PLAIN_PARSER)
        except etree.XMLSyntaxError:
            tree = None
        if tree is not None:
            _fix_tables(tree)
            return tree
        try:
            etree.fromstring(encoded, parser=_STRICT_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                "le rendu du modèle produit un XML invalide (une balise Jinja est-elle placée "
                f"dans un attribut ou coupe-t-elle un élément Word ?) : {exc}",
                template=self.template_name) from exc
        return super().fix_tables(xml)

    def get_part_xml(self, part: Any) -> str:
        blob: bytes = part.blob
        read = super().get_part_xml
        return _PART_XML.get_or_compute(blob, lambda: str(read(part)))

    def map_headers_footers_xml(self, rel_key: str, xml: bytes) -> None:
        """docxtpl's, the rendered part being parsed only if used (see ``parsed_when_used``)."""
        part = self.docx._part.rels[rel_key].target_part
        new_part = parsed_when_used(part.partname, part.content_type, xml, part.package)
        for rel in part.rels.values():
            new_part.load_rel(rel.reltype, rel._target, rel.rId, rel.is_external)
        self.docx._part.rels[rel_key]._target = new_part

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        if not _properties_render_unchanged(self.docx.core_properties):
            super().render_properties(context, jinja_env)

    def render_footnotes(self, context: Any, jinja_env: Any = None) -> None:
        package = self.docx.part.package
        if any(part.content_type == _FOOTNOTES for part in package.parts):
            super().render_footnotes(context, jinja_env)


class _Environment(SandboxedEnvironment):
    """The sandboxed environment, remembering compiled templates: docxtpl compiles the whole
    document XML on every render, which is most of a render's time.

    Bounded (``_limits``): no file is ever loaded (``include``, ``import``, ``extends``);
    ``*`` and ``**`` cannot build huge values (they are also no longer folded at compile
    time); filters and calls take no huge numbers or texts; the output of each part is
    produced piece by piece under a size limit and the render's deadline
    (``_StrictTemplate.render_xml_part``)."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined,
                         finalize=wordml.finalize, keep_trailing_newline=True)
        self._compiled: BoundedCache[str, jinja2.Template] = BoundedCache(32)
        self.filters = {name: _limits.bounded_callable(function, SecurityError)
                        for name, function in self.filters.items()}
        self.globals.pop("lipsum", None)  # paragraphs of filler text, by the thousand

    def from_string(self, source: Any, globals: Any = None,
                    template_class: Any = None) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compile_ = super().from_string
        return self._compiled.get_or_compute(source, lambda: compile_(source))

    def _load_template(self, name: Any, globals: Any) -> jinja2.Template:
        raise SecurityError(f"un modèle .docx ne peut inclure aucun autre fichier ({name!r} : "
                            "include, import et extends sont interdits)")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _limits.check_binop(operator, left, right, SecurityError)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        _limits.checkpoint()
        owner = getattr(__obj, "__self__", None)  # a method of a text or a list
        methods = isinstance(owner, str | list)
        _limits.check_arguments(args, kwargs, SecurityError,
                                numbers=methods or __obj in _RANGES)
        if methods:
            _limits.check_growth(owner, args, kwargs, SecurityError)
        return super().call(__context, __obj, *args, **kwargs)


_RANGES = (range, safe_range)
_ENVIRONMENT = _Environment()


def _environment() -> SandboxedEnvironment:
    return _ENVIRONMENT


def _set_properties(doc: Any, convention: Convention) -> None:
    meta = convention.metadata
    core = doc.core_properties
    fit = _limits.shorten  # a core property holds 255 characters at most
    core.title = fit(f"{convention.title} {convention.object}")
    core.subject = fit(meta.subject or convention.object)
    core.author = fit(meta.drafting_organisation or "")
    core.last_modified_by = fit(meta.drafting_organisation or "")
    core.keywords = fit(", ".join(meta.keywords or convention.territories))
    core.comments = ""
    core.category = "Convention de partenariat"
    core.identifier = fit(meta.reference or "")
    core.version = fit(meta.version)
    core.language = "fr-FR"
    core.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core.created = core.modified = now


def render_docx(convention: Convention, destination: str | Path | IO[bytes], *,
                template: str | Path | None = None, draft: bool = False,
                anchors: AnchorSystem | None = None) -> None:
    """Render ``convention`` with ``template`` (default: the shipped one) to ``destination``.

    ``anchors`` puts that parapheur's text anchor in each signature block (see
    :mod:`convention_docs.anchors`). Raises ``TemplateError`` naming the template and the
    variable when the template uses a variable the model does not provide, breaks the
    sandbox, or produces invalid XML.
    """
    check_system(anchors)
    with ExitStack() as stack:
        if template is None:
            template_path = stack.enter_context(template_file())
            name = DEFAULT_TEMPLATE
        else:
            template_path = Path(template)
            name = str(template)
            _limits.check_docx_archive(
                template_path, what="modèle",
                error=lambda message: TemplateError(message, template=name))
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
                                logo_path=logo_path, draft=draft, anchors=anchors)
        try:
            with _limits.deadline(f"{name} : rendu du modèle", _limits.TEMPLATE_SECONDS):
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
        except ConventionDocsError:
            raise
        except RecursionError as exc:
            raise TemplateError("modèle trop récursif (macro qui s'appelle sans fin ?)",
                                template=name) from exc
        except Exception as exc:  # whatever the template's code raised (OverflowError…)
            raise TemplateError(f"erreur de rendu du modèle ({type(exc).__name__} : {exc})",
                                template=name) from exc
        _set_properties(tpl.docx, convention)
        save(tpl.docx, destination)
