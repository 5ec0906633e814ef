r"""A fast tokenizer for PDF content streams: bytes to ``(operands, operator)`` pairs.

pypdf's ``ContentStream`` parser spends most of the time of reading a LibreOffice PDF (about
12 ms a page, mostly on hex strings); this one does the same job with one regular expression.
It yields what pypdf yields, in plainer types: numbers as ``int``/``float``, names as ``str``
(``"/F1"``), strings as ``bytes``, arrays as ``list``, dictionaries as ``dict``. Streams with
inline images (``BI … ID … EI``) or that it cannot tokenize are handed back to pypdf.

>>> parse(rb"BT /F1 11 Tf [<01>-3(A\(b\))] TJ ET")
[([], b'BT'), (['/F1', 11], b'Tf'), ([[b'\x01', -3, b'A(b)']], b'TJ'), ([], b'ET')]
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["UnsupportedStreamError", "parse"]

_TOKEN = re.compile(
    rb"(?:\s|%[^\r\n]*)*"  # white space and comments, skipped in the same match
    rb"(?:(?P<int>[+-]?\d+)(?![^\s()<>\[\]{}/%])"
    rb"|(?P<real>[+-]?(?:\d+\.\d*|\.\d+))(?![^\s()<>\[\]{}/%])"
    rb"|(?P<name>/[^\s()<>\[\]{}/%]*)"
    rb"|(?P<hex><(?!<)[0-9A-Fa-f\s]*>)"
    rb"|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|(?P<string>\()"
    rb"|(?P<regular>[^\s()<>\[\]{}/%]+)"
    rb"|(?P<end>\Z))"
)
_HEX_SPACE = re.compile(rb"\s")
_NUM = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_TJ_BODY = re.compile(rb"((?:\s*(?:<[0-9A-Fa-f\s]*>|" + _NUM + rb"))*)\s*\]\s*TJ"
                      rb"(?![^\s()<>\[\]{}/%])")
_TJ_ITEM = re.compile(rb"<([0-9A-Fa-f\s]*)>|(" + _NUM + rb")")
_STRING_PART = re.compile(rb"\\.|[()]", re.DOTALL)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)|\r\n?", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
            b"\r\n": b"", b"\n": b"", b"\r": b""}
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_KEYWORDS: dict[bytes, Any] = {b"true": True, b"false": False, b"null": None}


class UnsupportedStreamError(ValueError):
    """The stream holds something this tokenizer leaves to pypdf (inline image, bad syntax)."""


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code is None:  # an end of line inside a string reads as a line feed
        return b"\n"
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _ESCAPES.get(code, code)


def _string(data: bytes, start: int) -> tuple[bytes, int]:
    """Return the literal string opening at ``start`` (after its parenthesis) and its end."""
    depth = 1
    for match in _STRING_PART.finditer(data, start):
        char = match.group()
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
            if depth == 0:
                return _ESCAPE.sub(_unescape, data[start:match.start()]), match.end()
    raise UnsupportedStreamError("unterminated string")


def _number(token: bytes) -> Any:
    """Return a number written in a form the main pattern does not take (e.g. "1."), or None."""
    if not token[-1:].isdigit() and not token.endswith(b"."):
        return None  # an operator: most tokens that reach here
    try:
        return int(token)
    except ValueError:
        pass
    if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", token):
        return float(token)
    return None  # an operator


def parse(data: bytes) -> list[tuple[list[Any], bytes]]:
    """Return the operations of a content stream."""
    operations: list[tuple[list[Any], bytes]] = []
    stack: list[list[Any]] = [[]]
    kinds: list[bytes] = []
    position, length = 0, len(data)
    top = stack[0]
    while position < length:
        match = _TOKEN.match(data, position)
        if match is None:
            raise UnsupportedStreamError(f"unexpected byte at {position}")
        position = match.end()
        kind = match.lastgroup
        if kind == "int":
            stack[-1].append(int(match.group(kind)))
            continue
        if kind == "real":
            stack[-1].append(float(match.group(kind)))
            continue
        if kind == "end":
            break
        token: bytes = match.group(kind or 0)
        if kind == "name":
            name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token)
            stack[-1].append(name.decode("utf-8", "replace"))
        elif kind == "hex":
            digits = _HEX_SPACE.sub(b"", token[1:-1])
            stack[-1].append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif kind == "string":
            value, position = _string(data, position)
            stack[-1].append(value)
        elif kind == "open":
            if token == b"[" and not kinds and not top:
                # LibreOffice shows text as [<hex> kern <hex> …] TJ, a glyph per item: read
                # the whole array with one pattern instead of a token at a time.
                fast = _TJ_BODY.match(data, position)
                if fast is not None:
                    items: list[Any] = []
                    for hexa, num in _TJ_ITEM.findall(fast.group(1)):
                        if num:
                            items.append(float(num) if b"." in num else int(num))
                        else:
                            digits = _HEX_SPACE.sub(b"", hexa)
                            items.append(bytes.fromhex(
                                (digits + b"0" * (len(digits) % 2)).decode()))
                    operations.append(([items], b"TJ"))
                    position = fast.end()
                    continue
            stack.append([])
            kinds.append(token)
        elif kind == "close":
            if not kinds or (kinds.pop() == b"[") != (token == b"]"):
                raise UnsupportedStreamError("unbalanced brackets")
            items = stack.pop()
            stack[-1].append(items if token == b"]" else dict(zip(items[::2], items[1::2],
                                                                  strict=False)))
        else:
            keyword: Any = _KEYWORDS.get(token) if token in _KEYWORDS else _number(token)
            if keyword is not None or token in _KEYWORDS:
                stack[-1].append(keyword)
            elif kinds:
                raise UnsupportedStreamError("operator inside an array or dictionary")
            elif token == b"BI":
                raise UnsupportedStreamError("inline image")
            else:
                operations.append((top, token))
                top = []
                stack = [top]
    return operations
