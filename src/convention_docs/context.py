"""Convention → template variables: the only place that knows their names.

The variables are documented in docs/templates.md. Text values are plain ``str`` (a template
shows them with ``{{ value }}``) or ``Runs`` (rich text, shown with docxtpl's ``{{r value }}``).
Typography (no-break spaces, apostrophes) is applied here, once, as the model's ``typography``
asks. Images are produced by the ``image`` factory the renderer passes in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from convention_docs import french
from convention_docs.anchors import AnchorSystem, anchor_text, check_system
from convention_docs.french import GuillemetSpace
from convention_docs.funding import rules_for
from convention_docs.model import (
    Bold,
    Bullets,
    Convention,
    Italic,
    Paragraph,
    PartyLogo,
    Person,
    Quotation,
    Quote,
    Ref,
    Typography,
)
from convention_docs.wordml import Run, Runs

__all__ = [
    "BLANK_DATE",
    "DRAFT_NOTICE",
    "ELECTRONIC_FORMULA",
    "EMBLEM_HEIGHT_MM",
    "KEEP_WITH_SIGNATURES_CHARS",
    "PARTY_LOGO_MAX_WIDTH_MM",
    "ImageSpec",
    "build_context",
    "made_at",
    "party_logo_box",
    "signature_anchor",
]

EMBLEM_HEIGHT_MM = 15.0
"""Height of the EU emblem in the funding block; no other logo is drawn larger."""

PARTY_LOGO_MAX_WIDTH_MM = 75.0
"""Widest a party logo of a given height is drawn: two fit side by side on the first line."""

BLANK_DATE = "_" * 16
"""What « Fait à …, le » is followed by when the date is left to be written by hand."""

STATEMENT_COLOUR = "003399"
"""Reflex Blue, for the statement next to the emblem (Reg. 2021/1060 Annex IX)."""

DRAFT_NOTICE = "PROJET – document non validé, à ne pas signer"
"""Shown at the top of a draft rendered in spite of validation errors."""

ELECTRONIC_FORMULA = ("La présente convention est signée électroniquement ; elle prend effet à "
                      "la date de sa dernière signature.")
"""What follows « Fait à … » when the convention is signed electronically (no date, no
originals: the date is that of the last signature)."""

KEEP_WITH_SIGNATURES_CHARS = 2000
"""The last block of the last article keeps with the signatures when it is at most this long
(about 20 lines). LibreOffice moves a keep-with-next paragraph whole to the next page rather
than split it, which leaves a blank above it (at most its height); a paragraph longer than a
page would even leave its article's heading alone on a page. Measured in docs/templates.md."""

_NUMBER_WORDS = ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix")


@dataclass(frozen=True)
class ImageSpec:
    """An image to place: a file, its box in millimetres (aspect kept), its alternative text."""

    path: Path
    max_width_mm: float
    max_height_mm: float
    alt: str
    role: str


def party_logo_box(logo: PartyLogo) -> tuple[float, float]:
    """Return the (width, height) box in mm a party's logo is fitted to, aspect kept: the
    emblem's box, or ``height_mm`` high and at most ``PARTY_LOGO_MAX_WIDTH_MM`` wide."""
    if logo.height_mm is None:
        return EMBLEM_HEIGHT_MM * 1.5, EMBLEM_HEIGHT_MM
    return PARTY_LOGO_MAX_WIDTH_MM, logo.height_mm


def signature_anchor(party_key: str) -> str:
    """Return the bookmark (and PDF named destination) of a party's signature block.

    >>> signature_anchor("etat")
    'signature_etat'
    """
    return f"signature_{party_key}"


@functools.lru_cache(maxsize=4096)
def _typeset(text: str, non_breaking_spaces: bool, guillemet_space: GuillemetSpace,
             typographic_apostrophe: bool) -> str:
    """French typography of one text; kept by content (a batch's conventions share most of
    their paragraphs, and each costs tens of microseconds)."""
    if non_breaking_spaces:
        text = french.apply_non_breaking_spaces(text, guillemet_space=guillemet_space)
    if typographic_apostrophe:
        text = french.typographic_apostrophe(text)
    if non_breaking_spaces:
        text = french.no_break_ranges(text)
    return text


class _Typo:
    def __init__(self, options: Typography) -> None:
        self.options = options

    def __call__(self, text: str) -> str:
        options = self.options
        return _typeset(text, options.non_breaking_spaces, options.guillemet_space,
                        options.apostrophe == "typographic")

    def quote(self, text: str) -> str:
        return french.quote(self(text), guillemet_space=self.options.guillemet_space)


def _originals_text(count: int) -> str:
    words = _NUMBER_WORDS[count - 1] if count <= len(_NUMBER_WORDS) else str(count)
    if count == 1:
        return "en un exemplaire original"
    return f"en {words} exemplaires originaux"


def made_at(convention: Convention) -> str:
    """Return « Fait à Marseille, le 24 novembre 2026, en deux exemplaires originaux. ».

    Without a date, « le » is followed by a blank to fill by hand. Signed electronically:
    « Fait à Marseille. La présente convention est signée électroniquement ; elle prend
    effet à la date de sa dernière signature. » (typography is applied by the caller).
    """
    signature = convention.signature
    if convention.signed_electronically():
        return f"Fait à {signature.place}. {ELECTRONIC_FORMULA}"
    date = french.format_date(signature.date) if signature.date else BLANK_DATE
    return (f"Fait à {signature.place}, le {date}, "
            f"{_originals_text(convention.originals())}.")


def build_context(convention: Convention,
                  image: Callable[[ImageSpec], Any] = lambda spec: spec,
                  logo_path: Callable[[str], Path] | None = None,
                  draft: bool = False,
                  anchors: AnchorSystem | None = None) -> dict[str, Any]:
    """Return the template variables for ``convention``.

    ``image`` turns an ``ImageSpec`` into what the template engine inserts (docxtpl's
    ``InlineImage``); ``logo_path`` gives the file of a built-in logo by name. ``draft``
    sets ``draft_notice``, shown on the first page of a draft. ``anchors`` names the
    parapheur whose text anchor each signature block carries (``signature.blocks[].tag``).
    """
    system = check_system(anchors)
    typo = _Typo(convention.typography)
    numbers = convention.article_numbers()

    def runs(content: Any, *, italic: bool = False) -> Runs:
        spans = (content,) if isinstance(content, str) else content
        out: list[Run] = []
        for span in spans:
            if isinstance(span, str):
                out.append(Run(typo(span), italic=italic))
            elif isinstance(span, Bold):
                out.append(Run(typo(span.bold), bold=True, italic=italic))
            elif isinstance(span, Italic):
                out.append(Run(typo(span.italic), italic=True))
            elif isinstance(span, Quote):
                out.append(Run(typo.quote(span.quote), italic=True))
            elif isinstance(span, Ref):
                label = french.ordinal(numbers[span.ref])
                out.append(Run(f"l'article\u00a0{label}" if convention.typography.apostrophe
                               == "keep" else f"l’article\u00a0{label}", italic=italic))
        return Runs(tuple(out))

    def blocks(items: tuple[Any, ...]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for block in items:
            if isinstance(block, str):
                out.append({"kind": "paragraph", "text": runs(block)})
            elif isinstance(block, Paragraph):
                out.append({"kind": "paragraph", "text": runs(block.paragraph)})
            elif isinstance(block, Bullets):
                out.extend({"kind": "bullet", "text": runs(item)} for item in block.bullets)
            elif isinstance(block, Quotation):
                text = typo.quote(block.quotation)
                if block.source:
                    text += f" ({typo(block.source)})"
                out.append({"kind": "quotation", "text": Runs((Run(text, italic=True),))})
        for item in out:
            item["keep_with_next"] = False
        return out

    def person(p: Person) -> dict[str, Any]:
        return {
            "civility": p.civility.value,
            "first_name": p.first_name,
            "last_name": french.upper(p.last_name),
            "name": french.person_name(p.civility, p.first_name, p.last_name),
            "long_name": french.person_name(p.civility, p.first_name, p.last_name, long=True),
            "function": typo(p.function),
        }

    parties = []
    for party in convention.parties:
        rep = person(party.representative)
        represented = french.agree("Représenté", party.gender)
        named = french.agree("dénommé", party.gender)
        parties.append({
            "key": party.key,
            "name": typo(party.name),
            "name_line": typo(f"{party.name},"),
            "gender": party.gender.value,
            "designation": typo(party.designation),
            "representative": rep,
            "represented_by": typo(
                f"{represented} par {rep['name']}, {party.representative.function}"),
            "designation_line": typo(f"Ci-après {named} ") + typo.quote(party.designation),
        })

    articles = []
    for number, article in enumerate(convention.articles, start=1):
        label = french.article_label(number)
        article_blocks = blocks(article.blocks)
        if number == len(convention.articles) \
                and len(str(article_blocks[-1]["text"])) <= KEEP_WITH_SIGNATURES_CHARS:
            # The end of the last article goes with « Fait à … » and the signatures: never
            # a page of signatures alone.
            article_blocks[-1]["keep_with_next"] = True
        articles.append({
            "number": number,
            "label": label,
            "key": article.key,
            "title": typo(article.title),
            "heading": typo(f"{label} : {article.title}"),
            "heading_runs": Runs((Run(typo(f"{label} : {article.title}")),)),
            "blocks": article_blocks,
        })

    signature_blocks = []
    for index, block in enumerate(convention.signature_blocks()):
        party = convention.party(block.party)
        signatory = block.signatory or party.representative
        label = block.label or f"Pour {french.lower_article(party.name)},"
        function = block.function if block.function is not None else signatory.function
        name = french.person_name(signatory.civility, signatory.first_name,
                                  signatory.last_name, long=True)
        signature_blocks.append({
            "key": party.key,
            "anchor": signature_anchor(party.key),
            "label": typo(label),
            "function": Runs((Run(typo(function)),)),
            "name": Runs((Run(name),), bookmark=(signature_anchor(party.key), 9000 + index)),
            "name_text": name,
            "tag": anchor_text(system, index + 1) if system else "",
        })

    party_logos = [image(ImageSpec(party.logo.path, *party_logo_box(party.logo),
                                   party.logo.alt, "party"))
                   for party in convention.parties if party.logo is not None]

    funding: dict[str, Any] | None = None
    if convention.funding is not None and logo_path is not None:
        rules = rules_for(convention.funding)
        logos = [image(ImageSpec(logo_path("eu-emblem.png"), EMBLEM_HEIGHT_MM * 1.5,
                                 EMBLEM_HEIGHT_MM, "Emblème de l'Union européenne", "eu_emblem"))]
        if "fse" in rules.logo_roles:
            fse = convention.funding.fse_logo
            logos.append(image(ImageSpec(
                fse.path if fse else logo_path("fse-logo.png"), EMBLEM_HEIGHT_MM * 1.5,
                EMBLEM_HEIGHT_MM, fse.alt if fse else "Logo du Fonds social européen", "fse")))
        funding = {
            "period": rules.period.value,
            "fund": rules.fund,
            "statement": rules.statement,
            "caption": rules.emblem_caption,
            "statement_text": rules.statement or rules.emblem_caption or "",
            "mention": typo(rules.mention),
            "logos": logos,
            "partner_logos": [
                image(ImageSpec(logo.path, EMBLEM_HEIGHT_MM * 1.5, EMBLEM_HEIGHT_MM, logo.alt,
                                "partner"))
                for logo in convention.funding.partner_logos
            ],
        }

    metadata = convention.metadata
    return {
        "draft": draft,
        "draft_notice": DRAFT_NOTICE if draft else "",
        "title": typo(convention.title),
        "object": typo(convention.object),
        "reference": metadata.reference or "",
        "version": metadata.version,
        "parties": parties,
        "party_logos": party_logos,
        "agreement": typo(f"{convention.agreement_formula} :"),
        "preamble": None if convention.preamble is None else {
            "title": typo(convention.preamble.title),
            "blocks": blocks(convention.preamble.blocks),
        },
        "articles": articles,
        "signature": {
            "method": convention.signature.method.value,
            "electronic": convention.signed_electronically(),
            "place": convention.signature.place,
            "date": french.format_date(convention.signature.date)
            if convention.signature.date else None,
            "originals": convention.originals(),
            "made_at": typo(made_at(convention)),
            "made_at_runs": Runs((Run(typo(made_at(convention))),)),
            "blocks": signature_blocks,
        },
        "funding": funding,
        "territories": french.format_list(list(convention.territories)),
    }
