"""The worker's language: message catalogues (gettext) and numbers and dates the local way (Babel).

A logbook chooses its language (``settings`` key ``language``, a locale tag such as ``es``,
``pt_BR`` or ``sw_KE``); with none chosen, the system's language is used when taskerlog
speaks it, else English. The language part picks the catalogue; the whole tag picks how
numbers and dates are written (``es_VE`` and ``es`` share words but a country may write
numbers its own way).

The shells set the language for the code they run (:func:`using`); the value lives in a
context variable, so each Streamlit session (one thread per run) keeps its own.

Adding a language: one line in :data:`LANGUAGES` and one catalogue,
``taskerlog/locale/<code>/LC_MESSAGES/taskerlog.po`` (docs/languages.md says how to make
it from the template; ``make messages`` compiles it).

Heavy parts (Babel's number and date data) are imported inside the functions that need
them, so a command that prints no number does not pay for them.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import os
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterator

DOMAIN = "taskerlog"
LOCALE_DIR = Path(__file__).with_name("locale")

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "fr": "Français",
    "sw": "Kiswahili",
}
"""Languages taskerlog speaks: code → the language's own name (shown in the chooser)."""

DEFAULT = "en"

_current: ContextVar[str] = ContextVar("taskerlog_language", default=DEFAULT)


def supported(tag: str | None) -> str | None:
    """The catalogue for a locale tag (``es_VE`` → ``es``, ``pt-br`` → ``pt_BR``), or None.

    A tag names a language, optionally with a country: ``pt`` alone means Brazilian
    Portuguese (the only Portuguese catalogue)."""
    if not tag:
        return None
    norm = normalize(tag)
    if norm is None:
        return None
    if norm in LANGUAGES:
        return norm
    lang = norm.split("_")[0]
    if lang in LANGUAGES:
        return lang
    same = [code for code in LANGUAGES if code.split("_")[0] == lang]
    return same[0] if len(same) == 1 else None


def normalize(tag: str) -> str | None:
    """``pt-br``, ``pt_BR.UTF-8``, ``sw_KE@euro`` → ``pt_BR``, ``sw_KE``; None if not a locale tag."""
    tag = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    parts = tag.split("_")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3 or len(parts) > 2:
        return None
    if len(parts) == 2 and not (parts[1].isalpha() and len(parts[1]) == 2):
        return None
    return parts[0].lower() + ("_" + parts[1].upper() if len(parts) == 2 else "")


def system_language(environ: os._Environ | dict | None = None) -> str:
    """The system's language if taskerlog speaks it, else English.

    Read as gettext does: ``LANGUAGE`` (a colon-separated preference list), then
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``. ``C`` and ``POSIX`` mean English."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var) or ""
        for tag in value.split(":"):
            if tag in ("C", "POSIX") or tag.startswith("C."):
                return DEFAULT
            code = supported(tag)
            if code:
                return normalize(tag) or code
        if value:
            break
    return DEFAULT


@lru_cache(maxsize=None)
def _translations(code: str) -> _gettext.NullTranslations:
    if code == DEFAULT:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=False)


def language() -> str:
    """The locale tag in use (``en`` unless a shell chose another)."""
    return _current.get()


def check_language(tag: str) -> str:
    """A locale tag taskerlog speaks, normalized (``pt-br`` → ``pt_BR``); else a ValueError
    naming the languages there are."""
    if supported(tag) is None:
        names = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(gettext("'{tag}' is not a language taskerlog speaks; choose one of {languages}").format(
            tag=tag, languages=names))
    return normalize(tag) or DEFAULT


def set_language(tag: str | None) -> str:
    """Use ``tag`` (or the system's language, when None) for this thread/context from now on;
    returns the tag in use. An unknown tag is a ValueError naming the languages there are."""
    _current.set(check_language(system_language() if tag in (None, "") else tag))
    return _current.get()


def describe(tag: str | None) -> str:
    """A logbook's language as a person reads it: ``Español (es_VE)``; for None (no choice
    made), the computer's, named."""
    if not tag:
        return gettext("the computer's: {language}").format(language=describe(system_language()))
    return f"{LANGUAGES[supported(tag) or DEFAULT]} ({tag})"


@contextlib.contextmanager
def using(tag: str | None) -> Iterator[str]:
    """Run a block in another language (e.g. the English copy of a report)."""
    token = _current.set(_current.get())
    try:
        yield set_language(tag)
    finally:
        _current.reset(token)


def _catalogue() -> _gettext.NullTranslations:
    return _translations(supported(_current.get()) or DEFAULT)


def gettext(message: str) -> str:
    """``message`` in the current language (itself where no translation exists)."""
    return _catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits ``n`` under the current language's plural rules."""
    return _catalogue().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in a context that tells translators which sense is meant."""
    return _catalogue().pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where shown)."""
    return message


# -- numbers and dates ------------------------------------------------------------

def _babel_locale() -> str:
    return _current.get()


def number(value: Decimal | int, places: int | None = None) -> str:
    """A decimal number written the local way (``1.234,56`` in Brazil, ``1,234.56`` in Kenya).

    ``places`` fixes the number of decimals; None keeps the value's own."""
    from babel.numbers import format_decimal

    value = Decimal(value)
    if places is None:
        exp = value.as_tuple().exponent
        places = max(0, -exp) if isinstance(exp, int) else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=_babel_locale(), decimal_quantization=True)


def money(amount: Decimal, currency: str, places: int | None = None) -> str:
    """An amount with its currency code, the local way: ``KES 1,234.50`` / ``1.234,50 KES``.

    The ISO code, not a symbol: a worker paid in USD and living with KES must never
    wonder which dollar or shilling is meant. Sub-cent amounts keep their digits."""
    from babel.numbers import format_currency, get_currency_precision

    amount = Decimal(amount)
    if places is None:
        exp = amount.as_tuple().exponent
        own = max(0, -exp) if isinstance(exp, int) else 0
        places = max(own, get_currency_precision(currency))
    pattern = "¤¤ #,##0" + ("." + "0" * places if places else "")
    return format_currency(amount, currency, format=pattern, locale=_babel_locale(), currency_digits=False)


def date(value, length: str = "medium") -> str:
    """A date the local way (``9 Mar 2026``, ``9 de mar. de 2026``)."""
    from babel.dates import format_date

    return format_date(value, format=length, locale=_babel_locale())


def parse_number(text: str) -> Decimal:
    """A number typed the local way (``12,50`` in Brazil, ``1,234.5`` in Kenya), exactly.

    Raises ValueError when the text is not a number in this language's notation, e.g.
    ``1,234`` in Spanish (a thousands group, not a decimal comma, would be guessing)."""
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return parse_decimal(text.strip(), locale=_babel_locale(), strict=True)
    except NumberFormatError as exc:
        raise ValueError(str(exc)) from None
