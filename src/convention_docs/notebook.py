"""What a notebook shows of a ``Convention``: a short ``repr`` and an HTML preview.

The preview is laid out like the document (the parties' logos, the funding block with the EU
emblem, title, parties and their representatives, preamble, « Article 1<sup>er</sup> » …,
« Fait à … », signature blocks) from the same template variables as the .docx
(``context.build_context``), so its words are the document's. Beside each part stand the
validator's findings about it (``validate``, located by field path). Every text of the
convention is HTML-escaped.

>>> from convention_docs import load
>>> convention = load("examples/paca-2026.yaml")
>>> print(repr(convention))  # doctest: +NORMALIZE_WHITESPACE
<Convention « CONVENTION DE PARTENARIAT relative à la mise en œuvre des… » : L'État ↔
 La Métropole Aix-Marseille-Provence, 11 articles, FSE+ 2021-2027>
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from convention_docs.errors import ConventionDocsError, SpecError
from convention_docs.model import Convention
from convention_docs.validate.report import (
    SEVERITY_COLOURS,
    Finding,
    Report,
    Severity,
    findings_html,
)

__all__ = ["convention_html", "convention_repr"]

_TITLE_CHARS = 60
_LOGO_PIXELS = 72  # height of the logos in the preview (the document: 15 mm)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def convention_repr(convention: Convention) -> str:
    """Return ``<Convention « title object » : party ↔ party, 9 articles, FSE+ 2021-2027>``."""
    try:
        title = _shorten(f"{convention.title} {convention.object}", _TITLE_CHARS)
        parties = " ↔ ".join(party.name for party in convention.parties)
        count = len(convention.articles)
        funding = (convention.funding.period.value if convention.funding is not None
                   else "sans financement européen")
    except Exception:  # an object pydantic never checked (model_copy): say so, do not fail
        return f"<{type(convention).__name__} non vérifiée (model_copy ?)>"
    articles = f"{count} article{'s' if count > 1 else ''}"
    return f"<{type(convention).__name__} « {title} » : {parties}, {articles}, {funding}>"


# --------------------------------------------------------------------------------------------
# Text → HTML
# --------------------------------------------------------------------------------------------


def _text(text: str) -> str:
    """Escaped text, line breaks kept."""
    return html.escape(text, quote=True).replace("\n", "<br>")


_FIRST = re.compile(r"(?<![\w])1er(?![\w])")


def _ordinals(escaped: str) -> str:
    """« 1er » with « er » raised, as the document writes it in headings and dates."""
    return _FIRST.sub("1<sup>er</sup>", escaped)


def _runs(runs: Any) -> str:
    out = []
    for run in runs.runs:
        piece = _text(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.color:
            piece = f'<span style="color:#{html.escape(run.color)}">{piece}</span>'
        out.append(piece)
    return "".join(out)


def _blocks(blocks: Sequence[dict[str, Any]]) -> str:
    out: list[str] = []
    bullets: list[str] = []
    for block in blocks:
        if block["kind"] == "bullet":
            bullets.append(f"<li>{_runs(block['text'])}</li>")
            continue
        if bullets:
            out.append(f"<ul>{''.join(bullets)}</ul>")
            bullets = []
        if block["kind"] == "quotation":
            out.append(f'<blockquote style="margin:0.4em 2em">{_runs(block["text"])}'
                       "</blockquote>")
        else:
            out.append(f'<p style="text-align:justify">{_runs(block["text"])}</p>')
    if bullets:
        out.append(f"<ul>{''.join(bullets)}</ul>")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Logos, inline
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _png_data(source: str, builtin: bool) -> str | None:
    """A ``data:`` URL of the logo, ``_LOGO_PIXELS`` high; ``None`` when unreadable."""
    try:
        if builtin:
            from convention_docs.logos import asset
            data = asset(source).read_bytes()
        else:
            data = Path(source).read_bytes()
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            ratio = _LOGO_PIXELS / max(picture.height, 1)
            small = picture.convert("RGBA").resize(
                (max(1, round(picture.width * ratio)), _LOGO_PIXELS), Image.Resampling.LANCZOS)
    except (OSError, ValueError, ConventionDocsError):
        return None
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


_BUILTIN = ("eu-emblem.png", "fse-logo.png")


def _logo(spec: Any) -> str:
    name = str(spec.path)
    builtin = name in _BUILTIN
    data = _png_data(name, builtin)
    alt = html.escape(spec.alt, quote=True)
    if data is None:
        return (f'<span style="border:1px dashed #b00020;padding:2px 6px">{alt} '
                "(fichier illisible)</span>")
    return (f'<img src="{data}" alt="{alt}" title="{alt}" '
            f'style="height:{_LOGO_PIXELS // 2}px;vertical-align:middle;margin-right:8px">')


# --------------------------------------------------------------------------------------------
# Findings beside the parts they are about
# --------------------------------------------------------------------------------------------

_PART = re.compile(r"^(parties|articles)\[(\d+)\]|^(funding|preamble|signature|title|object)")


def _part_of(finding: Finding) -> str:
    """The part of the preview a finding is about, from its field path."""
    match = _PART.match(finding.location.field or "")
    if match is None:
        return "general"
    if match.group(1):
        return f"{match.group(1)}[{match.group(2)}]"
    part = match.group(3)
    return "heading" if part in ("title", "object") else part


def _row(document: str, findings: Iterable[Finding], *, notes_column: bool = True) -> str:
    """One part of the document, its findings beside it (a column left out when the whole
    convention has none)."""
    if not notes_column:
        return f"<div>{document}</div>"
    notes = findings_html(findings)
    return ('<div style="display:flex;gap:1.5em;align-items:flex-start">'
            f'<div style="flex:3;min-width:0">{document}</div>'
            f'<div style="flex:2;min-width:0">{notes}</div></div>')


def _status(report: Report) -> str:
    colour = SEVERITY_COLOURS[Severity.ERROR] if report.errors else "#2e7d32"
    return (f'<p style="margin:0 0 0.8em;color:{colour}"><b>Validation du modèle</b> — '
            f"{html.escape(report.summary())}</p>")


def _invalid(error: SpecError) -> str:
    items = "".join(f"<li><code>{html.escape(path or '(racine)')}</code> : "
                    f"{html.escape(message)}</li>" for path, message in error.issues)
    return (f'<div style="border:2px solid {SEVERITY_COLOURS[Severity.ERROR]};padding:0.5em 1em">'
            "<b>Convention invalide</b> : elle ne peut être ni affichée ni produite."
            f"<ul>{items}</ul></div>")


# --------------------------------------------------------------------------------------------
# The convention, laid out like the document
# --------------------------------------------------------------------------------------------


def convention_html(convention: Convention) -> str:
    """Return the HTML preview of ``convention`` (``Convention._repr_html_``)."""
    from convention_docs.context import build_context
    from convention_docs.drafting import checked
    from convention_docs.validate import validate

    try:
        model = checked(convention)
    except SpecError as exc:
        return _invalid(exc)
    report = validate(model)
    by_part: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_part.setdefault(_part_of(finding), []).append(finding)
    ctx = build_context(model, image=lambda spec: spec, logo_path=Path)
    row = functools.partial(_row, notes_column=bool(report.findings))

    rows: list[str] = [_status(report)]
    if by_part.get("general"):
        rows.append(row("", by_part["general"]))
    party_logos = ctx.get("party_logos") or ()
    if party_logos:  # at the top of the first page: the first on the left, the last on the right
        rows.append(row('<div style="display:flex;justify-content:space-between;'
                        f'align-items:center">{"".join(map(_logo, party_logos))}</div>', ()))
    funding = ctx["funding"]
    if funding is not None:
        logos = "".join(_logo(spec) for spec in funding["logos"])
        partners = "".join(_logo(spec) for spec in funding["partner_logos"])
        statement = (f'<span style="color:#003399;font-weight:bold">'
                     f'{_text(funding["statement_text"])}</span>')
        block = ((f"<div>{partners}</div>" if partners else "")
                 + f'<div style="display:flex;align-items:center">{logos}{statement}</div>'
                 + f'<p style="font-size:85%">{_text(funding["mention"])}</p>')
        rows.append(row(block, by_part.get("funding", ())))
    elif by_part.get("funding"):
        rows.append(row("<p><i>(pas de bloc de financement européen)</i></p>",
                         by_part["funding"]))
    heading = (f'<h2 style="text-align:center;margin-bottom:0.2em">{_text(ctx["title"])}</h2>'
               f'<p style="text-align:center"><b>{_text(ctx["object"])}</b></p>')
    rows.append(row(heading, by_part.get("heading", ())))
    for index, party in enumerate(ctx["parties"]):
        text = (f'<p><b>{_text(party["name_line"])}</b><br>{_text(party["represented_by"])}'
                f'<br>{_text(party["designation_line"])}</p>')
        if index + 1 < len(ctx["parties"]):
            text += '<p style="text-align:center">Et</p>'
        rows.append(row(text, by_part.get(f"parties[{index}]", ())))
    rows.append(row(f'<p style="text-align:center"><b>{_text(ctx["agreement"])}</b></p>', ()))
    if ctx["preamble"] is not None:
        rows.append(row(f'<h3>{_text(ctx["preamble"]["title"])}</h3>'
                         + _blocks(ctx["preamble"]["blocks"]), by_part.get("preamble", ())))
    for index, article in enumerate(ctx["articles"]):
        label = _ordinals(_text(article["label"]))
        rows.append(row(f'<h3>{label} : {_text(article["title"])}</h3>'
                         + _blocks(article["blocks"]), by_part.get(f"articles[{index}]", ())))
    signature = ctx["signature"]
    cells = "".join(
        '<td style="vertical-align:top;padding:0 1em;border:none">'
        f'{_text(block["label"])}<br>{_runs(block["function"])}'
        f'<div style="height:4em"></div><b>{_text(block["name_text"])}</b></td>'
        for block in signature["blocks"])
    rows.append(row(f'<p>{_ordinals(_text(signature["made_at"]))}</p>'
                     f'<table style="border:none"><tr>{cells}</tr></table>',
                     by_part.get("signature", ())))
    body = "".join(rows)
    return ('<div class="convention-docs" lang="fr" style="font-family:Arial,Helvetica,'
            f'sans-serif;max-width:70em;line-height:1.35">{body}</div>')
