"""render()/build(): validated, atomic outputs; refusal leaves nothing behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from convention_docs import ConventionDocsError, ConventionRejected, build, render
from convention_docs.context import DRAFT_NOTICE
from convention_docs.spec import load_data

from .conftest import EXAMPLES


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".convention-docs"))


def test_render_docx_returns_the_path(tmp_path: Path) -> None:
    out = render(EXAMPLES / "paca-2026.yaml", tmp_path / "sub" / "c.docx")
    assert out == tmp_path / "sub" / "c.docx"
    assert out.is_file()
    assert leftovers(out.parent) == []


def test_build_reports(tmp_path: Path) -> None:
    result = build(EXAMPLES / "paca-clause-sociale.yaml", tmp_path / "seed.docx")
    assert result.report.ok
    assert "OUTDATED_POLE_EMPLOI" in result.report.codes()
    assert result.report.source == str(tmp_path / "seed.docx")


def test_refused_render_leaves_nothing_and_keeps_existing_file(tmp_path: Path,
                                                               minimal: dict[str, Any]) -> None:
    minimal.pop("funding")
    target = tmp_path / "c.docx"
    target.write_bytes(b"previous version")
    with pytest.raises(ConventionRejected) as info:
        render(load_data(minimal), target)
    assert "FUNDING_MISSING" in info.value.report.codes()
    assert "[FUNDING_MISSING]" in str(info.value)
    assert target.read_bytes() == b"previous version"
    assert leftovers(tmp_path) == []


def test_template_that_hides_the_funding_block_is_refused(tmp_path: Path,
                                                          minimal: dict[str, Any]) -> None:
    template = tmp_path / "nofunding.docx"
    document = docx.Document()
    for text in ("{{ title }}", "{%p for party in parties %}", "{{ party.name_line }}",
                 "{{ party.represented_by }}", "{{ party.designation_line }}", "{%p endfor %}",
                 "{%p for article in articles %}", "{{ article.heading }}", "{%p endfor %}",
                 "{{ signature.made_at }}", "{%p for block in signature.blocks %}",
                 "{{ block.label }}", "{{r block.name }}", "{%p endfor %}"):
        document.add_paragraph(text)
    document.save(str(template))
    target = tmp_path / "c.docx"
    with pytest.raises(ConventionRejected) as info:
        render(load_data(minimal), target, template=template)
    assert {"EU_EMBLEM_MISSING", "FUNDING_STATEMENT_MISSING"} <= info.value.report.codes()
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_draft_is_written_and_marked(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal.pop("funding")
    result = build(load_data(minimal), tmp_path / "draft.docx", draft=True)
    assert not result.report.ok
    texts = [p.text for p in docx.Document(str(result.path)).paragraphs]
    assert texts[0] == DRAFT_NOTICE


def test_unknown_output_format(tmp_path: Path) -> None:
    with pytest.raises(ConventionDocsError, match=r"format de sortie « \.odt » non pris en charge"):
        render(EXAMPLES / "paca-2026.yaml", tmp_path / "c.odt")
    assert list(tmp_path.iterdir()) == []


def test_control_character_is_a_clear_error_and_no_file(tmp_path: Path,
                                                        minimal: dict[str, Any]) -> None:
    from convention_docs import SpecError

    minimal["articles"][1]["blocks"] = ["texte avec \x07 une sonnerie"]
    target = tmp_path / "c.docx"
    with pytest.raises(SpecError) as info:
        render(minimal, target)
    assert info.value.issues == (
        ("articles[1].blocks[0]", "caractère de contrôle interdit U+0007 à la position 12"),)
    assert list(tmp_path.iterdir()) == []
