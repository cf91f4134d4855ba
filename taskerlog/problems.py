"""Problems as values: the lower layers say what is wrong and what would fix it; the shells
choose the words of the fix (issue 22.3).

A lower layer never names a ``taskerlog`` command or a ``--flag``: it says a
:class:`Problem` (a stable ``code``, one English template with named parameters, the
parameters, optionally where and a :class:`Fix` as data) with :func:`say`. Each shell has a
wording of every fix action (``taskerlog/commands/wording.py``: the command line to type;
``taskerlog/appsupport.py``: the page, field or button to use) and installs it once with
:func:`speak` when it starts (the CLI in its group callback, the app in ``app.py``), the way
gettext installs a language. ``say`` returns a :class:`Said`: a ``str`` in the installed
shell's words (so exception messages, bundle problems and notes travel as before) that
keeps the structured :class:`Problem` in ``.problem``.

Each problem kind is ONE template and each fix ONE template per shell, with named
parameters and no sentence glued from pieces: the msgids issue 25 translates. The words are
chosen in the current language (``taskerlog.i18n``) when a problem is worded: the template
and the fix's wording are looked up in the catalogue then, and a problem given as a
parameter of another is worded again with it. ``make messages`` extracts the templates
(keywords ``say:2`` and ``nsay:2,3``); the shells mark their fix wordings with ``N_``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import vocab
from .i18n import _, ngettext, using


@dataclass(frozen=True)
class Fix:
    """What would put the problem right, as data: ``action`` is a stable id (``"day_first_which"``,
    ``"add_fx"`` ...), ``params`` its values. Each shell words every action."""

    action: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", dict(self.params))  # a copy: the caller's dict may change


def fix(action: str, **params: Any) -> Fix:
    return Fix(action, params)


@dataclass(frozen=True)
class Where:
    """The place of a problem in a file: ``line`` counts from 1; None: the whole file."""

    file: str
    line: int | None = None
    column: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong: ``template`` is English with ``{name}`` fields filled from ``params``,
    and ``{fix}`` where the shell's wording of ``fix`` goes. With a ``plural`` template, the
    parameter ``n`` chooses between the two as the language counts (:func:`nsay`)."""

    code: str
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    fix: Fix | None = None
    where: Where | None = None
    plural: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", dict(self.params))

    def words(self, fixes: Mapping[str, str] | None = None) -> str:
        """The problem in words, its fix worded by ``fixes`` (action → template); by default
        the words :func:`speak` installed, in the current language."""
        fixes = _WORDS if fixes is None else fixes
        values = {k: v.problem.words(fixes) if isinstance(v, Said) else vocab.shown(str(v)) if isinstance(v, Word)
                  else v for k, v in self.params.items()}
        if self.fix is not None:
            values["fix"] = fix_words(self.fix, fixes)
        if self.plural is not None:
            template = ngettext(self.template, self.plural, int(self.params["n"]))
        else:
            template = _(self.template)
        return template.format_map(values)

    def __str__(self) -> str:
        return self.words()


def fix_words(f: Fix, fixes: Mapping[str, str]) -> str:
    """One fix in a shell's words, in the current language; a fix the shell has no words for
    is shown as data (a test checks that every fix has words in both shells, so users never
    see that)."""
    template = fixes.get(f.action)
    if template is None:
        return f"{f.action}(" + ", ".join(f"{k}={v}" for k, v in f.params.items()) + ")"
    if callable(template):  # a wording that names each of a list (e.g. several options)
        return template(**f.params)
    return _(template).format_map(dict(f.params))


class Word(str):
    """A word of the logbook's vocabulary given as a parameter (a kind of work, a pay status):
    kept as stored (English) and shown in the language in use when the problem is worded
    (``vocab.shown``), like a :class:`Said` parameter."""


class Said(str):
    """A problem's words in the installed shell's wording, carrying the :class:`Problem`."""

    problem: Problem

    def __new__(cls, problem: Problem) -> Said:
        return _said(problem.words(), problem)

    def __reduce__(self):  # pickled (st.cache_data) as the problem: worded again in the reader's language
        return Said, (self.problem,)


def _said(text: str, problem: Problem) -> Said:
    self = str.__new__(Said, text)
    self.problem = problem
    return self


def say(code: str, template: str, *, fix: Fix | None = None, where: Where | None = None, **params: Any) -> Said:
    """A problem worded for the shell in use: ``say("fx.missing", "no rate for {currency}; {fix}",
    fix=fix("add_fx", currency="KES", day="2026-03-01"), currency="KES")``."""
    return Said(Problem(code, template, params, fix, where))


def nsay(code: str, singular: str, plural: str, *, n: int, fix: Fix | None = None, where: Where | None = None,
         **params: Any) -> Said:
    """A problem whose sentence depends on a count ``n`` (``{n}`` or another parameter shows
    it): ``nsay("x.stale", "{n} entry after it", "{n} entries after it", n=3)``; each language
    chooses its own form, as ``ngettext`` does."""
    return Said(Problem(code, singular, {"n": n, **params}, fix, where, plural))


class Refused(ValueError):
    """Raised with one or more problems: nothing was done. ``str()`` is their words."""

    def __init__(self, *problems: Problem | Said):
        self.problems = tuple(p.problem if isinstance(p, Said) else p for p in problems)
        super().__init__("; ".join(str(p) for p in problems))


def in_english(text: str) -> str:
    """``text`` in English: a problem worded again in English (``--json`` output is a contract
    and stays English, docs/languages.md); other text as it is."""
    if isinstance(text, Said):
        with using("en"):
            return text.problem.words()
    return text


def problems_of(exc: BaseException) -> tuple[Problem, ...]:
    """The structured problems an exception carries (none when it was raised with plain text)."""
    if isinstance(exc, Refused):
        return exc.problems
    return tuple(a.problem for a in exc.args if isinstance(a, Said))


_WORDS: Mapping[str, Any] = {}


def speak(fixes: Mapping[str, Any]) -> None:
    """Install a shell's wording of the fixes (once, when the shell starts)."""
    global _WORDS
    _WORDS = fixes


def fields(template: str) -> set[str]:
    """The ``{name}`` fields of a template (for the tests that check the wordings)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
