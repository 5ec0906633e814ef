"""What a user's script does: load a spec, render it to Word and PDF, print the report.

Run from the repository root: ``.venv/bin/python examples/render_convention.py [SPEC] [OUTDIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from convention_docs import ConventionRejected, Converter, build, load


def main(spec: str = "examples/paca-2026.yaml", outdir: str = "out") -> int:
    convention = load(spec)
    target = Path(outdir)
    try:
        with Converter() as converter:  # one warm LibreOffice for every PDF of this script
            for suffix in (".docx", ".pdf"):
                result = build(convention, target / f"{Path(spec).stem}{suffix}",
                               converter=converter)
                print(result.report)
                print(f"écrit : {result.path}")
    except ConventionRejected as refused:
        print(refused.report)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
