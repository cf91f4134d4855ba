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
    # pooling for organizers
    "start_pool": "give the campaign once with --campaign CAMPAIGN.json",
    "epsilon": "--epsilon {example}",
    "pool_platform": "add --platform \"{platform}=NAME\"",
    "map_categories": "map them with --map \"PLATFORM/PROJECT=CATEGORY\"",
    # the logbook file and its records
    "open_copy": "use --db with the copy",
    "backup_elsewhere": "taskerlog backup PATH",
    "choose_backup": "choose a file made by taskerlog backup",
    "edit_work": "taskerlog edit / taskerlog delete",
    "list_records": "taskerlog record list {table}",
    "add_project": "taskerlog project add",
    "end_project": "taskerlog project end",
    # figures that need something added or corrected
    "mark_earlier_work": "taskerlog record edit payouts ID for_earlier_work=yes, or Fix records in the app",
    "add_units": "add the number of tasks: taskerlog edit {id} --units N",
    "add_rate": 'add its rate from the day it has applied: taskerlog rate "{platform}" "{project}" AMOUNT --from {day}',
    "move_rate_start": "taskerlog record list rates, then taskerlog record edit rates ID effective_at={day}T00:00",
    "stop_clock_at": "taskerlog clock stop --id {id} --at HH:MM",
    # evidence and anchors
    "period_backwards": "--to {last} is before --from {first}",
    "reference_wage": "--reference-wage",
    "minimum_or_own": "a legal minimum (--minimum) or your own figure (--reference-wage)",
    "attach_target": "a work entry (--entry) or to a project/platform",
    "attach_platform": "--project needs --platform",
    "attach_about": "--entry ID, --platform/--project, or --note TEXT",
    "verify": "taskerlog verify names it too",
    "keep_anchor": "keep the line `taskerlog anchor` prints somewhere else (an email) and give it to verify (--anchor)",
    "make_anchor": "taskerlog anchor",
    # the phone (its pages are the app's; the command starts it)
    "restart_app": "starting `taskerlog app` again",
    "pairing_link": "Settings → Your phone, or what `taskerlog app --phone` printed",
}
