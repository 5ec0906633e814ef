"""``render()`` and ``batch()``: model → .docx → .pdf, validated, written atomically.

Every output is produced in a private temporary folder next to its destination, validated, and
only then renamed onto the destination: a refused or failed render leaves nothing there (an
existing file at the destination stays untouched).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convention_docs import _reaper
from convention_docs.anchors import AnchorSystem, check_system
from convention_docs.convert import Converter, PdfConverter, PdfOptions
from convention_docs.docx import render_docx
from convention_docs.drafting import checked
from convention_docs.errors import (
    ConventionDocsError,
    ConventionRejected,
    ConversionError,
    LimitExceeded,
    os_reason,
)
from convention_docs.model import Convention
from convention_docs.pdfmeta import set_metadata, written_keywords
from convention_docs.spec import load, load_data
from convention_docs.validate import Report, validate

__all__ = ["BuildResult", "build", "build_all", "render"]

FORMATS = ("docx", "pdf")
WORKDIR_PREFIX = ".convention-docs-"  # + pid + "-": where an output is made before its rename


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` wrote and what the validator said about it."""

    path: Path
    report: Report


def _as_convention(convention: Convention | str | Path | Mapping[str, Any]) -> Convention:
    if isinstance(convention, Convention):
        # checked again (0.1 ms): model_copy(update=…) builds objects pydantic never checked
        return checked(convention)
    if isinstance(convention, str | Path):
        return load(convention)
    return load_data(convention)


def _pdf_metadata(convention: Convention) -> dict[str, Any]:
    meta = convention.metadata
    return {
        "title": f"{convention.title} {convention.object}",
        "author": meta.drafting_organisation or "",
        "subject": meta.subject or convention.object,
        "keywords": list(meta.keywords or convention.territories),
        "language": "fr-FR",
    }


def _keywords(convention: Convention) -> tuple[str, ...]:
    """The PDF's keywords as ``set_metadata`` writes them (given to LibreOffice too, so that
    a warm converter leaves the metadata right and nothing is rewritten)."""
    return written_keywords(_pdf_metadata(convention)["keywords"])


def _kind(destination: Path) -> str:
    kind = destination.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ConventionDocsError(
            f"{destination} : format de sortie « {destination.suffix or '(aucun)'} » non pris "
            "en charge, attendu : .docx ou .pdf")
    return kind


def build_all(convention: Convention | str | Path | Mapping[str, Any],
              destinations: Sequence[str | Path], *, template: str | Path | None = None,
              pdfa: bool = False, converter: PdfConverter | None = None,
              draft: bool = False, anchors: AnchorSystem | None = None,
              signable: bool = False, timeout: float = 120.0) -> list[BuildResult]:
    """Render ``convention`` once to every destination (.docx and/or .pdf), validate each, and
    write them all, or none: on errors ``ConventionRejected`` is raised and nothing is written.

    ``anchors`` (``"iparapheur"``, ``"yousign"``, ``"docusign"``) puts that parapheur's
    invisible text anchor in each signature block (see :mod:`convention_docs.anchors`).
    ``signable``: each PDF gets an empty signature field per signatory (validated with them).
    ``timeout`` bounds the conversion when no ``converter`` is given.
    """
    check_system(anchors)
    return _build_all(_as_convention(convention), destinations, template=template, pdfa=pdfa,
                      converter=converter, draft=draft, anchors=anchors, signable=signable,
                      timeout=timeout)


def _build_all(model: Convention, destinations: Sequence[str | Path], *,
               template: str | Path | None = None, pdfa: bool = False,
               converter: PdfConverter | None = None, draft: bool = False,
               anchors: AnchorSystem | None = None, signable: bool = False,
               timeout: float = 120.0) -> list[BuildResult]:
    """``build_all`` for a model already checked (``load`` made it: a batch does not check
    each convention twice)."""
    targets = [Path(d) for d in destinations]
    kinds = [_kind(target) for target in targets]
    for target in targets:
        if target.is_dir():
            raise ConventionDocsError(f"{target} : c'est un dossier, attendu : un fichier "
                                      f".{_kind(target)}")
    if not targets:
        return []
    model_report = validate(model)
    if model_report.errors and not draft:
        raise ConventionRejected(model_report, destination=targets[0])
    for target in targets:
        _make_folder(target.parent)
    # named after this process, so that whoever sees it die can remove what it left (and
    # removed by our watcher if we die, even by SIGKILL)
    workdir = _reaper.new_folder(f"{WORKDIR_PREFIX}{os.getpid()}-", targets[0].parent)
    try:
        docx_path = workdir / "convention.docx"
        render_docx(model, docx_path, template=template, draft=draft, anchors=anchors)
        produced: list[tuple[Path, Path, Report]] = []
        for index, (target, kind) in enumerate(zip(targets, kinds, strict=True)):
            path = docx_path
            if kind == "docx":
                path = workdir / f"{index}.docx"
                shutil.copyfile(docx_path, path)
            else:
                path = workdir / f"{index}.pdf"
                with ExitStack() as stack:
                    # a one-off render starts LibreOffice once: cold mode costs the same
                    conv: PdfConverter = converter or stack.enter_context(
                        Converter(warm=False, timeout=timeout))
                    try:
                        conv.convert(docx_path, path, PdfOptions(
                            pdfa=pdfa, keywords=_keywords(model)))
                    except ConversionError as exc:  # named after the output, not our folder
                        raise type(exc)(str(exc).replace(str(docx_path), str(target)),
                                        source=target, details=exc.details) from exc
                _fixed_up(path, model, target)
                if signable:
                    from convention_docs.signing import add_signature_fields
                    add_signature_fields(path, model, name=target)
            report = validate(path, convention=model)
            # The document's findings, plus what only the model can tell (field paths).
            codes = report.codes()
            report = Report.of(str(target), report.kind,
                               (*report.findings, *(f for f in model_report.findings
                                                    if f.code not in codes)))
            if report.errors and not draft:
                raise ConventionRejected(report, destination=target)
            produced.append((path, target, report))
        for path, target, _ in produced:
            _move(path, target)
        return [BuildResult(target, report) for _, target, report in produced]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        _reaper.forget_folder(workdir)


def _fixed_up(pdf: Path, model: Convention, target: Path) -> None:
    """Set the metadata of the PDF the converter produced for ``target``; a PDF it cannot
    read is the converter's failure (``ConversionError``), named after ``target``, not after
    our temporary file."""
    try:
        set_metadata(pdf, **_pdf_metadata(model))
    except (OSError, MemoryError, LimitExceeded):
        raise
    except Exception as exc:
        raise ConversionError(f"{target} : LibreOffice a produit un PDF illisible (conversion "
                              "ratée) ; rien n'a été écrit", source=target,
                              details=str(exc)) from exc


def _make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if needed; ``ConventionDocsError`` when impossible."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ConventionDocsError(f"{folder} : ce n'est pas un dossier") from exc
    except OSError as exc:
        raise ConventionDocsError(
            f"{folder} : impossible de créer le dossier ({os_reason(exc)})") from exc


def _move(path: Path, target: Path) -> None:
    """Put ``path`` at ``target`` atomically (a rename; via a temporary file in the target's
    folder when it is on another file system)."""
    try:
        path.replace(target)
    except OSError:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".convention-docs-",
                                         delete=False) as handle:
            temporary = Path(handle.name)
        try:
            shutil.copyfile(path, temporary)
            temporary.replace(target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def build(convention: Convention | str | Path | Mapping[str, Any], destination: str | Path, *,
          template: str | Path | None = None, pdfa: bool = False,
          converter: PdfConverter | None = None, draft: bool = False,
          anchors: AnchorSystem | None = None, signable: bool = False,
          timeout: float = 120.0) -> BuildResult:
    """Render ``convention`` to ``destination`` (.docx or .pdf), validate it, and return both.

    Raises ``ConventionRejected`` (nothing written) when the validator finds errors, unless
    ``draft`` is true: a draft is written anyway and says « PROJET » on its first page.
    ``anchors``: see ``build_all``. ``signable`` (PDF): one empty signature field per
    signatory, over its signing area.
    """
    return build_all(convention, [destination], template=template, pdfa=pdfa,
                     converter=converter, draft=draft, anchors=anchors,
                     signable=signable, timeout=timeout)[0]


def render(convention: Convention | str | Path | Mapping[str, Any], destination: str | Path,
           *, template: str | Path | None = None, pdfa: bool = False,
           converter: PdfConverter | None = None, draft: bool = False,
           anchors: AnchorSystem | None = None, signable: bool = False,
           timeout: float = 120.0) -> Path:
    """Render ``convention`` to ``destination`` (.docx or .pdf) and return its path.

    The output is validated first; on errors nothing is written and ``ConventionRejected``
    (carrying the report) is raised. ``anchors``: see ``build_all``. ``signable`` (PDF):
    one empty signature field per signatory, named from the party's key
    (docs/signature.md).
    """
    return build(convention, destination, template=template, pdfa=pdfa, converter=converter,
                 draft=draft, anchors=anchors, signable=signable, timeout=timeout).path
