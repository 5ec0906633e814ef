"""What a notebook shows: the short repr of a Convention, its HTML preview with the findings
beside what they are about, and the HTML table of a Report. Checked by parsing the HTML."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from convention_docs import Convention, load, validate
from convention_docs.inspect.view import Location
from convention_docs.validate import Finding, Report, Severity

from .conftest import EXAMPLES


class Tree(HTMLParser):
    """A small DOM: every element with its attributes, its text, and its ancestors."""

    VOID = frozenset({"img", "br", "meta", "hr"})

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict[str, Any]] = []
        self.stack: list[dict[str, Any]] = []
        self.feed(markup)
        self.close()
        assert self.stack == [], f"unclosed: {[e['tag'] for e in self.stack]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self.stack)}
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1]["tag"] == tag, f"</{tag}> closes nothing"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element["text"] += data

    def find(self, tag: str) -> list[dict[str, Any]]:
        return [e for e in self.elements if e["tag"] == tag]


def png_of(src: str) -> Image.Image:
    head, _, data = src.partition(",")
    assert head == "data:image/png;base64"
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    assert image.format == "PNG"
    return image


@pytest.fixture(scope="module")
def paca() -> Convention:
    return load(EXAMPLES / "paca-2026.yaml")


@pytest.fixture(scope="module")
def seed() -> Convention:
    return load(EXAMPLES / "paca-clause-sociale.yaml")


# --- repr ------------------------------------------------------------------------------------


def test_repr_is_short_and_says_what_the_convention_is(paca: Convention) -> None:
    text = repr(paca)
    assert len(text) < 200
    assert text == ("<Convention « CONVENTION DE PARTENARIAT relative à la mise en œuvre des… » "
                    ": L'État ↔ La Métropole Aix-Marseille-Provence, "
                    f"{len(paca.articles)} articles, FSE+ 2021-2027>")


def test_repr_without_funding_and_with_one_article(minimal: dict[str, Any]) -> None:
    del minimal["funding"]
    minimal["articles"] = minimal["articles"][:1]
    text = repr(Convention(**minimal))
    assert text == ("<Convention « CONVENTION DE PARTENARIAT relative à la clause sociale » : "
                    "L'État ↔ La Maison de l'emploi, 1 article, sans financement européen>")


def test_repr_of_an_unchecked_copy_does_not_fail(paca: Convention) -> None:
    broken = paca.model_copy(update={"parties": None})
    assert repr(broken) == "<Convention non vérifiée (model_copy ?)>"


# --- HTML preview ---------------------------------------------------------------------------


def test_html_is_laid_out_like_the_document(paca: Convention) -> None:
    tree = Tree(paca._repr_html_())
    [title] = tree.find("h2")
    assert title["text"] == "CONVENTION DE PARTENARIAT"
    headings = [h["text"] for h in tree.find("h3")]
    assert headings[0] == "PRÉAMBULE"
    assert headings[1] == "Article 1er : OBJET DE LA CONVENTION"
    assert headings[2].startswith("Article 2 : ")
    assert len(headings) == 1 + len(paca.articles)
    sups = tree.find("sup")  # « Article 1er » and « le 1er décembre 2026 »
    assert [s["text"] for s in sups] == ["er", "er"]
    assert sups[0]["parents"][-1]["tag"] == "h3" and sups[1]["parents"][-1]["tag"] == "p"
    paragraphs = [p["text"] for p in tree.find("p")]
    assert "L'État," in paragraphs[paragraphs.index("Et") - 1]
    party = next(p for p in paragraphs if p.startswith("La Métropole"))
    assert party.replace("\u00a0", " ") == (
        "La Métropole Aix-Marseille-Provence,Représentée par Mme Claire MODÈLE, "
        f"{paca.parties[1].representative.function}Ci-après dénommée « le facilitateur »")
    assert any("Ci-après dénommée « le facilitateur »" in p.replace("\u00a0", " ")
               for p in paragraphs)
    assert "Fait à Marseille, le 1er\u00a0décembre\u00a02026, en deux exemplaires originaux." \
        in paragraphs
    cells = [c["text"] for c in tree.find("td")]
    assert len(cells) == len(paca.signature_blocks())
    assert cells[0].startswith("Pour la Métropole Aix-Marseille-Provence,")
    assert tree.find("li"), "the preamble's bullets are a list"


def test_html_shows_the_funding_block_with_the_emblem(paca: Convention) -> None:
    tree = Tree(paca._repr_html_())
    [emblem] = tree.find("img")
    assert emblem["attrs"]["alt"] == "Emblème de l'Union européenne"
    image = png_of(emblem["attrs"]["src"])
    assert image.height == 72 and 100 <= image.width <= 112  # 3:2 flag
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None
    blue = sum(n for n, (r, g, b) in colours if b > 120 and r < 60 and g < 90)
    assert blue > image.width * image.height * 0.5  # Reflex Blue, not a blank picture
    statement = [s for s in tree.find("span") if "Cofinancé" in s["text"]]
    assert statement[0]["text"] == "Cofinancé par l'Union européenne"
    assert "#003399" in statement[0]["attrs"]["style"]


def test_html_findings_stand_beside_what_they_are_about(seed: Convention) -> None:
    tree = Tree(seed._repr_html_())
    notes = [d for d in tree.find("div") if "finding" in (d["attrs"].get("class") or "")]
    assert len(notes) == len(validate(seed).findings)

    def row_of(note: dict[str, Any]) -> dict[str, Any]:
        # the flex row holding the note: its first child column is the document's part
        return next(p for p in reversed(note["parents"])
                    if "display:flex;gap" in (p["attrs"].get("style") or ""))

    pole_emploi = next(n for n in notes if "OUTDATED_POLE_EMPLOI" in n["text"])
    assert "articles[1].blocks[1]" in pole_emploi["text"]
    assert "Article 2 :" in row_of(pole_emploi)["text"]
    assert "Pôle emploi" in row_of(pole_emploi)["text"]
    economie = next(n for n in notes if "« Economie »" in n["text"])
    assert "Fait à Marseille" in row_of(economie)["text"]
    missing = next(n for n in notes if "CLAUSE_GDPR_MISSING" in n["text"])
    assert "Article" not in row_of(missing)["text"].split("CLAUSE_GDPR_MISSING")[0]
    status = tree.find("p")[0]["text"]
    assert status == "Validation du modèle — conforme : 0 erreur(s), 16 avertissement(s)"


def test_html_errors_come_first_and_in_red(minimal: dict[str, Any]) -> None:
    del minimal["funding"]
    tree = Tree(Convention(**minimal)._repr_html_())
    [note] = [d for d in tree.find("div") if "finding error" in (d["attrs"].get("class") or "")]
    assert "FUNDING_MISSING" in note["text"] and "(funding)" in note["text"]
    assert "#b00020" in note["attrs"]["style"]
    status = tree.find("p")[0]["text"]
    assert status.startswith("Validation du modèle — refusée : 1 erreur(s), ")


HOSTILE = "<script>alert('x')</script> Dupont & Fils \"SARL\" <b>gras</b>"


def test_html_escapes_every_user_text(minimal: dict[str, Any]) -> None:
    minimal["title"] = HOSTILE
    minimal["parties"][1]["name"] = HOSTILE
    minimal["parties"][1]["representative"]["function"] = HOSTILE
    minimal["articles"][0]["title"] = HOSTILE
    minimal["articles"][0]["blocks"] = [HOSTILE, {"bullets": [HOSTILE]},
                                        {"quotation": HOSTILE, "source": HOSTILE}]
    minimal["signature"]["place"] = HOSTILE
    convention = Convention(**minimal)
    markup = convention._repr_html_()
    assert "<script>" not in markup and "<b>gras</b>" not in markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in markup
    assert "Dupont &amp; Fils &quot;SARL&quot;" in markup
    tree = Tree(markup)
    assert not tree.find("script")
    assert not [b for b in tree.find("b") if b["text"] == "gras"]
    texts = "\n".join(e["text"] for e in tree.elements if e["tag"] in ("h2", "h3", "li", "p"))
    assert texts.count("<script>alert('x')</script>") >= 5


def test_html_of_an_invalid_copy_lists_the_problems(paca: Convention) -> None:
    broken = paca.model_copy(update={"parties": (), "title": "<i>x</i>"})
    tree = Tree(broken._repr_html_())
    items = [li["text"] for li in tree.find("li")]
    assert items == ["parties : au moins 2 élément(s) attendu(s)"]
    assert "Convention invalide" in tree.elements[0]["text"]


def test_html_partner_logo_unreadable_is_said(minimal: dict[str, Any], tmp_path: Any) -> None:
    good = tmp_path / "partenaire.png"
    Image.new("RGB", (300, 100), (200, 30, 30)).save(good)
    minimal["funding"]["partner_logos"] = [
        {"path": str(good), "alt": "Région <Bretagne>"},
        {"path": str(tmp_path / "absent.png"), "alt": "Absent & perdu"}]
    tree = Tree(Convention(**minimal)._repr_html_())
    images = {img["attrs"]["alt"]: png_of(img["attrs"]["src"]) for img in tree.find("img")}
    assert images["Région <Bretagne>"].size == (216, 72)
    assert images["Région <Bretagne>"].convert("RGB").getpixel((100, 36)) == (200, 30, 30)
    assert any("Absent & perdu (fichier illisible)" in s["text"] for s in tree.find("span"))


# --- Report ------------------------------------------------------------------------------------


def test_report_html_table_errors_first_french_headers() -> None:
    report = Report("c.pdf", "pdf", (
        Finding("TYPO_CAPITALS", Severity.WARNING, "« Etat » & <b>", Location(page=2)),
        Finding("INFO_X", Severity.INFO, "pour information"),
        Finding("EU_EMBLEM_MISSING", Severity.ERROR, "emblème absent",
                Location(file="c.pdf", page=1, field="funding")),
    ))
    tree = Tree(report._repr_html_())
    assert [th["text"] for th in tree.find("th")] == ["Gravité", "Code", "Message",
                                                      "Emplacement"]
    rows = [[td["text"] for td in tree.find("td") if row in td["parents"]]
            for row in tree.find("tr")[1:]]
    assert rows == [
        ["erreur", "EU_EMBLEM_MISSING", "emblème absent", "page 1, funding"],
        ["avertissement", "TYPO_CAPITALS", "« Etat » & <b>", "page 2"],
        ["information", "INFO_X", "pour information", ""],
    ]
    [caption] = tree.find("caption")
    assert caption["text"] == "c.pdf — refusée : 1 erreur(s), 1 avertissement(s)"


def test_report_html_when_empty() -> None:
    tree = Tree(Report(None, "model")._repr_html_())
    assert [td["text"] for td in tree.find("td")] == ["aucune remarque"]
    assert tree.find("caption")[0]["text"] == "(modèle) — conforme : 0 erreur(s), " \
                                              "0 avertissement(s)"


def test_report_repr_is_short() -> None:
    report = Report.of("c.pdf", "pdf", [Finding("X", Severity.ERROR, "m" * 500)])
    assert repr(report) == "<Report c.pdf : refusée : 1 erreur(s), 0 avertissement(s)>"
    assert repr(Report(None, "model")) == ("<Report (modèle) : conforme : 0 erreur(s), "
                                           "0 avertissement(s)>")


one_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                           blacklist_characters="\ufffe\uffff"),
    min_size=1, max_size=60).filter(lambda t: t.strip() != "")


@settings(max_examples=40, deadline=None)
@given(title=one_line, name=one_line, body=one_line)
def test_any_text_comes_back_exactly_from_the_html(title: str, name: str, body: str) -> None:
    import copy

    from .conftest import MINIMAL

    data = copy.deepcopy(MINIMAL)
    data["typography"] = {"non_breaking_spaces": False}  # the text as written, unchanged
    data["title"] = title
    data["parties"][1]["name"] = name
    data["articles"][0]["blocks"] = [body]
    tree = Tree(Convention(**data)._repr_html_())
    assert tree.find("h2")[0]["text"] == title
    assert any(p["text"] == body for p in tree.find("p"))
    assert any(p["text"].startswith(f"{name},") for p in tree.find("p"))
    assert not tree.find("script")


def test_html_without_findings_has_no_notes_column(paca: Convention) -> None:
    assert validate(paca).findings == ()
    tree = Tree(paca._repr_html_())
    assert not [d for d in tree.find("div") if "flex:2" in (d["attrs"].get("style") or "")]
    with_findings = Tree(paca.replace(funding=None)._repr_html_())
    columns = [d for d in with_findings.find("div")
               if "flex:2" in (d["attrs"].get("style") or "")]
    # one beside each part: funding, title, each party, agreement, preamble, each article,
    # signature
    assert len(columns) == 5 + len(paca.parties) + len(paca.articles)


def test_html_shows_the_parties_logos_first(minimal: dict[str, Any], tmp_path: Any) -> None:
    for index, (colour, alt) in enumerate((((0, 0, 145), "Préfet de la région Bretagne"),
                                           ((230, 120, 0), "PLIE & co"))):
        path = tmp_path / f"logo-{index}.png"
        Image.new("RGB", (240, 120), colour).save(path)
        minimal["parties"][index]["logo"] = {"path": str(path), "alt": alt}
    tree = Tree(Convention(**minimal)._repr_html_())
    images = tree.find("img")
    assert [img["attrs"]["alt"] for img in images] == [
        "Préfet de la région Bretagne", "PLIE & co", "Emblème de l'Union européenne"]
    first = png_of(images[0]["attrs"]["src"])
    assert first.size == (144, 72) and first.convert("RGB").getpixel((70, 30)) == (0, 0, 145)
    row = images[0]["parents"][-1]
    assert images[1]["parents"][-1] is row and "space-between" in row["attrs"]["style"]
