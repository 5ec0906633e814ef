"""Signature fields, signing and verification, with the real LibreOffice and the real pyHanko.

Two renders for the whole module (the 2026 example, and a longer convention as PDF/A whose
signatures fall on a later page); a throwaway CA and signers made with ``cryptography``.
Signatures are PAdES B-B: a timestamp authority (B-T) needs the network, not tested here.
"""

from __future__ import annotations

import copy
import io
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from convention_docs import build
from convention_docs.build import BuildResult
from convention_docs.inspect import read_pdf
from convention_docs.signing import sign, verify
from convention_docs.validate import validate

from .conftest import EXAMPLES, needs_libreoffice
from .pki import PASSPHRASE, Pki, make_pki

pytestmark = [pytest.mark.libreoffice, needs_libreoffice]

MM = 72 / 25.4
NAMES = {"etat": "Monsieur Jean EXEMPLE", "metropole": "Madame Claire MODÈLE"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"),
                    {"etat": "Jean Exemple", "metropole": "Claire Modèle"})


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("signable") / "paca-2026.pdf"
    return build(EXAMPLES / "paca-2026.yaml", out, signable=True)


@pytest.fixture(scope="module")
def signed(rendered: BuildResult, pki: Pki) -> tuple[Path, Path]:
    first = rendered.path.with_name("signe-etat.pdf")
    both = rendered.path.with_name("signe-deux.pdf")
    sign(rendered.path, first, field="etat", pkcs12=pki.signers["etat"], passphrase=PASSPHRASE)
    sign(first, both, field="metropole", pkcs12=pki.signers["metropole"],
         passphrase=PASSPHRASE.encode())
    return first, both


@pytest.fixture(scope="module")
def long_pdfa(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> tuple[BuildResult, Path]:
    """A convention with twelve more articles, as PDF/A, signable; and its State-signed copy."""
    spec: dict[str, Any] = yaml.safe_load((EXAMPLES / "paca-2026.yaml").read_text("utf-8"))
    paragraph = ("Les parties se réunissent au moins une fois par trimestre pour examiner la "
                 "mise en œuvre des clauses sociales, les heures d'insertion réalisées et les "
                 "publics accompagnés, et arrêtent ensemble les suites à donner. ")
    extra = [{"title": f"SUIVI COMPLÉMENTAIRE {n}", "blocks": [paragraph * 3, paragraph * 2]}
             for n in range(1, 13)]
    spec["articles"] = [*spec["articles"], *copy.deepcopy(extra)]
    folder = tmp_path_factory.mktemp("long")
    result = build(spec, folder / "longue.pdf", pdfa=True, signable=True)
    signed_copy = folder / "longue-signee.pdf"
    sign(result.path, signed_copy, field="etat", pkcs12=pki.signers["etat"],
         passphrase=PASSPHRASE)
    return result, signed_copy


def _widgets(path: Path) -> dict[str, tuple[int, Any]]:
    """Signature widgets by field name: (0-based page, widget dictionary)."""
    reader = PdfReader(path)
    found = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                found[str(annot["/T"])] = (index, annot)
    return found


def _name_lines(path: Path) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """The signatories' names as read from the PDF: page (1-based) and box (mm, top left)."""
    found = {}
    for line in read_pdf(path).lines:
        for key, name in NAMES.items():
            if " ".join(line.text.split()) == name and line.bbox_mm is not None:
                found[key] = (line.location.page or 0, line.bbox_mm)
    return found


def _check_placement(path: Path) -> int:
    """Each field lies above its signatory's name, in its column, on the name's page; return
    that page (1-based)."""
    widgets = _widgets(path)
    names = _name_lines(path)
    assert set(widgets) == set(names) == {"etat", "metropole"}
    height = float(PdfReader(path).pages[0].mediabox.height)
    for key, (page, annot) in widgets.items():
        name_page, (x0, top, x1, _) = names[key]
        assert page + 1 == name_page
        left, bottom, right, upper = (float(v) for v in annot["/Rect"])
        centre = (x0 + x1) / 2
        # inside the signatory's column: over its name's centre, clear of the other name
        assert left / MM < centre < right / MM
        other = names["metropole" if key == "etat" else "etat"][1]
        assert right / MM <= other[0] or left / MM >= other[2]
        # above the name, in the blank row (about 28 mm)
        name_top_pt = height - top * MM
        assert 0 <= bottom - name_top_pt < 3 * MM
        assert 18 * MM < upper - bottom <= 28 * MM
    return names["etat"][0]


def test_render_signable_has_one_empty_printed_field_per_signatory(
        rendered: BuildResult) -> None:
    reader = PdfReader(rendered.path)
    form = reader.root_object["/AcroForm"].get_object()
    assert "/NeedAppearances" not in form or not form["/NeedAppearances"]
    widgets = _widgets(rendered.path)
    assert sorted(widgets) == ["etat", "metropole"]
    for _, annot in widgets.values():
        assert int(annot["/F"]) & 4  # printed
        assert "/V" not in annot  # empty
    # validated with its fields: conforming, and the empty fields reported
    assert rendered.report.ok
    empty = [f for f in rendered.report.findings if f.code == "SIGNATURE_FIELD_EMPTY"]
    assert len(empty) == 2


def test_fields_lie_above_each_name_in_its_column(rendered: BuildResult) -> None:
    assert _check_placement(rendered.path) == len(PdfReader(rendered.path).pages)


def test_fields_added_in_an_incremental_update(rendered: BuildResult) -> None:
    data = rendered.path.read_bytes()
    assert data.count(b"%%EOF") >= 2  # LibreOffice's file, then our update, untouched


def test_both_signatories_sign_in_turn_and_both_stay_intact(
        signed: tuple[Path, Path], pki: Pki) -> None:
    first, both = signed
    partial = verify(first)
    assert partial.ok
    assert not partial.field("metropole").signed
    assert partial.field("etat").signer == "Jean Exemple"
    result = verify(both, trust=[pki.root])
    assert result.ok
    assert [s.name for s in result.signed] == ["metropole", "etat"]
    for state in result.fields:
        assert state.intact and state.trusted and state.pades
        assert state.modified_after is False
        assert state.signing_time is not None
        assert not state.timestamped  # B-B: no timestamp authority reachable in tests
        assert state.page == 4
    # the State signed first: its signature covers its revision; what follows is allowed
    assert result.field("etat").covers_document is False
    assert result.field("metropole").covers_document is True
    assert result.field("metropole").signer == "Claire Modèle"


def test_untrusted_root_is_reported(signed: tuple[Path, Path], pki: Pki) -> None:
    result = verify(signed[1], trust=[pki.other_root])
    assert not result.ok
    assert all(state.intact and state.trusted is False for state in result.signed)


def test_appearance_font_is_embedded(signed: tuple[Path, Path]) -> None:
    fonts = _appearance_fonts(signed[1])
    assert fonts
    for font in fonts:
        assert "LiberationSans" in str(font["/BaseFont"])
        for descendant in font["/DescendantFonts"]:
            assert "/FontFile2" in descendant.get_object()["/FontDescriptor"]
        # widths in thousandths of an em: « a » is 556 in Liberation Sans
        widths = [w for w in descendant.get_object()["/W"] if isinstance(w, list)]
        assert max(max(int(x) for x in chunk) for chunk in widths) < 1100


def _appearance_fonts(path: Path) -> list[Any]:
    fonts = []
    pending = [annot["/AP"]["/N"].get_object() for _, annot in _widgets(path).values()
               if "/V" in annot]
    seen = set()
    while pending:
        stream = pending.pop()
        resources = stream.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            if id(font) not in seen and font.get("/Subtype") == "/Type0":
                seen.add(id(font))
                fonts.append(font)
        pending.extend(x.get_object() for x in resources.get("/XObject", {}).values())
    return fonts


def test_a_byte_changed_after_signing_is_reported(signed: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    from convention_docs.cli import main

    data = bytearray(signed[1].read_bytes())
    # an outline entry's title, written by LibreOffice as plain hex (first revision): one
    # letter changed, « P » → « Q », the file still well-formed
    offset = data.index(b"/Title<FEFF0050") + len(b"/Title<FEFF005")
    data[offset: offset + 1] = b"1"
    broken = tmp_path / "modifie.pdf"
    broken.write_bytes(bytes(data))
    result = verify(broken)
    assert not result.ok
    assert all(state.intact is False for state in result.signed)
    assert main(["verify", str(broken)]) == 1
    assert main(["verify", str(signed[1])]) == 0
    codes = [f.code for f in validate(broken).errors]
    assert codes.count("SIGNATURE_BROKEN") == 2


def test_a_change_after_signing_is_an_error(signed: tuple[Path, Path], tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed[1].read_bytes()))
    stream = generic.StreamObject(stream_data=b"BT /F1 40 Tf 100 100 Td (AJOUT) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    changed = tmp_path / "ajout.pdf"
    changed.write_bytes(out.getvalue())
    result = verify(changed)
    assert not result.ok
    assert all(state.intact and state.modified_after for state in result.signed)
    report = validate(changed)
    assert [f.code for f in report.errors].count("SIGNATURE_MODIFIED_AFTER") == 2


def test_check_keeps_content_rules_on_a_signed_pdf(signed: tuple[Path, Path]) -> None:
    report = validate(signed[1])
    assert report.ok
    valid = [f for f in report.findings if f.code == "SIGNATURE_VALID"]
    assert len(valid) == 2
    assert any("Claire Modèle" in f.message for f in valid)
    # a content rule still applies: the same file without its FSE+ statement would fail;
    # here, it reads the page text through the signatures' updates
    assert "FUNDING_STATEMENT_MISSING" not in report.codes()
    assert len(read_pdf(signed[1]).lines) == len(read_pdf(signed[0]).lines)


def test_long_convention_has_its_fields_on_the_signatures_page(
        long_pdfa: tuple[BuildResult, Path], rendered: BuildResult) -> None:
    result, _ = long_pdfa
    page = _check_placement(result.path)
    assert page > len(PdfReader(rendered.path).pages)
    assert page == len(PdfReader(result.path).pages)


def test_signed_pdfa_stays_pdfa(long_pdfa: tuple[BuildResult, Path]) -> None:
    result, signed_copy = long_pdfa
    assert result.report.ok
    metadata = read_pdf(signed_copy).metadata
    assert metadata.get("pdfaid_part") == "2"
    assert metadata.get("pdfaid_conformance") == "B"
    # Info and XMP stay equivalent through pyHanko's updates (it rewrites pdf:Producer)
    reader = PdfReader(signed_copy)
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode("utf-8")
    producer = re.search(r'pdf:Producer="([^"]*)"|<pdf:Producer>([^<]*)<', xmp)
    assert producer is not None
    assert reader.metadata is not None
    assert reader.metadata["/Producer"] == (producer.group(1) or producer.group(2))
    assert metadata.get("xmp_title") == reader.metadata["/Title"]
    fonts = _appearance_fonts(signed_copy)
    assert fonts
    for font in fonts:
        for descendant in font["/DescendantFonts"]:
            assert "/FontFile2" in descendant.get_object()["/FontDescriptor"]
    assert verify(signed_copy).ok


def test_render_and_batch_signable_from_the_command_line(tmp_path: Path) -> None:
    from convention_docs.cli import main

    from .conftest import MINIMAL

    spec = tmp_path / "petite.yaml"
    spec.write_text(yaml.safe_dump(MINIMAL, allow_unicode=True), encoding="utf-8")
    single = tmp_path / "seule.pdf"
    assert main(["render", str(spec), "-o", str(single), "--signable"]) == 0
    assert sorted(_widgets(single)) == ["etat", "plie"]
    assert main(["batch", str(spec), "--outdir", str(tmp_path / "lot"), "--format", "pdf",
                 "--signable", "--jobs", "1"]) == 0
    assert sorted(_widgets(tmp_path / "lot" / "petite.pdf")) == ["etat", "plie"]
    plain = tmp_path / "simple.pdf"
    assert main(["render", str(spec), "-o", str(plain)]) == 0
    assert _widgets(plain) == {}


def test_three_narrow_columns_with_a_wrapped_name(tmp_path: Path) -> None:
    """Three signatories: the PDF's text lines run across the columns (two names on one line)
    and the third name wraps; each field still lies above its own name, fields apart."""
    from .conftest import MINIMAL

    spec = copy.deepcopy(MINIMAL)
    spec["parties"].append({
        "key": "dreets", "name": "La Direction régionale", "gender": "feminine",
        "designation": "la DREETS",
        "representative": {"civility": "Mme", "first_name": "Sophie", "last_name": "Bernard",
                           "function": "directrice régionale de l'économie, de l'emploi, "
                                       "du travail et des solidarités"}})
    result = build(spec, tmp_path / "trois.pdf", signable=True)
    widgets = _widgets(result.path)
    assert sorted(widgets) == ["dreets", "etat", "plie"]
    lines = read_pdf(result.path).lines
    height = float(PdfReader(result.path).pages[0].mediabox.height)
    first_words = {"etat": "Monsieur Pierre DURAND", "plie": "Madame Anne MARTIN",
                   "dreets": "Madame Sophie"}
    boxes = []
    for key, words in first_words.items():
        line = next(line for line in lines if words in " ".join(line.text.split()))
        assert line.bbox_mm is not None
        page, annot = widgets[key]
        left, bottom, right, upper = (float(v) for v in annot["/Rect"])
        assert page + 1 == line.location.page
        assert 0 <= bottom - (height - line.bbox_mm[1] * MM) < 3 * MM  # just above the name
        assert upper - bottom > 15 * MM
        boxes.append((left, right))
    boxes.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(boxes))  # side by side
    assert any(line.text.strip() == "BERNARD" for line in lines)  # it did wrap


def test_a_block_that_cannot_be_found_is_a_clear_error(rendered: BuildResult) -> None:
    from convention_docs.errors import SigningError
    from convention_docs.signing import find_places

    with pytest.raises(SigningError) as caught:
        find_places(rendered.path, [("etat", "Monsieur Personne")], name="sortie.pdf")
    assert str(caught.value) == ("sortie.pdf : nom du signataire « Monsieur Personne » "
                                 "(partie « etat ») introuvable page 4")
    with pytest.raises(SigningError, match="pas de signet « signature_maire » pour la partie"):
        find_places(rendered.path, [("maire", "Monsieur Jean EXEMPLE")])
