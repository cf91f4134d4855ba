"""Every export imports again: taskerlog's own zip passes the import's zip-bomb rule, and
decimals are written plainly (never ``1E-25``), as the import and ``taskerlog fx`` read them."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

from click.testing import CliRunner

from taskerlog.bundle import export_bundle, import_path, read_bundle
from taskerlog.bundle import reader
from taskerlog.cli import cli
from taskerlog.model import FxRate, Logbook, WorkEntry
from taskerlog.store import Store

TINY = "0.0000000000000000000000001"


def test_an_export_with_a_long_repeated_note_imports_again(tmp_path):
    """A 2 MiB note of one character deflates about 1000 times: the import refused the zip
    as a bomb. The export now stores such a member uncompressed."""
    s = Store(tmp_path / "a.sqlite")
    s.set_settings(Logbook(home_currency="USD", timezone="UTC"))
    note = "a" * (2 << 20)
    s.add_work(WorkEntry(platform="Outlier", kind="tasking", start=1_770_000_000, end=1_770_003_600, note=note))
    s.add_work(WorkEntry(platform="Outlier", kind="tasking", start=1_770_010_000, end=1_770_013_600, note="short"))
    export_bundle(s, tmp_path / "out.zip")
    s.close()
    infos = {i.filename: i for i in zipfile.ZipFile(tmp_path / "out.zip").infolist()}
    assert infos["work.csv"].compress_type == zipfile.ZIP_STORED
    assert infos["projects.csv"].compress_type == zipfile.ZIP_DEFLATED  # the rest stays compressed
    tables, problems = read_bundle(tmp_path / "out.zip")
    assert problems == []
    b = Store(tmp_path / "b.sqlite")
    import_path(b, tmp_path / "out.zip")
    assert sorted(b.frames().work["note"], key=len) == ["short", note]
    b.close()


def test_a_crafted_zip_is_still_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("logbook.csv", "home_currency,timezone\nUSD,UTC\n")
        zf.writestr("work.csv", "platform,kind,start,end,note\n" + "Outlier,tasking,2026-01-01T09:00,2026-01-01T10:00,"
                    + "a" * (4 << 20) + "\n")
    _, problems = read_bundle(tmp_path / "bomb.zip")
    assert any("zip bomb" in p.message for p in problems)
    assert reader.MAX_RATIO == 200


def test_tiny_exchange_rates_are_written_as_plain_decimals_and_import_again(tmp_path, clock):
    db = tmp_path / "a.sqlite"
    s = Store(db)
    s.set_settings(Logbook(home_currency="USD", timezone="UTC"))
    s.add_fx(FxRate(currency="VES", rate=Decimal(TINY), date=dt.date(2026, 1, 1)))
    export_bundle(s, tmp_path / "out")
    s.close()
    fx = (tmp_path / "out" / "fx.csv").read_text()
    assert f"2026-01-01,VES,{TINY}\n" in fx and "E-" not in fx
    b = Store(tmp_path / "b.sqlite")
    import_path(b, tmp_path / "out")
    assert b.frames().fx["rate"].tolist() == [Decimal(TINY)]
    b.close()
    run = CliRunner().invoke
    listed = run(cli, ["--db", str(db), "fx"])
    assert listed.exit_code == 0 and TINY in listed.output and "E-" not in listed.output
    added = run(cli, ["--db", str(db), "fx", "XOF", TINY, "--on", "2026-01-02"])
    assert added.exit_code == 0 and f"1 XOF = {TINY} USD" in added.output, added.output


def test_a_campaign_file_with_a_tiny_rate_loads_again():
    import json

    from taskerlog.pool.campaign import Campaign

    c = Campaign(campaign_id="dla-2026", name="What the platforms pay", months=["2026-01"], currency="USD",
                 platforms=["Outlier"], categories=["writing"], fx={"VES": TINY})
    text = c.to_json()
    assert f'"*": "{TINY}"' in text and "E-" not in text
    assert Campaign.model_validate(json.loads(text)).fx == {"VES": {"*": Decimal(TINY)}}
