"""examples/drafting.ipynb: committed without outputs, and executed by the suite (nbclient, a
real kernel, real LibreOffice) in a temporary folder, so that it writes nothing in the repo."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import nbformat
import pytest
from PIL import Image

from .conftest import EXAMPLES, needs_libreoffice
from .test_notebook import Tree

NOTEBOOK = EXAMPLES / "drafting.ipynb"


def read() -> Any:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_committed_notebook_is_valid_and_has_no_outputs() -> None:
    notebook = read()
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 10
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
        assert set(cell.metadata) <= {"tags"}, cell.metadata
    assert notebook.metadata.kernelspec.name == "python3"
    assert "/work/" not in NOTEBOOK.read_text(encoding="utf-8")  # no path of a machine


def test_notebook_uses_the_clause_library() -> None:
    source = "\n".join(cell.source for cell in read().cells if cell.cell_type == "code")
    for name in ("clauses.objet(", "clauses.litiges(\"35\")", "clauses.preambule()",
                 ".replace(", ".with_article(", "preview(", "validate(", "render("):
        assert name in source


def outputs(cell: Any, kind: str) -> list[str]:
    found = []
    for output in cell.outputs:
        if output.output_type == "stream":
            if kind == "text/plain":
                found.append(output.text)
        elif kind in output.get("data", {}):
            found.append(output.data[kind])
    return found


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.slow
def test_notebook_runs_from_start_to_end(tmp_path: Path) -> None:
    from nbclient import NotebookClient

    notebook = read()
    before = sorted(p.name for p in EXAMPLES.iterdir())
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert errors == []
    # it wrote where it ran, and nothing in the repository
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "rennes-2026.docx", "rennes-2026.pdf"]
    assert sorted(p.name for p in EXAMPLES.iterdir()) == before

    text = "\n".join(t for c in cells for t in outputs(c, "text/plain"))
    assert "<Convention « CONVENTION DE PARTENARIAT" in text
    assert "code de justice administrative, art. R312-11" in text  # a clause's legal basis
    assert "[FUNDING_MISSING] financement européen non déclaré" in text  # the refused render
    assert "Convention : spécification invalide, signature.date : " in text
    assert "attendu : une date AAAA-MM-JJ" in text
    assert "('OUTDATED_POLE_EMPLOI', 'articles[4].blocks[0]')" in text  # the finding fixed
    assert "<Report (convention) : conforme : 0 erreur(s), 0 avertissement(s)>" in text

    previews = [Tree(h) for c in cells for h in outputs(c, "text/html")
                if 'class="convention-docs-preview"' in h]
    assert len(previews) == 3
    shown = [img for tree in previews for img in tree.find("img")]
    assert [img["attrs"]["alt"] for img in shown] == [
        "page 1 / 4", "page 2 / 4", "page 3 / 4", "page 4 / 4",  # thumbnails
        "page 1 / 4",                                            # dpi=60
        "page 1 / 4", "page 2 / 4"]                              # after the last fix
    for img in shown:
        head, _, data = img["attrs"]["src"].partition(",")
        assert head == "data:image/png;base64"
        picture = Image.open(io.BytesIO(base64.b64decode(data))).convert("L")
        assert picture.width in (331, 496, 497)  # A4 (210 mm) at 40 or 60 dpi, rounded up
        low, high = picture.getextrema()
        assert low < 100 and high == 255  # text on white, not a blank page

    conventions = [Tree(h) for c in cells for h in outputs(c, "text/html")
                   if 'class="convention-docs"' in h]
    assert len(conventions) == 2  # the first draft and the final convention
    first, final = conventions
    assert any("FUNDING_MISSING" in d["text"] for d in first.find("div"))
    assert [h["text"] for h in final.find("h3")][5] == "Article 5 : COMITÉ DE SUIVI"
    assert not [d for d in final.find("div") if "finding" in (d["attrs"].get("class") or "")]
    assert final.find("img")[0]["attrs"]["alt"] == "Emblème de l'Union européenne"
