"""A week at once: the timesheet grid (rows of platform · project · kind, a column per day,
hours in each cell), and the changes that bring the logbook to what the grid says.

- a cell raised adds one entry of the difference on that day, placed after the day's last
  entry (from 09:00 on an empty day) so that it never overlaps other work (overlapping
  time counts once);
- a cell lowered shortens that cell's latest entries, deleting those it empties;
- nothing else changes. Every change is planned first and refused as a whole with the
  cell named (a day still to come, more than a day holds); :func:`apply` writes the plan in
  one transaction, journaled.

Hours are typed as decimals (1.5) or as h:mm (1:30); the grid works in whole minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from . import timeutil
from .everyday import fmt_hm
from .i18n import _, date, number
from .vocab import shown

DAY_START = dt.time(9, 0)
"""Where a day's first timesheet entry begins when nothing else was logged that day."""

NOTE = "timesheet"

Row = tuple[str, "str | None", str]  # platform, project, kind


@dataclass
class Plan:
    add: list[tuple[Row, int, int]] = field(default_factory=list)  # (row, start, end)
    shorten: list[tuple[int, int]] = field(default_factory=list)  # (entry id, new end)
    delete: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.add or self.shorten or self.delete)


def minutes(value) -> int:
    """A cell: blank → 0; ``1.5`` or ``"1,5"`` → 90; ``"1:30"`` → 90. Refused: negative, over 24 h."""
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return 0
    s = str(value).strip()
    try:
        if ":" in s:
            h, m = s.split(":", 1)
            total = int(h) * 60 + int(m)
            if not 0 <= int(m) < 60:
                raise ValueError
        else:
            total = int((Decimal(s.replace(",", ".")) * 60).to_integral_value())
    except (ValueError, InvalidOperation):
        raise ValueError(_("'{value}' is not a number of hours; write {decimal} or 1:30").format(
            value=value, decimal=number(Decimal("1.5")))) from None
    if total < 0 or total > 24 * 60:
        raise ValueError(_("'{value}': a day holds between 0 and 24 hours").format(value=value))
    return total


def week_days(monday: dt.date) -> list[dt.date]:
    return [monday + dt.timedelta(days=i) for i in range(7)]


def cells(work, tz: str, monday: dt.date) -> tuple[dict[tuple[Row, dt.date], list[tuple[int, int, int]]],
                                                      dict[dt.date, int]]:
    """This week's entries by (row, local day of their start) → [(id, start, end)] in start
    order, and each day's latest end (where an added entry may begin)."""
    by: dict[tuple[Row, dt.date], list[tuple[int, int, int]]] = {}
    busy: dict[dt.date, int] = {}
    week = week_days(monday)
    days = set(week)
    for r in work.sort_values(["start", "id"]).itertuples(index=False):
        day = timeutil.to_local(int(r.start), tz).date()
        # every day of the week the entry reaches is busy until its end: a night's work that
        # began the day before still holds the morning (an end at midnight reaches no further)
        last = timeutil.to_local(max(int(r.start), int(r.end) - 1), tz).date()
        for d in week:
            if day <= d <= last:
                busy[d] = max(busy.get(d, 0), int(r.end))
        if day not in days:
            continue
        project = None if r.project is None or r.project != r.project or r.project == "" else str(r.project)
        by.setdefault(((str(r.platform), project, str(r.kind)), day), []).append((int(r.id), int(r.start), int(r.end)))
    return by, busy


def grid(by: dict[tuple[Row, dt.date], list[tuple[int, int, int]]], monday: dt.date) -> dict[Row, list[int]]:
    """Minutes per row and day, as the grid shows them (rows in first-seen order)."""
    out: dict[Row, list[int]] = {}
    days = week_days(monday)
    for (row, day), entries in by.items():
        out.setdefault(row, [0] * 7)[days.index(day)] += sum(e - s for _, s, e in entries) // 60
    return out


def plan(by, busy: dict[dt.date, int], wanted: dict[Row, list[int]], monday: dt.date, tz: str, now: int) -> Plan:
    """The changes that make the logbook's week match ``wanted`` (minutes per row and day)."""
    p = Plan()
    have = grid(by, monday)
    days = week_days(monday)
    cursor = dict(busy)
    for row, mins in wanted.items():
        for i, day in enumerate(days):
            old, new = have.get(row, [0] * 7)[i], mins[i]
            where = f"{_label(row)}, {date(day, 'EEE dd MMM')}"
            if new > old:
                start = max(cursor.get(day, 0), timeutil.parse_instant(f"{day.isoformat()}T{DAY_START:%H:%M}", tz))
                end = start + (new - old) * 60
                next_day = timeutil.local_midnight(day + dt.timedelta(days=1), tz)
                if end > now:
                    local_end = timeutil.to_local(end, tz)
                    p.problems.append(_("{where}: {duration} more would end at {day} {time}, after now; log work "
                                        "once it is done").format(where=where, duration=fmt_hm((new - old) * 60),
                                                                  day=date(local_end.date(), "EEE"),
                                                                  time=f"{local_end:%H:%M}"))
                elif end > next_day:
                    p.problems.append(_("{where}: {duration} more does not fit after the day's other work (it ends "
                                        "at {time}); lower it or log it on another day").format(
                        where=where, duration=fmt_hm((new - old) * 60), time=f"{timeutil.to_local(start, tz):%H:%M}"))
                else:
                    p.add.append((row, start, end))
                    cursor[day] = end
            elif new < old:
                cut = (old - new) * 60
                for wid, s, e in reversed(by.get((row, day), [])):
                    if cut <= 0:
                        break
                    if e - s <= cut:
                        p.delete.append(wid)
                        cut -= e - s
                    else:
                        p.shorten.append((wid, e - cut))
                        cut = 0
    # a row taken out of the grid altogether: its entries go
    for (row, day), entries in by.items():
        if row not in wanted:
            p.delete += [wid for wid, _, _ in entries]
    return p


def apply(store, p: Plan, source: str) -> int:
    """Write a plan in one transaction (all or nothing); returns how many changes."""
    from .model import WorkEntry

    if p.problems:
        raise ValueError("; ".join(p.problems))
    with store.transaction():
        for wid in p.delete:
            store.delete("work", wid, source)
        for wid, end in p.shorten:
            store.update("work", wid, {"end": end}, source)
        for (platform, project, kind), start, end in p.add:
            store.add_work(WorkEntry(platform=platform, project=project, kind=kind, start=start, end=end, note=NOTE),
                           source=source)
    return len(p.delete) + len(p.shorten) + len(p.add)


def _label(row: Row) -> str:
    platform, project, kind = row
    return f"{platform}{' · ' + project if project else ''} ({shown(kind)})"
