"""The faster hexadecimal string reader gives pypdf's own results, errors included."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf.generic import _data_structures
from pypdf.generic._utils import read_hex_string_from_stream as pypdf_reader

from convention_docs._pypdf_fast import install, read_hex_string

hex_body = st.lists(st.sampled_from([b"0", b"7", b"a", b"F", b"e", b" ", b"\n", b"\r\n",
                                     b"\x00", b"\t", b"\f", b"g", b"%", b"(", b"<"]),
                    max_size=60).map(b"".join)
inputs = st.builds(lambda body, close, tail: b"<" + body + (b">" if close else b"") + tail,
                   hex_body, st.booleans(), st.binary(max_size=8))


def outcome(reader: Any, data: bytes, encoding: Any) -> tuple[Any, ...]:
    stream = io.BytesIO(data)
    try:
        value = reader(stream, encoding)
    except Exception as exc:  # compared, not hidden: both must fail alike
        return ("error", type(exc), str(exc))
    return (type(value), value, getattr(value, "original_bytes", None), stream.tell())


@settings(max_examples=400, deadline=None)
@given(data=inputs, encoding=st.sampled_from([None, "utf-16-be", "latin-1"]))
def test_same_result_as_pypdf(data: bytes, encoding: Any) -> None:
    assert outcome(read_hex_string, data, encoding) == outcome(pypdf_reader, data, encoding)


def test_long_strings_across_chunks() -> None:
    text = "Convention de partenariat — clause sociale d'insertion " * 200
    data = b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b"> /Next"
    assert outcome(read_hex_string, data, None) == outcome(pypdf_reader, data, None)
    assert str(read_hex_string(io.BytesIO(data))) == text


def test_installed_where_pypdf_looks_it_up() -> None:
    install()
    install()  # idempotent
    assert _data_structures.read_hex_string_from_stream is read_hex_string


# --- FastPdfReader: pypdf's reading, faster where the file is written the usual way ----------

def _pdf(objects: list[bytes], *, header: str, entry_end: bytes, split: bool, first: int,
         shift: int, tail: bytes) -> bytes:
    """A PDF of ``objects`` with its headers written ``header`` (``{n}``, ``{g}``), table
    entries ending with ``entry_end``, the table in one or two subsections (``split``), its
    first subsection numbered from ``first``, offsets moved by ``shift``."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += header.format(n=number, g=0).encode() + body + b"\nendobj\n"
    xref = len(out)

    def entries(numbers: range) -> bytes:
        return b"".join(b"%010d 00000 n" % (offsets[n - 1] + shift) + entry_end for n in numbers)

    free = b"0000000000 65535 f" + entry_end
    count = len(objects) + 1
    if split:
        table = (b"%d 1\n" % first + free + b"1 %d\n" % (count - 1)
                 + entries(range(1, count)))
    else:
        table = b"%d %d\n" % (first, count) + free + entries(range(1, count))
    out += b"xref\n" + table + tail + b"trailer\n<< /Size %d /Root 1 0 R >>\n" % count
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


_OBJECTS = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R "
            b"/Resources << /F#31 << /X (y) >> /Long" + b"n" * 1100 + b" 1 >> >>",
            b"<< /Length 5 >>\nstream\nBT ET\nendstream"]
pdfs = st.builds(
    _pdf, st.just(_OBJECTS),
    header=st.sampled_from(["{n} {g} obj\n", "{n} {g} obj ", "{n}  {g} obj\n", "0{n} {g} obj\n",
                            "%c\n{n} {g} obj\n", "{n} {g} obj", " {n} {g} obj\n",
                            "{n} {g} obj\x00", "{n}\t{g} obj\r\n"]),
    entry_end=st.sampled_from([b" \n", b" \r", b"\r\n", b"\n", b"  \n", b" \r\n"]),
    split=st.booleans(), first=st.sampled_from([0, 0, 1]), shift=st.sampled_from([0, 0, 1, -1]),
    tail=st.sampled_from([b"", b"", b"% comment\n", b"  \n"]))


def reading(make: Any, data: bytes, strict: bool) -> tuple[Any, ...]:
    """Everything a reader made of ``data`` holds after reading its objects, or its error."""
    import logging
    import re

    from pypdf.generic import IndirectObject

    def plain(value: Any) -> Any:  # objects print the identity of their reader
        return re.sub(r"(IndirectObject\(\d+, \d+, )\d+\)", r"\1pdf)", repr(value))

    def typed(mapping: dict[Any, Any]) -> list[Any]:
        return [(type(k).__name__, k, typed(v) if isinstance(v, dict) else v)
                for k, v in mapping.items()]

    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(plain(record.getMessage()))  # type: ignore[method-assign]
    logging.getLogger("pypdf").addHandler(handler)
    try:
        reader = make(data, strict)
        state: list[Any] = [typed(reader.xref), typed(reader.xref_free_entry),
                            reader.xref_index, plain(reader.trailer), reader.stream.tell()]
        for generation, numbers in list(reader.xref.items()):
            for number in list(numbers):
                try:
                    state.append(plain(reader.get_object(IndirectObject(number, generation,
                                                                        reader))))
                except Exception as exc:  # compared, not hidden
                    state.append((type(exc).__name__, plain(exc)))
        state.append(len(reader.pages))
    except Exception as exc:  # compared, not hidden: both must fail alike
        state = [type(exc).__name__, plain(exc)]
    finally:
        logging.getLogger("pypdf").removeHandler(handler)
    return tuple(state), tuple(messages)


@settings(max_examples=300, deadline=None)
@given(data=pdfs, strict=st.booleans(), cut=st.one_of(st.none(), st.integers(0, 900)),
       byte=st.binary(min_size=1, max_size=1))
def test_fast_reader_reads_what_pypdf_reads(data: bytes, strict: bool, cut: int | None,
                                            byte: bytes) -> None:
    from pypdf import PdfReader

    from convention_docs._pypdf_fast import FastPdfReader

    if cut is not None:  # one byte changed, somewhere in the objects or the table
        position = len(data) - 1 - cut % len(data)
        data = data[:position] + byte + data[position + 1:]
    assert reading(FastPdfReader, data, strict) == reading(
        lambda data, strict: PdfReader(io.BytesIO(data), strict=strict), data, strict)


def test_fast_reader_takes_its_shortcuts_with_this_pypdf(monkeypatch: Any) -> None:
    # Written against pypdf 7.1.1: with another, the plain reading (a reminder to check the
    # shortcuts again when pypdf changes).
    import pypdf

    from convention_docs import _pypdf_fast
    from convention_docs._pypdf_fast import FAST_READER_VERSION, FastPdfReader

    data = _pdf(_OBJECTS, header="{n} {g} obj\n", entry_end=b" \n", split=False, first=0,
                shift=0, tail=b"")
    calls: list[int] = []
    monkeypatch.setattr(_pypdf_fast, "_xref_table", lambda *args: calls.append(1))
    assert pypdf.__version__ == FAST_READER_VERSION
    FastPdfReader(data)
    assert calls
    calls.clear()
    monkeypatch.setattr(pypdf, "__version__", "0.0.0")
    assert len(FastPdfReader(data).pages) == 1 and not calls


def test_name_reader_is_installed_where_pypdf_looks_it_up() -> None:
    from pypdf.generic import NameObject

    from convention_docs._pypdf_fast import read_name

    install()
    assert NameObject.read_from_stream is read_name
