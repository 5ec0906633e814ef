"""Drafting from Python: French errors when building models, checked changes, re-validation
of objects pydantic never checked (``model_copy``) before rendering."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import pytest

from convention_docs import Convention, SpecError, render
from convention_docs.build import build
from convention_docs.drafting import checked
from convention_docs.model import Article, Party, Person, Ref, Signature
from convention_docs.spec import load, load_data

from .conftest import EXAMPLES, needs_libreoffice


@pytest.fixture(scope="module")
def paca() -> Convention:
    return load(EXAMPLES / "paca-2026.yaml")


# --- French errors from Python --------------------------------------------------------------


def test_missing_field_in_python_is_french_with_path(minimal: dict[str, Any]) -> None:
    del minimal["parties"][1]["representative"]["last_name"]
    with pytest.raises(SpecError) as caught:
        Convention(**minimal)
    assert str(caught.value) == ("Convention : spécification invalide, "
                                 "parties[1].representative.last_name : champ obligatoire "
                                 "manquant")
    assert caught.value.issues == (("parties[1].representative.last_name",
                                    "champ obligatoire manquant"),)


def test_wrong_type_in_python_is_french_with_path(minimal: dict[str, Any]) -> None:
    minimal["signature"]["originals"] = "beaucoup"
    with pytest.raises(SpecError) as caught:
        Convention.model_validate(minimal)
    assert caught.value.issues == (("signature.originals", "attendu : un nombre entier"),)
    assert caught.value.source == "Convention"


def test_impossible_date_is_french_with_path(minimal: dict[str, Any]) -> None:
    minimal["signature"]["date"] = "2026-02-30"
    with pytest.raises(SpecError) as caught:
        Convention(**minimal)
    [(path, message)] = caught.value.issues
    assert path == "signature.date" and "attendu : une date AAAA-MM-JJ" in message
    with pytest.raises(SpecError) as from_load:
        load_data(minimal)
    assert caught.value.issues == from_load.value.issues  # the very words of load()
    with pytest.raises(SpecError, match=r"^Signature : spécification invalide, date : "):
        Signature(place="Rennes", date="2026-02-30")


def test_json_in_python_is_french(minimal: dict[str, Any]) -> None:
    import json

    minimal["parties"][0]["gender"] = "neutre"
    with pytest.raises(SpecError) as caught:
        Convention.model_validate_json(json.dumps(minimal))
    [(path, message)] = caught.value.issues
    assert path == "parties[0].gender"
    assert message.startswith("valeur non reconnue 'neutre'")


def test_cross_field_errors_keep_their_paths(minimal: dict[str, Any]) -> None:
    minimal["articles"][0]["blocks"] = [{"paragraph": ["voir ", {"ref": "inconnu"}]}]
    with pytest.raises(SpecError) as caught:
        Convention(**minimal)
    assert caught.value.issues == ((
        "articles[0].blocks[0].paragraph[1].ref",
        "renvoi vers un article inconnu « inconnu » (clés connues : duree, objet)"),)


def test_nested_model_built_alone_names_its_class() -> None:
    with pytest.raises(SpecError) as caught:
        Person(civility="Mr", first_name="Jean", last_name="Dupont",
               function="préfet")
    assert str(caught.value).startswith("Person : spécification invalide, civility : "
                                        "valeur non reconnue 'Mr'")
    with pytest.raises(SpecError, match=r"^Article : .* blocks : champ obligatoire manquant"):
        Article(title="OBJET")  # type: ignore[call-arg]


def test_the_english_error_is_not_shown_but_kept() -> None:
    from pydantic import ValidationError

    with pytest.raises(SpecError) as caught:
        Party(key="Etat", name="L'État", gender="masculine",
              representative={"civility": "M.", "first_name": "A", "last_name": "B",
                              "function": "préfet"}, designation="l'État")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.__cause__ is None and error.__suppress_context__
    assert isinstance(error.__context__, ValidationError)
    assert "validation error" not in str(error)
    assert pickle.loads(pickle.dumps(error)).issues == error.issues


def test_valid_models_still_build_nested(minimal: dict[str, Any]) -> None:
    # nested models are validated by pydantic-core, not through the wrapped call
    convention = Convention(**minimal)
    assert convention.parties[1].representative.last_name == "Martin"
    assert Convention.model_validate(convention.model_dump(mode="json")) == convention


def test_load_keeps_the_file_as_source(tmp_path: Path, minimal: dict[str, Any]) -> None:
    import yaml

    minimal["signature"]["date"] = "2026-02-30"
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(minimal, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load(spec)
    assert caught.value.source == str(spec)
    message = str(caught.value)
    assert message.startswith(str(spec))  # the file (and, since load() reads YAML, its line)
    assert "spécification invalide, signature.date : " in message
    assert "attendu : une date AAAA-MM-JJ" in message
    with pytest.raises(SpecError) as caught:
        load_data(minimal)
    assert caught.value.source is None


def test_assignment_is_refused_in_french(paca: Convention) -> None:
    with pytest.raises(SpecError, match=r"^Convention : .* title : valeur non modifiable .*"
                                        r"convention\.replace"):
        paca.title = "AUTRE"


# --- replace ---------------------------------------------------------------------------------


def test_replace_returns_a_new_checked_convention(paca: Convention) -> None:
    changed = paca.replace(title="CONVENTION D'OBJECTIFS")
    assert changed.title == "CONVENTION D'OBJECTIFS"
    assert paca.title == "CONVENTION DE PARTENARIAT"
    assert changed.articles == paca.articles
    assert changed.replace(title=paca.title) == paca


def test_replace_merges_a_mapping_into_a_sub_object(paca: Convention) -> None:
    changed = paca.replace(signature={"date": "2027-01-15"})
    assert changed.signature.date == dt.date(2027, 1, 15)
    assert changed.signature.place == paca.signature.place
    assert changed.signature.blocks == paca.signature.blocks


def test_replace_with_an_object_replaces_it(paca: Convention) -> None:
    changed = paca.replace(signature=Signature(place="Rennes"))
    assert changed.signature == Signature(place="Rennes")


@pytest.mark.parametrize(("changes", "issue"), [
    ({"title": ""}, ("title", "texte vide")),
    ({"parties": []}, ("parties", "au moins 2 élément(s) attendu(s)")),
    ({"signature": {"originals": 0}},
     ("signature.originals", "attendu : un nombre au moins égal à 1")),
    ({"titre": "X"}, ("titre", "champ inconnu « titre » : vouliez-vous dire « title » ?")),
])
def test_replace_refuses_an_invalid_result(paca: Convention, changes: dict[str, Any],
                                           issue: tuple[str, str]) -> None:
    with pytest.raises(SpecError) as caught:
        paca.replace(**changes)
    assert caught.value.issues == (issue,)


def test_replace_refuses_an_impossible_date_as_load_does(paca: Convention) -> None:
    with pytest.raises(SpecError) as caught:
        paca.replace(signature={"date": "2026-02-30"})
    data = paca.model_dump(mode="json")
    data["signature"]["date"] = "2026-02-30"
    with pytest.raises(SpecError) as from_load:
        load_data(data)
    assert caught.value.issues == from_load.value.issues
    assert caught.value.issues[0][0] == "signature.date"


def test_replace_checks_objects_made_by_model_copy(paca: Convention) -> None:
    unchecked = paca.parties[1].model_copy(update={"gender": "neutral"})
    with pytest.raises(SpecError) as caught:
        paca.replace(parties=[paca.parties[0], unchecked])
    [(path, message)] = caught.value.issues
    assert path == "parties[1].gender"
    assert message.startswith("valeur non reconnue 'neutral'")


# --- with_article / without_article ---------------------------------------------------------


def test_with_article_appends_by_default(paca: Convention) -> None:
    article = Article(title="ÉVALUATION", blocks=("Une évaluation est conduite.",))
    changed = paca.with_article(article)
    assert changed.articles[-1] == article
    assert len(changed.articles) == len(paca.articles) + 1


def test_with_article_at_a_position_renumbers(paca: Convention) -> None:
    changed = paca.with_article({"key": "evaluation", "title": "ÉVALUATION",
                                 "blocks": ["Une évaluation est conduite."]}, position=2)
    assert changed.articles[1].title == "ÉVALUATION"
    assert changed.articles[2] == paca.articles[1]
    numbers = changed.article_numbers()
    assert numbers["evaluation"] == 2
    assert numbers["litiges"] == paca.article_numbers()["litiges"] + 1


def test_with_article_refuses_an_invalid_article_by_path(paca: Convention) -> None:
    with pytest.raises(SpecError) as caught:
        paca.with_article({"title": "", "blocks": ["x"]}, position=3)
    assert caught.value.issues == (("articles[2].title", "texte vide"),)
    with pytest.raises(SpecError) as caught:
        paca.with_article({"key": "litiges", "title": "LITIGES BIS", "blocks": ["x"]})
    assert caught.value.issues == ((f"articles[{len(paca.articles)}].key",
                                    "clé « litiges » déjà utilisée par "
                                    f"articles[{len(paca.articles) - 1}]"),)


@pytest.mark.parametrize("position", [0, -1, 99, True, "2"])
def test_with_article_refuses_a_bad_position(paca: Convention, position: Any) -> None:
    article = Article(title="ÉVALUATION", blocks=("Texte.",))
    with pytest.raises(SpecError) as caught:
        paca.with_article(article, position=position)
    [(path, message)] = caught.value.issues
    assert path == "position"
    assert message == (f"attendu : un numéro d'article entre 1 et {len(paca.articles) + 1}, "
                       f"reçu {position!r}")


def test_without_article_by_number_and_by_key(paca: Convention) -> None:
    last = len(paca.articles)
    by_number = paca.without_article(last)
    by_key = paca.without_article(paca.articles[-1].key or "")
    assert by_number == by_key
    assert by_number.articles == paca.articles[:-1]


def test_without_article_refuses_what_breaks_a_reference(minimal: dict[str, Any]) -> None:
    minimal["articles"][1]["blocks"] = [{"paragraph": ["Comme dit à ", {"ref": "objet"}]}]
    convention = Convention(**minimal)
    assert isinstance(convention.articles[1].blocks[0].paragraph[1], Ref)  # type: ignore[union-attr]
    with pytest.raises(SpecError) as caught:
        convention.without_article("objet")
    assert caught.value.issues == (("articles[0].blocks[0].paragraph[1].ref",
                                    "renvoi vers un article inconnu « objet » "
                                    "(clés connues : duree)"),)
    with pytest.raises(SpecError) as caught:
        convention.without_article("absent")
    assert caught.value.issues == (("articles",
                                    "aucun article de clé « absent » (clés connues : duree, "
                                    "objet)"),)
    with pytest.raises(SpecError, match=r"articles : attendu : un numéro d'article entre 1 et 2"):
        convention.without_article(3)


# --- render/build re-validate --------------------------------------------------------------


def test_checked_gives_an_equal_new_object(paca: Convention) -> None:
    again = checked(paca)
    assert again == paca and again is not paca


@pytest.mark.parametrize(("update", "issue"), [
    ({"parties": ()}, ("parties", "au moins 2 élément(s) attendu(s)")),
    ({"title": 42}, ("title", "attendu : un texte")),
    ({"signature": {"place": ""}}, ("signature.place", "texte vide")),
    ({"articles": ({"title": "SANS CORPS"},)}, ("articles[0].blocks",
                                               "champ obligatoire manquant")),
])
def test_render_refuses_an_unchecked_model_copy(paca: Convention, tmp_path: Path,
                                                update: dict[str, Any],
                                                issue: tuple[str, str]) -> None:
    unchecked = paca.model_copy(update=update)
    target = tmp_path / "c.docx"
    with pytest.raises(SpecError) as caught:
        render(unchecked, target)
    assert caught.value.issues == (issue,)
    with pytest.raises(SpecError):
        build(unchecked, tmp_path / "c.pdf")
    assert list(tmp_path.iterdir()) == []


def test_render_accepts_a_model_copy_that_is_valid(paca: Convention, tmp_path: Path) -> None:
    from docx import Document

    copied = paca.model_copy(update={"signature": {"place": "Rennes", "date": "2027-01-15"}})
    path = render(copied, tmp_path / "c.docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Fait à Rennes, le 15\u00a0janvier\u00a02027" in text


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_changed_convention_renders_to_pdf(paca: Convention, tmp_path: Path) -> None:
    from convention_docs.inspect import read_pdf

    changed = paca.with_article({"title": "ÉVALUATION", "blocks": ["Évaluée chaque année."]},
                                position=1)
    path = render(changed, tmp_path / "c.pdf")
    text = read_pdf(path).text()
    assert "ÉVALUATION" in text
    assert text.index("ÉVALUATION") < text.index("OBJET DE LA CONVENTION")


def test_validate_refuses_an_unchecked_model_copy(paca: Convention) -> None:
    from convention_docs import validate

    unchecked = paca.model_copy(update={"signature": "Rennes"})
    with pytest.raises(SpecError) as caught:
        validate(unchecked)
    assert caught.value.issues == (("signature", "attendu : un objet (clé: valeur)"),)
    assert validate(paca.model_copy(update={"title": "AUTRE TITRE"})).ok
