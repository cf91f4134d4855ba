"""The command line's words for each fix a lower layer asks for (``taskerlog.problems``):
the command or option to type. The app's words for the same fixes are ``appsupport.FIXES``;
a test checks both word every fix the lower layers use, with the same parameters."""

from __future__ import annotations


def _options(format: str, options: tuple[str, ...]) -> str:
    return f"--from {format} does not use " + ", ".join("--" + o for o in options)


FIXES: dict = {
    # importing another tool's file (import-history FORMAT / import --from FORMAT)
    "unused_options": _options,
    "option": "--{name}",
    "use_format": "--from {format}",
    "mapping": "--mapping '{example}'",
    "day_first_which": "say which with --day-first yes (DD/MM/YYYY) or --day-first no (MM/DD/YYYY)",
    "day_first_set": "set --day-first yes|no",
    "day_first_change": "change --day-first (now {now})",
    "decimal_comma_which": "say which with --decimal-comma yes (12,50) or --decimal-comma no (12.50)",
    "decimal_comma_set": "set --decimal-comma yes|no",
    "duration_unit": "--duration-unit minutes|hours",
    "platform_or_column": "add --platform NAME (e.g. --platform Outlier) or map a column with --mapping 'Col=platform'",
    "platform_say": "say which with --platform NAME (e.g. --platform Outlier)",
    "platform_add": "add --platform NAME",
    "hit_minutes": "--hit-minutes N",
    "strict": "--strict",
    "payer": "--payer '{name}={platform}'",
    "file_timezone": "set --timezone for this file",
    "add_fx": "(fx.csv or `taskerlog fx {currency} RATE --on {day}`)",
}
