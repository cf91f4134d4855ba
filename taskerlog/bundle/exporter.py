"""Writing a whole logbook as a bundle (every file of format 1), folder or ``.zip``.

Times are local ISO 8601 with their offset (``2026-03-02T09:00:00-05:00``), amounts plain
decimal strings, blank pay stays blank (derived pay is never frozen into an export).
Spreadsheet-safe: text cells go through :func:`taskerlog.csvsafe.escape` (a cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets one ``'`` in front, which
the importer removes again), so a round trip is exact and a spreadsheet never runs a cell
as a formula.
The file appears all at once: it is written under a temporary name and renamed.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pandas as pd

from .. import money, timeutil
from ..csvsafe import escape, frame_csv_bytes
from ..store import Store, partial
from .reader import too_compressed
from .spec import FILES, ORDER

TEXT_COLUMNS = {"platform", "project", "notes", "note", "method", "reference", "external_id", "category",
                "reference_label"}


class ExportError(ValueError):
    """The export could not be written; the message says what to do."""


def local_iso(epochs: pd.Series, tz: str) -> pd.Series:
    """Epoch seconds → ``YYYY-MM-DDTHH:MM:SS±HH:MM`` in ``tz`` (blank stays blank)."""
    out = pd.Series([""] * len(epochs), index=epochs.index, dtype=object)
    mask = epochs.notna().to_numpy()
    if mask.any():
        d = pd.to_datetime(epochs[mask].astype("int64"), unit="s", utc=True).dt.tz_convert(timeutil.zone(tz))
        off = d.dt.strftime("%z")
        if (off.str.len() == 5).all():
            text = d.dt.strftime("%Y-%m-%dT%H:%M:%S") + off.str.slice(0, 3) + ":" + off.str.slice(3)
        else:  # historic offsets with seconds: let Python spell them
            text = pd.Series([timeutil.format_local(int(e), tz) for e in epochs[mask]], index=d.index)
        out[mask] = text.to_numpy()
    return out


def amounts(micros: pd.Series) -> pd.Series:
    """Integer micro-units → decimal strings with at least two places ("0.01", "1250.50")."""
    out = pd.Series([""] * len(micros), index=micros.index, dtype=object)
    mask = micros.notna().to_numpy()
    if mask.any():
        v = micros[mask].astype("int64").to_numpy()
        if (v < 0).any():
            out[mask] = [money.format_micros(int(x)) for x in v]
            return out
        whole = pd.Series(v // 1_000_000).astype(str)
        frac = pd.Series(v % 1_000_000).astype(str).str.zfill(6).str.rstrip("0").str.pad(2, side="right",
                                                                                          fillchar="0")
        out[mask] = (whole + "." + frac).to_numpy()
    return out


def _dates(s: pd.Series) -> pd.Series:
    return pd.Series([v.isoformat() if v is not None and v == v else "" for v in s.astype(object)],
                     index=s.index, dtype=object)


def bundle_frames(store: Store) -> dict[str, pd.DataFrame]:
    """The logbook as the bundle's tables of strings (columns in interchange.md order)."""
    f = store.frames()
    tz = f.settings.timezone
    s = f.settings
    tables: dict[str, pd.DataFrame] = {
        "logbook": pd.DataFrame([{
            "home_currency": s.home_currency, "timezone": s.timezone,
            "reference_wage": "" if s.reference_wage is None else money.format_amount(s.reference_wage),
            "reference_currency": s.reference_currency or "", "reference_label": s.reference_label or ""}]),
    }
    p = f.projects
    tables["projects"] = pd.DataFrame({
        "platform": p["platform"], "project": p["project"], "pay_model": p["pay_model"], "currency": p["currency"],
        "advertised_rate": amounts(p["advertised_rate_micros"]), "started_on": _dates(p["started_on"]),
        "ended_on": _dates(p["ended_on"]), "end_reason": p["end_reason"], "notes": p["notes"]})
    r = f.rates
    tables["rates"] = pd.DataFrame({
        "platform": r["platform"], "project": r["project"], "effective_at": local_iso(r["effective_at"], tz),
        "rate": amounts(r["rate_micros"]), "unit": r["unit"], "currency": r["currency"],
        "applies_to": r["applies_to"], "note": r["note"]})
    w = f.work
    tables["work"] = pd.DataFrame({
        "platform": w["platform"], "project": w["project"], "kind": w["kind"],
        "start": local_iso(w["start"], tz), "end": local_iso(w["end"], tz), "duration_minutes": "",
        "units": w["units"].astype(object).where(w["units"].notna(), ""),
        "pay": amounts(w["pay_micros"]), "currency": w["currency"], "status": w["status"],
        "external_id": w["external_id"], "note": w["note"]})
    e = f.eq
    tables["eq"] = pd.DataFrame({"platform": e["platform"], "start_date": _dates(e["start_date"]),
                                 "end_date": _dates(e["end_date"]), "note": e["note"]})
    o = f.payouts
    tables["payouts"] = pd.DataFrame({
        "platform": o["platform"], "paid_at": local_iso(o["paid_at"], tz), "amount": amounts(o["amount_micros"]),
        "currency": o["currency"], "fee": amounts(o["fee_micros"]), "method": o["method"],
        "received_amount": amounts(o["received_amount_micros"]), "received_currency": o["received_currency"],
        "reference": o["reference"], "note": o["note"],
        "for_earlier_work": ["yes" if v == 1 else "" for v in o["for_earlier_work"]]})
    x = f.expenses
    tables["expenses"] = pd.DataFrame({
        "date": _dates(x["date"]), "category": x["category"], "amount": amounts(x["amount_micros"]),
        "currency": x["currency"], "platform": x["platform"], "note": x["note"]})
    fx = f.fx
    tables["fx"] = pd.DataFrame({"date": _dates(fx["date"]), "currency": fx["currency"],
                                 "rate": [money.plain(v) for v in fx["rate"]]})
    for name, df in tables.items():
        cols = FILES[name].columns
        for c in cols:
            if c not in df.columns:
                df[c] = ""
            col = df[c].astype(object).where(df[c].notna(), "")
            df[c] = escape(col) if c in TEXT_COLUMNS else col.astype(str)
        tables[name] = df[list(cols)]
    return tables


def export_bundle(store: Store, out: str | Path) -> dict[str, int]:
    """Write every bundle file to ``out`` (a ``.zip`` by its name, else a folder).

    → rows written per file. An existing zip is replaced atomically; an existing folder
    must be empty (an export never mixes with other files).
    """
    out = Path(out)
    tables = bundle_frames(store)
    counts = {name: len(tables[name]) for name in ORDER}
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".zip":
        if out.is_dir():
            raise ExportError(f"{out} is a folder; give a file name ending in .zip, or a new folder name")
        data = {FILES[name].filename: frame_csv_bytes(tables[name]) for name in ORDER}
        with partial.writing(out) as tmp:
            stored = _write_zip(tmp, data, set())
            if stored:  # a note of one repeated character: stored as it is, within the import's zip-bomb rule
                _write_zip(tmp, data, stored)
    else:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ExportError(f"{out} already exists and is not an empty folder; choose a new name "
                              "(or end it in .zip to write one file)")
        with partial.writing(out, folder=True) as tmp:
            for name in ORDER:
                with open(tmp / FILES[name].filename, "wb") as fh:
                    fh.write(frame_csv_bytes(tables[name]))
                    fh.flush()
                    os.fsync(fh.fileno())
    return counts


def _write_zip(path: Path, data: dict[str, bytes], stored: set[str]) -> set[str]:
    """Write the members (deflated, those in ``stored`` uncompressed) and fsync → the names
    the import's zip-bomb rule would refuse as written (to be stored instead)."""
    with open(path, "wb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, content in data.items():
                zf.writestr(name, content, compress_type=zipfile.ZIP_STORED if name in stored else None)
            refused = {i.filename for i in zf.infolist() if too_compressed(i)}
        fh.flush()
        os.fsync(fh.fileno())
    return refused
