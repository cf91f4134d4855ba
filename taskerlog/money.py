"""Exact money.

Amounts are :class:`decimal.Decimal` at the edges (parsing, display) and integer
**micro-units** (millionths of a currency unit) in SQLite and in data frames, so sums of
int64 are exact and sub-cent piece rates ($0.005 a task, 0.2 yuan an item) survive.
Binary floating point never holds money.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from .problems import say

MICRO = 1_000_000
MAX_INT_DIGITS = 12
"""Digits an amount may have before the dot: 10^12 of any currency is more than any pay,
and int64 micro-units hold 9.2 × 10^12 (the bundle refuses longer amounts the same way)."""
LARGEST = Decimal(10) ** MAX_INT_DIGITS
_MICRO_D = Decimal(MICRO)

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_AMOUNT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class MoneyError(ValueError):
    """A value that cannot be an amount or a currency; the message is for a worker."""


def parse_amount(text: str | int | Decimal, *, allow_negative: bool = False) -> Decimal:
    """Parse a plain decimal string ("0.01", "1250.50") into an exact Decimal.

    Thousands separators, currency symbols and exponents are refused: a bundle is a
    machine format, and guessing there would corrupt someone's pay.
    """
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        s = str(text).strip()
        if not _AMOUNT_RE.match(s):
            raise MoneyError(say(
                "money.not_amount", "'{text}' is not an amount; write it as a plain number like 12.50 "
                "(a dot for decimals, no currency sign, no thousands separator)", text=text))
        try:
            value = Decimal(s)
        except InvalidOperation as exc:  # pragma: no cover - regex guards this
            raise MoneyError(say("money.not_a_number", "'{text}' is not an amount", text=text)) from exc
    if not value.is_finite():
        raise MoneyError(say("money.not_a_number", "'{text}' is not an amount", text=text))
    if value < 0 and not allow_negative:
        raise MoneyError(say("money.negative", "'{text}' is negative; amounts here must be 0 or more", text=text))
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        raise MoneyError(too_precise(text))
    if abs(value) >= LARGEST:
        raise MoneyError(say("money.too_large", "'{text}' is too large to be an amount (at most {digits} digits "
                             "before the dot)", text=text, digits=MAX_INT_DIGITS))
    return value


def to_micros(value: Decimal | str | int) -> int:
    """Exact Decimal → integer micro-units (at most 6 decimals, checked by parse_amount)."""
    if not isinstance(value, Decimal):
        value = parse_amount(value, allow_negative=True)
    micros = value * _MICRO_D
    if micros != micros.to_integral_value():
        raise MoneyError(too_precise(value))
    return int(micros)


def too_precise(text) -> str:
    return say("money.too_precise", "'{text}' has more than 6 decimal places", text=text)


def from_micros(micros: int | None) -> Decimal | None:
    """Integer micro-units → Decimal (None stays None)."""
    if micros is None:
        return None
    return Decimal(int(micros)) / _MICRO_D


def round_div(numerator, denominator):
    """``numerator / denominator`` rounded half to even (banker's rounding): the one rounding
    of integer amounts in taskerlog (figures, exchange, imported durations).

    Exact for Python ints of any size; element-wise on numpy integer arrays (either side,
    with a positive denominator), where it stays in the arrays' dtype.
    """
    if isinstance(denominator, int):
        if denominator == 0:
            raise ZeroDivisionError("round_div by zero")
        if denominator < 0:
            numerator, denominator = -numerator, -denominator
    q, r = divmod(numerator, denominator)
    return q + ((2 * r > denominator) | ((2 * r == denominator) & (q % 2 == 1)))


def format_amount(value: Decimal | None, places: int | None = None) -> str | None:
    """Decimal → string for JSON and CSV: at least two decimals, no exponent, no float.

    ``places`` quantizes (half to even); without it the value keeps every digit it has.
    """
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".00"
    elif len(text.split(".")[1]) < 2:
        text += "0"
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text


def format_micros(micros: int | None, places: int | None = None) -> str | None:
    """Micro-units → decimal string (see :func:`format_amount`)."""
    return format_amount(from_micros(micros), places)


def not_a_currency(code) -> str:
    return say("money.not_currency", "'{value}' is not a currency code; use the three-letter ISO 4217 code such as "
               "USD, KES, PHP, INR, EUR (check the spelling)", value=code)


@functools.cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 code, current and withdrawn (HRK, BGN, VEF...: old records keep
    theirs), from the Unicode CLDR data that Babel ships (which also has CNH, the offshore
    yuan)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies()) - _NO_MONEY


_NO_MONEY = frozenset({"XXX", "XTS"})
"""ISO 4217's "no currency" and "for testing" codes: no one is paid in them."""


def check_currency(code: str) -> str:
    """Validate an ISO 4217 code and return it upper-cased. A typo such as ``UDS`` is
    refused here: later, every figure would fail for want of its exchange rate."""
    c = (code or "").strip().upper()
    if not _CURRENCY_RE.match(c) or c not in currency_codes():
        raise MoneyError(not_a_currency(code))
    return c


def plain(value: Decimal) -> str:
    """A decimal as plain digits, never in exponent form: ``Decimal("1E-25")`` →
    ``0.0000000000000000000000001`` (what every reader of a taskerlog file accepts)."""
    return format(value, "f")


def parse_rate_decimal(text: str | Decimal) -> Decimal:
    """An exchange rate: a positive decimal with any number of places."""
    s = plain(text) if isinstance(text, Decimal) else str(text).strip()
    if not _AMOUNT_RE.match(s):
        raise MoneyError(say("money.not_rate", "'{text}' is not an exchange rate; write a plain number like 0.0077",
                             text=text))
    value = Decimal(s)
    if value <= 0:
        raise MoneyError(say("money.rate_not_positive", "'{text}' must be more than 0", text=text))
    return value
