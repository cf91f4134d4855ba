"""Pydantic's validation errors in a worker's words, for both shells (the command line and
the app): ``field: what is wrong``."""

from __future__ import annotations

from .i18n import N_, _

_PLAIN = {
    "missing": N_("is needed"),
    "string_too_short": N_("is needed"),
    "string_type": N_("is needed"),
    "decimal_type": N_("is needed: write an amount like 12.50"),
    "decimal_parsing": N_("is not an amount; write it like 12.50"),
    "int_parsing": N_("is not a whole number"),
    "int_type": N_("is needed: write a whole number"),
    "date_type": N_("is needed: pick a day"),
    "date_from_datetime_parsing": N_("is not a day; write it as 2026-03-05"),
    "literal_error": None,  # pydantic's own words list the choices: keep them
}
"""Pydantic's messages ("String should have at least 1 character") in a worker's words."""


def explain_validation(exc) -> str:
    """A pydantic ``ValidationError`` as plain sentences: ``field: what is wrong``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "__root__").replace("_", " ")
        plain = _PLAIN.get(err.get("type", ""))
        msg = _(plain) if plain else err.get("msg", "invalid")  # pydantic's own words are English
        if err.get("type") == "string_too_short" and (err.get("ctx") or {}).get("min_length", 1) > 1:
            msg = err.get("msg", "is too short")
        msg = msg.removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)
