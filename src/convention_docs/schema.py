"""``json_schema()``: the JSON Schema (draft 2020-12) of a spec, for editors, in French.

It describes what ``load()`` really accepts: pydantic's validation schema of ``Convention``,
plus what the loader accepts before validation (a plain string wherever inline text is a list
of spans, the French words of enumerated values), with French descriptions. Checks that need
the whole convention (references between articles, one signature block per party) are left to
``load()``.

Point an editor at it with a modeline on the first line of the spec (yaml-language-server,
used by VS Code's YAML extension and others)::

    # yaml-language-server: $schema=convention-docs.schema.json

yaml-language-server validates with draft-07 rules (it may say that draft 2020-12 is « not yet
fully supported »): the schema uses only keywords both drafts read alike (``$defs`` is only
reached through ``$ref`` JSON pointers), and a test keeps it so.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from convention_docs.model import Convention
from convention_docs.spec import FRENCH_WORDS

__all__ = ["MODELINE", "SCHEMA_FILE_NAME", "json_schema", "schema_text"]

SCHEMA_FILE_NAME = "convention-docs.schema.json"
"""The name ``convention-docs new`` gives the schema it writes next to a spec."""

MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}"
"""The first line of a spec that tells the editor where its schema is."""

_DRAFT = "https://json-schema.org/draft/2020-12/schema"

_MODELS = {
    "Convention": "Convention de partenariat « clauses sociales d'insertion » : parties, "
                  "préambule, articles, signature, financement européen.",
    "Article": "Un article, jamais numéroté à la main : la bibliothèque numérote « Article "
               "1er », « Article 2 » … sans trou.",
    "Bold": "Texte en gras : {bold: …}.",
    "Bullets": "Liste à puces : {bullets: [texte, …]}.",
    "Civility": "Civilité : « M. » ou « Mme » (ou « Monsieur », « Madame »).",
    "Funding": "Financement européen et obligations de visibilité (emblème, mention).",
    "FundingPeriod": "Période de programmation du Fonds social européen.",
    "Gender": "Genre grammatical du nom de la partie : accorde « représenté(e) », "
              "« dénommé(e) ».",
    "Italic": "Texte en italique : {italic: …}.",
    "LogoFile": "Fichier de logo fourni (chemin relatif au dossier de la spécification).",
    "Metadata": "Propriétés des fichiers produits (PDF, .docx).",
    "Paragraph": "Paragraphe : {paragraph: texte} (un texte seul est aussi un paragraphe).",
    "Party": "Partie à la convention.",
    "Person": "Représentant ou signataire.",
    "Preamble": "Préambule : considérants, références, citations.",
    "Quotation": "Citation détachée en paragraphe (italique, entre « »).",
    "Quote": "Citation dans la phrase : {quote: …} (italique, entre « »).",
    "Ref": "Renvoi à un autre article par sa clé : {ref: clé} donne « l'article 4 ».",
    "Signature": "Lieu, date, nombre d'originaux et blocs de signature.",
    "SignatureBlock": "Bloc de signature d'une partie : « Pour l'État, », fonction, nom.",
    "Typography": "Normalisation typographique appliquée au rendu.",
}

_FIELDS = {
    ("Convention", "parties"): "Les parties (au moins deux) : l'État, le facilitateur …",
    ("Convention", "agreement_formula"): "Formule avant les articles (par défaut « Il est "
                                         "convenu ce qui suit »).",
    ("Convention", "preamble"): "Préambule (facultatif).",
    ("Convention", "articles"): "Les articles, dans l'ordre (au moins un).",
    ("Convention", "signature"): "Lieu, date et blocs de signature.",
    ("Convention", "funding"): "Financement européen (FSE) : emblème, mention, logos.",
    ("Convention", "territories"): "Territoires couverts (métadonnées, mots-clés).",
    ("Convention", "metadata"): "Propriétés des fichiers produits.",
    ("Convention", "typography"): "Réglages typographiques.",
    ("Article", "title"): "Titre de l'article, ex. « OBJET DE LA CONVENTION ».",
    ("Article", "blocks"): "Contenu : paragraphes, listes à puces, citations.",
    ("Preamble", "title"): "Titre (par défaut « PRÉAMBULE »).",
    ("Preamble", "blocks"): "Contenu : paragraphes, listes à puces, citations.",
    ("Bold", "bold"): "Texte en gras.",
    ("Italic", "italic"): "Texte en italique.",
    ("Quote", "quote"): "Mots cités (les guillemets sont ajoutés).",
    ("Ref", "ref"): "Clé de l'article visé.",
    ("Bullets", "bullets"): "Les éléments de la liste.",
    ("Paragraph", "paragraph"): "Texte du paragraphe : un texte, ou une liste de morceaux "
                                "(texte, {bold: …}, {italic: …}, {quote: …}, {ref: …}).",
    ("Quotation", "quotation"): "Texte cité (les guillemets sont ajoutés).",
    ("Quotation", "source"): "Source de la citation, entre parenthèses après elle.",
    ("Funding", "period"): "Période de programmation : « FSE 2014-2020 » ou "
                           "« FSE+ 2021-2027 ».",
    ("Funding", "statement"): "Mention à côté de l'emblème.",
    ("LogoFile", "path"): "Chemin du fichier image.",
    ("Metadata", "version"): "Version du document (par défaut « 1 »).",
    ("Metadata", "subject"): "Sujet (propriété des fichiers).",
    ("Metadata", "keywords"): "Mots-clés (propriété des fichiers).",
    ("Party", "gender"): "Genre grammatical du nom : « masculin » ou « féminin ».",
    ("Party", "representative"): "Représentant de la partie.",
    ("Person", "civility"): "Civilité : « M. » ou « Mme ».",
    ("Person", "first_name"): "Prénom.",
    ("Signature", "place"): "Lieu de signature : « Fait à … ».",
    ("SignatureBlock", "party"): "Clé de la partie qui signe.",
}

_ENUM_FIELDS = {"Gender": "gender", "Civility": "civility"}
_LITERAL_FIELDS = {("Typography", "guillemet_space"), ("Typography", "apostrophe")}


def _frenchify(name: str, definition: dict[str, Any]) -> None:
    definition.pop("title", None)
    if name in _MODELS:
        definition["description"] = _MODELS[name]
    for field, prop in definition.get("properties", {}).items():
        prop.pop("title", None)
        if (name, field) in _FIELDS:
            prop["description"] = _FIELDS[(name, field)]
        if (name, field) in _LITERAL_FIELDS:
            prop["enum"] = [*prop["enum"], *FRENCH_WORDS[field]]
    if name in _ENUM_FIELDS:
        definition["enum"] = [*definition["enum"], *FRENCH_WORDS[_ENUM_FIELDS[name]]]


def _rich(schema: dict[str, Any]) -> dict[str, Any]:
    """Inline text as the loader takes it: a plain string, or a non-empty list of spans."""
    return {"oneOf": [{"type": "string"}, schema]}


@functools.cache
def _schema() -> dict[str, Any]:
    schema = Convention.model_json_schema(mode="validation")
    defs = schema.pop("$defs")
    for name, definition in [("Convention", schema), *defs.items()]:
        _frenchify(name, definition)
    # Shorthand forms the loader accepts before validation: a plain string for inline text.
    paragraph = defs["Paragraph"]["properties"]["paragraph"]
    description = paragraph.pop("description")
    defs["Paragraph"]["properties"]["paragraph"] = {**_rich(paragraph),
                                                    "description": description}
    bullets = defs["Bullets"]["properties"]["bullets"]
    bullets["items"] = _rich(bullets["items"])
    return {"$schema": _DRAFT, "title": "Spécification de convention (convention-docs)",
            **schema, "$defs": defs}


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a spec, with French descriptions."""
    return copy.deepcopy(_schema())


def schema_text() -> str:
    """Return ``json_schema()`` as indented JSON text (UTF-8, French left readable)."""
    return json.dumps(_schema(), ensure_ascii=False, indent=2) + "\n"
