"""convention_docs (public API assembled at integration)."""
