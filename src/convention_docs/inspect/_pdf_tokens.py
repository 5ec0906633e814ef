r"""A fast tokenizer for PDF content streams: bytes to ``(operands, operator)`` pairs.

pypdf's ``ContentStream`` parser spends most of the time of reading a LibreOffice PDF (about
12 ms a page, mostly on hex strings); this one does the same job with one regular expression.
It yields what pypdf yields, in plainer types: numbers as ``int``/``float``, names as ``str``
(``"/F1"``), strings as ``bytes``, arrays as ``list``, dictionaries as ``dict``. Streams with
inline images (``BI … ID … EI``) or that it cannot tokenize are handed back to pypdf.

Two paths, one result: :func:`_parse_fast` reads the whole stream with one ``findall`` (a TJ
array of hex glyphs and kerns and LibreOffice's ``/Tag<</MCID n>>BDC`` in one match each, the
TJ items split with bytes methods) and hands anything unusual (nested strings, stray brackets,
unknown operators…) to :func:`_parse_tokens`, the token-at-a-time reference. The bodies of
TJ arrays, most of the bytes, are read by a quick scan of their characters, each body then
checked once by content (the exact pattern reads the stream again if one is not a body). TJ
arrays read by the fast path come as :class:`GlyphArray`, which the interpreter shows a whole
array at a time.

LibreOffice draws each piece of text as one small text object, ``q r g b rg BT x y Td /F s Tf
[<hex>kern<hex>…]TJ ET Q`` (or ``<hex>Tj``), written the same way every time. The fast path
reads such an object in one match; :func:`parse_compact` hands it over as one operation,
:data:`TEXT_BLOCK` (operands ``r g b x y /F s`` and the array's body, ``<hex>kern<hex>…``: hex
strings without white space, whole-number kerns), which the interpreter runs at once;
:func:`parse` gives its eight operations, as any other stream's (:func:`expand`).

>>> parse(rb"BT /F1 11 Tf [<01>-3(A\(b\))] TJ ET")
[([], b'BT'), (['/F1', 11], b'Tf'), ([[b'\x01', -3, b'A(b)']], b'TJ'), ([], b'ET')]
>>> parse_compact(b"q 0 0 0 rg BT 72 700.5 Td /F1 11 Tf[<0102>-3<03>]TJ ET Q")
[([0, 0, 0, 72, 700.5, '/F1', 11, b'<0102>-3<03>'], b'q rg BT Td Tf TJ ET Q')]
>>> parse(b"q 0 0 0 rg BT 72 700.5 Td /F1 11 Tf<0102>Tj ET Q")[4:]
[(['/F1', 11], b'Tf'), ([b'\x01\x02'], b'Tj'), ([], b'ET'), ([], b'Q')]
"""

from __future__ import annotations

import re
from binascii import a2b_hex
from functools import partial
from operator import is_not
from typing import Any

__all__ = ["TEXT_BLOCK", "TEXT_BLOCK_TJ", "GlyphArray", "UnsupportedStreamError", "expand",
           "glyph_array", "hex_bytes", "parse", "parse_compact"]

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
_DELIMITED = rb"(?![^\s()<>\[\]{}/%])"
_PLAIN_STRING = rb"(?:[^()\\]|\\[\s\S])*"
_TJ_ITEMS = re.compile(rb"(?:\s*(?:<[0-9A-Fa-f\s]*>|" + _NUM + rb"))*\s*")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"<>")))
_NO_ITEM = object()
_IS_ITEM = partial(is_not, _NO_ITEM)
_NUMBER = rb"([+-]?(?:\d+(?:\.\d*)?|\.\d+))"
TEXT_BLOCK = b"q rg BT Td Tf TJ ET Q"
"""The operator of LibreOffice's text object shown with ``TJ``, read as one operation."""
TEXT_BLOCK_TJ = b"q rg BT Td Tf Tj ET Q"
"""The same, shown with ``Tj`` (its body is then one hex string)."""
_BODY = rb"(?:<[0-9A-Fa-f]++>(?:[+-]?+\d++)?+)++"
"""The body of the TJ array of LibreOffice's text object: hex strings without white space,
whole-number kerns."""
_LOOSE_BODY = rb"[0-9A-Fa-f<>+-]++"
"""The characters of a :data:`_BODY` in any order: read in one scan, several times faster."""
_BODY_CHECK = re.compile(_BODY)
_CHECKED_BODIES: set[bytes] = set()  # bodies found to be a _BODY, by content
_CHECKED_LIMIT = 8192


def _fast_pattern(body: bytes) -> re.Pattern[bytes]:
    """The pattern of :func:`_parse_fast`, the body of a text object's TJ array read by
    ``body``. One token a match (or a whole BDC operation, or a whole text object); every
    alternative but the end of the data has non-empty groups."""
    # LibreOffice's text object: every token where the token-at-a-time reading puts it (a
    # number, a name and an operator each followed by white space, or by a delimiter where
    # one may follow).
    text_object = (
        rb"q\s++" + _NUMBER + rb"\s++" + _NUMBER + rb"\s++" + _NUMBER + rb"\s++rg\s++BT\s++"
        + _NUMBER + rb"\s++" + _NUMBER + rb"\s++Td\s*+(/[^\s()<>\[\]{}/%]*+)\s++" + _NUMBER
        + rb"\s++Tf\s*+(?:\[(" + body + rb")\]\s*+TJ"
        rb"|(<[0-9A-Fa-f]++>)\s*+Tj)\s++ET\s++Q" + _DELIMITED
    )
    return re.compile(
        rb"\s*+(?:%[^\r\n]*+\s*+)*+"  # white space and comments (possessive: same tokens)
        rb"(?:" + text_object +
        rb"|([+-]?(?:\d+(?:\.\d*)?|\.\d+))" + _DELIMITED +  # number
        # LibreOffice's marked content, /Tag<</MCID 3>>BDC: a whole operation in one match
        rb"|(/[^\s()<>\[\]{}/%]*)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC" + _DELIMITED +
        rb"|(/[^\s()<>\[\]{}/%]*)"  # name
        rb"|(<(?!<)[0-9A-Fa-f\s]*>)"  # hex string
        rb"|(\[[0-9A-Fa-f<>\s.+-]*\]\s*TJ" + _DELIMITED + rb")"  # maybe a TJ array of glyphs
        rb"|(<<|\[)|(>>|\])"
        rb"|(\((?:[^()\\]|\\[\s\S]|\(" + _PLAIN_STRING + rb"\))*\))"  # nested at most once
        rb"|([^\s()<>\[\]{}/%]+)"  # operator or keyword
        rb"|([\s\S])"  # anything else: left to the slow loop
        rb"|\Z)"
    )


_FAST = _fast_pattern(_BODY)
_FAST_LOOSE = _fast_pattern(_LOOSE_BODY)
_BLOCKS = frozenset((TEXT_BLOCK, TEXT_BLOCK_TJ))
# Operators of content streams (none reads as a number or a keyword), plus BX/EX.
_OPERATORS = frozenset(
    b"b B b* B* BDC BMC BT BX c cm CS cs d d0 d1 Do DP EMC ET EX f F f* G g gs h i j J K k "
    b"l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz "
    b"v w W W* y ' \"".split())


class GlyphArray(list[Any]):
    """The array of a ``TJ`` read by the fast path: only ``bytes`` (glyph strings), ``int`` and
    ``float`` (shifts), never a subclass of those. Otherwise a plain list."""

    __slots__ = ()


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
    operations = parse_compact(data)
    if any(operator in _BLOCKS for _, operator in operations):
        return [expanded for operation in operations for expanded in expand(*operation)]
    return operations


def parse_compact(data: bytes) -> list[tuple[list[Any], bytes]]:
    """Return the operations of a content stream, LibreOffice's text objects as one
    :data:`TEXT_BLOCK` or :data:`TEXT_BLOCK_TJ` operation each."""
    try:
        return _parse_fast(data)
    except _Fallback:
        return _parse_tokens(data)


def expand(operands: list[Any], operator: bytes) -> list[tuple[list[Any], bytes]]:
    """Return the operations one operation of :func:`parse_compact` stands for."""
    if operator not in _BLOCKS:
        return [(operands, operator)]
    red, green, blue, x, y, font, size, body = operands
    shown = ([glyph_array(body)], b"TJ") if operator == TEXT_BLOCK else (
        [hex_bytes(body[1:-1])], b"Tj")
    return [([], b"q"), ([red, green, blue], b"rg"), ([], b"BT"), ([x, y], b"Td"),
            ([font, size], b"Tf"), shown, ([], b"ET"), ([], b"Q")]


def glyph_array(body: bytes) -> GlyphArray:
    """Return the items of the body of a :data:`TEXT_BLOCK`'s array (or of a
    :data:`TEXT_BLOCK_TJ`'s hex string: one item)."""
    return _tj_items(body, _Kerns())


class _Fallback(Exception):
    """Something :func:`_parse_fast` leaves to the token-at-a-time loop."""


def hex_bytes(digits: bytes) -> bytes:
    """Return the bytes of a hex string's digits (white space ignored, odd digit padded)."""
    try:
        return a2b_hex(digits)  # the common case: an even number of digits, no space
    except ValueError:
        digits = _HEX_SPACE.sub(b"", digits)
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


class _Numbers(dict[bytes, Any]):
    """Numbers by their text, as the token-at-a-time reading converts them."""

    def __missing__(self, text: bytes) -> Any:
        value = self[text] = float(text) if b"." in text else int(text)
        return value


class _Names(dict[bytes, str]):
    """Names by their text, ``#xx`` escapes undone."""

    def __missing__(self, text: bytes) -> str:
        value = self[text] = _NAME_ESCAPE.sub(
            lambda m: bytes([int(m.group(1), 16)]), text).decode("utf-8", "replace")
        return value


class _Kerns(dict[bytes, Any]):
    """The numbers between the hex strings of TJ arrays, by their text (the same few come back
    often); :data:`_NO_ITEM` for none. ``ValueError`` for anything but one whole number."""

    def __missing__(self, text: bytes) -> Any:
        value = self[text] = int(text) if text.strip() else _NO_ITEM  # white space allowed
        return value


def _tj_items(body: bytes, kerns: _Kerns) -> GlyphArray:
    """Return the items of a TJ array's body, as :func:`_parse_tokens` reads them when the body
    is only hex strings and numbers; :class:`_Fallback` when it is not."""
    if body.translate(None, _NOT_BRACKETS) == b"<>" * body.count(b"<"):
        # The common case: hex strings without spaces, whole numbers between them.
        parts = body.replace(b">", b"<").split(b"<")  # [kern, hex, kern, hex, …, kern]
        try:
            parts[1::2] = map(a2b_hex, parts[1::2])
            parts[::2] = map(kerns.__getitem__, parts[::2])
        except ValueError:
            pass
        else:
            return GlyphArray(filter(_IS_ITEM, parts))
    if _TJ_ITEMS.fullmatch(body) is None:
        raise _Fallback
    return GlyphArray((float(num) if b"." in num else int(num)) if num else hex_bytes(hexa)
                      for hexa, num in _TJ_ITEM.findall(body))


class _NotABody(Exception):
    """A text object read with :data:`_LOOSE_BODY` whose body is not a :data:`_BODY`."""


def _parse_fast(data: bytes) -> list[tuple[list[Any], bytes]]:
    """:func:`_parse_tokens` with one ``findall`` over the stream: the same operations, or
    :class:`_Fallback` for what it does not take (nested strings, inline images, bad syntax,
    an operator inside an array, a TJ array after other operands).

    The stream is read with :data:`_LOOSE_BODY` for the bodies of text objects, each then
    checked to be a :data:`_BODY` (once by content): where they all are, the matches are
    those of :data:`_BODY` (the same text, up to the same ``]``); at the first one that is
    not, the stream is read again with :data:`_BODY`."""
    try:
        return _operations(_FAST_LOOSE.findall(data), check=True)
    except _NotABody:
        return _operations(_FAST.findall(data), check=False)


def _operations(matches: list[Any], check: bool) -> list[tuple[list[Any], bytes]]:
    """The operations of :func:`_parse_fast` from its matches; with ``check``,
    :class:`_NotABody` for a text object's body that is not a :data:`_BODY`, before
    anything else is done with it."""
    operations: list[tuple[list[Any], bytes]] = []
    top: list[Any] = []
    current = top  # the innermost open array or dictionary, else the operands
    push = current.append
    stack: list[list[Any]] = []
    kinds: list[bytes] = []
    names = _Names()
    numbers = _Numbers()
    kerns = _Kerns()
    for (red, green, blue, x, y, font, size, body, single, num, tag, mcid, name, hexa, tj,
         opening, closing, string, regular, bad) in matches:
        if size:  # a whole text object
            if check and body and body not in _CHECKED_BODIES:
                if _BODY_CHECK.fullmatch(body) is None:
                    raise _NotABody
                if len(_CHECKED_BODIES) >= _CHECKED_LIMIT:
                    _CHECKED_BODIES.clear()
                _CHECKED_BODIES.add(body)
            if top or kinds:
                raise _Fallback
            operations.append(([numbers[red], numbers[green], numbers[blue], numbers[x],
                                numbers[y], names[font], numbers[size], body or single],
                               TEXT_BLOCK if body else TEXT_BLOCK_TJ))
        elif regular:
            if regular in _OPERATORS:
                if kinds:
                    raise _Fallback
                operations.append((top, regular))
                top = current = []
                push = current.append
            elif regular in _KEYWORDS:
                push(_KEYWORDS[regular])
            else:
                value = _number(regular)
                if value is None:
                    raise _Fallback  # an unusual operator (or one inside an array)
                push(value)
        elif num:
            push(numbers[num])
        elif name:
            push(names[name])
        elif tj:
            if top or kinds:
                raise _Fallback
            operations.append(([_tj_items(tj[1:tj.rindex(b"]")], kerns)], b"TJ"))
        elif tag:
            if kinds:
                raise _Fallback  # an operator inside an array
            push(names[tag])
            push({"/MCID": int(mcid)})
            operations.append((top, b"BDC"))
            top = current = []
            push = current.append
        elif hexa:
            push(hex_bytes(hexa[1:-1]))
        elif string:
            body = string[1:-1]
            push(_ESCAPE.sub(_unescape, body) if b"\\" in body or b"\r" in body else body)
        elif opening:
            stack.append(current)
            kinds.append(opening)
            current = []
            push = current.append
        elif closing:
            if not kinds or (kinds.pop() == b"[") != (closing == b"]"):
                raise _Fallback
            items = current
            current = stack.pop()
            push = current.append
            push(items if closing == b"]" else dict(zip(items[::2], items[1::2], strict=False)))
        elif bad:
            raise _Fallback
        else:  # the end of the data
            break
    return operations


def _parse_tokens(data: bytes) -> list[tuple[list[Any], bytes]]:
    """Return the operations of a content stream, a token at a time (the reference)."""
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
