"""Write the three sample logbooks (CSV bundles, interchange.md format 1).

Run from the repository root:  .venv/bin/python sample_data/make_samples.py

Deterministic: the story events are written out below by hand, the filler (item counts,
micro-task durations, exchange-rate wiggle) comes from ``random.Random`` with fixed seeds,
so running it again rewrites byte-identical files. The CSVs are committed; this script is
how they were made and how to change them. ``sample_data/README.md`` tells each story and
the figures to look for; ``tests/test_sample_data.py`` checks them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = {
    "logbook.csv": ["home_currency", "timezone", "reference_wage", "reference_currency", "reference_label"],
    "projects.csv": ["platform", "project", "pay_model", "currency", "advertised_rate", "started_on",
                     "ended_on", "end_reason", "notes"],
    "rates.csv": ["platform", "project", "effective_at", "rate", "unit", "currency", "applies_to", "note"],
    "work.csv": ["platform", "project", "kind", "start", "end", "duration_minutes", "units", "pay",
                 "currency", "status", "external_id", "note"],
    "eq.csv": ["platform", "start_date", "end_date", "note"],
    "payouts.csv": ["platform", "paid_at", "amount", "currency", "fee", "method", "received_amount",
                    "received_currency", "reference", "note"],
    "expenses.csv": ["date", "category", "amount", "currency", "platform", "note"],
    "fx.csv": ["date", "currency", "rate"],
}

CENT = Decimal("0.01")
D = dt.date


def cents(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_EVEN)


def days(first: dt.date, last: dt.date):
    """Every date from ``first`` to ``last`` inclusive."""
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


def weekdays(first: dt.date, last: dt.date):
    return [d for d in days(first, last) if d.weekday() < 5]


def at(day: dt.date, hhmm: str) -> dt.datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m))


def iso(t: dt.datetime) -> str:
    """Local time without an offset (the bundle's logbook.csv gives the zone)."""
    return t.isoformat(timespec="seconds" if t.second else "minutes")


def plus_hours(t: dt.datetime, hours: float) -> dt.datetime:
    return t + dt.timedelta(minutes=round(hours * 60))


class Bundle:
    def __init__(self, name: str):
        self.name = name
        self.rows: dict[str, list[dict]] = {f: [] for f in COLUMNS}

    def add(self, file: str, **row) -> dict:
        unknown = set(row) - set(COLUMNS[file])
        assert not unknown, unknown
        self.rows[file].append(row)
        return row

    def work(self, platform, project, kind, start: dt.datetime, end: dt.datetime, **extra) -> dict:
        return self.add("work.csv", platform=platform, project=project or "", kind=kind,
                        start=iso(start), end=iso(end), **extra)

    def write(self) -> Path:
        out = HERE / self.name
        out.mkdir(exist_ok=True)
        for file, cols in COLUMNS.items():
            rows = self.rows[file]
            path = out / file
            if not rows:
                if path.exists():
                    path.unlink()
                continue
            with open(path, "w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
                w.writeheader()
                for r in rows:
                    w.writerow({c: ("" if r.get(c) is None else r.get(c)) for c in cols})
        return out


def hours_of(row: dict) -> Decimal:
    s = dt.datetime.fromisoformat(row["start"])
    e = dt.datetime.fromisoformat(row["end"])
    return Decimal(int((e - s).total_seconds())) / Decimal(3600)


# ---------------------------------------------------------------------------------------
# 1. hourly-usd: Dana, Dayton (Ohio), hourly AI training on Outlier, paid in USD by PayPal
# ---------------------------------------------------------------------------------------
#: session lengths (hours) cycling over the working days of a project: morning, afternoon
MORNING = [3.0, 2.5, 3.5, 2.0, 3.0]
AFTERNOON = [2.0, 3.0, 1.5, 2.5, 2.0]


def hourly_usd() -> Bundle:
    b = Bundle("hourly-usd")
    P = "Outlier"
    b.add("logbook.csv", home_currency="USD", timezone="America/New_York", reference_wage="7.25",
          reference_currency="USD", reference_label="US federal minimum wage (FLSA)")

    b.add("projects.csv", platform=P, project="Crimson Heron", pay_model="hourly", currency="USD",
          advertised_rate="30.00", started_on="2026-01-12", ended_on="2026-01-15", end_reason="removed",
          notes="Failed the qualification test after 12 h of unpaid onboarding; no score shown.")
    b.add("projects.csv", platform=P, project="White Wolf", pay_model="hourly", currency="USD",
          advertised_rate="25.00", started_on="2026-01-19", ended_on="2026-03-06", end_reason="removed",
          notes="Removed for a “quality issue”; no examples, no appeal.")
    b.add("projects.csv", platform=P, project="Genesis Dolphin", pay_model="hourly", currency="USD",
          advertised_rate="", started_on="2026-03-23", ended_on="2026-04-24", end_reason="finished",
          notes="Announced at $35/h; “the rate was a mistake”, $20/h from the next day.")
    b.add("projects.csv", platform=P, project="Jellyfish IF", pay_model="hourly", currency="USD",
          advertised_rate="22.00", started_on="2026-05-04", ended_on="", end_reason="",
          notes="Instruction-following prompts; raised to $24/h in week 3.")

    b.add("rates.csv", platform=P, project="White Wolf", effective_at="2026-02-02T00:00", rate="25.00",
          unit="hour", currency="USD", applies_to="", note="rate in the welcome e-mail")
    b.add("rates.csv", platform=P, project="White Wolf", effective_at="2026-02-02T00:00", rate="10.00",
          unit="hour", currency="USD", applies_to="training", note="training tasks during the review period")
    b.add("rates.csv", platform=P, project="Genesis Dolphin", effective_at="2026-03-23T09:00", rate="35.00",
          unit="hour", currency="USD", applies_to="", note="announced in the project channel")
    b.add("rates.csv", platform=P, project="Genesis Dolphin", effective_at="2026-03-24T00:00", rate="20.00",
          unit="hour", currency="USD", applies_to="", note="“$35 was a mistake”: cut overnight, no notice")
    b.add("rates.csv", platform=P, project="Jellyfish IF", effective_at="2026-05-04T00:00", rate="22.00",
          unit="hour", currency="USD", applies_to="", note="")
    b.add("rates.csv", platform=P, project="Jellyfish IF", effective_at="2026-05-18T00:00", rate="24.00",
          unit="hour", currency="USD", applies_to="", note="raise for reviewers with good scores")

    # January: 40 h of unpaid onboarding, 5 h of tests, no paid work at all.
    onboarding = [  # (day, from, to, project, note)
        (D(2026, 1, 5), "09:00", "13:00", "", "Outlier welcome course (videos)"),
        (D(2026, 1, 6), "09:00", "12:30", "", "platform rules and tooling course"),
        (D(2026, 1, 7), "09:00", "12:00", "", "writing-quality course"),
        (D(2026, 1, 8), "13:00", "17:30", "", "fact-checking course"),
        (D(2026, 1, 12), "09:00", "14:00", "Crimson Heron", "guidelines, 142 pages, part 1"),
        (D(2026, 1, 13), "09:00", "13:00", "Crimson Heron", "guidelines part 2"),
        (D(2026, 1, 14), "18:00", "21:00", "Crimson Heron", "video walkthrough + examples"),
        (D(2026, 1, 19), "09:00", "12:00", "White Wolf", "onboarding module 1"),
        (D(2026, 1, 20), "09:00", "13:30", "White Wolf", "onboarding modules 2–3"),
        (D(2026, 1, 21), "14:00", "17:00", "White Wolf", "onboarding module 4"),
        (D(2026, 1, 27), "09:00", "11:30", "White Wolf", "rubric updates, re-read guidelines"),
    ]
    for day, a, z, proj, note in onboarding:
        b.work(P, proj, "onboarding", at(day, a), at(day, z), note=note)
    b.work(P, "Crimson Heron", "assessment", at(D(2026, 1, 15), "10:00"), at(D(2026, 1, 15), "12:00"),
           note="qualification test — failed, unpaid")
    b.work(P, "White Wolf", "assessment", at(D(2026, 1, 22), "10:00"), at(D(2026, 1, 22), "11:30"),
           note="qualification test 1 — passed")
    b.work(P, "White Wolf", "assessment", at(D(2026, 1, 28), "09:00"), at(D(2026, 1, 28), "10:30"),
           note="qualification test 2 — passed")
    b.work(P, "White Wolf", "instructions", at(D(2026, 1, 29), "19:00"), at(D(2026, 1, 29), "20:00"),
           note="read #announcements backlog")
    b.work(P, "White Wolf", "meeting", at(D(2026, 1, 30), "11:00"), at(D(2026, 1, 30), "12:00"),
           note="onboarding webinar")

    # White Wolf: one week of training tasks at $10/h, then tasking at $25/h.
    for day in weekdays(D(2026, 2, 2), D(2026, 2, 6)):
        b.work(P, "White Wolf", "training", at(day, "09:00"), at(day, "12:00"), note="training tasks")

    def project_days(project: str, workdays: list[dt.date], *, lost=(), pending_from=None,
                     first_day_override=None) -> None:
        for i, day in enumerate(workdays):
            status = "pending" if (pending_from and day >= pending_from) else ""
            if day.weekday() == 0:
                b.work(P, project, "instructions", at(day, "08:30"), at(day, "09:00"),
                       note="weekly guideline update")
            if first_day_override and day == workdays[0]:
                first_day_override(day)
                continue
            m_start = at(day, "09:00")
            m_end = plus_hours(m_start, MORNING[i % 5])
            b.work(P, project, "tasking", m_start, m_end, status=status)
            if day.weekday() == 2:  # Wednesdays: a long task ran past the 1-hour cap
                b.work(P, project, "tasking", m_end, m_end + dt.timedelta(minutes=20), status="capped",
                       note="task ran past the 60-minute cap; the extra 20 min are not paid")
            a_start = at(day, "13:30")
            a_end = plus_hours(a_start, AFTERNOON[i % 5])
            if day in lost:
                b.work(P, project, "tasking", a_start, a_end, status="lost",
                       note="submission crashed (“Something went wrong”); the task vanished, not paid")
            else:
                b.work(P, project, "tasking", a_start, a_end, status=status)

    project_days("White Wolf", weekdays(D(2026, 2, 9), D(2026, 3, 5)), lost={D(2026, 2, 18)},
                 pending_from=D(2026, 3, 2))
    b.work(P, "White Wolf", "meeting", at(D(2026, 2, 12), "16:00"), at(D(2026, 2, 12), "16:30"),
           note="stand-up call with the QM")

    def dolphin_first_day(day: dt.date) -> None:
        b.work(P, "Genesis Dolphin", "tasking", at(day, "09:00"), at(day, "13:00"), note="first day at $35/h")

    project_days("Genesis Dolphin", weekdays(D(2026, 3, 23), D(2026, 4, 24)),
                 first_day_override=dolphin_first_day)
    project_days("Jellyfish IF", weekdays(D(2026, 5, 4), D(2026, 5, 29)), pending_from=D(2026, 5, 25))

    b.work(P, "", "admin", at(D(2026, 3, 4), "20:00"), at(D(2026, 3, 4), "20:45"),
           note="support ticket: payout for week of 23 Feb never arrived")
    b.work(P, "", "admin", at(D(2026, 4, 22), "19:00"), at(D(2026, 4, 22), "20:00"),
           note="support ticket #2: payout for week of 13 Apr missing")
    b.work(P, "", "waiting", at(D(2026, 3, 9), "09:00"), at(D(2026, 3, 9), "10:00"),
           note="refreshing the empty queue")

    b.add("eq.csv", platform=P, start_date="2026-03-07", end_date="2026-03-22",
          note="after the removal from White Wolf: nothing in the queue")
    b.add("eq.csv", platform=P, start_date="2026-04-27", end_date="2026-05-03",
          note="Genesis Dolphin finished; waiting for the next project")

    # PayPal, every Tuesday, for the paid (not pending) work of the week before.
    rates = {("White Wolf", "training"): Decimal("10"), ("White Wolf", "tasking"): Decimal("25"),
             ("Jellyfish IF", "early"): Decimal("22"), ("Jellyfish IF", "late"): Decimal("24")}

    def pay_of(row: dict) -> Decimal:
        proj, kind = row["project"], row["kind"]
        start = dt.datetime.fromisoformat(row["start"])
        if proj == "Genesis Dolphin":
            rate = Decimal("35") if start < dt.datetime(2026, 3, 24) else Decimal("20")
        elif proj == "Jellyfish IF":
            rate = rates[(proj, "early" if start < dt.datetime(2026, 5, 18) else "late")]
        else:
            rate = rates[(proj, kind)]
        return hours_of(row) * rate

    weekly: dict[dt.date, Decimal] = {}
    for row in b.rows["work.csv"]:
        if row["kind"] in ("tasking", "training") and row.get("status", "") in ("", "paid"):
            day = dt.datetime.fromisoformat(row["start"]).date()
            monday = day - dt.timedelta(days=day.weekday())
            weekly[monday] = weekly.get(monday, Decimal(0)) + pay_of(row)
    missing = {D(2026, 2, 23): "never arrived (ticket open)", D(2026, 4, 13): "never arrived (ticket #2)"}
    for n, (monday, gross) in enumerate(sorted(weekly.items()), start=1):
        if monday in missing:
            continue
        paid_on = monday + dt.timedelta(days=8)
        if paid_on > D(2026, 5, 31):
            continue
        gross = cents(gross)
        b.add("payouts.csv", platform=P, paid_at=iso(at(paid_on, "06:15")), amount=str(gross), currency="USD",
              fee=str(cents(gross * Decimal("0.02"))), method="PayPal", received_amount="", received_currency="",
              reference=f"PP-2026-{n:03d}", note=f"week of {monday.isoformat()}")

    for month in (1, 2, 3, 4, 5):
        b.add("expenses.csv", date=D(2026, month, 1).isoformat(), category="internet", amount="65.00",
              currency="USD", platform="", note="home fibre, whole bill (used mostly for tasking)")
    b.add("expenses.csv", date="2026-01-09", category="equipment", amount="39.99", currency="USD",
          platform="Outlier", note="USB headset for audio-recording tasks")
    return b


# ---------------------------------------------------------------------------------------
# 2. kenya-kes: Achieng, Nairobi, per-item annotation on Remotasks, USD → KES via M-Pesa
# ---------------------------------------------------------------------------------------
KE_SESSIONS = [("08:00", "11:00"), ("14:00", "17:30"), ("20:00", "22:00")]  # 8.5 h a day


def kenya_kes() -> Bundle:
    rng = random.Random(254)
    b = Bundle("kenya-kes")
    P = "Remotasks"
    first, last = D(2026, 2, 1), D(2026, 4, 30)
    b.add("logbook.csv", home_currency="KES", timezone="Africa/Nairobi", reference_wage="82.63",
          reference_currency="KES",
          reference_label="Nairobi general labourer minimum, KES 16,113.75 a month ÷ 195 h (illustrative)")

    # fx: one USD in KES, every day of the logbook (a small seeded random walk).
    rate = Decimal("129.20")
    fx: dict[dt.date, Decimal] = {}
    for day in days(first - dt.timedelta(days=3), last):
        rate = (rate + Decimal(rng.randint(-12, 12)) / Decimal(100)).quantize(Decimal("0.0001"))
        fx[day] = rate
        b.add("fx.csv", date=day.isoformat(), currency="USD", rate=str(rate))

    projects = [  # name, rate history, work days, onboarding day, end reason, note
        ("Lidar Kestrel", [("2026-02-02T00:00", "0.04", "")], D(2026, 2, 2), D(2026, 2, 15), D(2026, 2, 1),
         "finished", "3D cuboids on street scenes; 2-week sprint, 7 days a week"),
        ("MM Biscuits", [("2026-02-23T00:00", "0.03", ""),
                         ("2026-03-02T00:00", "0.025", "rate cut: “the project has grown”")],
         D(2026, 2, 23), D(2026, 3, 8), D(2026, 2, 22), "finished",
         "Product-photo bounding boxes. Batch of 3 March voided: accuracy 81 % < 85 % threshold"),
        ("Sunbird Polygons", [("2026-03-23T00:00", "0.06", "")], D(2026, 3, 23), D(2026, 4, 5), D(2026, 3, 22),
         "finished", "Polygon segmentation of farm plots (Kiswahili labels)"),
        ("Acacia Boxes", [("2026-04-13T00:00", "0.05", "")], D(2026, 4, 13), D(2026, 4, 26), D(2026, 4, 12),
         "paused", "Boxes on matatu dash-cam frames; paused “until further notice”"),
    ]
    for name, history, p_first, p_last, onboard, reason, note in projects:
        b.add("projects.csv", platform=P, project=name, pay_model="per_task", currency="USD", advertised_rate="",
              started_on=onboard.isoformat(), ended_on=p_last.isoformat(), end_reason=reason, notes=note)
        for eff, r, rnote in history:
            b.add("rates.csv", platform=P, project=name, effective_at=eff, rate=r, unit="task", currency="USD",
                  applies_to="", note=rnote)
        b.work(P, name, "onboarding", at(onboard, "09:00"), at(onboard, "12:00"), note="tutorial videos + guide")
        b.work(P, name, "assessment", at(onboard, "13:00"), at(onboard, "14:00"), note="qualification quiz")

    rate_at = {}  # (project, day) -> USD per item
    for name, history, p_first, p_last, *_ in projects:
        for day in days(p_first, p_last):
            r = None
            for eff, val, _ in history:
                if dt.datetime.fromisoformat(eff).date() <= day:
                    r = Decimal(val)
            rate_at[(name, day)] = r

    voided = D(2026, 3, 3)
    power_cuts = {D(2026, 2, 10), D(2026, 3, 26), D(2026, 4, 16)}
    weekly_usd: dict[dt.date, Decimal] = {}
    for name, history, p_first, p_last, *_ in projects:
        for day in days(p_first, p_last):
            b.work(P, name, "instructions", at(day, "07:45"), at(day, "08:00"), note="read the Discord updates")
            for a, z in KE_SESSIONS:
                start, end = at(day, a), at(day, z)
                hours = (end - start).total_seconds() / 3600
                units = round(hours * rng.randint(30, 48))
                if day == voided:
                    b.work(P, name, "tasking", start, end, units=units, status="rejected",
                           note="batch voided: accuracy 81 % below the 85 % threshold")
                    continue
                where = "at the cybercafé (power cut at home)" if day in power_cuts and a == "20:00" else ""
                b.work(P, name, "tasking", start, end, units=units, note=where)
                monday = day - dt.timedelta(days=day.weekday())
                weekly_usd[monday] = weekly_usd.get(monday, Decimal(0)) + units * rate_at[(name, day)]

    for s, e, note in [("2026-02-16", "2026-02-21", "between projects"), ("2026-03-09", "2026-03-21",
                       "MM Biscuits ended early; empty queue"), ("2026-04-06", "2026-04-11", "between projects"),
                       ("2026-04-27", "2026-04-30", "Acacia Boxes paused")]:
        b.add("eq.csv", platform=P, start_date=s, end_date=e, note=note)
        d0 = dt.date.fromisoformat(s)
        b.work(P, "", "waiting", at(d0, "08:00"), at(d0, "09:30"), note="refreshing the queue, nothing")

    # M-Pesa, every Wednesday, for last week's items; $1.00 transfer fee, KES at a spread.
    n = 0
    for monday, usd in sorted(weekly_usd.items()):
        paid_on = monday + dt.timedelta(days=9)
        if paid_on > last:
            continue
        n += 1
        gross = cents(usd)
        if monday == D(2026, 3, 30):
            continue  # the Sunbird week that never came
        fee = Decimal("1.00")
        received = cents((gross - fee) * fx[paid_on] * Decimal("0.985"))
        code = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10))
        b.add("payouts.csv", platform=P, paid_at=iso(at(paid_on, "10:30")), amount=str(gross), currency="USD",
              fee=str(fee), method="M-Pesa", received_amount=str(received), received_currency="KES",
              reference=code, note=f"week of {monday.isoformat()}")
    b.add("work.csv", platform=P, project="", kind="admin", start="2026-04-15T19:00", end="2026-04-15T19:40",
          duration_minutes="", note="support chat: week of 30 March never paid")

    for monday in (d for d in days(first, last) if d.weekday() == 0):
        b.add("expenses.csv", date=monday.isoformat(), category="internet", amount="250.00", currency="KES",
              platform="", note="Safaricom 7-day data bundle")
    for month in (2, 3, 4):
        b.add("expenses.csv", date=D(2026, month, 1).isoformat(), category="electricity", amount="1000.00",
              currency="KES", platform="", note="KPLC prepaid token")
    for day in sorted(power_cuts):
        b.add("expenses.csv", date=day.isoformat(), category="cybercafé", amount="200.00", currency="KES",
              platform=P, note="2 h at the cybercafé, Kawangware — power cut")
    return b


# ---------------------------------------------------------------------------------------
# 3. microtask-mturk: Rosa, Chicago, many overlapping HITs paid a few cents each
# ---------------------------------------------------------------------------------------
REQUESTERS = {  # project: (seconds per HIT range, reward range in cents or None for rate-derived)
    "Receipt Transcription (ScanCo)": ((45, 150), None),
    "Łódź Psycholinguistics Lab — surveys": ((420, 1200), (30, 50)),
    "Bildarchiv Köln — image tags": ((20, 70), (1, 3)),
    "Chatbot reply ratings (AI training)": ((90, 300), (10, 15)),
}


def hit_id(rng: random.Random) -> str:
    return "3" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(29))


def microtask_mturk() -> Bundle:
    rng = random.Random(1005)
    b = Bundle("microtask-mturk")
    P = "MTurk"
    first, last = D(2026, 2, 2), D(2026, 4, 30)
    b.add("logbook.csv", home_currency="USD", timezone="America/Chicago", reference_wage="7.25",
          reference_currency="USD", reference_label="US federal minimum wage (FLSA)")
    for name in REQUESTERS:
        b.add("projects.csv", platform=P, project=name, pay_model="per_task", currency="USD", advertised_rate="",
              started_on=first.isoformat(), ended_on="", end_reason="", notes="")
    b.add("rates.csv", platform=P, project="Receipt Transcription (ScanCo)", effective_at="2026-02-02T00:00",
          rate="0.05", unit="task", currency="USD", applies_to="", note="reward per receipt")
    b.add("rates.csv", platform=P, project="Receipt Transcription (ScanCo)", effective_at="2026-03-16T00:00",
          rate="0.04", unit="task", currency="USD", applies_to="", note="reward lowered as the batch grew")

    hand_day = D(2026, 3, 10)  # the evening written out by hand (see README / tests)
    mass_rejection = D(2026, 4, 7)
    pending_from = D(2026, 4, 28)
    weekly: dict[dt.date, Decimal] = {}

    def hit(project: str, start: dt.datetime, end: dt.datetime, status: str, reward: Decimal | None,
            note: str = "") -> None:
        derived = reward is None
        row = b.work(P, project, "tasking", start, end, units=1, pay="" if derived or status in
                     ("rejected", "returned") else str(reward), status=status, external_id=hit_id(rng),
                     note=note)
        if status == "paid":
            value = reward if reward is not None else (
                Decimal("0.05") if start.date() < D(2026, 3, 16) else Decimal("0.04"))
            day = start.date()
            monday = day - dt.timedelta(days=day.weekday())
            weekly[monday] = weekly.get(monday, Decimal(0)) + value
        return row

    for day in days(first, last):
        if day == hand_day:
            t = lambda hhmm: at(day, hhmm)  # noqa: E731
            b.work(P, "", "waiting", t("19:00"), t("19:10"), note="searching for HITs worth doing")
            hit("Łódź Psycholinguistics Lab — surveys", t("19:10"), t("19:16"), "paid", Decimal("0.25"))
            hit("Chatbot reply ratings (AI training)", t("19:11"), t("19:19"), "paid", Decimal("0.10"))
            hit("Chatbot reply ratings (AI training)", t("19:12"), t("19:30"), "rejected", None,
                note="rejected: “did not follow instructions” (reward $0.12 not paid)")
            hit("Bildarchiv Köln — image tags", t("19:25"), t("19:28"), "returned", None,
                note="returned: images would not load")
            b.work(P, "", "waiting", t("19:30"), t("19:40"), note="queue empty, refreshing")
            hit("Bildarchiv Köln — image tags", t("19:40"), t("19:45"), "paid", Decimal("0.05"),
                note="5 tags at $0.01")
            continue
        if day.weekday() == 6:
            b.work(P, "", "admin", at(day, "18:00"), at(day, "18:20"),
                   note="checked approvals, transferred earnings, answered a requester")
            continue
        for s_start in rng.sample(["07:30", "12:15", "20:00"], k=rng.choice([1, 2, 2, 3])):
            t = at(day, s_start)
            wait = rng.randint(4, 20)
            b.work(P, "", "waiting", t, t + dt.timedelta(minutes=wait), note="searching / watching the queue")
            t += dt.timedelta(minutes=wait)
            for _batch in range(rng.randint(2, 5)):
                project = rng.choice(list(REQUESTERS))
                (lo, hi), reward_range = REQUESTERS[project]
                batch_end = t
                for k in range(rng.randint(2, 5)):  # several HITs accepted at once, worked in parallel
                    start = t + dt.timedelta(seconds=k * rng.randint(5, 40))
                    end = start + dt.timedelta(seconds=rng.randint(lo, hi))
                    roll = rng.random()
                    if day == mass_rejection and project == "Chatbot reply ratings (AI training)":
                        status, note = "rejected", "mass rejection by the requester, no reason given"
                    elif roll < 0.03:
                        status, note = "rejected", "rejected without explanation"
                    elif roll < 0.08:
                        status, note = "returned", "returned: broken link / timer too short"
                    else:
                        status, note = ("pending" if day >= pending_from else "paid"), ""
                    reward = None if reward_range is None else cents(Decimal(rng.randint(*reward_range)) / 100)
                    hit(project, start, end, status, reward, note)
                    batch_end = max(batch_end, end)
                t = batch_end + dt.timedelta(seconds=rng.randint(20, 240))

    for monday, amount in sorted(weekly.items()):
        paid_on = monday + dt.timedelta(days=7)
        if paid_on > last:
            continue
        b.add("payouts.csv", platform=P, paid_at=iso(at(paid_on, "08:00")), amount=str(cents(amount)),
              currency="USD", fee="0.00", method="bank transfer", received_amount="", received_currency="",
              reference="", note=f"approved HITs of the week of {monday.isoformat()}")
    for month in (2, 3, 4):
        b.add("expenses.csv", date=D(2026, month, 3).isoformat(), category="internet", amount="25.00",
              currency="USD", platform="", note="half of the Xfinity bill (shared with the household)")
    return b


def main() -> None:
    for make in (hourly_usd, kenya_kes, microtask_mturk):
        bundle = make()
        out = bundle.write()
        counts = ", ".join(f"{f.removesuffix('.csv')} {len(r)}" for f, r in bundle.rows.items() if r)
        print(f"{out.relative_to(HERE.parent)}: {counts}")


if __name__ == "__main__":
    main()
