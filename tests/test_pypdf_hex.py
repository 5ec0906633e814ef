"""The faster hexadecimal string reader gives pypdf's own results, errors included."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf.generic import _data_structures
from pypdf.generic._utils import read_hex_string_from_stream as pypdf_reader

from convention_docs._pypdf_hex import install, read_hex_string

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
