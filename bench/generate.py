"""A seeded generator of large, realistic logbooks for the benchmark.

``generate(n)`` builds a logbook of ``n`` work entries: the work rows as tuples in
``work.csv`` column order (what the plain-sqlite floor inserts) and every other bundle
file as rows. ``write_bundle(logbook, folder)`` writes it as a CSV bundle (interchange.md
format 1) that ``taskerlog import`` reads.

The mix is that of a heavy micro-tasker with some hourly AI-training work. The logbook's
zone is America/Chicago and its home currency is USD.
- 85 % MTurk HITs. Several are accepted at once and their spans overlap. Each is paid
  $0.01-$0.50, recorded per entry. Some are rejected, returned or pending.
- 4 % Prolific studies, paid in GBP, which needs an exchange rate every day.
- 5 % Remotasks per-item work, with pay derived from `units × rate` and a rate history.
- 3 % Outlier hourly sessions, with pay derived from `hours × rate`. There are training
  rates, cuts and raises, and some sessions are capped, lost or pending.
- 3 % unpaid time: waiting, admin, instructions, onboarding, assessment and meetings.

About 100 entries a day, so 1M entries span about 27 years. Entries stay between
06:00 and 23:00 local time, away from DST gaps. The same ``n`` and ``seed`` always give the
same rows.

Run ``.venv/bin/python bench/generate.py 10000 /tmp/bundle-10k`` to write one.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

WORK_COLUMNS = ["platform", "project", "kind", "start", "end", "duration_minutes", "units", "pay",
                "currency", "status", "external_id", "note"]
COLUMNS = {
    "logbook": ["home_currency", "timezone", "reference_wage", "reference_currency", "reference_label"],
    "projects": ["platform", "project", "pay_model", "currency", "advertised_rate", "started_on", "ended_on",
                 "end_reason", "notes"],
    "rates": ["platform", "project", "effective_at", "rate", "unit", "currency", "applies_to", "note"],
    "eq": ["platform", "start_date", "end_date", "note"],
    "payouts": ["platform", "paid_at", "amount", "currency", "fee", "method", "received_amount",
                "received_currency", "reference", "note"],
    "expenses": ["date", "category", "amount", "currency", "platform", "note"],
    "fx": ["date", "currency", "rate"],
}
PER_DAY = 100
LAST_DAY = dt.date(2026, 4, 30)
DAY_START, DAY_END = 6 * 3600, 23 * 3600
UNPAID = ["waiting", "waiting", "waiting", "admin", "instructions", "onboarding", "assessment", "meeting"]
REQUESTER_NOTES = ["", "", "", "", "", "", "requester: Łódź Lab", "bonus promised", "timer too short",
                   "café wifi", "réponse en français"]


@dataclass
class Generated:
    """One generated logbook: ``work`` rows are tuples in WORK_COLUMNS order (strings)."""

    n: int
    seed: int
    work: list[tuple] = field(default_factory=list)
    tables: dict[str, list[tuple]] = field(default_factory=dict)
    first_day: dt.date = LAST_DAY
    last_day: dt.date = LAST_DAY


def _hms(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


def generate(n: int, seed: int = 2026) -> Generated:
    """A logbook of exactly ``n`` work entries (deterministic for ``n`` and ``seed``)."""
    rng = random.Random(seed * 1_000_003 + n)
    n_days = max(1, -(-n // PER_DAY))
    first = LAST_DAY - dt.timedelta(days=n_days - 1)
    g = Generated(n=n, seed=seed, first_day=first)

    # Projects: MTurk requesters, Prolific (GBP), Remotasks per-item, Outlier hourly (eras).
    n_req = 40
    requesters = [f"Requester {i:02d}" + (" — Köln" if i % 7 == 0 else "") for i in range(n_req)]
    n_eras = max(1, min(60, n_days // 60))
    era_len = -(-n_days // n_eras)
    outlier = [f"Outlier project {i:02d}" for i in range(n_eras)]
    remotasks = [f"Remotasks batch {i:02d}" for i in range(n_eras)]
    projects: list[tuple] = []
    rates: list[tuple] = []
    for r in requesters:
        projects.append(("MTurk", r, "per_task", "USD", "", first.isoformat(), "", "", ""))
    projects.append(("Prolific", "Studies", "per_task", "GBP", "", first.isoformat(), "", "", "paid in £"))
    for e in range(n_eras):
        d0 = e * era_len
        start_day = first + dt.timedelta(days=d0)
        end_day = first + dt.timedelta(days=min(d0 + era_len, n_days) - 1)
        reason = rng.choice(["finished", "removed", "quit", "paused"])
        projects.append(("Outlier", outlier[e], "hourly", "USD", "", start_day.isoformat(), end_day.isoformat(),
                         reason, ""))
        projects.append(("Remotasks", remotasks[e], "per_task", "USD", "", start_day.isoformat(),
                         end_day.isoformat(), "finished", ""))
        cents_h = rng.choice([1500, 2000, 2500, 3000, 3500, 4000])
        mills = rng.choice([20, 30, 40, 50, 60])
        first_cents = cents_h
        for k in range(3):
            day_i = d0 + k * max(1, era_len // 3)
            eff = (first + dt.timedelta(days=day_i)).isoformat() + "T00:00"
            rates.append(("Outlier", outlier[e], eff, f"{cents_h // 100}.{cents_h % 100:02d}", "hour", "USD", "",
                          "rate change" if k else "starting rate"))
            rates.append(("Remotasks", remotasks[e], eff, f"0.{mills:03d}", "task", "USD", "", ""))
            cents_h = max(800, cents_h + rng.choice([-1500, -500, 500, 300]))
            mills = max(10, mills + rng.choice([-10, -5, 5]))
        rates.append(("Outlier", outlier[e], (first + dt.timedelta(days=d0)).isoformat() + "T00:00",
                      f"{first_cents // 200}.00", "hour", "USD", "training", "training at half rate"))

    work = g.work
    append = work.append
    rand, randint, choice, bits = rng.random, rng.randint, rng.choice, rng.getrandbits
    weekly_usd_cents: dict[int, int] = {}
    for day_i in range(n_days):
        quota = PER_DAY if day_i < n_days - 1 else n - PER_DAY * (n_days - 1)
        date = (first + dt.timedelta(days=day_i)).isoformat()
        era = min(day_i // era_len, n_eras - 1)
        t = DAY_START + randint(0, 3 * 3600)
        week = day_i // 7
        for _ in range(quota):
            if t > DAY_END - 2 * 3600:
                t = DAY_START + randint(0, 3600)  # a second sitting in the same day (overlaps are fine)
            roll = rand()
            if roll < 0.85:
                dur = randint(20, 600)
                r = rand()
                status = "paid" if r < 0.90 else "rejected" if r < 0.93 else "returned" if r < 0.98 else "pending"
                cents = randint(1, 50)
                pay = f"0.{cents:02d}" if status in ("paid", "pending") else ""
                if status == "paid":
                    weekly_usd_cents[week] = weekly_usd_cents.get(week, 0) + cents
                append(("MTurk", requesters[randint(0, n_req - 1)], "tasking", f"{date}T{_hms(t)}",
                        f"{date}T{_hms(t + dur)}", "", "1", pay, "", status, f"3{bits(120):030X}"[:30],
                        choice(REQUESTER_NOTES)))
                t += int(dur * 0.6)
            elif roll < 0.89:
                dur = randint(300, 1800)
                pence = randint(50, 500)
                append(("Prolific", "Studies", "tasking", f"{date}T{_hms(t)}", f"{date}T{_hms(t + dur)}", "",
                        "1", f"{pence // 100}.{pence % 100:02d}", "GBP", "paid", f"{bits(64):016x}", ""))
                t += dur
            elif roll < 0.94:
                dur = randint(600, 3600)
                append(("Remotasks", remotasks[era], "tasking", f"{date}T{_hms(t)}", f"{date}T{_hms(t + dur)}",
                        "", str(randint(5, 60)), "", "", "paid" if rand() < 0.95 else "rejected", "", ""))
                t += dur
            elif roll < 0.97:
                minutes = randint(20, 120)
                r = rand()
                kind = "training" if r < 0.1 else "review" if r < 0.2 else "tasking"
                status = ("paid" if r < 0.85 else "pending" if r < 0.92 else "capped" if r < 0.97 else "lost")
                append(("Outlier", outlier[era], kind, f"{date}T{_hms(t)}", "", str(minutes), "", "", "",
                        status, "", "Genesis-style task" if r > 0.99 else ""))
                t += minutes * 60
            else:
                kind = choice(UNPAID)
                dur = randint(300, 3600)
                project = "" if kind in ("waiting", "admin") else outlier[era]
                append(("Outlier" if project else choice(["MTurk", "Outlier"]), project, kind,
                        f"{date}T{_hms(t)}", f"{date}T{_hms(t + dur)}", "", "", "", "", "", "", ""))
                t += dur
            t += randint(0, 90)
    g.last_day = first + dt.timedelta(days=n_days - 1)

    eq, payouts, expenses, fx = [], [], [], []
    day_i = rng.randint(10, 60)
    while day_i < n_days:
        length = rng.randint(1, 21)
        s = first + dt.timedelta(days=day_i)
        eq.append(("Outlier", s.isoformat(), (s + dt.timedelta(days=length - 1)).isoformat(), "empty queue"))
        day_i += length + rng.randint(30, 120)
    for week, cents in sorted(weekly_usd_cents.items()):
        paid = first + dt.timedelta(days=week * 7 + 8)
        if paid > g.last_day or rng.random() < 0.03:
            continue  # a few weeks never paid
        payouts.append(("MTurk", f"{paid.isoformat()}T08:00", f"{cents // 100}.{cents % 100:02d}", "USD", "0.00",
                        "bank transfer", "", "", "", ""))
        gross = rng.randint(5000, 60000)
        fee = gross // 50  # 2 %, in cents
        payouts.append(("Outlier", f"{paid.isoformat()}T09:00", f"{gross // 100}.{gross % 100:02d}", "USD",
                        f"{fee // 100}.{fee % 100:02d}", "PayPal", "", "", "", ""))
    rate = 12500  # GBP in USD, 1e-4
    for d in range(-7, n_days):
        rate = max(10000, min(16000, rate + rng.randint(-40, 40)))
        fx.append(((first + dt.timedelta(days=d)).isoformat(), "GBP", f"{rate // 10000}.{rate % 10000:04d}"))
        day = first + dt.timedelta(days=d)
        if day.day == 1 and d >= 0:
            expenses.append((day.isoformat(), "internet", "55.00", "USD", "", "monthly bill"))
    g.tables = {
        "logbook": [("USD", "America/Chicago", "7.25", "USD", "US federal minimum wage")],
        "projects": projects, "rates": rates, "eq": eq, "payouts": payouts, "expenses": expenses, "fx": fx,
    }
    return g


def write_bundle(g: Generated, folder: str | Path) -> Path:
    """Write ``g`` as a CSV bundle folder (UTF-8, header row); returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"work": (WORK_COLUMNS, g.work), **{k: (COLUMNS[k], v) for k, v in g.tables.items()}}
    for name, (cols, rows) in files.items():
        if not rows and name != "work":
            continue  # a bundle holds the files it needs (a tiny logbook has no payouts yet)
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(cols)
            w.writerows(rows)
    return folder


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: generate.py N OUT_FOLDER   (e.g. generate.py 10000 /tmp/bundle-10k)", file=sys.stderr)
        return 2
    n = int(argv[0].replace("_", ""))
    out = write_bundle(generate(n), argv[1])
    print(f"wrote {n} work entries to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
