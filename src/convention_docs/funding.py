"""What each European Social Fund programming period requires of a convention's visibility.

Sources (docs/rules.md): 2014-2020, Reg. (EU) 1303/2013 Annex XII and Impl. Reg. 821/2014
art. 4; 2021-2027, Reg. (EU) 2021/1060 art. 47 and 50 and Annex IX.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from convention_docs.model import Funding, FundingPeriod

__all__ = ["FSE_PLUS_START", "FundingRules", "rules_for"]

FSE_PLUS_START = dt.date(2021, 1, 1)
"""First day of the 2021-2027 programming period."""


@dataclass(frozen=True)
class FundingRules:
    """The visibility a programming period requires."""

    period: FundingPeriod
    fund: str
    """Name of the fund as written in running text."""
    statement: str | None
    """Statement written in full next to the emblem (FSE+ only)."""
    mention: str
    """Default mention of the fund's participation, written under the funding block."""
    logo_roles: tuple[str, ...]
    """Logos the block must show, by role: "eu_emblem", "fse"."""
    emblem_caption: str | None
    """Words under the emblem (2014-2020: « UNION EUROPÉENNE »)."""


_FSE = FundingRules(
    period=FundingPeriod.FSE_2014_2020,
    fund="Fonds social européen",
    statement=None,
    mention=(
        "Ce projet est cofinancé par le Fonds social européen dans le cadre du programme "
        "opérationnel national « Emploi et Inclusion » 2014-2020."
    ),
    logo_roles=("eu_emblem", "fse"),
    emblem_caption="UNION EUROPÉENNE",
)

_FSE_PLUS = FundingRules(
    period=FundingPeriod.FSE_PLUS_2021_2027,
    fund="Fonds social européen plus (FSE+)",
    statement="Cofinancé par l'Union européenne",
    mention=(
        "Ce projet est cofinancé par l'Union européenne au titre du Fonds social européen "
        "plus (FSE+), programme 2021-2027."
    ),
    logo_roles=("eu_emblem",),
    emblem_caption=None,
)


def rules_for(funding: Funding | FundingPeriod) -> FundingRules:
    """Return the rules of ``funding``'s period, with its chosen statement and mention.

    >>> rules_for(FundingPeriod.FSE_PLUS_2021_2027).statement
    "Cofinancé par l'Union européenne"
    """
    period = funding if isinstance(funding, FundingPeriod) else funding.period
    base = _FSE if period is FundingPeriod.FSE_2014_2020 else _FSE_PLUS
    if isinstance(funding, Funding):
        statement = funding.statement if base.statement is not None else None
        mention = funding.mention if funding.mention is not None else base.mention
        return FundingRules(base.period, base.fund, statement, mention, base.logo_roles,
                            base.emblem_caption)
    return base
