"""The typed model of a partnership convention (pydantic v2, immutable, ``extra="forbid"``).

Identifiers are English; every text a field holds is French, exactly as it will appear in the
document. The model never knows about templates: ``context.py`` turns it into template variables.

Inline text ("rich" text) is either a plain string, taken literally, or a list mixing strings and
one-key mappings: ``{bold: …}``, ``{italic: …}``, ``{quote: …}`` (italic between « »),
``{ref: article_key}`` (renders « l'article 4 »). A block is a plain string (a paragraph) or one of
``{paragraph: rich}``, ``{bullets: [rich, …]}``, ``{quotation: text}``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

__all__ = [
    "Article",
    "Block",
    "Bold",
    "Bullets",
    "Civility",
    "Convention",
    "Funding",
    "FundingPeriod",
    "Gender",
    "Inline",
    "Italic",
    "LogoFile",
    "Metadata",
    "Paragraph",
    "Party",
    "PartyLogo",
    "Person",
    "Preamble",
    "Quotation",
    "Quote",
    "Ref",
    "Rich",
    "Signature",
    "SignatureBlock",
    "SignatureMethod",
    "Typography",
    "check_text",
]

# --------------------------------------------------------------------------------------------
# Text types
# --------------------------------------------------------------------------------------------

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]"
)


def check_text(value: str) -> str:
    """Return ``value`` unchanged, or raise ``ValueError`` naming the first forbidden character.

    Allowed: any Unicode text that XML can hold, plus ``\\n`` (line break) and ``\\t`` (tab).
    Refused: other control characters (U+0000–U+001F, U+007F–U+009F), U+FFFE, U+FFFF and lone
    surrogates.

    >>> check_text("Dupont & Fils <SARL>")
    'Dupont & Fils <SARL>'
    >>> check_text("a\\x0bb")
    Traceback (most recent call last):
    ValueError: caractère de contrôle interdit U+000B à la position 2
    """
    match = _FORBIDDEN.search(value)
    if match:
        char = match.group()
        raise ValueError(
            f"caractère de contrôle interdit U+{ord(char):04X} à la position {match.start() + 1}"
        )
    return value


def _check_line(value: str) -> str:
    check_text(value)
    for char, name in (("\n", "saut de ligne"), ("\t", "tabulation")):
        if char in value:
            raise ValueError(f"{name} interdit dans ce champ d'une seule ligne")
    if not value.strip():
        raise ValueError("texte vide")
    return value


Text = Annotated[str, AfterValidator(check_text)]
"""Free text: may hold line breaks (``\\n``) and tabs, never other control characters."""

Line = Annotated[str, AfterValidator(_check_line),
                 WithJsonSchema({"type": "string", "pattern": r"^[^\n\t]*\S[^\n\t]*$"})]
"""One line of text, not blank."""

Key = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
]
"""An identifier chosen by the author: lower-case ASCII letters, digits, ``_``."""


def _french_errors_metaclass() -> Any:
    """Return the metaclass of the models: pydantic's, except that a model built from Python
    (``Convention(...)``) reports its errors as ``load()`` does, a French ``SpecError`` (a
    ``ValueError``) with field paths, never pydantic's English ``ValidationError`` (kept as
    ``__context__``, not shown). The call is wrapped, not ``__init__``: pydantic validates a
    model that has its own ``__init__`` through it, nested models included (« custom init »).
    See docs/drafting.md."""

    class FrenchErrors(type(BaseModel)):  # type: ignore[misc]
        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            try:
                return super().__call__(*args, **kwargs)
            except ValidationError as exc:
                from convention_docs.drafting import french_error
                raise french_error(exc, cls) from None

    return FrenchErrors


if TYPE_CHECKING:  # the models are pydantic models; mypy need not see the metaclass
    _Base = BaseModel
else:
    class _Base(BaseModel, metaclass=_french_errors_metaclass()):
        pass


class _Model(_Base):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False,
                              use_enum_values=False, validate_default=True)

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except ValidationError:
            from convention_docs.errors import SpecError
            raise SpecError([(name, "valeur non modifiable : les objets du modèle sont "
                                    "immuables ; convention.replace(…) renvoie une nouvelle "
                                    "convention vérifiée")], type(self).__name__) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            from convention_docs.drafting import french_error
            raise french_error(exc, cls) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *args: Any,
                            **kwargs: Any) -> Self:
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            from convention_docs.drafting import french_error
            raise french_error(exc, cls) from None


# --------------------------------------------------------------------------------------------
# Inline text
# --------------------------------------------------------------------------------------------


class Bold(_Model):
    """Bold text, e.g. a defined term: ``{bold: le facilitateur}``."""

    bold: Text


class Italic(_Model):
    """Italic text: ``{italic: …}``."""

    italic: Text


class Quote(_Model):
    """A quotation inside a sentence: italic, between French guillemets « ».

    Write the words only; the guillemets and their non-breaking spaces are added.
    """

    quote: Text


class Ref(_Model):
    """A reference to another article by its key: renders « l'article 4 »."""

    ref: Key


def _inline_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        for key in ("bold", "italic", "quote", "ref"):
            if key in value:
                return key
        return None
    for cls, tag in ((Bold, "bold"), (Italic, "italic"), (Quote, "quote"), (Ref, "ref")):
        if isinstance(value, cls):
            return tag
    return None


Inline = Annotated[
    Annotated[Text, Tag("text")]
    | Annotated[Bold, Tag("bold")]
    | Annotated[Italic, Tag("italic")]
    | Annotated[Quote, Tag("quote")]
    | Annotated[Ref, Tag("ref")],
    Discriminator(
        _inline_tag,
        custom_error_type="inline",
        custom_error_message=(
            "attendu : un texte, ou une des formes {bold: …}, {italic: …}, {quote: …}, {ref: …}"
        ),
    ),
]


def _as_spans(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    return value


Rich = Annotated[tuple[Inline, ...], Field(min_length=1)]
"""Inline text: a plain string (taken literally) or a list of strings and emphasis spans."""

# --------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------


class Paragraph(_Model):
    """A paragraph of body text: ``{paragraph: rich}`` (a plain string is a paragraph too)."""

    paragraph: Rich

    @model_validator(mode="before")
    @classmethod
    def _spans(cls, data: Any) -> Any:
        if isinstance(data, dict) and "paragraph" in data:
            return {**data, "paragraph": _as_spans(data["paragraph"])}
        return data


class Bullets(_Model):
    """A bulleted list: ``{bullets: [rich, …]}``."""

    bullets: Annotated[tuple[Rich, ...], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _spans(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("bullets"), list | tuple):
            return {**data, "bullets": tuple(_as_spans(item) for item in data["bullets"])}
        return data


class Quotation(_Model):
    """A quotation set apart as its own paragraph (italic, between « »)."""

    quotation: Text
    source: Line | None = None


def _block_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        for key in ("paragraph", "bullets", "quotation"):
            if key in value:
                return key
        return None
    for cls, tag in ((Paragraph, "paragraph"), (Bullets, "bullets"), (Quotation, "quotation")):
        if isinstance(value, cls):
            return tag
    return None


Block = Annotated[
    Annotated[Text, Tag("text")]
    | Annotated[Paragraph, Tag("paragraph")]
    | Annotated[Bullets, Tag("bullets")]
    | Annotated[Quotation, Tag("quotation")],
    Discriminator(
        _block_tag,
        custom_error_type="block",
        custom_error_message=(
            "attendu : un paragraphe (texte), ou une des formes {paragraph: …}, "
            "{bullets: […]}, {quotation: …}"
        ),
    ),
]
Blocks = Annotated[tuple[Block, ...], Field(min_length=1)]

# --------------------------------------------------------------------------------------------
# People and parties
# --------------------------------------------------------------------------------------------


class Gender(StrEnum):
    """Grammatical gender of a party's name: drives « représenté(e) », « dénommé(e) »."""

    MASCULINE = "masculine"
    FEMININE = "feminine"


class Civility(StrEnum):
    """Civility as written in French administrative documents (no « Mr », no « Mlle »)."""

    M = "M."
    MME = "Mme"


class Person(_Model):
    """A representative or signatory."""

    civility: Civility
    first_name: Line
    last_name: Line = Field(description="Nom de famille, rendu en capitales.")
    function: Line = Field(description="Fonction, par ex. « préfet de la région … ».")


class PartyLogo(_Model):
    """A party's own logo (the préfecture's bloc-marque, the partner's logo), shown at the top
    of the first page. Never larger than the EU emblem under FSE+ (Reg. 2021/1060 Annex IX)."""

    path: Path = Field(description="Fichier PNG ou JPEG, relatif au fichier de spécification.")
    alt: Line = Field(description="Texte alternatif, lu par les lecteurs d'écran.")
    height_mm: Annotated[float, Field(gt=0, le=60)] | None = Field(
        default=None,
        description="Hauteur en mm ; par défaut, le logo tient dans le cadre de l'emblème "
                    "européen (15 mm de haut, 22,5 mm de large).")


class Party(_Model):
    """A party to the convention."""

    key: Key = Field(description="Identifiant (champ de signature, références), ex. « etat ».")
    name: Line = Field(description="Nom avec son article : « L'État », « La Métropole … ».")
    gender: Gender
    representative: Person
    designation: Line = Field(description="Dénomination : « l'État », « le facilitateur ».")
    logo: PartyLogo | None = Field(default=None,
                                   description="Logo de la partie, en tête du document.")


# --------------------------------------------------------------------------------------------
# Preamble, articles
# --------------------------------------------------------------------------------------------


class Preamble(_Model):
    """The preamble: considerations, legal references, quotations."""

    title: Line = "PRÉAMBULE"
    blocks: Blocks


_ROMAN = r"(?:x{1,3}(?:ix|iv|v?i{0,3})|ix|iv|v?i{1,3}|v)\b"
_NUMBERED_TITLE = re.compile(
    # « Article 2 : », « ARTICLE 1er - », « Art. 2 – », « Article premier. », « 2. », « 3 – »
    rf"^\s*(?:(?:article|art\.?)\s*(?:\d{{1,3}}\s*(?:er|ère)?|premier|{_ROMAN})"
    r"|\d{1,3}\s*(?:er|ère)?(?=\s*[.):\-–—]))\s*[.):\-–—]?\s*",
    re.IGNORECASE)


def _unnumbered_title(value: str) -> str:
    """Refuse a title that starts with its article's number (« Article 2 : SUIVI »)."""
    match = _NUMBERED_TITLE.match(value)
    if match:
        rest = value[match.end():].strip()
        hint = f", écrivez seulement « {rest} »" if rest else ""
        raise ValueError(
            f"le titre commence par un numéro d'article (« {value[:match.end()].strip()} ») : "
            f"les articles sont numérotés automatiquement (Article 1er, 2, 3 …){hint}")
    return value


class Article(_Model):
    """An article. Never numbered by the author: the library numbers articles 1er, 2, 3 …

    Its title is the title alone (« SUIVI ET INDICATEURS »): one that starts with a number
    (« Article 2 : SUIVI ») is refused, as it would read « Article 2 : Article 2 : SUIVI ».
    """

    key: Key | None = Field(default=None, description="Pour y renvoyer : {ref: clé}.")
    title: Annotated[Line, AfterValidator(_unnumbered_title)]
    blocks: Blocks

    @model_validator(mode="before")
    @classmethod
    def _no_number(cls, data: Any) -> Any:
        if isinstance(data, dict) and "number" in data:
            raise ValueError(
                "les articles sont numérotés automatiquement (Article 1er, 2, 3 …) : "
                "retirez le champ « number »"
            )
        return data


# --------------------------------------------------------------------------------------------
# Signature
# --------------------------------------------------------------------------------------------


class SignatureBlock(_Model):
    """One signatory's block: « Pour l'État, » / function / name, and room to sign."""

    party: Key
    signatory: Person | None = Field(
        default=None, description="Par défaut, le représentant de la partie."
    )
    label: Line | None = Field(default=None, description="Par défaut « Pour l'État, ».")
    function: Text | None = Field(
        default=None,
        description="Fonction telle qu'écrite sous « Pour … » (sauts de ligne permis).",
    )


class SignatureMethod(StrEnum):
    """How the convention is signed: on paper (originals) or electronically (a parapheur).

    A spec may write the French words too: ``papier``, ``électronique``.
    """

    PAPER = "paper"
    ELECTRONIC = "electronic"


_METHOD_WORDS = {"paper": "paper", "papier": "paper",
                 "electronic": "electronic", "électronique": "electronic",
                 "electronique": "electronic"}


def _signature_method(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, SignatureMethod):
        word = _METHOD_WORDS.get(unicodedata.normalize("NFC", value).strip().lower())
        if word is None:
            raise ValueError(f"valeur non reconnue {value!r}, attendu : « papier » (paper) ou "
                             "« électronique » (electronic)")
        return word
    return value


class Signature(_Model):
    """Where and when the convention is signed, in how many originals, by whom, and how."""

    method: Annotated[SignatureMethod, BeforeValidator(_signature_method)] = Field(
        default=SignatureMethod.PAPER,
        description="« paper » (« papier », par défaut) : « Fait à …, le …, en N exemplaires "
                    "originaux » ; « electronic » (« électronique ») : signée électroniquement, "
                    "prend effet à la date de la dernière signature.")
    place: Line
    date: dt.date | None = Field(default=None, description="Absente : « le » suivi d'un blanc.")
    originals: Annotated[int, Field(ge=1, le=99)] | None = Field(
        default=None, description="Nombre d'exemplaires originaux (par défaut : un par partie)."
    )
    blocks: tuple[SignatureBlock, ...] | None = Field(
        default=None, description="Par défaut : un bloc par partie, dans l'ordre des parties."
    )

    @model_validator(mode="after")
    def _electronic(self) -> Signature:
        if self.method is SignatureMethod.ELECTRONIC:
            problems = []
            if self.date is not None:
                problems.append("date :: une convention signée électroniquement prend la date "
                                "de sa dernière signature : retirez « date »")
            if self.originals is not None:
                problems.append("originals :: une convention signée électroniquement n'a pas "
                                "d'exemplaires originaux papier : retirez « originals »")
            if problems:
                raise ValueError("\n".join(problems))
        return self


# --------------------------------------------------------------------------------------------
# European funding
# --------------------------------------------------------------------------------------------


class FundingPeriod(StrEnum):
    """The programming period of the European Social Fund that finances the facilitator."""

    FSE_2014_2020 = "FSE 2014-2020"
    FSE_PLUS_2021_2027 = "FSE+ 2021-2027"


class LogoFile(_Model):
    """A logo file supplied by the user (an official artwork, a partner's logo)."""

    path: Path
    alt: Line = Field(description="Texte alternatif, lu par les lecteurs d'écran.")


STATEMENTS = ("Cofinancé par l'Union européenne", "Financé par l'Union européenne")


class Funding(_Model):
    """European funding and the visibility it requires (see ``convention_docs.funding``)."""

    period: FundingPeriod
    statement: Literal[
        "Cofinancé par l'Union européenne", "Financé par l'Union européenne"
    ] = "Cofinancé par l'Union européenne"
    mention: Text | None = Field(
        default=None,
        description="Mention écrite sous le bandeau ; par défaut celle de la période.",
    )
    fse_logo: LogoFile | None = Field(
        default=None,
        description="Logo officiel du FSE 2014-2020 (sinon le logo dessiné par le projet).",
    )
    partner_logos: tuple[LogoFile, ...] = Field(
        default=(), description="Autres logos du bandeau (jamais plus grands que l'emblème)."
    )


# --------------------------------------------------------------------------------------------
# Typography, metadata, convention
# --------------------------------------------------------------------------------------------


class Typography(_Model):
    """Typographic normalisation applied when rendering (documented in docs/model.md)."""

    non_breaking_spaces: bool = Field(
        default=True,
        description="Espace insécable avant « : » et fine insécable avant « ; ! ? ».",
    )
    guillemet_space: Literal["thin", "normal"] = Field(
        default="normal", description="Espace à l'intérieur des guillemets « » : fine ou normale."
    )
    apostrophe: Literal["keep", "typographic"] = Field(
        default="keep", description="« keep » : apostrophes inchangées ; « typographic » : ’."
    )


class Metadata(_Model):
    """What the outputs say about themselves (PDF/.docx properties)."""

    reference: Line | None = Field(default=None,
                                   description="Référence interne, ex. « PACA-2026-01 ».")
    version: Line = "1"
    drafting_organisation: Line | None = Field(
        default=None, description="Auteur des fichiers produits (service rédacteur)."
    )
    subject: Line | None = None
    keywords: tuple[Line, ...] = ()


class Convention(_Model):
    """A partnership convention: parties, preamble, articles, signature, funding."""

    title: Line = Field(description="Ex. « CONVENTION DE PARTENARIAT ».")
    object: Line = Field(description="Ex. « relative à la mise en œuvre de la clause sociale … ».")
    parties: Annotated[tuple[Party, ...], Field(min_length=2)]
    agreement_formula: Line = "Il est convenu ce qui suit"
    preamble: Preamble | None = None
    articles: Annotated[tuple[Article, ...], Field(min_length=1)]
    signature: Signature
    funding: Funding | None = None
    territories: tuple[Line, ...] = ()
    metadata: Metadata = Metadata()
    typography: Typography = Typography()

    @model_validator(mode="after")
    def _check_references(self) -> Convention:
        problems: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for index, party in enumerate(self.parties):
            if party.key in seen:
                problems.append((f"parties[{index}].key", f"clé « {party.key} » déjà utilisée "
                                                          f"par parties[{seen[party.key]}]"))
            seen[party.key] = index
        article_keys: dict[str, int] = {}
        for index, article in enumerate(self.articles):
            if article.key is None:
                continue
            if article.key in article_keys:
                problems.append((f"articles[{index}].key",
                                 f"clé « {article.key} » déjà utilisée par "
                                 f"articles[{article_keys[article.key]}]"))
            article_keys[article.key] = index
        for path, ref in _iter_refs(self):
            if ref not in article_keys:
                known = ", ".join(sorted(article_keys)) or "aucune"
                problems.append((path, f"renvoi vers un article inconnu « {ref} » "
                                       f"(clés connues : {known})"))
        if self.signature.blocks is not None:
            signed: set[str] = set()
            for index, block in enumerate(self.signature.blocks):
                if block.party not in seen:
                    problems.append((f"signature.blocks[{index}].party",
                                     f"partie inconnue « {block.party} » "
                                     f"(parties : {', '.join(seen)})"))
                if block.party in signed:
                    problems.append((f"signature.blocks[{index}].party",
                                     f"la partie « {block.party} » a déjà un bloc de signature"))
                signed.add(block.party)
            for key in seen:
                if key not in signed:
                    problems.append(("signature.blocks",
                                     f"la partie « {key} » n'a pas de bloc de signature"))
        if problems:
            # Raised as ValueError so pydantic reports it; spec.py turns the
            # « path : message » lines back into field paths.
            raise ValueError("\n".join(f"{p} :: {m}" for p, m in problems))
        return self

    # Derived values, used by context.py and the validator ---------------------------------

    def party(self, key: str) -> Party:
        """Return the party whose key is ``key`` (``KeyError`` if none)."""
        for party in self.parties:
            if party.key == key:
                return party
        raise KeyError(key)

    def article_numbers(self) -> dict[str, int]:
        """Return ``{article key: number}`` for the articles that have a key."""
        return {a.key: i for i, a in enumerate(self.articles, start=1) if a.key is not None}

    def signature_blocks(self) -> tuple[SignatureBlock, ...]:
        """Return the signature blocks: the explicit ones, or one per party in party order."""
        if self.signature.blocks is not None:
            return self.signature.blocks
        return tuple(SignatureBlock(party=p.key) for p in self.parties)

    def originals(self) -> int:
        """Return the number of originals: as stated, else one per party."""
        return self.signature.originals or len(self.parties)

    def signed_electronically(self) -> bool:
        """Return whether the convention is signed electronically (no paper originals)."""
        return self.signature.method is SignatureMethod.ELECTRONIC

    # Drafting from Python (drafting.py) and notebooks (notebook.py) --------------------------

    def replace(self, **changes: Any) -> Convention:
        """Return a copy with ``changes`` (objects or plain data), validated as a whole;
        ``SpecError`` (field path, French) if the result is invalid. A mapping given for a
        sub-object changes only the keys it names: ``replace(signature={"date": …})``."""
        from convention_docs.drafting import replace
        return replace(self, **changes)

    def with_article(self, article: Article | dict[str, Any],
                     position: int | None = None) -> Convention:
        """Return a copy with ``article`` inserted as number ``position`` (1 = « Article 1er »;
        default: last), the others renumbered; validated as a whole (``SpecError``)."""
        from convention_docs.drafting import with_article
        return with_article(self, article, position)

    def without_article(self, which: int | str) -> Convention:
        """Return a copy without the article of number (1-based) or key ``which``, validated
        as a whole (``SpecError``, e.g. when another article still refers to it)."""
        from convention_docs.drafting import without_article
        return without_article(self, which)

    def __repr__(self) -> str:
        from convention_docs.notebook import convention_repr
        return convention_repr(self)

    def _repr_html_(self) -> str:
        """The convention laid out like the document, with the validator's findings."""
        from convention_docs.notebook import convention_html
        return convention_html(self)


def _iter_refs(convention: Convention) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def spans(path: str, rich: tuple[Any, ...]) -> None:
        for i, span in enumerate(rich):
            if isinstance(span, Ref):
                found.append((f"{path}[{i}].ref", span.ref))

    def blocks(path: str, items: tuple[Any, ...]) -> None:
        for i, block in enumerate(items):
            if isinstance(block, Paragraph):
                spans(f"{path}[{i}].paragraph", block.paragraph)
            elif isinstance(block, Bullets):
                for j, item in enumerate(block.bullets):
                    spans(f"{path}[{i}].bullets[{j}]", item)

    if convention.preamble is not None:
        blocks("preamble.blocks", convention.preamble.blocks)
    for index, article in enumerate(convention.articles):
        blocks(f"articles[{index}].blocks", article.blocks)
    return found


def normalise_for_compare(text: str) -> str:
    """Return ``text`` with every run of white space (incl. U+00A0, U+202F) as one space, NFC.

    >>> normalise_for_compare("a\\u00a0:  b\\u202f;")
    'a : b ;'
    """
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00a0\u202f\u2007]+", " ", text).strip()
