"""Documents written elsewhere: built by hand with python-docx, never by this library.

- the seed convention's text typed into a plain .docx (one paragraph per line, no logos): refused,
  with its known defects listed;
- a convention with a « bandeau » (one wide picture: partners' shapes, the EU emblem at the right
  end) and no statement written as text nor drawn next to the emblem: refused; the same with the
  statement typed next to it: accepted; the emblem alone without statement: refused.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image, ImageDraw

from convention_docs.convert import Converter
from convention_docs.logos import asset
from convention_docs.validate import Finding, Report, Severity, validate

from .conftest import SEED

STATEMENT = "Cofinancé par l'Union européenne"
CLAUSES = {"CLAUSE_TERM_MISSING", "CLAUSE_INDICATORS_MISSING", "CLAUSE_AMENDMENT_MISSING",
           "CLAUSE_DISPUTES_MISSING", "CLAUSE_GDPR_MISSING"}

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) absent")


def _only(report: Report, code: str) -> Finding:
    [finding] = [f for f in report.findings if f.code == code]
    return finding


# -- the seed, typed into a plain .docx -----------------------------------------------------------

def _seed_lines() -> list[str]:
    """The seed's non-blank lines, Markdown emphasis removed (a typist would use bold/italic)."""
    lines = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip().replace("**", "").replace("*", "")
        if line:
            lines.append(line)
    return lines


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The seed typed in: one paragraph per line; returns the file and its paragraphs' text."""
    doc = Document()
    texts = []
    for line in _seed_lines():
        if line.startswith("- "):
            doc.add_paragraph(line[2:], style="List Bullet")
            texts.append(line[2:])
        else:
            doc.add_paragraph(line)
            texts.append(line)
    path = tmp_path_factory.mktemp("received") / "convention-recue.docx"
    doc.save(str(path))
    return path, texts


@pytest.fixture(scope="module")
def seed_report(seed_docx: tuple[Path, list[str]]) -> Report:
    return validate(seed_docx[0])


def _paragraph(texts: list[str], start: str) -> int:
    """1-based number of the paragraph starting with ``start`` (counted when it was typed)."""
    [index] = [i for i, text in enumerate(texts) if text.startswith(start)]
    return index + 1


def test_typed_seed_is_refused_with_its_known_defects(seed_report: Report) -> None:
    assert not seed_report.ok
    # no period declared: the text (« Fonds Social Européen ») points to FSE 2014-2020, whose
    # logos are both missing; the article 6 naming the FSE stands for the mention (no logos
    # to stand next to), so no FUNDING_MENTION_MISSING on top
    assert {f.code for f in seed_report.errors} == {
        "ARTICLE_NUMBERING_GAP", "AGREEMENT_REPRESENTED", "ORIGINALS_MISSING",
        "EU_EMBLEM_MISSING", "FSE_LOGO_MISSING"}
    assert {f.code for f in seed_report.warnings} == {
        "OUTDATED_POLE_EMPLOI", "OUTDATED_ORDONNANCE_2015", "OUTDATED_DECRET_2016",
        "OUTDATED_CIRCULAIRE_2008", "OUTDATED_PLAN_2015_2020", "TYPO_UNACCENTED_CAPITAL",
        "TYPO_CAPITALS", "TYPO_HYPHEN", "ARTICLE_FIRST_NOT_1ER", *CLAUSES}
    info = [f.code for f in seed_report.findings if f.severity is Severity.INFO]
    assert info == ["SIGNATURE_DATE_BLANK"]


def test_typed_seed_defects_are_located(seed_report: Report,
                                        seed_docx: tuple[Path, list[str]]) -> None:
    path, texts = seed_docx
    gap = _only(seed_report, "ARTICLE_NUMBERING_GAP")
    assert gap.message == ("numérotation des articles interrompue : l'article 3 manque "
                           "(on passe de l'article 2 à l'article 4)")
    assert gap.location.paragraph == _paragraph(texts, "Article 4 : CONFIDENTIALITÉ")
    assert gap.location.file == str(path)

    agreement = _only(seed_report, "AGREEMENT_REPRESENTED")
    assert agreement.message == ("accord : « La Métropole Aix-Marseille-Provence », représentée "
                                 "par … (et non « Représenté »)")
    assert agreement.location.paragraph == _paragraph(texts, "Représenté par M. Martial")

    originals = _only(seed_report, "ORIGINALS_MISSING")
    assert originals.location.paragraph == _paragraph(texts, "Fait à Marseille, le")
    assert originals.message == ("nombre d'exemplaires originaux absent : « Fait à …, le …, en "
                                 "deux exemplaires originaux » (code civil, art. 1375)")

    first = _only(seed_report, "ARTICLE_FIRST_NOT_1ER")
    assert first.location.paragraph == _paragraph(texts, "Article 1 : OBJET")
    assert "Article 1er" in first.message


def test_typed_seed_outdated_references_name_the_replacement(seed_report: Report,
                                                              seed_docx: tuple[Path, list[str]],
                                                              ) -> None:
    texts = seed_docx[1]
    pole = _only(seed_report, "OUTDATED_POLE_EMPLOI")
    assert pole.message == ("référence périmée « Pôle emploi » : « Pôle emploi » est devenu "
                            "« France Travail » le 1er janvier 2024 (loi n° 2023-1196 du 18 "
                            "décembre 2023 pour le plein emploi)")
    assert pole.location.paragraph == _paragraph(texts, "Le facilitateur assiste l'acheteur")
    decret = _only(seed_report, "OUTDATED_DECRET_2016")
    assert "25 mars 2016 (et non du 7 avril 2016)" in decret.message
    plan = _only(seed_report, "OUTDATED_PLAN_2015_2020")
    assert "2022-2025" in plan.message and "30 %" in plan.message
    typos = {f.message.split(" : ")[0] for f in seed_report.findings
             if f.code in ("TYPO_UNACCENTED_CAPITAL", "TYPO_CAPITALS", "TYPO_HYPHEN")}
    assert {"« Etoile »", "« Etat »", "« Union Européenne »", "« Fonds Social Européen »",
            "« non reconduction »"} <= typos


def test_typed_seed_with_the_2021_model_period_needs_the_fse_plus_statement(
        seed_docx: tuple[Path, list[str]]) -> None:
    # read as an FSE+ convention (as it would have to be in 2026), its funding set is wrong
    from convention_docs.spec import load

    from .conftest import EXAMPLES
    report = validate(seed_docx[0], convention=load(EXAMPLES / "paca-2026.yaml"))
    assert {"EU_EMBLEM_MISSING", "FUNDING_STATEMENT_MISSING"} <= {f.code for f in report.errors}
    assert "FSE_LOGO_MISSING" not in report.codes()


# -- a convention with a bandeau ------------------------------------------------------------------

def _bandeau(path: Path) -> Path:
    """One wide picture: two partners' shapes, the EU emblem (the official asset) at the end."""
    strip = Image.new("RGB", (1800, 300), "white")
    draw = ImageDraw.Draw(strip)
    draw.rounded_rectangle((30, 40, 420, 260), radius=30, fill=(0, 35, 149))  # « la République »
    draw.rectangle((230, 40, 420, 260), fill=(225, 0, 15))
    draw.ellipse((560, 30, 800, 270), fill=(0, 140, 70))  # « le département »
    draw.polygon([(900, 260), (1010, 40), (1120, 260)], fill=(240, 150, 0))  # « le PLIE »
    with asset("eu-emblem.png").open("rb") as f:
        emblem = Image.open(f).convert("RGB").resize((390, 260), Image.Resampling.LANCZOS)
    strip.paste(emblem, (1380, 20))
    strip.save(path)
    return path


def _emblem(path: Path) -> Path:
    path.write_bytes(asset("eu-emblem.png").read_bytes())
    return path


def _convention(path: Path, *, picture: Path | None, width_mm: float,
                statement: bool, fund_named: bool = True, font: str | None = "Arial") -> Path:
    """A short, otherwise correct convention, written as a drafter would in Word.

    ``font`` is the statement's (None: the default template's Cambria).
    """
    doc = Document()
    if picture is not None:
        doc.add_paragraph().add_run().add_picture(str(picture), width=Mm(width_mm))
    if statement:
        run = doc.add_paragraph().add_run(STATEMENT)
        if font is not None:
            run.font.name = font
    for text in (
        "CONVENTION DE PARTENARIAT",
        "relative à la clause sociale d'insertion dans les marchés de l'État",
        "L'État,",
        "Représenté par M. Jean EXEMPLE, préfet de la région Provence-Alpes-Côte d'Azur,",
        "Ci-après dénommé « l'État »",
        "Et",
        "La Métropole Aix-Marseille-Provence,",
        "Représentée par Mme Claire MODÈLE, vice-présidente de la Métropole,",
        "Ci-après dénommée « le facilitateur »",
        "Il est convenu ce qui suit :",
        "Article 1er : OBJET",
        "La présente convention organise la mise en œuvre des clauses sociales d'insertion.",
        "Article 2 : DURÉE",
        "La présente convention prend effet le 1er janvier 2027 pour une durée d'un an.",
        "Article 3 : SUIVI",
        "Le facilitateur rend compte des heures d'insertion réalisées selon les indicateurs "
        "convenus.",
        "Article 4 : FINANCEMENT",
        ("Le facilitateur bénéficie de crédits du Fonds social européen plus (FSE+) au titre "
         "de la programmation 2021-2027." if fund_named else
         "Le facilitateur bénéficie de crédits européens pour cette mission."),
        "Article 5 : DISPOSITIONS DIVERSES",
        "Toute modification fait l'objet d'un avenant. Les données personnelles des "
        "participants sont traitées conformément au RGPD. Tout litige est porté devant le "
        "tribunal administratif de Marseille.",
        "Fait à Marseille, le 1er décembre 2026, en deux exemplaires originaux.",
    ):
        doc.add_paragraph(text)
    table = doc.add_table(rows=3, cols=2)
    for row, (left, right) in enumerate((
            ("Pour la Métropole Aix-Marseille-Provence,", "Pour l'État,"),
            ("La vice-présidente de la Métropole", "Le préfet de région"),
            ("Mme Claire MODÈLE", "M. Jean EXEMPLE"))):
        table.cell(row, 0).text = left
        table.cell(row, 1).text = right
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bandeau")
    strip = _bandeau(folder / "bandeau.png")
    emblem = _emblem(folder / "emblem.png")
    return {
        "bandeau": _convention(folder / "bandeau.docx", picture=strip, width_mm=170,
                               statement=False),
        "bandeau-unnamed": _convention(folder / "bandeau-unnamed.docx", picture=strip,
                                       width_mm=170, statement=False, fund_named=False),
        "bandeau-statement": _convention(folder / "bandeau-statement.docx", picture=strip,
                                         width_mm=170, statement=True),
        "emblem-alone": _convention(folder / "emblem-alone.docx", picture=emblem, width_mm=30,
                                    statement=False),
        "emblem-alone-unnamed": _convention(folder / "emblem-alone-unnamed.docx",
                                            picture=emblem, width_mm=30, statement=False,
                                            fund_named=False),
        "emblem-statement": _convention(folder / "emblem-statement.docx", picture=emblem,
                                        width_mm=30, statement=True),
        "emblem-statement-cambria": _convention(folder / "emblem-statement-cambria.docx",
                                                picture=emblem, width_mm=30, statement=True,
                                                font=None),
    }


@pytest.mark.parametrize("key", ["bandeau", "bandeau-unnamed"])
def test_bandeau_without_statement_anywhere_is_refused(key: str,
                                                      received: dict[str, Path]) -> None:
    # the statement is neither text nor pixels of the bandeau (nothing is drawn to the right
    # of the emblem or under it): refused, saying so (issue 16: no statement anywhere)
    report = validate(received[key])
    assert not report.ok
    assert {f.code for f in report.errors} == {"FUNDING_STATEMENT_MISSING"}, str(report)
    finding = _only(report, "FUNDING_STATEMENT_MISSING")
    assert finding.message.endswith("ni écrite en texte, ni dans l'image ; rien n'est écrit à "
                                    "côté de l'emblème dans l'image")
    assert finding.location.paragraph == 1  # the bandeau's paragraph


def test_bandeau_with_statement_next_to_it_is_accepted(received: dict[str, Path]) -> None:
    report = validate(received["bandeau-statement"])
    assert report.findings == (), str(report)


def test_emblem_with_statement_next_to_it_is_accepted(received: dict[str, Path]) -> None:
    assert validate(received["emblem-statement"]).findings == ()
    # in Word's default Cambria: accepted, with a warning on the font (Annex IX)
    report = validate(received["emblem-statement-cambria"])
    assert report.ok and report.codes() == {"FUNDING_STATEMENT_FONT"}
    assert _only(report, "FUNDING_STATEMENT_FONT").message.startswith("police « Cambria »")
    assert _only(report, "FUNDING_STATEMENT_FONT").location.paragraph == 2


@pytest.mark.parametrize("key", ["emblem-alone", "emblem-alone-unnamed"])
def test_emblem_alone_without_statement_is_refused(key: str, received: dict[str, Path]) -> None:
    # the emblem alone holds no text: the statement is certainly missing (with or without
    # the fund named in the text, the emblem alone is the 2021-2027 set)
    report = validate(received[key])
    assert not report.ok
    assert {f.code for f in report.errors} == {"FUNDING_STATEMENT_MISSING"}
    assert _only(report, "FUNDING_STATEMENT_MISSING").message.startswith(
        "mention « Cofinancé par l'Union européenne » (ou « Financé par l'Union européenne ») "
        "absente à côté de l'emblème")


def test_bandeau_statement_in_another_paragraph_far_away_is_refused(
        tmp_path: Path) -> None:
    # the statement typed at the end of the document is not next to the bandeau
    strip = _bandeau(tmp_path / "bandeau.png")
    path = _convention(tmp_path / "far.docx", picture=strip, width_mm=170, statement=False)
    doc = Document(str(path))
    doc.add_paragraph(STATEMENT)
    doc.save(str(path))
    report = validate(path)
    assert {f.code for f in report.errors} == {"FUNDING_STATEMENT_NOT_NEAR_EMBLEM"}


# -- the same, as PDFs printed by LibreOffice -----------------------------------------------------

@pytest.fixture(scope="module")
def received_pdf(received: dict[str, Path]) -> Iterator[dict[str, Path]]:
    keys = ("bandeau", "bandeau-statement", "emblem-alone")
    with Converter() as converter:
        yield {key: converter.convert(received[key], received[key].with_suffix(".pdf"))
               for key in keys}


@pytest.mark.libreoffice
@needs_libreoffice
def test_received_pdfs(received_pdf: dict[str, Path]) -> None:
    bandeau = validate(received_pdf["bandeau"])
    assert {f.code for f in bandeau.errors} == {"FUNDING_STATEMENT_MISSING"}, str(bandeau)
    assert _only(bandeau, "FUNDING_STATEMENT_MISSING").location.page == 1
    accepted = validate(received_pdf["bandeau-statement"])
    assert accepted.findings == (), str(accepted)
    alone = validate(received_pdf["emblem-alone"])
    assert {f.code for f in alone.errors} == {"FUNDING_STATEMENT_MISSING"}


def test_seed_lines_are_the_seed() -> None:
    # guard: the typed document really holds the seed's defects
    text = "\n".join(_seed_lines())
    assert re.search(r"^Article 2 :", text, re.MULTILINE)
    assert re.search(r"^Article 4 :", text, re.MULTILINE)
    assert not re.search(r"^Article 3 :", text, re.MULTILINE)
    assert "Représenté par M. Martial ALVAREZ" in text


def test_statement_on_two_lines_next_to_the_emblem(tmp_path: Path) -> None:
    """The vertical layout « Cofinancé par / l'Union européenne » counts as the statement."""
    import docx as python_docx
    from docx.shared import Mm

    from convention_docs.logos import asset

    path = tmp_path / "vertical.docx"
    document = python_docx.Document()
    with asset("eu-emblem.png").open("rb") as emblem:
        document.add_paragraph().add_run().add_picture(emblem, height=Mm(15))
    document.add_paragraph("Cofinancé par")
    document.add_paragraph("l'Union européenne")
    document.save(str(path))
    codes = validate(path).codes()
    assert "FUNDING_STATEMENT_MISSING" not in codes
    assert "FUNDING_STATEMENT_NOT_NEAR_EMBLEM" not in codes
    assert "EU_EMBLEM_MISSING" not in codes


def test_fse_plus_is_not_read_as_the_2014_2020_fund(tmp_path: Path) -> None:
    import docx as python_docx

    path = tmp_path / "fseplus.docx"
    document = python_docx.Document()
    document.add_paragraph("Le facilitateur bénéficie du FSE+ et du Fonds social européen plus.")
    document.save(str(path))
    report = validate(path)
    assert "FSE_LOGO_MISSING" not in report.codes()  # read as 2021-2027, not 2014-2020
    assert "EU_EMBLEM_MISSING" in report.codes()


def _vector_flag_pdf(path: Path) -> None:
    """A PDF whose EU emblem is drawn with paths (no picture), as some tools export it."""
    import math

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    height = 60.0  # points
    x0, y0 = 100.0, 700.0
    ops = [f"0 0.2 0.6 rg {x0} {y0} {1.5 * height} {height} re f", "1 0.8 0 rg"]
    cx, cy = x0 + 0.75 * height, y0 + height / 2
    for hour in range(12):
        angle = math.radians(90 - 30 * hour)
        sx, sy = cx + height / 3 * math.cos(angle), cy + height / 3 * math.sin(angle)
        points = []
        for k in range(10):
            radius = height / 18 if k % 2 == 0 else height / 18 * 0.382
            a = math.radians(90 + 36 * k)
            points.append((sx + radius * math.cos(a), sy + radius * math.sin(a)))
        ops.append(f"{points[0][0]:.3f} {points[0][1]:.3f} m "
                   + " ".join(f"{px:.3f} {py:.3f} l" for px, py in points[1:]) + " h f")
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as handle:
        writer.write(handle)


def test_emblem_drawn_as_vector_paths_is_found(tmp_path: Path) -> None:
    path = tmp_path / "vector.pdf"
    _vector_flag_pdf(path)
    report = validate(path)
    assert "EU_EMBLEM_MISSING" not in report.codes()
    assert "FUNDING_STATEMENT_MISSING" in report.codes()  # no text at all next to it


def test_sub_articles_and_wrapped_references_are_not_headings(tmp_path: Path) -> None:
    import docx as python_docx

    path = tmp_path / "sub.docx"
    document = python_docx.Document()
    for text in ("ARTICLE 1ER : OBJET", "Article 1.1 : Définitions", "Article 1.2 : Champ",
                 "Article 2 - Durée", "article 4. Le facilitateur…", "Article 3. Litiges"):
        document.add_paragraph(text)
    document.save(str(path))
    codes = validate(path).codes()
    assert not codes & {"ARTICLE_NUMBERING_GAP", "ARTICLE_NUMBER_REPEATED", "ARTICLES_MISSING",
                        "ARTICLE_FIRST_NOT_1ER"}
