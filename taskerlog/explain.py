"""Pydantic's validation errors in a worker's words, for both shells (the command line and
the app) and the bundle: ``field: what is wrong``, in the worker's language.

taskerlog's own checks (a model's validators) raise their problems already worded
(``problems.say``); pydantic's messages for the kinds of error taskerlog's models produce are
replaced by taskerlog's own templates, so no English of pydantic's reaches a worker."""

from __future__ import annotations

from .i18n import N_, _
from .problems import problems_of

_PLAIN = {
    "missing": N_("is needed"),
    "string_too_short": N_("is needed"),
    "string_type": N_("is needed"),
    "decimal_type": N_("is needed: write an amount like 12.50"),
    "decimal_parsing": N_("is not an amount; write it like 12.50"),
    "int_parsing": N_("is not a whole number"),
    "int_type": N_("is needed: write a whole number"),
    "int_from_float": N_("is not a whole number"),
    "date_type": N_("is needed: pick a day"),
    "date_from_datetime_parsing": N_("is not a day; write it as 2026-03-05"),
    "date_parsing": N_("is not a day; write it as 2026-03-05"),
    "bool_parsing": N_("is not yes or no"),
    "extra_forbidden": N_("is not a field of this record"),
}
"""Pydantic's messages ("String should have at least 1 character") in a worker's words."""


def error_words(err: dict, choices: tuple[str, ...] = ()) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as what is wrong, without
    the field: a validator's own problem as it said it, a choice with the values allowed."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), Exception):
        said = problems_of(ctx["error"])  # a taskerlog check: its own problem, worded now
        return said[0].words() if len(said) == 1 else str(ctx["error"])
    if kind == "literal_error":
        allowed = ", ".join(choices) if choices else str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("'{value}' is not one of: {choices}").format(value=err.get("input"), choices=allowed)
    if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
        return _("is too short: at least {n} characters").format(n=ctx["min_length"])
    if kind == "string_too_long":
        return _("is longer than {n} characters; shorten it").format(n=ctx.get("max_length"))
    if kind in _PLAIN:
        return _(_PLAIN[kind])
    return err.get("msg", "invalid").removeprefix("Value error, ")


def explain_validation(exc) -> str:
    """A pydantic ``ValidationError`` as plain sentences: ``field: what is wrong``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "__root__").replace("_", " ")
        msg = error_words(err)
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)
