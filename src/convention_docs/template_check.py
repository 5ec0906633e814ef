"""``check_template()``: is a custom .docx template usable, before anyone renders with it?

What it looks for, in the body, headers and footers of the template:

- ``TEMPLATE_SYNTAX``: a Jinja syntax error, with the paragraph where it is (its text quoted);
- ``TEMPLATE_CURLY_QUOTES``: Word's curly quotes (“ ” ‘ ’) inside a tag, where Jinja needs
  straight ones (Word's « AutoFormat as you type » puts them there);
- ``TEMPLATE_SPLIT_TAG`` (warning): a tag split across several Word runs (spell-check marks,
  formatting changed mid-tag); docxtpl joins them again, but the tag is best retyped in one go;
- ``TEMPLATE_UNKNOWN_VARIABLE``: a variable the context does not provide (the variables are
  made in ``context.py``, listed in docs/templates.md);
- ``TEMPLATE_MISSING_BLOCK``: what the validator requires and the template never shows: the
  articles, the funding block (EU emblem and statement), the signature blocks;
- then the shipped example convention is rendered with the template and the result validated:
  a rendering error is ``TEMPLATE_RENDER``, the validator's errors keep their codes.

The result is a ``Report`` (``kind="template"``): ``report.ok`` when the template can be used.
A file that cannot be read as a .docx raises ``TemplateError``.
"""

from __future__ import annotations

import importlib.resources
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree

from convention_docs.errors import TemplateError
from convention_docs.inspect.view import Location
from convention_docs.validate.report import Finding, Report, Severity

__all__ = ["REQUIRED", "check_template"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_CURLY = "“”‘’„‟"
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")  # straight-quoted literals may hold anything

REQUIRED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("articles",), "les articles (« articles »)"),
    (("funding.logos",), "le bandeau de financement : l'emblème de l'Union européenne "
                         "(« funding.logos »)"),
    (("funding.statement_text", "funding.statement", "funding.caption"),
     "la mention du financement européen (« funding.statement_text »)"),
    (("signature.blocks",), "les blocs de signature (« signature.blocks »)"),
)
"""What a template must use, each as the variables that show it, and what it is in French."""


def _part_label(name: str) -> str:
    kind = _PARTS.fullmatch(name)
    stem = kind.group(1) if kind else name
    if stem.startswith("header"):
        return "en-tête"
    if stem.startswith("footer"):
        return "pied de page"
    return "corps"


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"« {text if len(text) <= limit else text[:limit - 1] + '…'} »"


def _read_parts(path: Path) -> dict[str, str]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if _PARTS.fullmatch(n)]
            if "word/document.xml" not in names:
                raise TemplateError("modèle illisible (pas de word/document.xml : ce n'est pas "
                                    "un document Word)", template=path)
            names.sort(key=lambda n: (n != "word/document.xml", n))
            return {name: archive.read(name).decode("utf-8") for name in names}
    except FileNotFoundError as exc:
        raise TemplateError("modèle introuvable", template=path) from exc
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as exc:
        raise TemplateError("modèle illisible (ce n'est pas un fichier .docx)",
                            template=path) from exc


def _paragraphs(xml: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based number, texts of its runs) for every paragraph of a part."""
    try:
        root = etree.fromstring(xml.encode("utf-8"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return
    for number, paragraph in enumerate(root.iter(f"{_W}p"), start=1):
        texts = ["".join(t.text or "" for t in run.iter(f"{_W}t"))
                 for run in paragraph.iter(f"{_W}r")]
        yield number, texts


def _static_findings(part: str, xml: str, file: str) -> list[Finding]:
    found: list[Finding] = []
    where = _part_label(part)
    for number, runs in _paragraphs(xml):
        text = "".join(runs)
        if "{" not in text:
            continue
        ends = []
        position = 0
        for run in runs:
            position += len(run)
            ends.append(position)
        location = Location(file=file, paragraph=number)
        for match in _TAG.finditer(text):
            tag = match.group()
            if any(char in _STRING.sub("", tag) for char in _CURLY):
                found.append(Finding(
                    "TEMPLATE_CURLY_QUOTES", Severity.ERROR,
                    f"{where}, paragraphe {number} : guillemets typographiques dans la balise "
                    f"{_quote(tag)} : Jinja n'accepte que les guillemets droits \" et ' "
                    "(désactivez la correction automatique de Word et retapez-les)", location))
            first = next(i for i, end in enumerate(ends) if end > match.start())
            last = next(i for i, end in enumerate(ends) if end >= match.end())
            if first != last:
                found.append(Finding(
                    "TEMPLATE_SPLIT_TAG", Severity.WARNING,
                    f"{where}, paragraphe {number} : la balise {_quote(tag)} est coupée en "
                    f"{last - first + 1} morceaux de texte Word (correcteur orthographique, "
                    "mise en forme changée dans la balise) : retapez-la d'un seul tenant",
                    location))
    return found


def _jinja_source(xml: str) -> str:
    """The Jinja source docxtpl makes of a part, one paragraph a line (as ``docx.py``)."""
    from docxtpl import DocxTemplate

    patched = str(DocxTemplate.patch_xml(DocxTemplate(None), xml))
    return patched.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


def _text(line: str) -> str:
    return re.sub(r"<[^>]+>", "", line)


def _paragraph_of_line(xml: str, source: str, lineno: int) -> tuple[int, str]:
    """Return the number and text of the template's paragraph at ``lineno`` of the Jinja
    source (docxtpl folds the ``{%p …%}`` paragraphs into the line before them, so lines and
    paragraphs are matched by their text, the n-th line starting with a text being the n-th
    paragraph holding it)."""
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return lineno - 1, ""
    line = _text(lines[lineno - 1])
    # docxtpl writes a rich-text tag « {{r x }} » as « {{ x }} »: matched that way, quoted as
    # the user wrote it
    paragraphs = [(number, re.sub(r"\{\{r\s+", "{{ ", "".join(runs)), "".join(runs))
                  for number, runs in _paragraphs(xml)]
    own = max((text for _, text, _ in paragraphs if text and line.startswith(text)), key=len,
              default=None)
    if own is None:
        return lineno - 1, line  # the first line is the XML before the first paragraph
    before = sum(1 for earlier in lines[:lineno - 1] if _text(earlier).startswith(own))
    same = [(number, written) for number, text, written in paragraphs if text == own]
    return same[min(before, len(same) - 1)]


def _used(ast: nodes.Template) -> set[str]:
    """Return the variables a template reads: ``funding`` and ``funding.logos`` for
    ``{{ funding.logos }}``."""
    names: set[str] = set()
    for node in ast.find_all((nodes.Name, nodes.Getattr)):
        if isinstance(node, nodes.Name) and node.ctx == "load":
            names.add(node.name)
        elif isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            names.add(f"{node.node.name}.{node.attr}")
    return names


def _sample() -> Any:
    from convention_docs.spec import load

    resource = importlib.resources.files("convention_docs") / "examples" / "paca-2026.yaml"
    with importlib.resources.as_file(resource) as path:
        return load(path)


def _known(context: dict[str, Any], name: str) -> bool:
    head, _, attr = name.partition(".")
    if head not in context:
        return False
    value = context[head]
    return not attr or not isinstance(value, dict) or attr in value


def _render_findings(path: Path, sample: Any, file: str) -> list[Finding]:
    from convention_docs.docx import render_docx
    from convention_docs.validate import validate

    with tempfile.TemporaryDirectory(prefix="convention-docs-template-") as folder:
        rendered = Path(folder) / "exemple.docx"
        try:
            render_docx(sample, rendered, template=path)
        except TemplateError as exc:
            message = str(exc).removeprefix(f"{path} : ")
            return [Finding("TEMPLATE_RENDER", Severity.ERROR,
                            f"l'exemple ne se rend pas avec ce modèle : {message}",
                            Location(file=file))]
        report = validate(rendered)
    return [Finding(f.code, f.severity, f"exemple rendu avec ce modèle : {f.message}",
                    f.location)
            for f in report.findings if f.severity is Severity.ERROR]


def check_template(path: str | Path) -> Report:
    """Return the ``Report`` of a custom template: ``ok`` when it can render conventions.

    Raises ``TemplateError`` when the file cannot be read as a .docx.
    """
    from convention_docs.context import build_context
    from convention_docs.docx import _environment

    path = Path(path)
    file = str(path)
    findings: list[Finding] = []
    used: set[str] = set()
    unparsed = False  # a part with a syntax error: what it uses is unknown
    local = {"loop"}  # names the template sets itself: loop variables, set, macros
    for part, xml in _read_parts(path).items():
        findings.extend(_static_findings(part, xml, file))
        source = _jinja_source(xml)
        try:
            ast = _environment().parse(source)
        except jinja2.TemplateSyntaxError as exc:
            number, text = _paragraph_of_line(xml, source, exc.lineno)
            findings.append(Finding(
                "TEMPLATE_SYNTAX", Severity.ERROR,
                f"{_part_label(part)}, paragraphe {number} : erreur de syntaxe Jinja "
                f"({exc.message}) dans {_quote(text)}", Location(file=file, paragraph=number)))
            unparsed = True
            continue
        used |= _used(ast)
        local |= {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    if unparsed:
        return Report.of(file, "template", findings)
    sample = _sample()
    context = build_context(sample, logo_path=Path)
    unknown_tops = set()
    for name in sorted(used):
        top = name.partition(".")[0]
        if top in local or top in unknown_tops or _known(context, name):
            continue
        if top not in context:
            unknown_tops.add(top)
            name = top
        findings.append(Finding(
            "TEMPLATE_UNKNOWN_VARIABLE", Severity.ERROR,
            f"variable inconnue « {name} » : le contexte ne la fournit pas (variables : "
            "docs/templates.md)", Location(file=file)))
    for names, what in REQUIRED:
        if not used & set(names):
            findings.append(Finding(
                "TEMPLATE_MISSING_BLOCK", Severity.ERROR,
                f"le modèle ne montre jamais {what} : le validateur refuserait chaque "
                "convention produite", Location(file=file)))
    if not any(f.severity is Severity.ERROR for f in findings):
        findings.extend(_render_findings(path, sample, file))
    return Report.of(file, "template", findings)
