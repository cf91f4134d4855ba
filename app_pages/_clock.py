"""The running clock, alive on every page: it ticks every second in the browser (and in the
tab's title), asks "Still working?" when it has run past the logbook's threshold, and can
have its start corrected or its stop given as "I stopped at …".

The ticking is a few lines of script in the page (``st.html``) counting from the clock's
start instant: no rerun per second, nothing fetched. Names are shown literally (escaped
into the HTML and set with ``textContent``), never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from app_pages import _shared
from taskerlog import appsupport, everyday, i18n, timeutil, vocab
from taskerlog.i18n import _
from taskerlog.model import STATUSES

_TICK = """
<script>
(function () {
  if (window.__taskerlogClock) { window.__taskerlogClock(); return; }
  const pad = n => String(n).padStart(2, "0");
  const fmt = s => { s = Math.max(0, Math.floor(s)); return Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60); };
  let mine = null, base = null;
  function tick() {
    const els = document.querySelectorAll("[data-taskerlog-start]");
    let first = null;
    els.forEach(el => {
      if (!el.dataset.taskerlogOffset) {  // the server's clock minus this browser's, once per render
        el.dataset.taskerlogOffset = String(Number(el.dataset.taskerlogNow) - Date.now() / 1000);
      }
      const secs = Date.now() / 1000 + Number(el.dataset.taskerlogOffset) - Number(el.dataset.taskerlogStart);
      const t = el.querySelector(".taskerlog-time");
      if (t) t.textContent = fmt(secs);
      if (first === null) first = fmt(secs) + " " + (el.dataset.taskerlogLabel || "");
    });
    if (document.title !== mine) base = document.title;  // the app set its own title meanwhile
    mine = first === null ? base : "\u25b6 " + first + " \u00b7 " + base;
    if (document.title !== mine) document.title = mine;
  }
  window.__taskerlogClock = tick;
  setInterval(tick, 1000);
  tick();
})();
</script>
"""

_STYLE = """
<style>
.taskerlog-clock { font-variant-numeric: tabular-nums; line-height: 1.3; }
.taskerlog-clock .taskerlog-time { font-weight: 700; }
.taskerlog-clock.big .taskerlog-time { font-size: 2.2rem; }
.taskerlog-clock.big .taskerlog-what { font-size: 1.1rem; }
.taskerlog-clock.bar { padding: .35rem .75rem; border-radius: .5rem; background: rgba(28, 131, 225, .1); }
</style>
"""


def label(c: dict) -> str:
    return c["platform"] + (f" · {c['project']}" if c["project"] else "") + f" — {vocab.shown(c['kind'])}"


def status_label(status: str) -> str:
    """A status in a chooser: ``(default)`` or the status's word, in the language in use."""
    return _("(default)") if status == "(default)" else vocab.shown(status)


def live(c: dict, now: int, style: str = "bar") -> None:
    """One running clock, ticking every second in the browser; ``style``: bar, big or side."""
    text = label(c)
    elapsed = appsupport.fmt_duration(now - int(c["started_at"]))
    body = (f'<div class="taskerlog-clock {style}" data-taskerlog-start="{int(c["started_at"])}" '
            f'data-taskerlog-now="{int(now)}" data-taskerlog-label="{html.escape(text, quote=True)}">'
            + (html.escape(_("Running {time} {what}")) if style != "big" else "{time} {what}").format(
                time=f'<span class="taskerlog-time">{elapsed}</span>',
                what=f'<span class="taskerlog-what">{html.escape(text)}</span>') + '</div>')
    st.html(_STYLE + body + _TICK, unsafe_allow_javascript=True)


def saved_message(store, wid: int, verb: str | None = None, seen: dict | None = None) -> str:
    """``Clocked out: 1:30 of tasking on Outlier · X, earned USD 30.00.`` The entry is saved
    already: if its pay cannot be worked out for the message, the message says so instead.
    ``seen``: where to keep the entry's row, for :func:`unpriced_warning`."""
    home = store.settings().home_currency
    verb = verb or _("Clocked out")
    try:
        row = _shared.saved_row(store, wid)
        if seen is not None:
            seen[wid] = row
        # Translators: {verb} is "Clocked out" or "Clock stopped"; {summary} is what the entry was
        return _("{verb}: {summary}.").format(verb=verb, summary=everyday.entry_summary(row, home))
    except Exception as exc:  # noqa: BLE001 - a message, never a failed save
        return _("{verb}: entry #{id} saved (its pay could not be shown: {problem}).").format(
            verb=verb, id=wid, problem=exc)


def unpriced_warning(store, wid: int, seen: dict | None = None) -> str | None:
    """Why the saved entry earns nothing and the fix (``render.unpriced_note``, as the command line says it),
    or None, from the entry's row as the message read it (``seen``) or as the page after the
    save reads it (:func:`app_pages._shared.saved_row`): a save prices its entry once."""
    row = (seen or {}).get(wid) or _shared.saved_row(store, wid)
    note = row["unpriced_note"] if row["unpriced"] is not None else None
    return None if note is None else note[:1].upper() + note[1:]


def _stop(store, c: dict, at: int | None = None, **fields) -> None:
    def action():  # "now" is the app's clock (time is an argument), read when the save runs
        return store.clock_stop(clock_id=c["id"], at=_shared.now() if at is None else at, source=_shared.SOURCE,
                                **fields)
    seen: dict = {}
    _shared.write(action, lambda wid: saved_message(store, wid, seen=seen),
                  warn=lambda wid: unpriced_warning(store, wid, seen))


def clock_in(store, pair: tuple[str, str | None], kind: str, note: str | None, switch: bool) -> int:
    """Start a clock; ``switch``: the running ones stop at the same instant (one transaction)."""
    at = _shared.now()
    with store.transaction():
        if switch:
            for c in store.running_clocks():
                store.clock_stop(clock_id=c["id"], at=at, source=_shared.SOURCE)
        return store.clock_start(pair[0], pair[1], kind, note=note, at=at, source=_shared.SOURCE)


def asking(store, c: dict) -> bool:
    """Whether "Still working?" is asked about this clock in this window."""
    return (everyday.is_forgotten(c["started_at"], _shared.now(), everyday.long_clock_hours(store))
            and c["id"] not in st.session_state.get("clock_kept", set()))


def top_bar(store, clocks: list[dict], tz: str, ticking: bool = True) -> None:
    """Above every page (a phone folds the sidebar away): each running clock, ticking, and
    "Still working?" for one that has run past the threshold. ``ticking=False`` on the Log
    page, which shows its clocks big."""
    now = _shared.now()
    long_h = everyday.long_clock_hours(store)
    kept = st.session_state.setdefault("clock_kept", set())
    for c in clocks:
        if ticking:
            live(c, now)
        if asking(store, c):
            still_working(store, c, now, long_h, tz, kept)


def still_working(store, c: dict, now: int, long_h, tz: str, kept: set) -> None:
    started = timeutil.to_local(int(c["started_at"]), tz)
    with st.container(border=True, key=f"still_working_{c['id']}"):
        st.warning(_("**Still working?** The clock on {clock} has run {duration} since {start}, longer than "
                     "{hours} h. Saved as it is, all of it counts as work.").format(
            clock=appsupport.literal(label(c)), duration=everyday.fmt_hm(now - int(c['started_at'])),
            start=_shared.when(started), hours=i18n.number(long_h.normalize())))
        a, b = st.columns(2)
        if a.button(_("Yes, keep it running"), key=f"keep_{c['id']}", width="stretch"):
            kept.add(c["id"])
            st.rerun()
        if b.button(_("Stop it now"), key=f"stop_now_{c['id']}", width="stretch"):
            _stop(store, c)
        stopped_at_form(store, c, tz, f"forgot_{c['id']}", _("Stop it at this time"), default=started + dt.timedelta(hours=1))


def stopped_at_form(store, c: dict, tz: str, key: str, button: str, default: dt.datetime | None = None) -> None:
    """"I stopped at …": a local day and time, between the start and now."""
    now = _shared.now()
    local_now = timeutil.to_local(now, tz)
    default = default or local_now
    default = min(default, local_now)
    with st.form(key, border=False):
        d, t, go = st.columns([2, 2, 2], vertical_alignment="bottom")
        day = d.date_input(_("I stopped on"), value=default.date(), key=f"{key}_day", **appsupport.DAY_RANGE)
        # Translators: "I stopped on <day> at <time>": the time of day
        at = t.time_input(_("at"), value=default.time().replace(second=0, microsecond=0, tzinfo=None),
                          key=f"{key}_time", step=300)
        submitted = go.form_submit_button(button, width="stretch")
    if submitted:
        with _shared.friendly():
            when = everyday.stop_instant(day, at, tz, c["started_at"], _shared.now())
            _stop(store, c, at=when)


def running_cards(store, clocks: list[dict], tz: str) -> None:
    """The Log page's running clocks: big and ticking, with the clock-out form (stop now or
    at a time given), and the start time correctable while the clock runs."""
    now = _shared.now()
    for c in clocks:
        with st.container(border=True):
            live(c, now, "big")
            started = timeutil.to_local(int(c["started_at"]), tz)
            st.caption(_("{kind} since {start} ({zone})").format(
                kind=appsupport.literal(vocab.shown(c['kind'])), start=f"{started:%Y-%m-%d %H:%M}",
                zone=appsupport.literal(tz)) + (f" · {appsupport.literal(c['note'])}" if c["note"] else ""))
            with st.form(f"stop_{c['id']}", border=False):
                a, b, s = st.columns(3)
                units = a.number_input(_("Tasks done (optional)"), min_value=0, step=1, value=None,
                                       key=f"units_{c['id']}")
                pay = b.text_input(_("Pay if you know it (optional)"), key=f"pay_{c['id']}",
                                   help=_("Leave blank: taskerlog works it out from the project's rate."))
                status = s.selectbox(_("What came of it"), ["(default)", *STATUSES], key=f"status_{c['id']}",
                                     format_func=status_label)
                t1, t2 = st.columns(2)
                stopped = t1.time_input(_("I stopped at (blank: now)"), value=None, step=300, key=f"stopped_{c['id']}",
                                        help=_("If you stopped earlier: the time you stopped, today "
                                               "(or on the day the clock started, if that is earlier)."))
                stop = t2.form_submit_button(_("Clock out"), type="primary", width="stretch")
            if stop:
                with _shared.friendly():
                    at = None
                    if stopped is not None:
                        day = timeutil.to_local(_shared.now(), tz).date()
                        if day != started.date() and stopped > started.time().replace(tzinfo=None):
                            day = started.date()  # "I stopped at 23:00" the evening the clock started
                        at = everyday.stop_instant(day, stopped, tz, c["started_at"], _shared.now())
                    _stop(store, c, at=at, units=None if units is None else int(units),
                          pay=appsupport.blank(everyday.amount_text(pay)),
                          status=None if status == "(default)" else status)
            with st.expander(_("Correct the start time")):
                with st.form(f"restart_{c['id']}", border=False):
                    d, t, go = st.columns([2, 2, 2], vertical_alignment="bottom")
                    day = d.date_input(_("Started on"), value=started.date(), key=f"restart_day_{c['id']}",
                                       **appsupport.DAY_RANGE)
                    at = t.time_input(_("at"), value=started.time().replace(second=0, microsecond=0, tzinfo=None),
                                      step=60, key=f"restart_time_{c['id']}")
                    fix = go.form_submit_button(_("Save start time"), width="stretch")
                if fix:
                    with _shared.friendly():
                        when = everyday.start_instant(day, at, tz, _shared.now())
                        _shared.write(lambda cid=c["id"], w=when: store.update("clock", cid, {"started_at": w},
                                                                             _shared.SOURCE),
                                      _("The clock now counts from {start}.").format(
                                          start=f"{timeutil.to_local(when, tz):%Y-%m-%d %H:%M}"))


def sidebar(clocks: list[dict], now: int) -> None:
    """The sidebar's running clocks (with their Stop buttons, kept by the router)."""
    for c in clocks:
        live(c, now, "side")

