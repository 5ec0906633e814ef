"""examples/paca-clause-sociale.yaml reproduces the seed convention paragraph by paragraph.

Only the listed form corrections differ (DOMAIN.md, « What the seed gets wrong »): feminine
agreement for the Métropole, articles numbered 1er, 2, 3 … without gap, and the number of
originals after « Fait à Marseille, le ». The funding block our template adds on the first page
(emblem caption and FSE mention) is the only addition.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from convention_docs.context import BLANK_DATE
from convention_docs.docx import render_docx
from convention_docs.spec import load

from .conftest import EXAMPLES, SEED


def _norm(text: str) -> str:
    text = text.replace("**", "").replace("*", "")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def seed_paragraphs() -> list[str]:
    raw = [p for p in re.split(r"\n\s*\n", SEED.read_text(encoding="utf-8")) if p.strip()]
    merged: list[str] = []
    for block in raw:
        for index, line in enumerate(block.splitlines()):
            text = _norm(line.removeprefix("- "))
            if not text:
                continue
            if index == 0 and merged and text[0].islower() \
                    and not merged[-1].endswith((".", ":", ",", ";")):
                merged[-1] += " " + text  # a paragraph cut by a page break in the seed
            else:
                merged.append(text)
    return merged


CORRECTIONS = {
    "Représenté par M. Martial ALVAREZ": "Représentée par M. Martial ALVAREZ",
    "Article 1 : OBJET": "Article 1er : OBJET",
    "Article 4 : CONFIDENTIALITÉ": "Article 3 : CONFIDENTIALITÉ",
    "Article 5 : DURÉE": "Article 4 : DURÉE",
    "Article 6 : COMMUNICATION": "Article 5 : COMMUNICATION",
    "Fait à Marseille, le": f"Fait à Marseille, le {BLANK_DATE}, en deux exemplaires originaux.",
}


def corrected_seed() -> list[str]:
    out = []
    for paragraph in seed_paragraphs():
        for wrong, right in CORRECTIONS.items():
            if paragraph.startswith(wrong):
                paragraph = right + paragraph[len(wrong):] if wrong != "Fait à Marseille, le" \
                    else right
        out.append(paragraph)
    return out


def rendered_paragraphs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            texts.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            # read column by column: a signature block is one column of the table
            for column in Table(child, document).columns:
                for cell in column.cells:
                    texts.extend(p.text for p in cell.paragraphs)
    lines = []
    for text in texts:
        lines.extend(_norm(line) for line in text.split("\n"))
    return [line for line in lines if line]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("seed") / "seed.docx"
    render_docx(load(EXAMPLES / "paca-clause-sociale.yaml"), out)
    return rendered_paragraphs(out)


def test_seed_is_parsed_as_expected() -> None:
    seed = seed_paragraphs()
    assert seed[0].startswith("CONVENTION DE PARTENARIAT relative à")
    assert seed[-1] == "Monsieur Pierre DARTOUT"
    assert any(p.endswith("entre les acheteurs publics et les entreprises titulaires.")
               for p in seed)


def test_rendered_text_matches_the_seed_except_listed_corrections(rendered: list[str]) -> None:
    funding_block = ["UNION EUROPÉENNE",
                     "Ce projet est cofinancé par le Fonds social européen dans le cadre du "
                     "programme opérationnel national « Emploi et Inclusion » 2014-2020."]
    assert rendered[:2] == funding_block
    body = rendered[2:]
    # the seed writes title and object on one line; the template on two
    body = [f"{body[0]} {body[1]}", *body[2:]]
    assert body == corrected_seed()


def test_each_listed_correction_is_really_needed() -> None:
    seed = seed_paragraphs()
    for wrong in CORRECTIONS:
        assert any(p.startswith(wrong) for p in seed), wrong
    assert not any(p.startswith("Article 3") for p in seed)


def test_the_copy_is_the_seed() -> None:
    shared = SEED.parents[2].parent / "shared" / "seed" / "000_22954209336d223a.txt"
    if not shared.exists():
        pytest.skip("shared/ is not beside this clone")
    assert SEED.read_bytes() == shared.read_bytes()
