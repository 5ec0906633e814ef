"""Rules on a ``Convention`` itself, located by field path (``articles[3].blocks[0]``).

Numbering and agreement cannot be wrong in a model (the library writes them), so a model is
checked for its funding declaration, its logo files, and the text rules shared with documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from convention_docs import _limits
from convention_docs.context import EMBLEM_HEIGHT_MM, party_logo_box
from convention_docs.errors import AssetError
from convention_docs.funding import FSE_PLUS_START
from convention_docs.inspect.view import DocumentView, Location, TextLine
from convention_docs.model import (
    Bold,
    Bullets,
    Convention,
    FundingPeriod,
    Italic,
    Paragraph,
    PartyLogo,
    Quotation,
    Quote,
    Ref,
)
from convention_docs.validate.civility import check_civility
from convention_docs.validate.report import Finding, Severity

__all__ = ["check_model", "model_view"]


def _plain(spans: Any) -> str:
    if isinstance(spans, str):
        return spans
    out = []
    for span in spans:
        if isinstance(span, str):
            out.append(span)
        elif isinstance(span, Bold):
            out.append(span.bold)
        elif isinstance(span, Italic):
            out.append(span.italic)
        elif isinstance(span, Quote):
            out.append(f"« {span.quote} »")
        elif isinstance(span, Ref):
            out.append(f"l'article {span.ref}")
    return "".join(out)


def _block_lines(path: str, blocks: Any) -> Iterator[tuple[str, str]]:
    for i, block in enumerate(blocks):
        if isinstance(block, str):
            yield f"{path}[{i}]", block
        elif isinstance(block, Paragraph):
            yield f"{path}[{i}].paragraph", _plain(block.paragraph)
        elif isinstance(block, Bullets):
            for j, item in enumerate(block.bullets):
                yield f"{path}[{i}].bullets[{j}]", _plain(item)
        elif isinstance(block, Quotation):
            yield f"{path}[{i}].quotation", block.quotation


def model_view(convention: Convention) -> DocumentView:
    """Return the model's texts as a ``DocumentView`` whose lines are located by field path."""
    texts: list[tuple[str, str]] = [("title", convention.title), ("object", convention.object)]
    for i, party in enumerate(convention.parties):
        texts += [(f"parties[{i}].name", party.name),
                  (f"parties[{i}].representative.function", party.representative.function)]
    if convention.preamble is not None:
        texts += list(_block_lines("preamble.blocks", convention.preamble.blocks))
    for i, article in enumerate(convention.articles):
        texts.append((f"articles[{i}].title", article.title))
        texts += list(_block_lines(f"articles[{i}].blocks", article.blocks))
    for i, block in enumerate(convention.signature.blocks or ()):
        if block.label:
            texts.append((f"signature.blocks[{i}].label", block.label))
        if block.function:
            texts.append((f"signature.blocks[{i}].function", block.function))
    lines = tuple(TextLine(text, Location(field=path)) for path, text in texts)
    return DocumentView("model", None, lines, (), None, {})


def _logo_file(path: Path, field: str) -> Iterator[Finding]:
    try:
        # a regular file (a FIFO would block), of a bounded number of pixels (a bomb)
        if Path(path).exists():  # a missing file is said below, as any unreadable one
            _limits.check_regular(path, error=AssetError, what="logo")
        with Image.open(path) as picture:
            _limits.check_picture(picture.size, error=AssetError)
            picture.verify()
    except Image.DecompressionBombError:
        yield Finding("LOGO_FILE_UNREADABLE", Severity.ERROR,
                      f"fichier de logo inutilisable : {path} : {_limits.BOMB}",
                      Location(field=field))
    except AssetError as problem:
        yield Finding("LOGO_FILE_UNREADABLE", Severity.ERROR,
                      f"fichier de logo inutilisable : {path} : {problem}", Location(field=field))
    except (OSError, UnidentifiedImageError):
        yield Finding("LOGO_FILE_UNREADABLE", Severity.ERROR,
                      f"fichier de logo introuvable ou illisible : {path}", Location(field=field))


def _party_logo_size(name: str, logo: PartyLogo, index: int) -> Iterator[Finding]:
    """The party's logo as it will be drawn, against the emblem (Reg. 2021/1060 Annex IX)."""
    box_width, box_height = party_logo_box(logo)
    with Image.open(logo.path) as picture:
        width_px, height_px = picture.size
    scale = min(box_width / width_px, box_height / height_px)
    width, height = width_px * scale, height_px * scale
    emblem_width, emblem_height = EMBLEM_HEIGHT_MM * 1.5, EMBLEM_HEIGHT_MM
    if height > emblem_height + 0.5 and width > emblem_width + 0.5:
        def mm(value: float) -> str:
            return f"{value:.1f}".replace(".", ",")
        yield Finding(
            "EU_EMBLEM_SMALLER_THAN_LOGO", Severity.ERROR,
            f"le logo de « {name} » ({mm(width)} × {mm(height)} mm) serait plus grand que "
            f"l'emblème de l'Union européenne ({mm(emblem_width)} × {mm(emblem_height)} mm) : "
            "l'emblème doit être au moins aussi haut ou aussi large ; réduisez « height_mm » "
            "ou retirez-le", Location(field=f"parties[{index}].logo.height_mm"))


def check_model(convention: Convention) -> list[Finding]:
    """Return the findings that only a model can have (funding declaration, logo files,
    civility against function)."""
    findings: list[Finding] = list(check_civility(convention))
    for i, party in enumerate(convention.parties):
        if party.logo is not None:
            unreadable = list(_logo_file(party.logo.path, f"parties[{i}].logo.path"))
            findings += unreadable
            if not unreadable and convention.funding is not None and \
                    convention.funding.period is FundingPeriod.FSE_PLUS_2021_2027:
                findings += _party_logo_size(party.name, party.logo, i)
    funding = convention.funding
    if funding is None:
        findings.append(Finding(
            "FUNDING_MISSING", Severity.ERROR,
            "financement européen non déclaré : indiquez la période (« FSE+ 2021-2027 » ou "
            "« FSE 2014-2020 ») pour que l'emblème et la mention obligatoires soient placés",
            Location(field="funding")))
        return findings
    date = convention.signature.date
    if funding.period is FundingPeriod.FSE_2014_2020 and date is not None \
            and date >= FSE_PLUS_START:
        findings.append(Finding(
            "OUTDATED_FSE_2014_2020", Severity.WARNING,
            f"convention datée du {date:%d/%m/%Y} avec les logos du FSE 2014-2020 : depuis 2021 "
            "s'applique le FSE+ 2021-2027 (emblème et « Cofinancé par l'Union européenne »)",
            Location(field="funding.period")))
    if funding.fse_logo is not None:
        findings += _logo_file(funding.fse_logo.path, "funding.fse_logo.path")
    for i, logo in enumerate(funding.partner_logos):
        findings += _logo_file(logo.path, f"funding.partner_logos[{i}].path")
    return findings
