"""Hostile corpus, class « confidentiality »: a rendered .docx says only what the model states,
nothing of where its template came from (issue 17)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from convention_docs import render
from convention_docs._confidential import clean_xml

from .conftest import EXAMPLES, MINIMAL
from .hostile import hostile, template_with

pytestmark = hostile("confidentiality")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _template(tmp_path: Path) -> Path:
    """A user template as Word leaves it: python-docx's default is a Word for Mac file."""
    return template_with(tmp_path, "{{ title }} {{ object }}")


@pytest.mark.parametrize("which", ["default-template", "user-template"])
def test_docx_says_nothing_of_its_template(which: str, tmp_path: Path) -> None:
    template = None if which == "default-template" else _template(tmp_path)
    if template is not None:  # the hostile input: a template full of Word's traces
        raw = b"".join(_parts(template).values())
        assert b"Microsoft Macintosh Word" in raw and b"w:rsid" in raw
    out = tmp_path / "out.docx"
    # a user template lacking the mandatory mentions is refused: draft it
    render(EXAMPLES / "paca-2026.yaml", out, template=template, draft=template is not None)
    parts = _parts(out)
    app = parts["docProps/app.xml"].decode()
    assert "<Application>convention_docs 0.1.0</Application>" in app
    everything = b"\n".join(parts.values())
    for trace in (b"Microsoft Macintosh Word", b"Microsoft Office Word", b"Normal.dotm",
                  b"w:rsid", b"w14:paraId", b"w14:textId", b"<Template>", b"<Company>"):
        assert trace not in everything, trace


def test_hostile_text_is_not_mistaken_for_an_identifier(tmp_path: Path) -> None:
    data = dict(MINIMAL, object='relative à w:rsidR="00AB12CD" et w14:paraId="1"')
    import yaml

    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = render(spec, tmp_path / "out.docx")
    document = _parts(out)["word/document.xml"].decode()
    assert "relative à w:rsidR=&quot;00AB12CD&quot; et w14:paraId=&quot;1&quot;" in document \
        or 'relative à w:rsidR="00AB12CD" et w14:paraId="1"' in document


def test_clean_xml_removes_only_identifiers() -> None:
    xml = (b'<w:settings><w:rsids><w:rsidRoot w:val="00A1"/><w:rsid w:val="00A2"/></w:rsids>'
           b'<w:zoom w:percent="100"/></w:settings>')
    assert clean_xml(xml) == b'<w:settings><w:zoom w:percent="100"/></w:settings>'
    assert clean_xml(b'<w:p w:rsidR="1" w:rsidRPr="2"><w:r w:rsidDel="3"/></w:p>') == \
        b"<w:p><w:r/></w:p>"
    assert clean_xml(b'<w:style><w:qFormat/><w:rsid w:val="00FC693F"/><w:pPr/></w:style>') == \
        b"<w:style><w:qFormat/><w:pPr/></w:style>"
