"""A LibreOffice user profile made once per user and installation, copied into each converter's.

Every :class:`~convention_docs.convert.Converter` runs LibreOffice with a private profile (two
instances sharing one fail silently). LibreOffice's first start in an empty profile builds it
(registry, basic libraries, gallery… about 20 files), which costs about 0.3 s more than a start
in a built one (measured here: 1.17 s → 0.85 s until ready). So a clean profile is built once,
by ``soffice --terminate_after_init`` (nothing is ever converted in it: it holds no document
path), kept in the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``,
``convention-docs/libreoffice-profile-<key>``, the key naming the LibreOffice installation, so
an upgrade builds a new one), and copied into each new private profile.

Each profile also records the LibreOffice version it runs (``ooSetupLastVersion``), as
LibreOffice itself does after an interactive first start: without it, LibreOffice 7.2 and later
take every start for the first one after an upgrade and run their graphics render tests
(bitmaps of 4096 × 4096 pixels painted and read back, to choose a drawing back end that a
headless instance never uses). Measured here: a start went from 0.9 s of CPU to 0.2 s.

Everything here is best effort: when the cache cannot be written or read, or when
``CONVENTION_DOCS_PROFILE_CACHE=0``, a converter starts in an empty profile as before; when the
version cannot be read from the installation, the tests run as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from convention_docs._office import kill_group, office_env

__all__ = ["CACHE_ENV", "SETTINGS", "configure", "product_version", "seed"]

CACHE_ENV = "CONVENTION_DOCS_PROFILE_CACHE"
_MARK = Path("user") / "registrymodifications.xcu"  # present once LibreOffice built a profile

# LibreOffice settings of every converter: work done in the background after each document is
# loaded, which a converter never needs. Words collected for autocompletion alone cost about
# 4 ms of LibreOffice's 70 ms per document on the 2026 example (its main thread: 12 → 8 ms).
SETTINGS = (
    # (configuration path, property, value)
    ("/org.openoffice.Office.Writer/AutoFunction/Completion", "Enable", "false"),
    ("/org.openoffice.Office.Writer/AutoFunction/Completion", "CollectWords", "false"),
    # spelling in the background, where dictionaries are installed
    ("/org.openoffice.Office.Linguistic/SpellChecking", "IsSpellAuto", "false"),
    # no recent-documents list, no recovery data: the profile is thrown away
    ("/org.openoffice.Office.Common/History", "PickListSize", "0"),
    ("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
)
# Where LibreOffice records the version it last ran in a profile (see the module's docstring).
_LAST_VERSION = ("/org.openoffice.Setup/Product", "ooSetupLastVersion")
# The installation's own version, in its registry (share/registry/main.xcd next to program/).
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersion">\s*<value>(\d+\.\d+)</value>')
_EMPTY_REGISTRY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/'
    'registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/'
    'XMLSchema-instance">\n</oor:items>\n'
)
_BUILD_TIMEOUT = 120.0


def _template(soffice: str) -> Path | None:
    """Where the profile for this LibreOffice installation is kept (``None``: no cache)."""
    if os.environ.get(CACHE_ENV, "1").strip() in ("0", "false", "no", "off"):
        return None
    try:
        program = Path(soffice).resolve()
        stat = program.stat()
        if not (program.parent / "soffice.bin").is_file():
            return None  # not a LibreOffice installation (e.g. a test double)
    except OSError:
        return None
    key = hashlib.sha256(f"{program}\0{stat.st_mtime_ns}\0{stat.st_size}".encode())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "convention-docs" / f"libreoffice-profile-{key.hexdigest()[:16]}"


def _build(soffice: str, template: Path) -> None:
    """Have LibreOffice build a profile, then move it to ``template`` (if still absent)."""
    template.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=template.parent))
    try:
        profile = staging / "profile"
        process = subprocess.Popen(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
             "--nologo", "--norestore", "--nolockcheck", "--terminate_after_init"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, env=office_env(staging))
        try:
            process.wait(_BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            kill_group(process, grace=0)  # its whole group: soffice.bin too
            return
        if (profile / _MARK).is_file():
            with contextlib.suppress(OSError):  # another process was first: keep theirs
                profile.rename(template)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def seed(profile: Path, soffice: str) -> bool:
    """Copy the kept profile into ``profile`` (a private profile not created yet), building
    the kept one first if needed; return whether ``profile`` was seeded."""
    if profile.exists():
        return False
    template = _template(soffice)
    if template is None:
        return False
    try:
        if not (template / _MARK).is_file():
            _build(soffice, template)
        if not (template / _MARK).is_file():
            return False
        shutil.copytree(template, profile, symlinks=True)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(profile, ignore_errors=True)
        return False
    return True


def product_version(soffice: str) -> str | None:
    """The major.minor version of the LibreOffice installation of ``soffice`` (``"7.4"``), as
    its registry says, or ``None`` (not a LibreOffice installation, registry unreadable)."""
    try:
        program = Path(soffice).resolve()
        registry = program.parent.parent / "share" / "registry" / "main.xcd"
        stat = registry.stat()
        return _registry_version(str(registry), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None


@lru_cache(maxsize=4)
def _registry_version(registry: str, _mtime: int, _size: int) -> str | None:
    """The ``ooSetupVersion`` of ``registry`` (2 MB: read once per file and modification)."""
    with contextlib.suppress(OSError):
        found = _VERSION.search(Path(registry).read_bytes())
        return found.group(1).decode("ascii") if found else None
    return None


def configure(profile: Path, soffice: str | None = None) -> None:
    """Write :data:`SETTINGS` into ``profile`` (seeded, or empty: LibreOffice builds the rest
    around them), as LibreOffice writes its own, each once; with ``soffice``, also the version
    of its installation as the last one run (no graphics render tests at each start). Best
    effort: a setting that cannot be written only costs time."""
    settings = list(SETTINGS)
    version = product_version(soffice) if soffice is not None else None
    if version is not None:
        settings.append((*_LAST_VERSION, version))
    registry = profile / _MARK
    with contextlib.suppress(OSError, UnicodeError):
        text = registry.read_text(encoding="utf-8") if registry.is_file() else _EMPTY_REGISTRY
        items = "".join(
            item for item in (f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                              f"<value>{value}</value></prop></item>\n"
                              for path, name, value in settings)
            if item not in text)
        end = text.rfind("</oor:items>")
        if items and end >= 0:
            registry.parent.mkdir(parents=True, exist_ok=True)
            registry.write_text(text[:end] + items + text[end:], encoding="utf-8")
