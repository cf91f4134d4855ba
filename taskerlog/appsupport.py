"""Glue between the Streamlit pages and the core, testable without Streamlit.

Nothing here computes a figure: the figures come from :mod:`taskerlog.metrics`. This
module chooses the logbook file (the worker's own or the separate sample one), turns a
period choice into dates, turns form values into records, and formats what the core
returns for display. Pure functions take ``today``/``now`` as arguments.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from . import i18n, money, render, timeutil, vocab
from .i18n import N_, _
from .frames import LogbookFrames
from .usecases import not_after_now
from .store import SAMPLE_MARK, default_db_path
from .store.activity import active_seconds

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "sample_data"

PERIODS = (N_("This week"), N_("Last week"), N_("This month"), N_("Last month"), N_("All time"), N_("Custom"))
"""The Dashboard's periods (the values stay English; :func:`period_label` shows one)."""


def period_label(period: str) -> str:
    """One of :data:`PERIODS` in the language in use."""
    return _(period)

#: form-level limit on what an uploaded zip may unpack to (a bundle is a few MB of CSV)
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


# -- which logbook -------------------------------------------------------------------------
def my_db_path() -> Path:
    """The worker's own logbook: ``$TASKERLOG_DB``, else the user data folder (as the CLI)."""
    return default_db_path()


def sample_db_path(real: Path | None, label: str) -> Path:
    """A sample logbook lives next to the real one, in its own file, named as a sample."""
    real = Path(real) if real is not None else my_db_path()
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in label)
    return real.with_name(f"{real.stem}{SAMPLE_MARK}{safe}{real.suffix or '.sqlite'}")


SAMPLE_PREFIX = "sample-"


def logbook_choice(query_value: str | None, real: Path, samples: dict[str, Path]) -> tuple[str | None, Path]:
    """``?logbook=sample-<label>`` → (label, its sample file) when that sample exists, else (None, real)."""
    if query_value and query_value.startswith(SAMPLE_PREFIX):
        label = query_value[len(SAMPLE_PREFIX):]
        path = sample_db_path(real, label)
        if label in samples and path.exists():
            return label, path
    return None, real


def sample_bundles(sample_dir: Path = SAMPLE_DIR) -> dict[str, Path]:
    """Sample bundles shipped in ``sample_data/``: folders holding CSVs, or ``.zip`` files.

    Returns ``{label: path}``; the folder itself counts when it holds CSVs directly.
    """
    found: dict[str, Path] = {}
    if not sample_dir.is_dir():
        return found
    if any(sample_dir.glob("*.csv")):
        found[sample_dir.name] = sample_dir
    for p in sorted(sample_dir.iterdir()):
        if p.is_dir() and any(p.glob("*.csv")):
            found[p.name] = p
        elif p.suffix.lower() == ".zip":
            found[p.stem] = p
    return found


# -- periods -------------------------------------------------------------------------------
def period_bounds(choice: str, today: dt.date, custom: tuple[dt.date, dt.date] | None = None
                  ) -> tuple[dt.date | None, dt.date | None]:
    """A period picker choice → inclusive ``(date_from, date_to)`` (None = open)."""
    if choice == "This week":
        monday = timeutil.week_monday(today)
        return monday, monday + dt.timedelta(days=6)
    if choice == "Last week":
        monday = timeutil.week_monday(today) - dt.timedelta(days=7)
        return monday, monday + dt.timedelta(days=6)
    if choice in ("This month", "Last month"):
        from dateutil.relativedelta import relativedelta  # calendar months: day=31 is the month's last day

        first = today + relativedelta(months=-1 if choice == "Last month" else 0, day=1)
        return first, first + relativedelta(day=31)
    if choice == "All time":
        return None, None
    if choice == "Custom":
        if not custom or len(custom) != 2:
            raise ValueError(_("pick a start and an end date"))
        a, b = custom
        if b < a:
            raise ValueError(_("the end date is before the start date"))
        return a, b
    raise ValueError(f"unknown period {choice!r}")


def default_period(work: pd.DataFrame, tz: str, today: dt.date) -> str:
    """"This month" when there is work in it, else "All time" (a sample, an old import)."""
    first = timeutil.local_midnight(today.replace(day=1), tz)
    return "This month" if len(work) and (work["start"] >= first).any() else "All time"


def today_in(tz: str, now: int) -> dt.date:
    return timeutil.to_local(now, tz).date()


def cli_command(date_from: dt.date | None, date_to: dt.date | None, platform: str | None,
                project: str | None, reference_wage: Decimal | None) -> str:
    """The ``taskerlog metrics --json`` command that prints the same figures."""
    parts = ["taskerlog", "metrics", "--json"]
    if date_from:
        parts += ["--from", date_from.isoformat()]
    if date_to:
        parts += ["--to", date_to.isoformat()]
    if platform:
        parts += ["--platform", _quote(platform)]
    if project:
        parts += ["--project", _quote(project)]
    if reference_wage is not None:
        parts += ["--reference-wage", str(reference_wage)]
    return " ".join(parts)


def _quote(s: str) -> str:
    return s if s.replace("-", "").replace("_", "").isalnum() else "'" + s.replace("'", "'\\''") + "'"


# -- nothing leaves the machine --------------------------------------------------------------
def _no_external_ip() -> None:
    return None


def keep_streamlit_offline() -> None:
    """Stop Streamlit from asking the internet for this computer's address.

    When a websocket arrives with an Origin that is not this server's own (a web page
    elsewhere trying to talk to the app), Streamlit's origin check calls
    ``streamlit.net_util.get_external_ip``, which asks ``checkip.amazonaws.com``: the app
    itself would tell an outside server this worker's address, at a time a stranger's page
    chose. No configuration avoids it (the check tries that lookup for every origin it does
    not know), so the lookup is replaced by "no external address": a foreign origin is
    still refused, and nothing is sent. Called by ``taskerlog app`` before the server
    starts and by ``app.py`` as it runs (for a bare ``streamlit run app.py``). Streamlit
    looks the function up on its module at each call, so replacing it there is enough."""
    from streamlit import net_util

    net_util.get_external_ip = _no_external_ip


# -- text stays text ----------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_LEAD_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_AUTOLINK = re.compile(r"https?(?=:)|www(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"
"""Invisible, and not part of a word: put after ``http``/``www`` and before ``@`` so that
GitHub-flavoured Markdown's autolinks (made from the text itself, escapes or not) never
start. Copied text carries it; nothing else about the text changes."""


def literal(text: Any) -> str:
    """``text`` (a name, a note, a file name: anything a worker or a file typed) as Markdown
    that Streamlit shows exactly as typed: never a link, an image, bold, HTML, an icon, a
    colour or a formula. Every Streamlit call that parses Markdown (``st.markdown``,
    ``st.caption``, ``st.success``/``info``/``warning``/``error``, headers, widget, tab,
    expander and button labels, ``help=`` tooltips, ``st.metric`` labels, ``st.write`` of a
    string) gets user text through this, and only through this.

    Every ASCII punctuation character is backslash-escaped (CommonMark: any of them may be),
    which also stops entities (``&amp;``), ``:emoji:`` and ``:material/icon:`` shortcodes and
    ``$`` formulas; autolinks (``www.x.y``, ``http://``, ``a@b.c``) are found in the text
    after unescaping, so a :data:`WORD_JOINER` breaks each one up; a line's leading
    spaces become no-break spaces (four would start a code block) and each line break is
    kept as a line break."""
    s = "" if text is None else str(text)
    s = _AUTOLINK.sub(lambda m: m[0] + WORD_JOINER, s).replace("@", WORD_JOINER + "@")
    s = _MD_SPECIAL.sub(r"\\\1", s.replace("\r\n", "\n").replace("\r", "\n"))
    s = _LEAD_SPACE.sub(lambda m: "\u00a0" * len(m[0].expandtabs(4)), s)
    return s.replace("\n", "  \n")


# -- formatting ----------------------------------------------------------------------------
fmt_amount = render.grouped
"""An amount for a person to read (:func:`taskerlog.render.grouped`)."""

fmt_money = render.money_text
"""``USD 13.21``; ``—`` when undefined (:func:`taskerlog.render.money_text`)."""


def fmt_hours(h: float | Decimal | None) -> str:
    """Hours as h:mm to the nearest minute (:func:`taskerlog.render.hm`: ``0.0167`` → ``0:01``;
    a 1-minute HIT is not "0.02"); ``—`` when undefined."""
    return "—" if h is None else render.hm(round(float(h) * 3600))


def fmt_pct(x: float | Decimal | None, *, share: bool = False) -> str:
    """:func:`taskerlog.render.percent` for display; ``share=True`` when the value is a 0-1 fraction."""
    if x is None:
        return "—"
    return render.percent(Decimal(str(x)) * 100 if share else x)


def fmt_duration(seconds: int) -> str:
    seconds = max(0, int(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}"


def activity_note(spans: pd.DataFrame, start: int, end: int) -> str | None:
    """ActivityWatch evidence for an entry's span [start, end), as a sentence: how long the
    worker was active at the computer, and the apps or sites in focus longest. None when
    nothing was recorded then. Plain text (app and site names as recorded): show it with
    :func:`literal`."""
    if spans is None or spans.empty:
        return None
    active = active_seconds(spans, start, end)
    focus = spans[spans["kind"].isin(["window", "web"])]
    focus = (focus["end"].clip(upper=end) - focus["start"].clip(lower=start)).groupby(focus["app"]).sum()
    top = focus[focus > 0].sort_values(ascending=False, kind="stable").head(3)
    if len(top):
        return _("ActivityWatch: active at the computer for {active} of this entry's {length} · in focus: {apps}. "
                 "Evidence beside the entry; it never changes the hours counted.").format(
            active=fmt_duration(active), length=fmt_duration(end - start),
            apps=", ".join(f"{app} {fmt_duration(int(s))}" for app, s in top.items()))
    return _("ActivityWatch: active at the computer for {active} of this entry's {length}. Evidence beside the "
             "entry; it never changes the hours counted.").format(active=fmt_duration(active),
                                                                   length=fmt_duration(end - start))


def as_share(value: float | None) -> float | None:
    """metrics gives unpaid_share as a fraction (0-1) or a percent (0-100); normalise to 0-1."""
    if value is None:
        return None
    return value / 100 if value > 1 else value


def names(*columns: pd.Series) -> list[str]:
    """Sorted distinct non-blank names across columns (``unique`` first: fast on 1M rows)."""
    out: set[str] = set()
    for col in columns:
        out.update(str(v) for v in col.dropna().unique() if str(v))
    return sorted(out)


# -- project choices -----------------------------------------------------------------------
SEP = " · "


def project_choices(frames: LogbookFrames, platforms: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    """``(platform, project)`` pairs to log against: every project, then each platform alone."""
    pairs = [(str(r.platform), str(r.project)) for r in frames.projects.itertuples()]
    plats = names(frames.projects["platform"], frames.work["platform"], pd.Series(list(platforms), dtype=object))
    return pairs + [(p, None) for p in plats]


def choice_label(pair: tuple[str, str | None]) -> str:
    platform, project = pair
    return f"{platform}{SEP}{project}" if project else f"{platform}{SEP}{_('(no project)')}"


def project_currency(frames: LogbookFrames, platform: str, project: str | None) -> str:
    if project:
        m = frames.projects[(frames.projects["platform"] == platform) & (frames.projects["project"] == project)]
        if len(m):
            return str(m.iloc[0]["currency"])
    return frames.settings.home_currency


def project_unit(frames: LogbookFrames, platform: str, project: str | None) -> str:
    """What a new rate of the project is per: ``task`` for a project paid per task, else ``hour``."""
    p = frames.projects
    m = p[(p["platform"] == platform) & (p["project"] == project)] if project else p.iloc[:0]
    return "task" if len(m) and m.iloc[0]["pay_model"] == "per_task" else "hour"


def light_frames(settings, projects: list[dict], platforms: list[dict], eq: list[dict]) -> LogbookFrames:
    """The small part of a logbook the Log page needs (projects, EQ), from ``store.rows``.

    Its ``work`` is empty on purpose: reading a million entries is not needed to log one.
    """
    from .frames import EQ_COLUMNS, PROJECT_COLUMNS

    names_by_id = {p["id"]: p["name"] for p in platforms}
    proj = pd.DataFrame([{**{c: p.get(c) for c in PROJECT_COLUMNS}, "platform": names_by_id.get(p["platform_id"]),
                          "project": p["name"]} for p in projects], columns=PROJECT_COLUMNS)
    eqf = pd.DataFrame([{"platform": names_by_id.get(e["platform_id"]), "start_date": dt.date.fromisoformat(e["start_date"]),
                         "end_date": dt.date.fromisoformat(e["end_date"]) if e["end_date"] else None, "note": e["note"]}
                        for e in eq], columns=EQ_COLUMNS)
    return LogbookFrames(settings=settings, projects=proj, eq=eqf)


DAY_RANGE = {"min_value": dt.date(1, 1, 1), "max_value": dt.date(9999, 12, 31)}
"""For ``st.date_input``: a day typed outside the widget's range turns red and the widget
silently keeps its old day (its default range is ten years either way, so a typed 2099 was
saved as today). With every year the widget can hold, the day typed is the day the form
gets, and the logbook's own check refuses a year outside 1900-2199 in words. (A year
typed with two digits, "25", the widget still does not take: the saved message names the
day used.)"""

PERIOD_RANGE = {"min_value": dt.date(timeutil.YEARS[0], 1, 1), "max_value": dt.date(timeutil.YEARS[1], 12, 31)}
"""For a date input that only chooses what to look at (a period, a filter): the logbook's years."""

LONGEST_OVERNIGHT_H = 12
"""A past entry whose end is before its start is taken as work past midnight up to this long."""


def eq_period_so_far(p, today: dt.date):
    """An empty queue is recorded as it happens: it cannot begin on a day still to come."""
    if p.start_date > today:
        raise ValueError(_("the queue cannot be empty since {day}: that day has not come yet (today is {today}); "
                           "mark it on the day it empties").format(day=p.start_date, today=today))
    return p


def hour_just_past(now: int, tz: str) -> tuple[dt.date, dt.time, dt.time]:
    """The Past entry form's default: the hour that ended at the last 5-minute mark (its
    day is the day it started on)."""
    end = timeutil.to_local(now - now % 300, tz)
    start = end - dt.timedelta(hours=1)
    return start.date(), start.time().replace(tzinfo=None), end.time().replace(tzinfo=None)


def past_span(day: dt.date, start: dt.time, end: dt.time, tz: str, now: int) -> tuple[int, int, str]:
    """A past entry typed as a day, a From and a To → (start, end, a note for the message).

    To before From is work past midnight, ending the next day, when that makes at most
    LONGEST_OVERNIGHT_H hours; longer, it is a slip (14:00 → 10:00 is not 20 hours of
    work). From equal to To, and an end after ``now``, are refused.
    """
    if end == start:
        raise ValueError(_("From and To are both {time}: the entry would last no time at all; set when it "
                           "ended").format(time=f"{start:%H:%M}"))
    a = local_instant(day, start, tz)
    overnight = end < start
    b = local_instant(day + dt.timedelta(days=1) if overnight else day, end, tz)
    if overnight and b - a > LONGEST_OVERNIGHT_H * 3600:
        raise ValueError(_("To ({end}) is before From ({start}); as work past midnight that would be {hours} hours. "
                           "Check the times (for work past midnight, To is the next day's time)").format(
            end=f"{end:%H:%M}", start=f"{start:%H:%M}", hours=i18n.number(Decimal(b - a) / 3600, 1)))
    not_after_now(b, now, tz)
    return a, b, (_(" (ending the next day, {day})").format(day=day + dt.timedelta(days=1)) if overnight else "")


def local_instant(day: dt.date, time: dt.time, tz: str) -> int:
    """A date and a wall-clock time in the logbook's zone → epoch seconds (DST-safe)."""
    return timeutil.parse_instant(dt.datetime.combine(day, time).isoformat(timespec="minutes"), tz)


def missing(v: Any) -> bool:
    """None, pandas NA or NaN: "not recorded"."""
    if v is None or v is pd.NA:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def parse_units(text: str | None) -> int | None:
    """A form's "tasks" box: blank → None, else a whole number."""
    t = (text or "").strip()
    if not t:
        return None
    if not t.isdigit():
        raise ValueError(_("tasks: '{text}' is not a whole number of tasks").format(text=t))
    return int(t)


def blank(v: Any) -> Any:
    """Form text → None when empty."""
    if v is None:
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


# -- EQ calendar, rate history -------------------------------------------------------------
def eq_days(eq: pd.DataFrame, date_from: dt.date | None, date_to: dt.date | None, today: dt.date,
            platform: str | None = None) -> pd.DataFrame:
    """One row per (platform, day) in an empty queue, inside the period (open EQ runs to today)."""
    rows = []
    for r in eq.itertuples(index=False):
        if platform and r.platform != platform:
            continue
        end = r.end_date if r.end_date is not None else today
        a = max(r.start_date, date_from) if date_from else r.start_date
        b = min(end, date_to) if date_to else end
        d = a
        while d <= b:
            rows.append({"platform": r.platform, "day": d})
            d += dt.timedelta(days=1)
    df = pd.DataFrame(rows, columns=["platform", "day"]).drop_duplicates()
    if len(df):
        df["week"] = [timeutil.week_monday(d).isoformat() for d in df["day"]]
        df["weekday"] = [d.strftime("%a") for d in df["day"]]
        df["date"] = [d.isoformat() for d in df["day"]]
    return df


def calendar(eq_days_df: pd.DataFrame, worked_days: Iterable[dt.date], date_from: dt.date | None,
             date_to: dt.date | None, today: dt.date, max_weeks: int = 53) -> pd.DataFrame:
    """Every day of the period (at most ``max_weeks`` weeks, ending at its last day) marked
    ``empty queue``, ``worked`` or ``nothing logged`` — the EQ calendar's cells."""
    worked = set(worked_days)
    eq = set(eq_days_df["day"]) if len(eq_days_df) else set()
    last = min(date_to, today) if date_to else today  # no days that have not come yet
    known = sorted(worked | eq)
    first = date_from or (known[0] if known else last)
    first = max(first, timeutil.week_monday(last) - dt.timedelta(weeks=max_weeks - 1))
    if first > last:
        return pd.DataFrame(columns=["date", "week", "weekday", "state"])
    rows = []
    d = first
    while d <= last:
        state = "empty queue" if d in eq else ("worked" if d in worked else "nothing logged")
        rows.append({"date": d.isoformat(), "week": timeutil.week_monday(d).isoformat(),
                     "weekday": d.strftime("%a"), "state": state})
        d += dt.timedelta(days=1)
    return pd.DataFrame(rows)


def rate_history(rates: pd.DataFrame, tz: str, platform: str | None = None,
                 project: str | None = None) -> pd.DataFrame:
    """:func:`taskerlog.usecases.rate_history` (``taskerlog project rates``) as the step
    chart's frame: ``series`` names the line, ``when`` a local datetime, ``rate`` a float only
    for drawing (``rate_text`` keeps the exact figure), ``change_pct`` to 3 places."""
    from .usecases import rate_history as history

    rows = [{"series": f"{x['platform']}{SEP}{x['project']}" + (
                 f" [{';'.join(vocab.shown(k) for k in x['applies_to'].split(';'))}]" if x["applies_to"] else ""),
             "platform": x["platform"], "project": x["project"],
             "when": timeutil.to_local(x["effective_at"], tz).replace(tzinfo=None),
             "rate": float(x["rate"]), "rate_text": money.format_amount(x["rate"]),
             "unit": x["unit"], "currency": x["currency"], "change": x["change"],
             "change_pct": None if x["change_pct"] is None else float(round(x["change_pct"], 3))}
            for x in history(rates, tz, platform, project)]
    out = pd.DataFrame(rows, columns=["series", "platform", "project", "when", "rate", "rate_text", "unit",
                                      "currency", "change", "change_pct"])
    combos = set(zip(out["currency"], out["unit"]))
    if len(combos) > 1:  # one axis cannot name them all: each series does
        out["series"] = [per_unit(s, c, u) for s, c, u in zip(out["series"], out["currency"], out["unit"])]
    return out


def rate_axis_title(history: pd.DataFrame) -> str:
    """The rate chart's axis: its currency and unit ("USD per hour"), or where to find them."""
    combos = sorted(set(zip(history["currency"], history["unit"])))
    if len(combos) == 1:
        return per_unit(_("rate"), *combos[0])
    return _("rate (currency and unit beside each project)")


def per_unit(what: str, currency: str, unit: str) -> str:
    """``rate (USD per hour)``: a name with the currency and the unit (``hour``/``task``) it is in."""
    if unit == "task":
        return _("{what} ({currency} per task)").format(what=what, currency=currency)
    return _("{what} ({currency} per hour)").format(what=what, currency=currency)


def extend_steps(history: pd.DataFrame, until: dt.datetime, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add one point per series at ``until`` with its last rate, so a step line reaches today
    (a project with a single rate is still drawn as a line); a project that ended (its
    ``ended_on`` in ``projects``) stops at the end of that day."""
    if not len(history):
        return history
    ends = {}
    if projects is not None and len(projects):
        ends = {(a, b): e for a, b, e in zip(projects["platform"], projects["project"], projects["ended_on"])
                if isinstance(e, dt.date)}
    last = history.sort_values("when").groupby("series", sort=False).tail(1).copy()
    last["when"] = [min(until, dt.datetime.combine(ends[(a, b)], dt.time(23, 59))) if (a, b) in ends else until
                    for a, b in zip(last["platform"], last["project"])]
    last = last[last["when"] > history.groupby("series")["when"].max().reindex(last["series"]).to_numpy()]
    last["change"] = "same"
    return pd.concat([history, last], ignore_index=True)


def chart_weeks(by_week: list[dict], today: dt.date) -> list[dict]:
    """metrics' ``by_week`` rows the charts draw: none that starts after today (a period to
    the end of this month has weeks that have not come yet)."""
    return [w for w in by_week if dt.date.fromisoformat(w["week_start"]) <= today]


def project_table(by_project: pd.DataFrame) -> pd.DataFrame:
    """metrics' ``by_project`` rows for reading, the key columns first (a phone shows three or
    four before it scrolls sideways): project, effective wage, hours worked, earned, then the
    rest, the platform last but one. Hours as h:mm, shares in %, money to cents."""
    proj = [p if isinstance(p, str) and p else _("(no project)") for p in by_project["project"]]
    cols: dict[str, list] = {_("project"): proj}

    def amounts(col: str) -> list:
        return ["—" if missing(v) else fmt_amount(v) for v in by_project[col]]

    def hours(col: str) -> list:
        return [None if missing(v) else fmt_hours(float(v)) for v in by_project[col]]

    for col, label, fmt in (("effective_hourly_wage", N_("effective wage/h"), amounts),
                            ("hours_worked", N_("hours worked"), hours), ("earned", N_("earned"), amounts),
                            ("paid_hourly_rate", N_("paid rate/h"), amounts), ("hours_paid", N_("hours paid"), hours)):
        if col in by_project:
            cols[_(label)] = fmt(col)
    if "unpaid_share" in by_project:
        # text written the language's way (3,2 in Spanish), as the other columns are
        cols[_("unpaid %")] = [None if missing(v) else i18n.number(Decimal(str(as_share(float(v)))) * 100, 1)
                               for v in by_project["unpaid_share"]]
    cols[_("platform")] = list(by_project["platform"])
    for col, label in (("advertised_rate", N_("advertised/h")), ("advertised_gap", N_("advertised gap"))):
        if col in by_project:
            cols[_(label)] = amounts(col)
    if "rate_cuts" in by_project:
        cols[_("rate cuts")] = list(by_project["rate_cuts"])
    return pd.DataFrame(cols)


# -- uploads -------------------------------------------------------------------------------
class UploadError(ValueError):
    """An upload that cannot be a bundle; the message says what to send instead."""


_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f]")


def upload_name(name: str | None) -> str:
    """The name the app saves an upload under, made from the name the browser sent: that
    name is the sender's to choose (``../../x.csv``, ``/etc/x``, ``C:\\x``), so only its last
    part is kept, with control characters made ``_`` and no leading or trailing dots or
    spaces (never ``.``, ``..`` or a hidden file); ``upload`` when nothing is left. At most
    150 characters, the extension kept. Readable names (``work.csv``, ``Rate cut — Slack.png``)
    are unchanged, so a bundle's files keep their table names."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = _NOT_IN_NAMES.sub("_", base).strip(" .")
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        base = base[:150 - len(ext) - 1].rstrip(" .") + ("." + ext if ext else "")
    return base or "upload"


def save_upload(folder: Path, name: str | None, data: bytes) -> Path:
    """Write an upload into ``folder`` (a temporary folder of the app's) under
    :func:`upload_name`; the browser's name is only ever shown. → the file written."""
    target = Path(folder) / upload_name(name)
    if target.resolve().parent != Path(folder).resolve():  # cannot happen: a last resort
        raise UploadError(_("{name}: not a file name").format(name=name))
    target.write_bytes(data)
    return target


def latest_uploads(files: Iterable[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The uploads in the order given, each name (its base name) only once: the last one
    uploaded under it, as when a worker fixes a file and uploads it again beside the first.
    → (the files, the names uploaded more than once)."""
    last: dict[str, tuple[str, bytes]] = {}
    again: set[str] = set()
    for name, data in files:
        base = upload_name(name)
        if last.pop(base, None) is not None:  # (popped: the later one goes to the end)
            again.add(base)
        last[base] = (name, data)
    return list(last.values()), sorted(again)


def unpack_upload(files: Iterable[tuple[str, bytes]], dest: Path) -> Path:
    """Put uploaded files into ``dest``; return the bundle to read (a folder or a ``.zip``).

    One ``.zip`` (a bundle folder zipped) or any number of ``.csv`` files named as in
    interchange.md. Each is saved under :func:`upload_name` (never the browser's name as a
    path), and of files uploaded under one name only the last (:func:`latest_uploads`).
    """
    files = latest_uploads(files)[0]
    if not files:
        raise UploadError(_("choose a bundle .zip or one or more .csv files first"))
    zips = [f for f in files if f[0].lower().endswith(".zip")]
    csvs = [f for f in files if f[0].lower().endswith(".csv")]
    other = [f[0] for f in files if f not in zips and f not in csvs]
    if other:
        raise UploadError(_("{files}: only .zip bundles and .csv files can be imported").format(files=", ".join(other)))
    if zips and (len(zips) > 1 or csvs):
        raise UploadError(_("upload one .zip bundle on its own, or CSV files without a zip"))
    dest.mkdir(parents=True, exist_ok=True)
    if csvs:
        for name, data in csvs:
            save_upload(dest, name, data)
        return dest
    name, data = zips[0]
    if len(data) > MAX_UNPACKED_BYTES:
        raise UploadError(_("{name} is larger than {mb} MB; is it a bundle?").format(name=name,
                                                                                   mb=MAX_UNPACKED_BYTES // 2**20))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadError(_("{name} is not a readable .zip file").format(name=name))
    return save_upload(dest, name, data)  # the bundle reader reads zips itself, member by member


def temp_dir(prefix: str = "taskerlog-") -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))



def describe_report(report: Any) -> str:
    """An import report (``bundle.ImportReport``) as the lines it prints for the CLI."""
    if report is None:
        return _("nothing to do")
    lines = report.lines() if hasattr(report, "lines") else str(report).splitlines()
    # the first line is the command line's header ("dry run: nothing written. import:FILE"): the
    # page says that in its own words above
    return "\n".join(line.strip() for line in lines[1:] if line.strip()) or _("nothing new to add")


_FORMAT_NAMES = {"spreadsheet": N_("My own spreadsheet"), "toggl": "Toggl Track", "clockify": "Clockify",
                 "mturk": "Mechanical Turk", "paypal": "PayPal", "activitywatch": "ActivityWatch"}
"""The kinds of file as Bring in your history names them (“What is the file?”)."""


def _format_name(format: str) -> str:
    return _(_FORMAT_NAMES[format]) if format in _FORMAT_NAMES else format


def _options(format: str, options: tuple[str, ...]) -> str:
    return _("the {importer} importer does not use: {options}").format(
        importer=_format_name(format), options=", ".join(options))


def _use_format(format: str) -> str:
    return _("“{format}” under “What is the file?”").format(format=_format_name(format))


FIXES: dict = {
    # bringing in another tool's file (Bring in your history; its Options expander)
    "unused_options": _options,
    "option": N_("the option “{name}”"),
    "use_format": _use_format,
    "mapping": N_("Options → Column mapping ({example})"),
    "day_first_which": N_("say which under Options → Dates are written"),
    "day_first_set": N_("pick one under Options → Dates are written"),
    "day_first_change": N_("change Options → Dates are written"),
    "decimal_comma_which": N_("say which under Options → Decimals are written"),
    "decimal_comma_set": N_("pick one under Options → Decimals are written"),
    "duration_unit": N_("Options → A plain number in the duration column means"),
    "platform_or_column": N_("fill in Options → Platform, or map a column in Options → Column mapping (Col=platform)"),
    "platform_say": N_("say which under Options → Platform"),
    "platform_add": N_("fill in Options → Platform"),
    "hit_minutes": N_("Options → Minutes per HIT"),
    "strict": N_("Options → Refuse the file (strict)"),
    "payer": N_("“{name}={platform}” in Options → Payers that are platforms"),
    "file_timezone": N_("write the time zone in the file as GMT+HH:MM or a name like Africa/Nairobi"),
    # figures
    "add_fx": N_("on Money → Exchange rates (one {currency}, from {day} or earlier)"),
    # pooling for organizers
    "start_pool": N_("upload the campaign file below to start it"),
    "epsilon": N_("“{example}” as the ε to spend"),
    "pool_platform": N_("choose which of them “{platform}” is above"),
    "map_categories": N_("choose their categories above"),
    # the logbook file and its records
    "open_copy": N_("point TASKERLOG_DB at the copy, then start the app again"),
    "backup_elsewhere": N_("Settings → Back up now"),
    "choose_backup": N_("choose a file made by Settings → Back up now"),
    "edit_work": N_("the Entries page"),
    "list_records": N_("the list on this page"),
    "add_project": N_("Projects & rates"),
    "end_project": N_("Projects & rates"),
    # figures that need something added or corrected
    "mark_earlier_work": N_("Fix records → Payouts"),
    "add_units": N_("add the number of tasks on Entries"),
    "add_rate": N_("add its rate on Projects & rates, from the day it has applied"),
    "move_rate_start": N_("change it on Fix records → Rates"),
    "stop_clock_at": N_("Stop it at this time, on the Log page"),
    # evidence and anchors
    "period_backwards": N_("the last day ({last}) is before the first ({first})"),
    "reference_wage": N_("“Another hourly figure”"),
    "minimum_or_own": N_("a legal minimum or your own reference wage"),
    "attach_target": N_("a work entry or to a project/platform"),
    "attach_platform": N_("a project needs its platform"),
    "attach_about": N_("a work entry, a platform or project, or a note"),
    "verify": N_("the evidence report's check names it too"),
    "keep_anchor": N_("keep the anchor line somewhere else (an email) and paste it under “Anchor lines you kept elsewhere”"),
    "make_anchor": N_("Evidence report → Anchor your records"),
    # the phone
    "restart_app": N_("starting taskerlog again"),
    "pairing_link": N_("Settings → Your phone, or the link the computer printed"),
}
"""The app's words for each fix a lower layer asks for (``taskerlog.problems``): the page,
field or button to use. ``app.py`` installs them (``problems.speak``); the command line's
words are ``commands/wording.py``."""


def days_with_work(store, platform: str, first: dt.date, last: dt.date, tz: str) -> list[dt.date]:
    """The local days from ``first`` to ``last`` with a work entry starting on ``platform``
    (an empty-queue period over them is worth a second look)."""
    if not platform or last < first:
        return []
    span = (timeutil.local_midnight(first, tz), timeutil.local_midnight(last + dt.timedelta(days=1), tz))
    w = store.frames(work_start=span, detail=False).work
    w = w[w["platform"] == platform.strip()]
    return sorted({timeutil.to_local(int(t), tz).date() for t in w["start"]})


def logbook_start(work, tz: str, platform: str | None = None) -> dt.date | None:
    """The local day of the first work entry (on ``platform``, if given), or None."""
    if platform is not None:
        work = work[work["platform"] == platform]
    if not len(work):
        return None
    return timeutil.to_local(int(pd.to_numeric(work["start"]).min()), tz).date()


@dataclass(frozen=True)
class BackupDone:
    """What one backup wrote: the logbook copy, its attachment files, and the device secret."""

    path: Path
    files: int
    problems: list[str]
    secret: Path | None


def back_up(store, dest: str | Path | None = None) -> BackupDone:
    """A whole backup, the same from the command line and the app: the logbook (verified), its
    attachment files beside it, and the device secret of organizers' campaigns (0600), so that a
    restored logbook keeps its pseudonym."""
    from .evidence import attachments
    from .pool.contribution import copy_secret

    path = store.backup(dest)
    files, problems = attachments.backup_files(store, path)
    return BackupDone(path, files, problems, copy_secret(store.path, path))
