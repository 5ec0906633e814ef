"""The LibreOffice profile built once and copied into each converter's private profile."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from convention_docs import _profile, load
from convention_docs.convert import Converter, find_soffice
from convention_docs.docx import render_docx

from .conftest import EXAMPLES, needs_libreoffice


def settings_in(profile: Path) -> list[int]:
    """How many times each of our settings is in ``profile``'s registry."""
    text = (profile / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    return [text.count(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                       f"<value>{value}</value></prop></item>")
            for path, name, value in _profile.SETTINGS]


def version_item(soffice: str) -> str:
    """The registry item recording ``soffice``'s version as the last one run."""
    return ('<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
            f'oor:op="fuse"><value>{_profile.product_version(soffice)}</value></prop></item>')


def soffice_or_skip() -> str:
    try:
        return find_soffice()
    except Exception:
        pytest.skip("LibreOffice (soffice) absent")


@needs_libreoffice
@pytest.mark.libreoffice
def test_built_once_then_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    soffice = soffice_or_skip()
    assert _profile.seed(tmp_path / "a", soffice)
    kept = list((tmp_path / "cache" / "convention-docs").iterdir())
    assert [p.name.startswith("libreoffice-profile-") for p in kept] == [True]
    assert (tmp_path / "a" / "user" / "registrymodifications.xcu").is_file()
    made = kept[0].stat().st_mtime_ns
    assert _profile.seed(tmp_path / "b", soffice)  # copied, not built again
    assert kept[0].stat().st_mtime_ns == made
    assert sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")) == sorted(
        p.relative_to(kept[0]) for p in kept[0].rglob("*"))
    assert not _profile.seed(tmp_path / "a", soffice)  # an existing profile is left alone
    # nothing of this machine's documents in it: it never converted anything
    for file in kept[0].rglob("*.xcu"):
        assert str(tmp_path) not in file.read_text(encoding="utf-8", errors="replace")


@needs_libreoffice
@pytest.mark.libreoffice
def test_a_converter_starts_from_the_kept_profile(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    docx = tmp_path / "convention.docx"
    render_docx(load(EXAMPLES / "paca-2026.yaml"), docx)
    with Converter() as converter:
        converter.convert(docx, tmp_path / "out.pdf")
        user = converter.workdir / "profile" / "user"
        assert user.is_dir()
        # our settings, kept by LibreOffice in the registry it rewrites
        assert settings_in(converter.workdir / "profile") == [1] * len(_profile.SETTINGS)
        # the version it runs is recorded: no graphics render tests at its start (they write
        # their log into the profile when they run)
        registry = (user / "registrymodifications.xcu").read_text(encoding="utf-8")
        assert version_item(converter.soffice) in registry
        assert not list(user.rglob("GraphicsRenderTests*"))
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert len(list((tmp_path / "cache" / "convention-docs").iterdir())) == 1


def test_turned_off_or_impossible_means_an_empty_profile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"  # not beside a soffice.bin: never run to build a profile
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert not _profile.seed(tmp_path / "p", str(fake))
    assert not (tmp_path / "cache").exists()
    real = shutil.which("soffice")
    if real is not None:
        monkeypatch.setenv(_profile.CACHE_ENV, "0")
        assert not _profile.seed(tmp_path / "p", real)
        monkeypatch.setenv(_profile.CACHE_ENV, "1")
        blocked = tmp_path / "blocked"
        blocked.write_text("", encoding="utf-8")  # the cache folder cannot be made
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
        assert not _profile.seed(tmp_path / "p", real)
    assert not (tmp_path / "p").exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"soffice", "blocked"}  # nothing else made


def test_settings_are_written_once_into_an_empty_or_a_built_profile(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    _profile.configure(empty)
    assert settings_in(empty) == [1] * len(_profile.SETTINGS)
    registry = empty / "user" / "registrymodifications.xcu"
    first = registry.read_text(encoding="utf-8")
    _profile.configure(empty)
    assert registry.read_text(encoding="utf-8") == first
    ElementTree.fromstring(first.encode())  # well-formed

    built = tmp_path / "built"
    (built / "user").mkdir(parents=True)
    own = ('<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" '
           'oor:op="fuse"><value>en-US</value></prop></item>')
    (built / "user" / "registrymodifications.xcu").write_text(
        first.replace(first[first.index("<item"):first.rindex("</oor:items>")], own + "\n"),
        encoding="utf-8")
    _profile.configure(built)
    text = (built / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert own in text and settings_in(built) == [1] * len(_profile.SETTINGS)
    ElementTree.fromstring(text.encode())


@needs_libreoffice
@pytest.mark.libreoffice
def test_the_version_recorded_is_the_one_libreoffice_says(tmp_path: Path) -> None:
    soffice = soffice_or_skip()
    version = _profile.product_version(soffice)
    said = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                           "--version"], capture_output=True, text=True, timeout=120).stdout
    # "LibreOffice 7.4.7.2 40(Build:2)": its major.minor
    assert version is not None and re.fullmatch(r"\d+\.\d+", version)
    assert re.search(rf"\b{re.escape(version)}\.\d", said), said
    _profile.configure(tmp_path / "q", soffice)
    registry = (tmp_path / "q" / "user" / "registrymodifications.xcu").read_text(
        encoding="utf-8")
    _profile.configure(tmp_path / "q", soffice)  # once only
    assert registry.count(version_item(soffice)) == 1
    assert registry == (tmp_path / "q" / "user" / "registrymodifications.xcu").read_text(
        encoding="utf-8")


def test_no_version_without_a_libreoffice_installation(tmp_path: Path) -> None:
    fake = tmp_path / "program" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    assert _profile.product_version(str(fake)) is None
    registry = tmp_path / "share" / "registry" / "main.xcd"
    registry.parent.mkdir(parents=True)
    registry.write_text("<oor:data>no version here</oor:data>", encoding="utf-8")
    assert _profile.product_version(str(fake)) is None
    _profile.configure(tmp_path / "p", str(fake))
    text = (tmp_path / "p" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert "ooSetupLastVersion" not in text and settings_in(tmp_path / "p") == [1] * len(
        _profile.SETTINGS)
    registry.write_text('<prop oor:name="ooSetupVersion">\n <value>24.8</value>\n</prop>',
                        encoding="utf-8")
    assert _profile.product_version(str(fake)) == "24.8"  # read again: the file changed
