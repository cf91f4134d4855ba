"""The command line's words for each fix a lower layer asks for (``taskerlog.problems``):
the command or option to type. The app's words for the same fixes are ``appsupport.FIXES``;
a test checks both word every fix the lower layers use, with the same parameters.

The words are marked ``N_`` and translated when a problem is worded (``problems.fix_words``);
a wording that is only an option or a command (``--strict``) is not marked: it stays as typed."""

from __future__ import annotations

from ..i18n import N_, _


def _options(format: str, options: tuple[str, ...]) -> str:
    return _("--from {format} does not use {options}").format(
        format=format, options=", ".join("--" + o for o in options))


FIXES: dict = {
    # importing another tool's file (import-history FORMAT / import --from FORMAT)
    "unused_options": _options,
    "option": "--{name}",
    "use_format": "--from {format}",
    "mapping": "--mapping '{example}'",
    "day_first_which": N_("say which with --day-first yes (DD/MM/YYYY) or --day-first no (MM/DD/YYYY)"),
    "day_first_set": N_("set --day-first yes|no"),
    "day_first_change": N_("change --day-first (now {now})"),
    "decimal_comma_which": N_("say which with --decimal-comma yes (12,50) or --decimal-comma no (12.50)"),
    "decimal_comma_set": N_("set --decimal-comma yes|no"),
    "duration_unit": "--duration-unit minutes|hours",
    "platform_or_column": N_("add --platform NAME (e.g. --platform Outlier) or map a column with --mapping 'Col=platform'"),
    "platform_say": N_("say which with --platform NAME (e.g. --platform Outlier)"),
    "platform_add": N_("add --platform NAME"),
    "hit_minutes": "--hit-minutes N",
    "strict": "--strict",
    "payer": "--payer '{name}={platform}'",
    "file_timezone": N_("set --timezone for this file"),
    "add_fx": N_("(fx.csv or `taskerlog fx {currency} RATE --on {day}`)"),
    # pooling for organizers
    "start_pool": N_("give the campaign once with --campaign CAMPAIGN.json"),
    "epsilon": "--epsilon {example}",
    "pool_platform": N_("add --platform \"{platform}=NAME\""),
    "map_categories": N_("map them with --map \"PLATFORM/PROJECT=CATEGORY\""),
    # the logbook file and its records
    "open_copy": N_("use --db with the copy"),
    "backup_elsewhere": "taskerlog backup PATH",
    "choose_backup": N_("choose a file made by taskerlog backup"),
    "edit_work": "taskerlog edit / taskerlog delete",
    "list_records": "taskerlog record list {table}",
    "add_project": "taskerlog project add",
    "end_project": "taskerlog project end",
    # figures that need something added or corrected
    "mark_earlier_work": N_("taskerlog record edit payouts ID for_earlier_work=yes, or Fix records in the app"),
    "add_units": N_("add the number of tasks: taskerlog edit {id} --units N"),
    "add_rate": N_('add its rate from the day it has applied: taskerlog rate "{platform}" "{project}" AMOUNT --from {day}'),
    "move_rate_start": N_("taskerlog record list rates, then taskerlog record edit rates ID effective_at={day}T00:00"),
    "stop_clock_at": "taskerlog clock stop --id {id} --at HH:MM",
    # evidence and anchors
    "period_backwards": N_("--to {last} is before --from {first}"),
    "reference_wage": "--reference-wage",
    "minimum_or_own": N_("a legal minimum (--minimum) or your own figure (--reference-wage)"),
    "attach_target": N_("a work entry (--entry) or to a project/platform"),
    "attach_platform": N_("--project needs --platform"),
    "attach_about": N_("--entry ID, --platform/--project, or --note TEXT"),
    "verify": N_("taskerlog verify names it too"),
    "keep_anchor": N_("keep the line `taskerlog anchor` prints somewhere else (an email) and give it to verify (--anchor)"),
    "make_anchor": "taskerlog anchor",
    # the phone (its pages are the app's; the command starts it)
    "restart_app": N_("starting `taskerlog app` again"),
    "pairing_link": N_("Settings → Your phone, or what `taskerlog app --phone` printed"),
}
