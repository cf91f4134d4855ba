"""Pydantic's validation errors in a worker's words, for both shells (the command line and
the app): ``field: what is wrong``, in the worker's language (``model.error_words``)."""

from __future__ import annotations

from .model import error_words


def explain_validation(exc) -> str:
    """A pydantic ``ValidationError`` as plain sentences: ``field: what is wrong``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "__root__").replace("_", " ")
        msg = error_words(err)
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)
