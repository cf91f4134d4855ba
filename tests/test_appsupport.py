"""The app's glue (taskerlog/appsupport.py): periods, uploads, entry lists, charts' data."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from taskerlog import appsupport as A, i18n
from taskerlog.appsupport import FIXES
from taskerlog.model import EQPeriod, Logbook, Project, Rate, WorkEntry

NAIROBI = "Africa/Nairobi"


def test_period_bounds_are_inclusive_calendar_ranges():
    wed = dt.date(2026, 3, 4)
    assert A.period_bounds("This week", wed) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert A.period_bounds("Last week", wed) == (dt.date(2026, 2, 23), dt.date(2026, 3, 1))
    assert A.period_bounds("This month", wed) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert A.period_bounds("Last month", wed) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert A.period_bounds("Last month", dt.date(2026, 1, 15)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert A.period_bounds("This month", dt.date(2028, 2, 10)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert A.period_bounds("All time", wed) == (None, None)
    assert A.period_bounds("Custom", wed, (dt.date(2026, 1, 1), dt.date(2026, 1, 9))) == (
        dt.date(2026, 1, 1), dt.date(2026, 1, 9))
    with pytest.raises(ValueError, match="before the start"):
        A.period_bounds("Custom", wed, (dt.date(2026, 1, 9), dt.date(2026, 1, 1)))
    with pytest.raises(ValueError, match="pick a start and an end"):
        A.period_bounds("Custom", wed, (dt.date(2026, 1, 9),))


def test_default_period_is_this_month_only_when_it_has_work():
    tz = "UTC"
    start = int(dt.datetime(2026, 3, 4, 9, tzinfo=dt.timezone.utc).timestamp())
    work = pd.DataFrame({"start": pd.array([start], dtype="Int64")})
    assert A.default_period(work, tz, dt.date(2026, 3, 20)) == "This month"
    assert A.default_period(work, tz, dt.date(2026, 4, 2)) == "All time"
    assert A.default_period(work.iloc[0:0], tz, dt.date(2026, 3, 20)) == "All time"


def test_cli_command_names_the_same_filter():
    assert A.cli_command(None, None, None, None, None) == "taskerlog metrics --json"
    assert A.cli_command(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "Outlier", "Genesis Dolphin", Decimal("15")) == (
        "taskerlog metrics --json --from 2026-03-01 --to 2026-03-31 --platform Outlier "
        "--project 'Genesis Dolphin' --reference-wage 15")


def test_formatting_rounds_for_reading_and_shows_undefined_as_a_dash():
    assert A.fmt_money("13.214285", "USD") == "USD 13.21"
    assert A.fmt_money("0.005", "USD") == "USD 0.00"  # half to even
    assert A.fmt_money("0.015", "USD") == "USD 0.02"
    assert A.fmt_money(None, "KES") == "—"
    assert A.fmt_pct(0.5, share=True) == "50.0%"
    assert A.fmt_pct(-42.857) == "-42.9%"
    assert A.as_share(0.158) == 0.158 and A.as_share(15.8) == pytest.approx(0.158)
    assert A.fmt_duration(3 * 3600 + 62) == "3:01:02"


def test_local_instant_is_wall_clock_in_the_logbook_zone():
    # 09:00 in Nairobi (UTC+3) is 06:00 UTC
    got = A.local_instant(dt.date(2026, 3, 4), dt.time(9, 0), NAIROBI)
    assert got == int(dt.datetime(2026, 3, 4, 6, tzinfo=dt.timezone.utc).timestamp())
    # New York on the day clocks go forward: 09:00 is EDT (UTC-4)
    got = A.local_instant(dt.date(2026, 3, 8), dt.time(9, 0), "America/New_York")
    assert got == int(dt.datetime(2026, 3, 8, 13, tzinfo=dt.timezone.utc).timestamp())


def test_parse_units_refuses_what_is_not_a_whole_number():
    assert A.parse_units("") is None and A.parse_units(" 12 ") == 12
    with pytest.raises(ValueError, match="not a whole number"):
        A.parse_units("1.5")


def _loaded(store):
    store.set_settings(Logbook(home_currency="USD", timezone=NAIROBI))
    store.add_project(Project(platform="Outlier", project="Genesis Dolphin"))
    store.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", rate="35",
                        effective_at=A.local_instant(dt.date(2026, 3, 2), dt.time(9), NAIROBI)))
    store.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", rate="20",
                        effective_at=A.local_instant(dt.date(2026, 3, 4), dt.time(0), NAIROBI)))
    for day, kind, status, note in ((1, "onboarding", None, "read the 120-page guide"),
                                    (2, "tasking", None, None), (3, "tasking", "lost", "crashed on submit")):
        s = A.local_instant(dt.date(2026, 3, day), dt.time(9), NAIROBI)
        store.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind=kind, status=status,
                                 start=s, end=s + 2 * 3600, note=note))
    store.add_eq(EQPeriod(platform="Outlier", start_date=dt.date(2026, 3, 5), end_date=dt.date(2026, 3, 7)))
    store.add_eq(EQPeriod(platform="Remotasks", start_date=dt.date(2026, 3, 30)))
    return store.frames()


def test_list_entries_filters_and_shows_recorded_and_edited(store):
    from taskerlog.usecases import EntryQuery, list_entries

    fr = _loaded(store)

    def find(**kw):
        return list_entries(fr, EntryQuery(**kw))
    t = find()
    assert [r["kind"] for r in t] == ["onboarding", "tasking", "tasking"]  # oldest first
    assert [r["start"][:16] for r in t] == ["2026-03-01T09:00", "2026-03-02T09:00", "2026-03-03T09:00"]
    assert not any(r["edited"] for r in t) and all(r["recorded_at"] for r in t)
    assert [r["note"] for r in find(status="lost")] == ["crashed on submit"]
    assert [r["kind"] for r in find(text="GUIDE")] == ["onboarding"]
    assert [r["start"][:16] for r in find(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 2))] == [
        "2026-03-02T09:00"]
    assert [r["start"][:16] for r in find(last=1)] == ["2026-03-03T09:00"]
    wid = t[-1]["id"]
    store.update("work", wid, {"note": "fixed"}, "app")
    fr = store.frames()
    assert find(ids=frozenset({wid}))[0]["edited"]


def test_rate_history_marks_the_cut(store):
    fr = _loaded(store)
    rh = A.rate_history(fr.rates, NAIROBI)
    assert list(rh["change"]) == ["first", "cut"]
    assert list(rh["rate_text"]) == ["35.00", "20.00"]
    assert rh.iloc[1]["change_pct"] == pytest.approx(-42.857, abs=1e-3)
    drawn = A.extend_steps(rh, dt.datetime(2026, 3, 31, 23, 59))
    assert len(drawn) == 3 and drawn.iloc[-1]["rate"] == 20.0


def test_eq_days_counts_calendar_days_inside_the_period_and_open_runs_to_today(store):
    fr = _loaded(store)
    d = A.eq_days(fr.eq, dt.date(2026, 3, 1), dt.date(2026, 3, 31), today=dt.date(2026, 4, 3))
    assert sorted(d[d["platform"] == "Outlier"]["date"]) == ["2026-03-05", "2026-03-06", "2026-03-07"]
    assert sorted(d[d["platform"] == "Remotasks"]["date"]) == ["2026-03-30", "2026-03-31"]
    assert len(A.eq_days(fr.eq, None, None, today=dt.date(2026, 4, 3), platform="Remotasks")) == 5


def test_project_choices_list_projects_then_platforms(store):
    fr = _loaded(store)
    choices = A.project_choices(fr, ["Remotasks"])
    assert choices == [("Outlier", "Genesis Dolphin"), ("Outlier", None), ("Remotasks", None)]
    assert A.choice_label(choices[0]) == "Outlier · Genesis Dolphin"


def test_light_frames_carry_projects_and_eq_without_work(store):
    _loaded(store)
    light = A.light_frames(store.settings(), store.rows("projects"), store.rows("platforms"), store.rows("eq"))
    assert list(light.projects["project"]) == ["Genesis Dolphin"]
    assert list(light.projects["platform"]) == ["Outlier"]
    assert len(light.work) == 0
    assert [e for e in light.eq["end_date"]] == [dt.date(2026, 3, 7), None]


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def test_unpack_upload_keeps_csvs_by_base_name_and_a_zip_as_is(tmp_path):
    out = A.unpack_upload([("../../etc/work.csv", b"a\n1\n"), ("fx.csv", b"b\n")], tmp_path / "u")
    assert sorted(p.name for p in Path(out).iterdir()) == ["fx.csv", "work.csv"]
    z = A.unpack_upload([("bundle.zip", _zip({"work.csv": "a\n"}))], tmp_path / "z")
    assert z.name == "bundle.zip" and zipfile.is_zipfile(z)


def test_a_file_uploaded_again_replaces_the_first(tmp_path):
    """A worker fixes work.csv (or the bundle .zip) and uploads it again beside the first:
    the later upload is the one read, and the page is told which names came twice."""
    files, again = A.latest_uploads([("work.csv", b"bad\n"), ("fx.csv", b"b\n"), ("work.csv", b"fixed\n")])
    assert files == [("fx.csv", b"b\n"), ("work.csv", b"fixed\n")] and again == ["work.csv"]
    out = A.unpack_upload([("work.csv", b"bad\n"), ("work.csv", b"fixed\n")], tmp_path / "u")
    assert (Path(out) / "work.csv").read_bytes() == b"fixed\n"
    z = A.unpack_upload([("bundle.zip", _zip({"work.csv": "bad\n"})), ("bundle.zip", _zip({"work.csv": "ok\n"}))],
                        tmp_path / "z")  # was refused: "upload one .zip bundle on its own"
    assert zipfile.ZipFile(z).read("work.csv") == b"ok\n"
    assert A.latest_uploads([("a.csv", b"1")]) == ([("a.csv", b"1")], [])


@pytest.mark.parametrize("files, message", [
    ([], "choose a bundle"),
    ([("notes.txt", b"x")], "only .zip bundles and .csv files"),
    ([("a.zip", b"PK"), ("work.csv", b"a\n")], "one .zip bundle on its own"),
    ([("a.zip", b"not a zip at all")], "not a readable .zip"),
])
def test_unpack_upload_refuses_what_is_not_a_bundle(tmp_path, files, message):
    with pytest.raises(A.UploadError, match=message):
        A.unpack_upload(files, tmp_path / "x")


def test_sample_bundles_and_the_sample_file_next_to_the_real_one(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "work.csv").write_text("x\n")
    (tmp_path / "two.zip").write_bytes(_zip({"work.csv": "x\n"}))
    (tmp_path / "empty").mkdir()
    assert list(A.sample_bundles(tmp_path)) == ["one", "two"]
    real = tmp_path / "logbook.sqlite"
    assert A.sample_db_path(real, "kenya-kes") == tmp_path / "logbook.SAMPLE-kenya-kes.sqlite"
    assert A.sample_db_path(real, "../x") == tmp_path / "logbook.SAMPLE-___x.sqlite"
    samples = A.sample_bundles(tmp_path)
    assert A.logbook_choice("sample-one", real, samples) == (None, real)  # not loaded yet
    A.sample_db_path(real, "one").write_bytes(b"")
    assert A.logbook_choice("sample-one", real, samples) == ("one", A.sample_db_path(real, "one"))
    assert A.logbook_choice("sample-nope", real, samples) == (None, real)
    assert A.logbook_choice(None, real, samples) == (None, real)
    assert A.sample_bundles(), "the repository ships sample bundles in sample_data/"


def test_project_table_is_for_reading():
    bp = pd.DataFrame([{"platform": "Outlier", "project": None, "hours_worked": 17.75, "hours_paid": 0,
                        "unpaid_share": 1, "earned": "0.00", "effective_hourly_wage": "0.000000"},
                       {"platform": "Outlier", "project": "Genesis Dolphin", "hours_worked": 128.16667,
                        "hours_paid": 124, "unpaid_share": 0.0325, "earned": "2540.00",
                        "effective_hourly_wage": "19.817945"}])
    t = A.project_table(bp)
    # the key columns first: a phone shows three or four before it scrolls sideways
    assert list(t.columns)[:4] == ["project", "effective wage/h", "hours worked", "earned"]
    assert list(t["project"]) == ["(no project)", "Genesis Dolphin"]
    assert list(t["hours worked"]) == ["17:45", "128:10"]  # h:mm, as everywhere
    assert list(t["unpaid %"]) == ["100.0", "3.2"]
    assert list(t["effective wage/h"]) == ["0.00", "19.82"]
    with i18n.using("es"):  # every column in the language's notation, the share too
        t = A.project_table(bp)
    assert list(t["% no pagado"]) == ["100,0", "3,2"]
    assert list(t["pago efectivo/h"]) == ["0,00", "19,82"]


def test_hours_are_shown_as_h_mm():
    assert A.fmt_hours(1 / 60) == "0:01"  # a 1-minute HIT, not "0.02 h"
    assert A.fmt_hours(395.0833) == "395:05"
    assert A.fmt_hours(0) == "0:00"
    assert A.fmt_hours(None) == "—"


def test_calendar_marks_every_day_of_the_period():
    import datetime as _dt

    import pandas as _pd

    from taskerlog import appsupport as _a

    eq = _pd.DataFrame({"platform": ["O", "O"], "day": [_dt.date(2026, 3, 5), _dt.date(2026, 3, 6)]})
    cal = _a.calendar(eq, [_dt.date(2026, 3, 2), _dt.date(2026, 3, 5)], _dt.date(2026, 3, 2), _dt.date(2026, 3, 8),
                      today=_dt.date(2026, 11, 23))
    assert list(cal["date"]) == [f"2026-03-0{d}" for d in range(2, 9)]
    assert dict(zip(cal["date"], cal["state"])) == {
        "2026-03-02": "worked", "2026-03-03": "nothing logged", "2026-03-04": "nothing logged",
        "2026-03-05": "empty queue",  # an EQ day wins over a stray entry on it
        "2026-03-06": "empty queue", "2026-03-07": "nothing logged", "2026-03-08": "nothing logged"}
    assert set(cal["week"]) == {"2026-03-02"}


def test_activity_note_sums_active_time_and_names_what_was_in_focus():
    from taskerlog.appsupport import activity_note

    t = 1_772_442_000  # an entry from t to t + 2 h
    spans = pd.DataFrame([
        # active 09:00-10:30 and 10:40-12:20 (runs past the entry's end: clipped), an overlap counted once
        {"kind": "active", "start": t, "end": t + 5400, "app": "", "title": ""},
        {"kind": "active", "start": t + 5000, "end": t + 5400, "app": "", "title": ""},
        {"kind": "active", "start": t + 6000, "end": t + 12000, "app": "", "title": ""},
        {"kind": "window", "start": t - 600, "end": t + 1800, "app": "firefox", "title": "Outlier - Task"},
        {"kind": "window", "start": t + 1800, "end": t + 2400, "app": "slack", "title": "#project"},
        {"kind": "web", "start": t + 2400, "end": t + 4200, "app": "app.outlier.ai", "title": "Task"},
    ])
    note = activity_note(spans, t, t + 7200)
    # active: 5400 s + (7200 - 6000) s = 6600 s = 1:50:00 of 2:00:00
    assert note.startswith("ActivityWatch: active at the computer for 1:50:00 of this entry's 2:00:00")
    # in focus, clipped to the entry: the site 30 min, firefox 30 min, slack 10 min (longest first; ties by name)
    assert "in focus: app.outlier.ai 0:30:00, firefox 0:30:00, slack 0:10:00." in note
    assert activity_note(spans.iloc[0:0], t, t + 7200) is None


def _at(text: str, tz: str = NAIROBI) -> int:
    return A.timeutil.parse_instant(text, tz)


def test_a_past_entry_past_midnight_ends_the_next_day_but_a_slip_is_refused():
    now = _at("2026-03-05T12:00")
    a, b, note = A.past_span(dt.date(2026, 3, 3), dt.time(22, 0), dt.time(1, 30), NAIROBI, now)
    assert (a, b) == (_at("2026-03-03T22:00"), _at("2026-03-04T01:30")) and "next day, 2026-03-04" in note
    assert A.past_span(dt.date(2026, 3, 3), dt.time(9), dt.time(10), NAIROBI, now)[2] == ""
    with pytest.raises(ValueError, match="as work past midnight that would be 20.0 hours"):
        A.past_span(dt.date(2026, 3, 3), dt.time(14), dt.time(10), NAIROBI, now)  # 14:00 → 10:00 is a slip
    with pytest.raises(ValueError, match="From and To are both 09:00"):
        A.past_span(dt.date(2026, 3, 3), dt.time(9), dt.time(9), NAIROBI, now)  # was saved as 24 hours
    with pytest.raises(ValueError, match="after now"):
        A.past_span(dt.date(2099, 3, 3), dt.time(9), dt.time(10), NAIROBI, now)  # was saved as today


def test_the_past_entry_default_is_the_hour_just_past_even_at_midnight():
    assert A.hour_just_past(_at("2026-03-05T14:37:10"), NAIROBI) == (dt.date(2026, 3, 5), dt.time(13, 35),
                                                                      dt.time(14, 35))
    day, start, end = A.hour_just_past(_at("2026-03-05T00:20"), NAIROBI)
    assert (day, start, end) == (dt.date(2026, 3, 4), dt.time(23, 20), dt.time(0, 20))
    a, b, _ = A.past_span(day, start, end, NAIROBI, _at("2026-03-05T00:20"))
    assert b - a == 3600


def test_the_app_says_where_to_click_not_what_to_type(tmp_path):
    from taskerlog import metrics, problems
    from taskerlog.commands import wording
    from taskerlog.store import Store

    s = Store(tmp_path / "log.sqlite")
    s.set_settings(Logbook(home_currency="KES", timezone=NAIROBI))
    s.add_project(Project(platform="R", project="X", currency="USD"))
    s.add_rate(Rate(platform="R", project="X", effective_at=_at("2026-01-01T00:00"), rate="2", currency="USD"))
    s.add_work(WorkEntry(platform="R", project="X", kind="tasking", start=_at("2026-01-01T09:00"),
                         end=_at("2026-01-01T10:00")))
    problems.speak(FIXES)  # the app
    with pytest.raises(metrics.MetricsError) as app_err:
        metrics.compute(s.frames())
    problems.speak(wording.FIXES)  # the command line
    with pytest.raises(metrics.MetricsError) as cli_err:
        metrics.compute(s.frames())
    assert "taskerlog" not in str(app_err.value) and "--" not in str(app_err.value)
    assert "add one on Money → Exchange rates (one USD, from 2026-01-01 or earlier)" in str(app_err.value)
    assert "add one (fx.csv or `taskerlog fx USD RATE --on 2026-01-01`)" in str(cli_err.value)
    # the same problem, as data: what, and the fix
    [p] = problems.problems_of(cli_err.value)
    assert p.code.startswith("fx.missing") and p.fix == problems.fix("add_fx", currency="USD", day="2026-01-01")


def test_days_with_work_under_an_empty_queue_are_found(tmp_path):
    from taskerlog.store import Store
    s = Store(tmp_path / "log.sqlite")
    s.set_settings(Logbook(home_currency="USD", timezone=NAIROBI))
    for start in ("2026-03-02T23:30", "2026-03-04T09:00"):  # 23:30 in Nairobi is the 2nd, not the 3rd (UTC)
        s.add_work(WorkEntry(platform="Outlier", kind="admin", start=_at(start), end=_at(start) + 1800))
    s.add_work(WorkEntry(platform="MTurk", kind="admin", start=_at("2026-03-03T09:00"), end=_at("2026-03-03T10:00")))
    assert A.days_with_work(s, "Outlier", dt.date(2026, 3, 2), dt.date(2026, 3, 5), NAIROBI) == [
        dt.date(2026, 3, 2), dt.date(2026, 3, 4)]
    assert A.days_with_work(s, "Outlier", dt.date(2026, 3, 5), dt.date(2026, 3, 9), NAIROBI) == []


HOSTILE = ["[Claim your back pay](http://evil.example) **now**", "![x](http://evil.example/p.png)",
           "<img src=http://evil.example/p.png> &amp; :material/timer: :red[x] $x^2$ `c` ~~s~~ _i_ \\ # - 1.",
           "www.evil.example mail a@b.example HTTPS://evil.example", "    four spaces\nline two"]


def _seen(markdown: str) -> str:
    """What CommonMark shows of text with backslash escapes (the word joiner is invisible)."""
    import re
    return re.sub(r"\\(.)", r"\1", markdown).replace(A.WORD_JOINER, "").replace("\u00a0", " ").replace("  \n", "\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_escapes_every_markdown_character_and_breaks_autolinks(text):
    md = A.literal(text)
    assert _seen(md) == text  # shown as typed
    import re
    # no unescaped Markdown punctuation is left: each one is preceded by a backslash
    assert not re.search(r"(?<!\\)[\[\]()*!<>&:$`~_#]", md.replace("\\\\", "")), md
    # nothing a GFM autolink starts from survives as one piece of text
    plain = re.sub(r"\\(.)", r"\1", md)
    assert not re.search(r"(?i)https?:|www\.|\w@", plain)
    assert "\n    " not in md and not md.startswith("    ")  # never an indented code block


def test_literal_of_nothing_is_empty():
    assert A.literal(None) == "" and A.literal("Outlier") == "Outlier"


@pytest.mark.parametrize("name, saved", [
    ("../../evil.csv", "evil.csv"), ("/etc/cron.d/x", "x"), ("..\\..\\win.csv", "win.csv"), ("..", "upload"),
    (".", "upload"), ("", "upload"), (None, "upload"), (".hidden", "hidden"), ("a\x00b\nc.csv", "a_b_c.csv"),
    ("work.csv", "work.csv"), ("Rate cut — Slack.png", "Rate cut — Slack.png"),
    ("x" * 300 + ".csv", "x" * 146 + ".csv")])
def test_an_upload_is_saved_under_a_name_the_app_makes(tmp_path, name, saved):
    folder = tmp_path / "inbox" / "tmp"
    folder.mkdir(parents=True)
    p = A.save_upload(folder, name, b"data")
    assert p == folder / saved and p.read_bytes() == b"data"
    assert [q for q in tmp_path.rglob("*") if q.is_file()] == [p]  # nothing anywhere else


def test_chart_weeks_leave_out_weeks_that_have_not_come():
    weeks = [{"week_start": "2026-03-02"}, {"week_start": "2026-03-09"}, {"week_start": "2026-03-16"}]
    assert [w["week_start"] for w in A.chart_weeks(weeks, dt.date(2026, 3, 9))] == ["2026-03-02", "2026-03-09"]


def test_an_ended_projects_rate_line_stops_at_its_end_and_the_axis_names_currency_and_unit():
    rates = pd.DataFrame({"platform": ["P", "P"], "project": ["Old", "New"], "effective_at": [
        int(dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc).timestamp()),
        int(dt.datetime(2026, 3, 5, tzinfo=dt.timezone.utc).timestamp())], "rate_micros": [25_000, 20_000_000],
        "unit": ["task", "task"], "currency": ["USD", "USD"], "applies_to": ["", ""], "note": [None, None]})
    projects = pd.DataFrame({"platform": ["P", "P"], "project": ["Old", "New"],
                             "ended_on": [dt.date(2026, 3, 10), None]})
    rh = A.rate_history(rates, "UTC")
    assert A.rate_axis_title(rh) == "rate (USD per task)"
    drawn = A.extend_steps(rh, dt.datetime(2026, 4, 1, 12, 0), projects)
    ends = drawn.groupby("project")["when"].max()
    assert ends["Old"] == dt.datetime(2026, 3, 10, 23, 59) and ends["New"] == dt.datetime(2026, 4, 1, 12, 0)
    # two units: each series names its own
    rates.loc[1, "unit"] = "hour"
    rh = A.rate_history(rates, "UTC")
    assert A.rate_axis_title(rh) == "rate (currency and unit beside each project)"
    assert rh["series"].tolist()[0].endswith("(USD per task)")


def test_the_calendar_has_no_days_that_have_not_come():
    cal = A.calendar(pd.DataFrame(columns=["day"]), [dt.date(2026, 3, 2)], dt.date(2026, 3, 1),
                              dt.date(2026, 3, 31), dt.date(2026, 3, 10))
    assert cal["date"].max() == "2026-03-10"
