"""Drafting mistakes that used to pass silently: numbered titles, typography of « 1er » and of
ranges of years, civility against function, party logos."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from convention_docs import Converter, SpecError, render, wordml
from convention_docs.context import build_context
from convention_docs.docx import render_docx
from convention_docs.inspect import read_pdf
from convention_docs.model import Article
from convention_docs.spec import load, load_data

from .conftest import EXAMPLES, MINIMAL, needs_libreoffice, soffice_available

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# --- article titles --------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "rest"), [
    ("Article 2 : SUIVI", "SUIVI"),
    ("ARTICLE 2 - Suivi", "Suivi"),
    ("Art. 2 – Suivi", "Suivi"),
    ("Article 1er : OBJET", "OBJET"),
    ("ARTICLE PREMIER – OBJET", "OBJET"),
    ("Article IV. DURÉE", "DURÉE"),
    ("3. LITIGES", "LITIGES"),
    ("Article 12", ""),
])
def test_a_title_starting_with_its_number_is_refused(tmp_path: Path, minimal: dict[str, Any],
                                                     title: str, rest: str) -> None:
    minimal["articles"][1]["title"] = title
    with pytest.raises(SpecError) as info:
        load_data(minimal, source="c.yaml")
    [(path, message)] = info.value.issues
    assert path == "articles[1].title"
    assert message.startswith("le titre commence par un numéro d'article (« ")
    assert "les articles sont numérotés automatiquement (Article 1er, 2, 3 …)" in message
    assert (f"écrivez seulement « {rest} »" in message) == bool(rest)
    assert str(info.value).startswith("c.yaml : spécification invalide, articles[1].title : ")
    # built from Python: the same French error (SpecError, with the field path)
    with pytest.raises(SpecError, match=r"^Article : spécification invalide, title : le titre "
                                        r"commence par un numéro d'article"):
        Article(title=title, blocks=("x",))


@pytest.mark.parametrize("title", ["SUIVI", "ARTICLES RÉSERVÉS", "ARTICLE UNIQUE",
                                   "2021-2027 : FSE+", "30 % DE CLAUSES", "L2112-2-1",
                                   "ARTICLE CIVIL", "Article vie"])
def test_ordinary_titles_pass(title: str) -> None:
    assert Article(title=title, blocks=("x",)).title == title


# --- typography ------------------------------------------------------------------------------


def _runs(paragraph: Any) -> list[tuple[str, bool]]:
    """The (text, superscript) of the paragraph's runs that hold text."""
    return [(run.text, bool(run.font.superscript)) for run in paragraph.runs if run.text]


@pytest.fixture(scope="module")
def docx_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "paca-2026.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), out)
    return out


def _paragraph(document: Any, start: str) -> Any:
    found = [p for p in document.paragraphs if p.text.startswith(start)]
    assert found, start
    return found[0]


def test_1er_is_superscript_in_headings_dates_and_text(docx_2026: Path) -> None:
    document = docx.Document(str(docx_2026))
    heading = _paragraph(document, "Article 1er")
    assert heading.style.name == "Heading 1"
    assert _runs(heading)[:3] == [("Article 1", False), ("er", True),
                                                ("\u00a0: OBJET DE LA CONVENTION", False)]
    made_at = _paragraph(document, "Fait à Marseille")
    assert made_at.text == ("Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux "
                            "exemplaires originaux.")
    assert ("er", True) in _runs(made_at)
    term = _paragraph(document, "La présente convention prend effet le 1er")
    runs = _runs(term)
    assert runs[0] == ("La présente convention prend effet le 1", False)
    assert runs[1] == ("er", True)
    # « Article 2 », « 11 », « 21 » are left alone
    assert all(not sup for text, sup in _runs(_paragraph(document, "Article 2")))


def test_ranges_of_years_hold_together(docx_2026: Path) -> None:
    document = docx.Document(str(docx_2026))
    for start in ("Le facilitateur bénéficie de crédits", "Ce projet est cofinancé"):
        paragraph = _paragraph(document, start)
        assert "2021-2027" in paragraph.text  # python-docx reads <w:noBreakHyphen/> as « - »
        xml = etree.tostring(paragraph._p, encoding="unicode")
        assert "2021</w:t><w:noBreakHyphen/><w:t" in xml.replace(' xml:space="preserve"', "")
    law = _paragraph(document, "l'article L2112-2-1, issu")
    assert law._p.findall(f".//{W}noBreakHyphen")  # loi n° 2021-1104 too
    assert "L2112-2-1" in law.text  # but not the hyphens of an article number


def test_typography_off_keeps_plain_hyphens(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["typography"] = {"non_breaking_spaces": False}
    minimal["articles"][0]["blocks"] = ["Programmation 2021-2027, le 1er mars."]
    out = tmp_path / "c.docx"
    render_docx(load_data(minimal), out)
    document = docx.Document(str(out))
    paragraph = _paragraph(document, "Programmation")
    assert paragraph.text == "Programmation 2021-2027, le 1er mars."
    assert not paragraph._p.findall(f".//{W}noBreakHyphen")
    assert ("er", True) in _runs(paragraph)  # « 1er » is spelling, not an option


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter() as conv:
        yield conv


@needs_libreoffice
@pytest.mark.libreoffice
def test_pdf_reads_1er_and_whole_ranges(tmp_path: Path, converter: Converter) -> None:
    out = render(EXAMPLES / "paca-2026.yaml", tmp_path / "c.pdf", converter=converter)
    # PDFium gives no-break spaces as plain spaces (docs/pdf-reading.md): compare folded
    fold = str.maketrans({"\u00a0": " ", "\u202f": " "})
    lines = [line.text.translate(fold) for line in read_pdf(out).lines]
    assert "Article 1er : OBJET DE LA CONVENTION" in lines
    made_at = "Fait à Marseille, le 1er décembre 2026"
    assert any(line.startswith(made_at) for line in lines)
    assert not [line for line in lines if line.rstrip().endswith(("2021-", "2021\u2011"))]
    assert any("2021-2027" in line for line in lines)
    assert not any("\u2011" in line for line in lines)


# --- civility and function -------------------------------------------------------------------


@pytest.mark.parametrize(("civility", "function", "word", "other"), [
    ("Mme", "préfet de la région Bretagne", "préfet", "préfète"),
    ("M.", "préfète de l'Aude", "préfète", "préfet"),
    ("Mme", "président de la Maison de l'emploi", "président", "présidente"),
    ("M.", "directrice du PLIE", "directrice", "directeur"),
    ("Mme", "secrétaire général pour les affaires régionales", "général", "générale"),
    ("M.", "vice-présidente de la Métropole déléguée à l'emploi", "présidente", "président"),
])
def test_civility_and_function_disagree(minimal: dict[str, Any], civility: str, function: str,
                                        word: str, other: str) -> None:
    from convention_docs import validate
    minimal["parties"][1]["representative"].update(civility=civility, function=function)
    report = validate(load_data(minimal))
    [finding] = [f for f in report.findings if f.code == "CIVILITY_FUNCTION_MISMATCH"]
    assert finding.severity.value == "warning"
    assert finding.location.field == "parties[1].representative.function"
    name = f"{civility} Anne Martin"
    assert finding.message == (f"« {name} » et « {word} » ne s'accordent pas : écrivez "
                               f"« {other} » (ou corrigez la civilité « {civility} »)")


@pytest.mark.parametrize(("civility", "function"), [
    ("Mme", "préfète de la région Bretagne"), ("M.", "préfet de la région Bretagne"),
    ("Mme", "maire de Rennes"), ("M.", "maire de Rennes"), ("Mme", "secrétaire générale"),
    ("M.", "directeur général adjoint des services"), ("Mme", "ministre du travail"),
    ("M.", "président de la Maison de l'emploi, directeur de la Mission locale"),
    ("Mme", "présidente du conseil départemental, élue du canton du président"),
])
def test_civility_and_function_agree(minimal: dict[str, Any], civility: str,
                                     function: str) -> None:
    from convention_docs import validate
    minimal["parties"][1]["representative"].update(civility=civility, function=function)
    assert "CIVILITY_FUNCTION_MISMATCH" not in validate(load_data(minimal)).codes()


def test_signature_block_function_is_checked_too(minimal: dict[str, Any]) -> None:
    from convention_docs import validate
    minimal["signature"]["blocks"] = [
        {"party": "etat", "function": "La préfète de région"},
        {"party": "plie", "signatory": {"civility": "M.", "first_name": "Paul",
                                        "last_name": "Durand", "function": "présidente"}},
    ]
    report = validate(load_data(minimal))
    fields = sorted(f.location.field or "" for f in report.findings
                    if f.code == "CIVILITY_FUNCTION_MISMATCH")
    assert fields == ["signature.blocks[0].function", "signature.blocks[1].signatory.function"]


def test_the_2026_example_has_no_mismatch() -> None:
    from convention_docs import validate
    assert "CIVILITY_FUNCTION_MISMATCH" not in validate(load(EXAMPLES / "paca-2026.yaml")).codes()


# --- party logos -----------------------------------------------------------------------------


def _picture(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] // 3, size[1]), fill=colour)
    draw.ellipse((size[0] // 2, size[1] // 4, size[0] // 2 + size[1] // 2, size[1] * 3 // 4),
                 fill=(0, 0, 0))
    image.save(path)
    return path


@pytest.fixture
def logo_spec(tmp_path: Path, minimal: dict[str, Any]) -> Path:
    """A spec whose parties have their logos in a folder beside it, named relatively."""
    import yaml
    spec = tmp_path / "spec" / "c.yaml"
    (spec.parent / "logos").mkdir(parents=True)
    _picture(spec.parent / "logos" / "prefet.png", (600, 300), (0, 35, 149))
    _picture(spec.parent / "logos" / "plie.png", (900, 300), (0, 120, 60))
    minimal["parties"][0]["logo"] = {"path": "logos/prefet.png", "alt": "Préfet de région"}
    minimal["parties"][1]["logo"] = {"path": "logos/plie.png", "alt": "Maison de l'emploi"}
    spec.write_text(yaml.safe_dump(minimal, allow_unicode=True), encoding="utf-8")
    return spec


def _drawings(path: Path) -> list[tuple[str, float, float]]:
    """(alternative text, width mm, height mm) of the body's pictures, in document order."""
    document = docx.Document(str(path))
    out = []
    for shape in document.inline_shapes:
        descr = shape._inline.docPr.get("descr", "")
        out.append((descr, shape.width.mm, shape.height.mm))
    return out


def test_party_logos_are_shown_at_the_top_within_the_emblem_box(logo_spec: Path,
                                                                tmp_path: Path) -> None:
    convention = load(logo_spec)
    assert convention.parties[0].logo is not None
    assert convention.parties[0].logo.path == logo_spec.parent / "logos" / "prefet.png"
    out = render(logo_spec, tmp_path / "c.docx")
    drawings = _drawings(out)
    assert [alt for alt, _, _ in drawings[:3]] == ["Préfet de région", "Maison de l'emploi",
                                                  "Emblème de l'Union européenne"]
    (_, w1, h1), (_, w2, h2), (_, we, he) = drawings[:3]
    assert (round(we, 1), round(he, 1)) == (22.5, 15.0)
    assert round(w1, 1) == 22.5 and round(h1, 2) == 11.25  # 2:1 fits the emblem's box
    assert round(w2, 1) == 22.5 and round(h2, 1) == 7.5
    document = docx.Document(str(out))
    first = document.paragraphs[0]
    assert first.style.name == "Logos parties"
    assert first._p.findall(f".//{W}tab")  # two logos: one left, one at the right margin


def test_party_logo_with_a_height(logo_spec: Path, tmp_path: Path) -> None:
    import yaml
    data = yaml.safe_load(logo_spec.read_text(encoding="utf-8"))
    data["parties"][0]["logo"]["height_mm"] = 12
    logo_spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (_, width, height), *_ = _drawings(render(logo_spec, tmp_path / "c.docx"))
    assert (round(width, 1), round(height, 1)) == (24.0, 12.0)  # higher: wider than the emblem


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_party_logo_larger_than_the_emblem_is_refused(logo_spec: Path, tmp_path: Path,
                                                        kind: str) -> None:
    import yaml

    from convention_docs import ConventionRejected
    if kind == "pdf" and not soffice_available():
        pytest.skip("LibreOffice (soffice) absent")
    data = yaml.safe_load(logo_spec.read_text(encoding="utf-8"))
    data["parties"][1]["logo"]["height_mm"] = 30
    logo_spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    target = tmp_path / f"c.{kind}"
    with pytest.raises(ConventionRejected) as info:  # the model already tells, by field path
        render(logo_spec, target)
    [finding] = [f for f in info.value.report.errors]
    assert finding.code == "EU_EMBLEM_SMALLER_THAN_LOGO"
    assert finding.location.field == "parties[1].logo.height_mm"
    assert finding.message.startswith("le logo de « La Maison de l'emploi » (75,0 × 25,0 mm) "
                                      "serait plus grand que l'emblème")
    assert not target.exists()
    # and the document's own rule sees the party logo as drawn (a draft is written anyway)
    from convention_docs import build, validate
    draft = build(logo_spec, target, draft=True).path
    errors = validate(draft).errors
    assert "DRAFT_NOT_FOR_SIGNATURE" in {f.code for f in errors}  # its « PROJET » notice
    [seen] = [f for f in errors if f.code != "DRAFT_NOT_FOR_SIGNATURE"]
    assert seen.code == "EU_EMBLEM_SMALLER_THAN_LOGO"
    assert "un logo (75,0 × 25,0 mm) est plus grand que l'emblème" in seen.message


def test_model_alone_tells_a_party_logo_too_large(logo_spec: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml
    monkeypatch.chdir(logo_spec.parent)  # a mapping's relative paths: from the current folder

    from convention_docs import validate
    data = yaml.safe_load(logo_spec.read_text(encoding="utf-8"))
    data["parties"][0]["logo"]["height_mm"] = 15  # 2:1 → 30 × 15 mm: not higher, passes
    data["parties"][1]["logo"]["height_mm"] = 16  # 3:1 → 48 × 16 mm: higher and wider
    report = validate(load_data(data))
    assert [(f.code, f.location.field) for f in report.errors] == [
        ("EU_EMBLEM_SMALLER_THAN_LOGO", "parties[1].logo.height_mm")]
    data["funding"] = {"period": "FSE 2014-2020"}  # Annex IX applies to FSE+ only
    assert "EU_EMBLEM_SMALLER_THAN_LOGO" not in validate(load_data(data)).codes()


@pytest.mark.parametrize(("content", "expected"), [
    (None, "fichier de logo introuvable"),
    (b"not a picture", "fichier de logo illisible (ce n'est pas une image PNG ou JPEG valide)"),
])
def test_missing_or_broken_party_logo_is_a_spec_error(logo_spec: Path, tmp_path: Path,
                                                      content: bytes | None,
                                                      expected: str) -> None:
    from convention_docs.cli import main
    logo = logo_spec.parent / "logos" / "plie.png"
    logo.unlink()
    if content is not None:
        logo.write_bytes(content)
    with pytest.raises(SpecError) as info:
        load(logo_spec)
    assert info.value.issues == (("parties[1].logo.path", (
        f"{expected} : {logo} (attendu : une image PNG ou JPEG, chemin relatif au fichier de "
        "spécification)")),)
    assert str(logo_spec) in str(info.value)
    target = tmp_path / "c.docx"
    assert main(["render", str(logo_spec), "-o", str(target)]) == 2
    assert not target.exists()


def test_a_model_built_in_python_reports_a_missing_party_logo(minimal: dict[str, Any],
                                                              tmp_path: Path) -> None:
    from convention_docs import Convention, validate
    from convention_docs.model import PartyLogo
    convention = Convention.model_validate(minimal)
    party = convention.parties[0].model_copy(
        update={"logo": PartyLogo(path=tmp_path / "none.png", alt="Préfet")})
    convention = convention.model_copy(update={"parties": (party, *convention.parties[1:])})
    [finding] = [f for f in validate(convention).errors]
    assert (finding.code, finding.location.field) == ("LOGO_FILE_UNREADABLE",
                                                      "parties[0].logo.path")


# --- properties ------------------------------------------------------------------------------

@given(prefix=st.sampled_from(["Article", "ARTICLE", "article", "Art.", "Art", "ART."]),
       number=st.one_of(st.integers(1, 999).map(str), st.sampled_from(["1er", "1ER", "premier",
                                                                        "PREMIER", "IV", "xii"])),
       sep=st.sampled_from(["", " :", " -", " –", " —", ".", " )", ":"]),
       rest=st.sampled_from(["SUIVI", "Durée", "OBJET DE LA CONVENTION"]))
def test_any_numbered_title_is_refused(prefix: str, number: str, sep: str, rest: str) -> None:
    with pytest.raises(SpecError, match="numéro d'article"):
        Article(title=f"{prefix} {number}{sep} {rest}", blocks=("x",))


@given(title=st.text(alphabet="ABCDÉÈ ':-–1234567890%", min_size=1, max_size=30)
       .filter(lambda t: t.strip() != ""))
def test_an_accepted_title_is_never_numbered_twice(title: str) -> None:
    try:
        article = Article(title=title, blocks=("x",))
    except SpecError:
        return
    convention = load_data({**copy.deepcopy(MINIMAL), "articles": [article.model_dump()]})
    heading = build_context(convention)["articles"][0]["heading"]
    assert not re.match(r"Article 1er\s:\s*(?:Article|Art\.?)\s*\d", heading)
    assert not re.match(r"Article 1er\s:\s*\d{1,3}\s*[.):\-–—]", heading)


@given(text=st.text(alphabet="1er -2021\u2011ab\n\t&<", max_size=40))
def test_runs_keep_their_text(text: str) -> None:
    """Superscripts and non-breaking hyphens change the markup, never the text Word reads."""
    xml = f'<w:p xmlns:w="{W[1:-1]}">{wordml.Run(text, bold=True).xml()}</w:p>'
    paragraph = etree.fromstring(xml)
    read = ""
    for element in paragraph.iter():
        if element.tag == f"{W}t":
            read += element.text or ""
        elif element.tag == f"{W}noBreakHyphen":
            read += "-"
        elif element.tag == f"{W}br":
            read += "\n"
        elif element.tag == f"{W}tab":
            read += "\t"
    assert read == text.replace("\u2011", "-")
    plain = str(wordml.finalize(text))
    assert "\u2011" not in plain
    assert plain.count("<w:noBreakHyphen/>") == text.count("\u2011")
