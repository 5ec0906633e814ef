"""A LibreOffice user profile made once per user and installation, copied into each converter's.

Every :class:`~convention_docs.convert.Converter` runs LibreOffice with a private profile (two
instances sharing one fail silently). LibreOffice's first start in an empty profile builds it
(registry, basic libraries, gallery… about 20 files), which costs about 0.3 s more than a start
in a built one (measured here: 1.17 s → 0.85 s until ready). So a clean profile is built once,
by ``soffice --terminate_after_init`` (nothing is ever converted in it: it holds no document
path), kept in the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``,
``convention-docs/libreoffice-profile-<key>``, the key naming the LibreOffice installation, so
an upgrade builds a new one), and copied into each new private profile.

Everything here is best effort: when the cache cannot be written or read, or when
``CONVENTION_DOCS_PROFILE_CACHE=0``, a converter starts in an empty profile as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from convention_docs._office import kill_group, office_env

__all__ = ["CACHE_ENV", "seed"]

CACHE_ENV = "CONVENTION_DOCS_PROFILE_CACHE"
_MARK = Path("user") / "registrymodifications.xcu"  # present once LibreOffice built a profile
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
