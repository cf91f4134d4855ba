"""Click's classes with their help in the logbook's language (docs/languages.md, "What stays English").

Click reads a command's help and its options' help when the command's module is imported,
before any logbook is open; here they are stored in English (the catalogue's msgid, marked
``N_`` where they are written) and translated each time click shows them, so ``--help``
speaks whatever language is in use then. Every command module builds its commands with
:func:`command`, :func:`group` and :func:`option` instead of click's own.

Click words its own messages ("Usage:", "No such option", "Missing argument" ...) with the
classic gettext API; :func:`speak_click` points them at taskerlog's catalogue.
"""

from __future__ import annotations

import functools
import importlib

import click

from .. import i18n
from ..i18n import N_, _


def _shown(name: str) -> property:
    """An attribute click stores in English and reads each time it shows it: the translation
    (its named placeholders filled from ``help_values``: words the code knows, typed as they are)."""
    stored = "_english_" + name

    def get(self):
        text = getattr(self, stored, None)
        if not text:
            return text  # (gettext of "" is the catalogue's header)
        values = getattr(self, "help_values", None)
        return _(text).format(**values) if values else _(text)

    def put(self, value):
        setattr(self, stored, value)

    return property(get, put)


class Command(click.Command):
    """A command whose help, short help and epilog are shown in the language in use. Its
    examples (``example=``, one command line or several) are what a worker types: they stay
    out of the catalogue, each shown as ``Example: <the command line>`` after the help."""

    short_help = _shown("short_help")
    epilog = _shown("epilog")
    _prose = _shown("help")

    def __init__(self, *args, example: str | tuple[str, ...] = (), help_values: dict[str, str] | None = None,
                 **kwargs):
        self.examples = (example,) if isinstance(example, str) else tuple(example)
        self.help_values = help_values
        super().__init__(*args, **kwargs)

    @property
    def help(self) -> str | None:
        # Translators: {command} is a command line, shown exactly as it is typed
        examples = [_("Example: {command}").format(command=e) for e in self.examples]
        return "\n\n".join([self._prose, *examples] if self._prose else examples) or None

    @help.setter
    def help(self, value: str | None) -> None:
        self._prose = value

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # click makes it once per command, in the language in use then
            option.help = _("Show this message and exit.")
        return option


class Group(Command, click.Group):
    command_class = Command
    group_class = type  # a group's subgroups are of its own class


class Option(click.Option):
    """An option whose help is translated when shown (``help_values`` as for a command)."""

    help = _shown("help")

    def __init__(self, *args, help_values: dict[str, str] | None = None, **kwargs):
        self.help_values = help_values
        super().__init__(*args, **kwargs)


class FilePath(click.Path):
    """A path whose kind (file, folder, path) is named in the language in use, in click's
    messages (``File 'x' does not exist``); its metavar (``FILE``) stays English, as the
    other metavars and the option names do."""

    name = _shown("name")

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        # an option's metavar is its type's name; an argument's (None here) is its own name
        return self._english_name.upper() if isinstance(param, click.Option) else None


command = functools.partial(click.command, cls=Command)
group = functools.partial(click.group, cls=Group)
option = functools.partial(click.option, cls=Option)

# click shows an option's "[required]" with _(extra["required"]), a name babel cannot read there
# Translators: shown after an option's help, as [required]: the option must be given
N_("required")

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils",
                 "shell_completion", "_termui_impl")
"""Click's modules that word a message with ``_`` or ``ngettext`` (all but Windows' console)."""


def speak_click() -> None:
    """Click's own words in the language in use: each click module binds ``gettext`` and
    ``ngettext`` from the standard library, which read the process's global domain
    (pallets/click#2706); they are pointed at taskerlog's catalogue instead. Called by the
    command line's entry only: the app never shows click's words."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = i18n.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext
