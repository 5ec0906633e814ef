"""Text anchors for electronic signature platforms (« parapheurs »), opt-in.

A parapheur that reads text anchors puts a signatory's signature where its anchor lies in the
PDF. With ``render(..., anchors="yousign")`` each signature block carries, in its signing area
(the blank between the function and the name), the anchor of its signatory: white, 2 pt, so
a reader never sees it while text extraction finds it. Signatories are numbered 1, 2 … in the
order of the signature blocks (``Convention.signature_blocks()``):

============== ====================== ===================================================
system         anchor of signatory n  what the platform is told
============== ====================== ===================================================
``iparapheur`` ``#signature_n#``      i-Parapheur 5 numbered tags (server setting
                                      ``#signature_%n#``; the n-th signature step)
``yousign``    ``{{sn|signature|150|65}}`` Yousign Smart Anchor: a signature field of
                                      150 × 65 px for the signer in position n
``docusign``   ``\\sn\\``              DocuSign anchor string: one ``signHereTabs`` entry
                                      per recipient with ``anchorString`` ``\\sn\\``
============== ====================== ===================================================

:func:`is_anchor` recognises exactly these syntaxes: the validator does not count them as
hidden text when they lie in a signature area (see docs/rules.md).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from convention_docs.errors import AnchorError

__all__ = ["ANCHOR_SYSTEMS", "AnchorSystem", "anchor_text", "check_system", "is_anchor"]

AnchorSystem = Literal["iparapheur", "yousign", "docusign"]
ANCHOR_SYSTEMS: tuple[AnchorSystem, ...] = get_args(AnchorSystem)

YOUSIGN_FIELD = (150, 65)
"""Width and height (Yousign's px, i.e. PDF points) of the Yousign signature field: at the
2.3 : 1 ratio Yousign keeps, and inside the signing area of a block (28 mm high, 53 mm
wide with three signatories)."""

_ANCHOR = re.compile(
    r"#signature_[1-9][0-9]?#"
    r"|\{\{s[1-9][0-9]?\|signature\|[0-9]{2,4}\|[0-9]{2,4}\}\}"
    r"|\\s[1-9][0-9]?\\")


def check_system(system: str | None) -> AnchorSystem | None:
    """Return ``system`` if it names a known parapheur (or is ``None``), else raise.

    >>> check_system("yousign")
    'yousign'
    >>> check_system("fax")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    convention_docs.errors.AnchorError: système d'ancres inconnu « fax », attendu : ...
    """
    if system is None:
        return None
    if system not in ANCHOR_SYSTEMS:
        raise AnchorError(f"système d'ancres inconnu « {system} », attendu : "
                          f"{', '.join(ANCHOR_SYSTEMS[:-1])} ou {ANCHOR_SYSTEMS[-1]}")
    return system


def anchor_text(system: AnchorSystem, position: int) -> str:
    """Return the anchor of the ``position``-th signatory (1-based) for ``system``.

    >>> [anchor_text(s, 2) for s in ANCHOR_SYSTEMS]
    ['#signature_2#', '{{s2|signature|150|65}}', '\\\\s2\\\\']
    """
    if not 1 <= position <= 99:
        raise AnchorError(f"rang de signataire hors limites : {position} (1 à 99)")
    if system == "iparapheur":
        return f"#signature_{position}#"
    if system == "yousign":
        width, height = YOUSIGN_FIELD
        return f"{{{{s{position}|signature|{width}|{height}}}}}"
    if system == "docusign":
        return f"\\s{position}\\"
    raise AnchorError(f"système d'ancres inconnu « {system} »")


def is_anchor(text: str) -> bool:
    """Return whether ``text`` (spaces around it aside) is exactly one parapheur anchor.

    >>> is_anchor(" {{s1|signature|150|65}} "), is_anchor("#signature_1# et plus")
    (True, False)
    """
    return _ANCHOR.fullmatch(text.strip()) is not None
