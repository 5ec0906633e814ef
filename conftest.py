"""pytest configuration at the root: what --doctest-modules must not import."""

collect_ignore = ["src/convention_docs/_uno_worker.py"]
