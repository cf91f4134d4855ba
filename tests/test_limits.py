"""No input makes an import hang, balloon or crash: each hostile file is imported by the
real command in a child process with a memory ceiling (RLIMIT_AS) and a time limit, and
must end in a clear refusal (exit 1, the file named, no traceback)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MEMORY = 2560 * 1024 * 1024
"""Address space a child may use: about 1.4 GiB goes to Python, pandas and pyarrow mapped
before anything is read, so this leaves about 1 GiB for the input."""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def limited(*args: str, seconds: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from taskerlog.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=seconds, preexec_fn=_limit, cwd=ROOT)


def refused(r: subprocess.CompletedProcess, *words: str) -> None:
    assert r.returncode == 1 and "Traceback" not in r.stderr and "MemoryError" not in r.stderr, r.stderr[-2000:]
    for w in words:
        assert w in r.stderr, r.stderr[-2000:]


def test_a_header_of_a_million_columns_is_refused_at_once(tmp_path):
    """The duplicate-column check counted each name in the whole header: quadratic, and a
    1M-column header never finished."""
    cols = ",".join(f"c{i}" for i in range(1_000_000))
    bundle = tmp_path / "wide"
    bundle.mkdir()
    (bundle / "work.csv").write_text(f"platform,kind,start,end,{cols}\n")
    sheet = tmp_path / "wide.csv"
    sheet.write_text(f"{cols},date,hours\n" + "," * 1_000_000 + "2026-01-01,1\n")
    db = str(tmp_path / "log.sqlite")
    refused(limited("--db", db, "import", str(bundle), "--dry-run", seconds=40),
            "work.csv:1: the header has 1,000,004 columns", "at most 1,000")
    refused(limited("--db", db, "import-history", "spreadsheet", str(sheet), "--platform", "Outlier", "--dry-run",
                    seconds=40), "the header has 1,000,002 columns")


def test_tens_of_thousands_of_columns_with_twins_are_named_quickly(tmp_path):
    bundle = tmp_path / "b"
    bundle.mkdir()
    (bundle / "work.csv").write_text("platform,kind,start,end,note,note\n")
    r = limited("--db", str(tmp_path / "log.sqlite"), "import", str(bundle), "--dry-run", seconds=40)
    refused(r, "work.csv:1: note: this column appears more than once")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_not_read(tmp_path, device):
    """Given as a bundle, /dev/zero grew the process to 6 GB."""
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    db = str(tmp_path / "log.sqlite")
    refused(limited("--db", db, "import", device, "--dry-run", seconds=30), "is not a file or a folder")
    refused(limited("--db", db, "import-history", "spreadsheet", device, "--platform", "Outlier", "--dry-run",
                    seconds=30), "is not a file")


def _bomb_xlsx(path: Path, megabytes: int) -> Path:
    """A real workbook whose sheet is rewritten as ``megabytes`` MB of one repeated row."""
    import openpyxl

    small = path.with_name("small.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["date", "hours"])
    wb.save(small)
    row = '<row><c t="inlineStr"><is><t>2026-01-01</t></is></c><c><v>1</v></c></row>'.encode()
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                         b'spreadsheetml/2006/main"><sheetData>')
                chunk = row * 10_000
                for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                    fh.write(chunk)
                fh.write(b"</sheetData></worksheet>")
    return path


def test_an_xlsx_that_expands_to_hundreds_of_megabytes_is_refused_before_it_is_read(tmp_path):
    """A 3.6 MB workbook that expanded to a 1 GiB sheet ran 533 s and took 4.3 GB."""
    bomb = _bomb_xlsx(tmp_path / "hours.xlsx", 300)
    assert bomb.stat().st_size < 3 * 1024 * 1024
    r = limited("--db", str(tmp_path / "log.sqlite"), "import-history", "spreadsheet", str(bomb),
                "--platform", "Outlier", "--dry-run", seconds=40)
    refused(r, "hours.xlsx", "MiB")
