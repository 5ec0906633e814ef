"""The built wheel carries the templates and logos, and renders from any directory."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import convention_docs

from .conftest import EXAMPLES, ROOT


def test_public_surface_is_stable() -> None:
    assert convention_docs.__all__ == sorted(convention_docs.__all__)
    assert convention_docs.__all__ == [
        "Convention", "ConventionDocsError", "ConventionRejected", "ConversionError",
        "Converter", "DocumentError", "Report", "SpecError", "TemplateError", "batch", "build",
        "check_template", "load", "preview", "render", "validate",
    ]

def test_lazy_names_are_the_objects_not_the_modules_of_the_same_name() -> None:
    # importing the modules convention_docs.build and convention_docs.validate first (as
    # render does) must not turn the functions build and validate into those modules
    code = ("import types, convention_docs.build, convention_docs.validate.report; "
            "from convention_docs import build, validate; import convention_docs as c; "
            "print(*(type(getattr(c, n)).__name__ for n in c.__all__)); "
            "print(build.__module__, validate.__module__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    types_line, modules_line = result.stdout.splitlines()
    assert "module" not in types_line.split()
    assert modules_line == "convention_docs.build convention_docs.validate"


def test_every_error_is_a_convention_docs_error() -> None:
    from convention_docs import errors
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.ConventionDocsError)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)], check=True)
    return next(out.glob("convention_docs-*.whl"))


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("convention_docs/templates/convention.docx",
                     "convention_docs/assets/logos/eu-emblem.png",
                     "convention_docs/assets/logos/fse-logo.png",
                     "convention_docs/_uno_worker.py", "convention_docs/py.typed",
                     "convention_docs/examples/paca-2026.yaml",
                     "convention_docs/examples/paca-clause-sociale.yaml",
                     "convention_docs/starters/convention.yaml",
                     "convention_docs/clauses/tribunaux.csv"):
        assert expected in names
    assert not any(n.startswith(("tests/", "src/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_renders_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # a wheel is a zip laid out for site-packages
    # dependencies come from the development environment, the package only from the wheel
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import convention_docs, pathlib; "
        "from convention_docs import load, render; "
        f"out = render(load({str(EXAMPLES / 'paca-2026.yaml')!r}), 'c.docx'); "
        "print(convention_docs.__file__); print(out.resolve())"
    )
    result = subprocess.run([str(python), "-c", script], cwd=elsewhere, capture_output=True,
                            text=True, check=True)
    module_file, output = result.stdout.strip().splitlines()
    assert module_file.startswith(str(site))
    assert Path(output) == elsewhere / "c.docx"
    assert (elsewhere / "c.docx").stat().st_size > 10_000

    # new (blank and from a shipped example), schema and template-check from the wheel alone
    script = (
        "from convention_docs.cli import main; from convention_docs import load; "
        "import convention_docs.docx as d; "
        "codes = [main(['new', 'vierge.yaml']), main(['new', 'paca.yaml', '--from', "
        "'paca-clause-sociale']), main(['schema', '-o', 's.json'])]; "
        "t = d.template_file().__enter__(); codes.append(main(['template-check', str(t)])); "
        "print(codes, load('vierge.yaml').title, len(load('paca.yaml').articles))"
    )
    result = subprocess.run([str(python), "-c", script], cwd=elsewhere, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0] CONVENTION DE PARTENARIAT 5"
    assert (elsewhere / "convention-docs.schema.json").is_file()
