"""stub"""
from pathlib import Path
from convention_docs.inspect.view import DocumentView
def read_pdf(path: str | Path) -> DocumentView:
    raise NotImplementedError
