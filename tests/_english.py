"""English left in what a worker reads in another language (issue 25's checks).

A page or an output is rendered twice, in English and in another language; a word of the
English rendering that comes back in the other one is English left behind, unless the
language's catalogue itself uses that word (``Total`` is Spanish too, ``EQ`` is kept on
purpose) or it is the worker's data (names of platforms and projects, notes), given as
``allow``. Currency codes (three capitals) and numbers are never words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from taskerlog import i18n

WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")
ALWAYS = {"taskerlog"}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def words(text: str) -> set[str]:
    """The words of ``text`` that could be English (ASCII letters, three or more), lowercased,
    without currency codes."""
    return {w.lower() for w in WORD.findall(text) if not (len(w) == 3 and w.isupper())}


@lru_cache(maxsize=None)
def catalogue_words(language: str) -> frozenset[str]:
    """Every word the language's catalogue uses in its translations."""
    from babel.messages.pofile import read_po

    code = i18n.supported(language)
    with open(i18n.LOCALE_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as f:
        catalog = read_po(f)
    out: set[str] = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for s in strings:
            out |= words(PLACEHOLDER.sub(" ", s or ""))  # {week} is a name in the code, not a word shown
    return frozenset(out)


def english_left(english: str, other: str, language: str, *, allow: Iterable[str] = ()) -> list[str]:
    """The lines of ``other`` (the text in ``language``) holding a word that is in ``english``
    (the same thing rendered in English) and in neither the language's catalogue nor
    ``allow``; empty when nothing was left in English. Each finding is ``word: line``."""
    allowed = set(catalogue_words(language)) | ALWAYS
    for a in allow:
        allowed |= words(a)
    english_words = words(english)
    found = []
    for line in other.splitlines():
        left = sorted((words(line) & english_words) - allowed)
        found += [f"{w}: {line.strip()}" for w in left]
    return found
