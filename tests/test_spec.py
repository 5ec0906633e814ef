"""load(): YAML/JSON specs → Convention, and the errors a user sees for bad specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from convention_docs.errors import SpecError
from convention_docs.model import Bold, Bullets, Convention, Gender, Paragraph, Quote, Ref
from convention_docs.spec import MAX_SPEC_BYTES, load, load_data

from .conftest import EXAMPLES


def write(tmp_path: Path, data: Any, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_examples_load() -> None:
    seed = load(EXAMPLES / "paca-clause-sociale.yaml")
    assert [p.key for p in seed.parties] == ["etat", "metropole"]
    assert seed.parties[1].gender is Gender.FEMININE
    assert len(seed.articles) == 5
    assert seed.signature.date is None
    modern = load(EXAMPLES / "paca-2026.yaml")
    assert modern.funding is not None and modern.funding.period.value == "FSE+ 2021-2027"
    assert modern.article_numbers()["litiges"] == len(modern.articles)


def test_json_and_yaml_give_the_same_model(tmp_path: Path, minimal: dict[str, Any]) -> None:
    from_yaml = load(write(tmp_path, minimal))
    json_path = tmp_path / "spec.json"
    json_path.write_text(json.dumps(minimal, ensure_ascii=False), encoding="utf-8")
    assert load(json_path) == from_yaml


def test_rich_text_forms(minimal: dict[str, Any]) -> None:
    minimal["articles"][0]["blocks"] = [
        "plain",
        {"paragraph": ["a ", {"bold": "le facilitateur"}, " ", {"ref": "duree"}]},
        {"bullets": ["x", ["y ", {"quote": "z"}]]},
    ]
    convention = load_data(minimal)
    blocks = convention.articles[0].blocks
    assert blocks[0] == "plain"
    assert isinstance(blocks[1], Paragraph)
    assert blocks[1].paragraph == ("a ", Bold(bold="le facilitateur"), " ", Ref(ref="duree"))
    assert isinstance(blocks[2], Bullets)
    assert blocks[2].bullets == (("x",), ("y ", Quote(quote="z")))


def test_model_is_immutable_and_schema_exports(minimal: dict[str, Any]) -> None:
    convention = load_data(minimal)
    with pytest.raises(SpecError, match="title : valeur non modifiable"):
        convention.title = "autre"  # type: ignore[misc]
    schema = Convention.model_json_schema()
    assert "parties" in schema["properties"]
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda d: d["parties"][1]["representative"].pop("last_name"),
         "parties[1].representative.last_name", "champ obligatoire manquant"),
        (lambda d: d["parties"][0].update(gender="neutre"),
         "parties[0].gender",
         "valeur non reconnue 'neutre', attendu : « masculin » ou « féminin »"),
        (lambda d: d.update(colour="bleu"), "colour", "champ inconnu"),
        (lambda d: d["parties"][0]["representative"].update(civility="Mlle"),
         "parties[0].representative.civility", "valeur non reconnue 'Mlle'"),
        (lambda d: d["articles"][0].update(number=3), "articles[0]",
         "les articles sont numérotés automatiquement"),
        (lambda d: d["articles"][0]["blocks"].append({"paragraph": [{"ref": "inconnu"}]}),
         "articles[0].blocks[1].paragraph[0].ref", "renvoi vers un article inconnu « inconnu »"),
        (lambda d: d["articles"][0]["blocks"].append({"bolds": "x"}), "articles[0].blocks[1]",
         "attendu : un paragraphe (texte)"),
        (lambda d: d.update(title="Titre\x0bcassé"), "title",
         "caractère de contrôle interdit U+000B à la position 6"),
        (lambda d: d["signature"].update(date="le 3 mai"), "signature.date",
         "attendu : une date AAAA-MM-JJ"),
        (lambda d: d["signature"].update(blocks=[{"party": "etat"}]), "signature.blocks",
         "la partie « plie » n'a pas de bloc de signature"),
        (lambda d: d["parties"][1].update(key="etat"), "parties[1].key",
         "clé « etat » déjà utilisée par parties[0]"),
        (lambda d: d.update(parties=d["parties"][:1]), "parties",
         "au moins 2 élément(s) attendu(s)"),
        (lambda d: d["parties"][0].update(key="État"), "parties[0].key",
         "attendu : un identifiant en minuscules"),
    ],
)
def test_bad_specs_name_file_path_and_expectation(tmp_path: Path, minimal: dict[str, Any],
                                                  mutate: Any, path: str, message: str) -> None:
    mutate(minimal)
    spec = write(tmp_path, minimal)
    with pytest.raises(SpecError) as info:
        load(spec)
    assert str(spec) in str(info.value)
    assert any(p == path and message in m for p, m in info.value.issues), info.value.issues


def test_yaml_syntax_error_points_at_line(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("title: a\nparties: [\n  - x\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"broken\.yaml : spécification invalide, \(racine\) : "
                                        r"ligne \d+, colonne \d+ : YAML invalide"):
        load(spec)


def test_yaml_object_construction_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "evil.yaml"
    spec.write_text("title: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(SpecError, match="YAML invalide"):
        load(spec)


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, "
                     f"*{prev}, *{prev}, *{prev}]")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match="alias YAML"):
        load(spec)


def test_oversized_spec_is_refused_before_parsing(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_bytes(b"#" * (MAX_SPEC_BYTES + 1))
    with pytest.raises(SpecError, match="fichier trop volumineux"):
        load(spec)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("spec.txt", "title: a", "extension « .txt » non reconnue"),
    ("spec.yaml", None, "fichier introuvable"),
    ("spec.json", "{\"title\": ", "JSON invalide"),
    ("spec.yaml", "- a\n- b\n", r"attendu : un objet \(clé: valeur\) décrivant la convention"),
])
def test_unusable_files(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    spec = tmp_path / name
    if content is not None:
        spec.write_text(content, encoding="utf-8")
    with pytest.raises(SpecError, match=message):
        load(spec)


def test_non_utf8_file(tmp_path: Path) -> None:
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes("title: État".encode("latin-1"))
    with pytest.raises(SpecError, match="pas en UTF-8"):
        load(spec)


def test_logo_paths_are_relative_to_the_spec(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["funding"] = {"period": "FSE 2014-2020",
                          "fse_logo": {"path": "logos/fse.png", "alt": "Logo FSE"}}
    folder = tmp_path / "specs"
    (folder / "logos").mkdir(parents=True)
    from PIL import Image  # a missing or broken logo file is refused by load()
    Image.new("RGB", (30, 20), "blue").save(folder / "logos" / "fse.png")
    convention = load(write(folder, minimal))
    assert convention.funding is not None and convention.funding.fse_logo is not None
    assert convention.funding.fse_logo.path == folder / "logos" / "fse.png"


def test_defaults(minimal: dict[str, Any]) -> None:
    convention = load_data(minimal)
    assert convention.originals() == 2
    assert [b.party for b in convention.signature_blocks()] == ["etat", "plie"]
    assert convention.agreement_formula == "Il est convenu ce qui suit"


def test_field_paths_inside_rich_text(minimal: dict[str, Any]) -> None:
    minimal["articles"][0]["blocks"] = [
        {"paragraph": ["a", {"bold": "x\x01"}]},
        {"bullets": ["ok", ["b", {"italic": 1}]]},
    ]
    with pytest.raises(SpecError) as info:
        load_data(minimal)
    assert info.value.issues == (
        ("articles[0].blocks[0].paragraph[1].bold",
         "caractère de contrôle interdit U+0001 à la position 2"),
        ("articles[0].blocks[1].bullets[1][1].italic", "attendu : un texte"),
    )


def test_missing_file_and_directory_are_said_in_french(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as missing:
        load(tmp_path / "absente.yaml")
    assert missing.value.issues == (("", "fichier introuvable"),)
    folder = tmp_path / "dossier.yaml"
    folder.mkdir()
    with pytest.raises(SpecError) as directory:
        load(folder)
    assert directory.value.issues == (("", "c'est un dossier, pas un fichier de spécification"),)
