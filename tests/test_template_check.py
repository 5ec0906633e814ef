"""check_template / convention-docs template-check: the default template passes, broken ones
are refused with the paragraph and the tag, unreadable files are bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from convention_docs import TemplateError, check_template
from convention_docs.cli import main

from .conftest import ROOT

DEFAULT = ROOT / "templates" / "convention.docx"


def spoiled(folder: Path, name: str, *replacements: tuple[str, str],
            part: str = "word/document.xml") -> Path:
    """The default template with ``replacements`` made in one of its XML parts."""
    target = folder / name
    with zipfile.ZipFile(DEFAULT) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                xml = data.decode("utf-8")
                for old, new in replacements:
                    assert old in xml, old
                    xml = xml.replace(old, new)
                data = xml.encode("utf-8")
            out.writestr(item, data)
    return target


def paragraph_texts() -> list[str]:
    """The default template's paragraphs in reading order, those of tables included."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(DEFAULT))
    return [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]


def codes(path: Path) -> list[str]:
    return [f.code for f in check_template(path).findings]


def test_default_template_passes(capsys: pytest.CaptureFixture[str]) -> None:
    report = check_template(DEFAULT)
    assert report.ok and report.findings == ()
    assert main(["template-check", str(DEFAULT)]) == 0
    assert "conforme" in capsys.readouterr().out


def test_jinja_syntax_error_quotes_the_paragraph(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = spoiled(tmp_path, "syntaxe.docx", ("{{ title }}", "{{ title | }}"))
    report = check_template(path)
    assert not report.ok
    [finding] = report.findings  # nothing else: what a broken template uses is unknown
    number = paragraph_texts().index("{{ title }}") + 1
    assert finding.code == "TEMPLATE_SYNTAX"
    assert finding.message.startswith(f"corps, paragraphe {number} : erreur de syntaxe Jinja")
    assert finding.message.endswith("dans « {{ title | }} »")
    assert finding.location.paragraph == number
    assert main(["template-check", str(path)]) == 1
    assert "TEMPLATE_SYNTAX" in capsys.readouterr().out


def test_syntax_error_after_paragraph_tags_names_its_own_paragraph(tmp_path: Path) -> None:
    # docxtpl folds the {%p …%} paragraphs into the line before: the count must not drift
    tag = "{{r signature.made_at_runs }}"
    path = spoiled(tmp_path, "fin.docx", (tag, "{{r signature.made_at_runs ( }}"))
    [finding] = check_template(path).findings
    assert finding.location.paragraph == paragraph_texts().index(tag) + 1
    assert finding.message.endswith("dans « {{r signature.made_at_runs ( }} »")


def test_curly_quotes_inside_a_tag(tmp_path: Path) -> None:
    path = spoiled(tmp_path, "guillemets.docx",
                   ('{%p elif block.kind == "quotation" %}',
                    "{%p elif block.kind == “quotation” %}"))
    report = check_template(path)
    curly = [f for f in report.findings if f.code == "TEMPLATE_CURLY_QUOTES"]
    # one finding per paragraph holding the tag (preamble, articles, the last article's end)
    assert len(curly) == paragraph_texts().count('{%p elif block.kind == "quotation" %}') >= 2
    assert all("« {%p elif block.kind == “quotation” %} »" in f.message for f in curly)
    assert not report.ok


def test_curly_quotes_inside_a_string_literal_are_text(tmp_path: Path) -> None:
    path = spoiled(tmp_path, "apostrophe.docx", ("{{ title }}", "{{ title ~ \" l’État\" }}"))
    assert codes(path) == []


def test_tag_split_across_runs_is_flagged(tmp_path: Path) -> None:
    path = spoiled(tmp_path, "coupee.docx",
                   ("<w:t>{{ title }}</w:t>",
                    '<w:t>{</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>{ title }}'
                    "</w:t>"))
    report = check_template(path)
    assert [f.code for f in report.findings] == ["TEMPLATE_SPLIT_TAG"]
    assert "« {{ title }} » est coupée en 2 morceaux" in report.findings[0].message
    assert report.ok  # docxtpl joins the pieces again: a warning, and the example renders


def test_unknown_variables(tmp_path: Path) -> None:
    path = spoiled(tmp_path, "variables.docx", ("{{ object }}", "{{ objet }}"),
                   ("{{ funding.mention }}", "{{ funding.mentions }}"))
    messages = [f.message for f in check_template(path).findings
                if f.code == "TEMPLATE_UNKNOWN_VARIABLE"]
    assert any("« objet »" in m for m in messages)
    assert any("« funding.mentions »" in m for m in messages)
    assert len(messages) == 2


def test_unknown_attribute_of_a_loop_variable_fails_the_trial_render(tmp_path: Path) -> None:
    path = spoiled(tmp_path, "boucle.docx", ("{{ party.name_line }}", "{{ party.nom }}"))
    report = check_template(path)
    assert [f.code for f in report.findings] == ["TEMPLATE_RENDER"]
    assert "nom" in report.findings[0].message


@pytest.mark.parametrize(("old", "new", "what"), [
    ("signature.blocks", "parties", "les blocs de signature"),
    ("{% for logo in funding.logos %}", "{% for logo in funding.partner_logos %}",
     "l'emblème de l'Union européenne"),
])
def test_required_blocks(tmp_path: Path, old: str, new: str, what: str) -> None:
    report = check_template(spoiled(tmp_path, "incomplet.docx", (old, new)))
    missing = [f for f in report.findings if f.code == "TEMPLATE_MISSING_BLOCK"]
    assert len(missing) == 1 and what in missing[0].message
    assert not report.ok


def test_unreadable_files_are_bad_input(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "texte.docx"
    text.write_text("pas un document", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"texte\.docx : modèle illisible"):
        check_template(text)
    assert main(["template-check", str(text)]) == 2
    assert "texte.docx" in capsys.readouterr().err
    assert main(["template-check", str(tmp_path / "absent.docx")]) == 2
    assert "modèle introuvable" in capsys.readouterr().err


def test_letterhead_example_of_the_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import re

    import docx

    page = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    [code] = [block for block in re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
              if "out/papier-a-en-tete.docx" in block]
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "templates.md", "exec"), {"__name__": "letterhead"})
    template = tmp_path / "out" / "papier-a-en-tete.docx"
    assert main(["template-check", str(template)]) == 0
    assert "conforme — 0 erreur(s), 0 avertissement(s)" in capsys.readouterr().out
    rendered = docx.Document(str(tmp_path / "out" / "maison.docx"))
    header = rendered.sections[0].header
    assert "Boulevard Paul Peytral, 13006 Marseille" in "\n".join(
        p.text for p in header.paragraphs)
    assert header.part.element.xpath(".//w:drawing")  # the logo
    assert rendered.styles["Heading 1"].font.name == "DejaVu Serif"
    headings = [p for p in rendered.paragraphs if p.style is not None
                and p.style.name == "Heading 1"]
    assert headings and headings[0].text.startswith("Article 1er")
