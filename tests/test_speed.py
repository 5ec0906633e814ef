"""What the speed work skips must never change a verdict: a PDF's form is looked for by its
bytes first (:mod:`convention_docs.inspect._names`), and parsed whenever it may be there."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from convention_docs import batch
from convention_docs.cli import main
from convention_docs.inspect._names import may_hold
from convention_docs.pool import ConverterPool
from convention_docs.validate.signatures import has_signature_fields
from convention_docs.validate.signing import signature_fields

from .conftest import pdf_file


def _pdf(catalog_extra: bytes, *objects: bytes) -> bytes:
    """A one-page PDF with a correct cross-reference table; ``objects`` are numbered from 4."""
    bodies = [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", *objects]
    return pdf_file(bodies)


_FIELD = b"<< /FT /Sig /T (Signature1) /Rect [0 0 0 0] >>"


@pytest.mark.parametrize("spelling", [b"/AcroForm", b"/Acro#46orm", b"/#41cro#46#6frm"])
def test_a_form_is_found_however_its_name_is_spelt(tmp_path: Path, spelling: bytes) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(_pdf(spelling + b" 4 0 R", b"<< /Fields [5 0 R] >>", _FIELD))
    assert may_hold(path.read_bytes(), "AcroForm")
    assert signature_fields(path) == ("Signature1",)
    assert has_signature_fields(path)


def test_a_pdf_without_form_is_not_parsed_for_one(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(_pdf(b"/Lang (fr-FR)"))
    assert not may_hold(path.read_bytes(), "AcroForm")
    assert signature_fields(path) == ()
    assert not has_signature_fields(path)


def test_an_object_stream_may_hide_any_name() -> None:
    data = _pdf(b"", b"<< /Type /ObjStm /N 1 /First 4 /Length 0 >>")
    assert may_hold(data, "AcroForm")
    assert not may_hold(_pdf(b""), "AcroForm")


_ORDER = """
import sys
from convention_docs.cli import main
from convention_docs.pool import ConverterPool
seen = []
start = ConverterPool.start
def recording(self):
    seen.append(("start", "convention_docs.build" in sys.modules))
    start(self)
ConverterPool.start = recording
code = main(sys.argv[1:])
print(seen, code)
"""


@pytest.mark.libreoffice
def test_batch_to_pdf_starts_libreoffice_before_the_heavy_imports(
        tmp_path: Path, minimal: dict[str, Any]) -> None:
    spec = tmp_path / "conv-01.yaml"
    spec.write_text(yaml.safe_dump(minimal, allow_unicode=True), encoding="utf-8")
    outdir = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", _ORDER, "batch", str(spec), "--outdir",
                             str(outdir), "--format", "pdf"],
                            capture_output=True, text=True, check=False, timeout=300)
    # started once, before the rendering stages were imported; the batch then went through
    assert result.stdout.strip().splitlines()[-1] == "[('start', False)] 0", result.stderr
    assert [p.name for p in outdir.iterdir()] == ["conv-01.pdf"]


@pytest.mark.libreoffice
def test_batch_uses_the_instances_it_is_given_and_leaves_them_open(
        tmp_path: Path, minimal: dict[str, Any]) -> None:
    spec = tmp_path / "conv-01.yaml"
    spec.write_text(yaml.safe_dump(minimal, allow_unicode=True), encoding="utf-8")
    with ConverterPool(1) as converters:
        converters.start()
        results = batch([spec], tmp_path / "out", formats=["docx", "pdf"], jobs=1,
                        converters=converters)
        assert [r.ok for r in results] == [True]
        assert converters.started == 1
        # still open: it converts again
        again = converters.convert(tmp_path / "out" / "conv-01.docx", tmp_path / "again.pdf")
        assert again.read_bytes().startswith(b"%PDF-")
        assert converters.started == 1


def test_batch_leaves_the_garbage_collector_as_it_found_it(
        tmp_path: Path, minimal: dict[str, Any]) -> None:
    spec = tmp_path / "conv-01.yaml"
    spec.write_text(yaml.safe_dump(minimal, allow_unicode=True), encoding="utf-8")
    seen: list[int] = []
    real = ConverterPool.__init__

    def watching(self: ConverterPool, size: int, **options: Any) -> None:
        seen.append(gc.get_freeze_count())  # the batch's own pool: inside the frozen stretch
        real(self, size, **options)

    assert gc.get_freeze_count() == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ConverterPool, "__init__", watching)
        assert main(["batch", str(spec), "--outdir", str(tmp_path / "out"),
                     "--format", "docx"]) == 0
    assert seen and seen[0] > 0  # frozen while it ran
    assert gc.get_freeze_count() == 0  # and undone
