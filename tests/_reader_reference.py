"""The CSV reading of taskerlog/bundle/reader.py as it was before the fast paths (commit
4ff008f), verbatim apart from the imports: the reference tests/test_parse_fast.py compares
``parse_csv`` against. Do not "fix" this file; it pins the behaviour.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from taskerlog.bundle.problems import Problem
from taskerlog.bundle.spec import FILE_ATTR, FILES, LINE

_KNOWN = {spec.filename: name for name, spec in FILES.items()}


def _fast_read(data: bytes, names: list[str], text: str) -> pd.DataFrame | None:
    """pyarrow's CSV reader, when every record is one physical line with no blank lines
    (then line numbers are simply row + 2); None means: take the careful path."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    physical = text.count("\n") + (0 if text.endswith("\n") else 1) - 1
    if table.num_rows != physical:
        return None
    return table.to_pandas()


def parse_csv(data: bytes, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Bytes of one CSV file → (string frame with ``_line``, problems)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(file, line, "", "is not UTF-8 text; in your spreadsheet choose "
                                              "'Save as CSV UTF-8' (or export as UTF-8) and try again")]
    if not text.strip():
        return None, [Problem(file, 1, "", "is empty; it needs a header row naming its columns, e.g. "
                                           + ",".join(FILES[_KNOWN[file]].columns) if file in _KNOWN else
                              "is empty; it needs a header row naming its columns")]
    first = text.split("\n", 1)[0]
    header = next(csv.reader([first]))
    names = [h.strip().lower() for h in header]
    problems = []
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        sep = "';'" if ";" in names[0] else "tabs"
        return None, [Problem(file, 1, "", f"separates its cells with {sep}; a bundle uses commas: in your "
                                           "spreadsheet save it as 'CSV UTF-8 (comma delimited)'")]
    dups = sorted({n for n in names if names.count(n) > 1 and n})
    for d in dups:
        problems.append(Problem(file, 1, d, "this column appears more than once in the header; keep one"))
    if any(not n for n in names):
        problems.append(Problem(file, 1, "", "the header has a column with no name; name it or delete it"))
    if problems:
        return None, problems
    df = _fast_read(data, names, text)
    if df is not None:
        df[LINE] = range(2, len(df) + 2)
        df.attrs[FILE_ATTR] = file
        return df, []
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                         skip_blank_lines=False, header=0, names=names, engine="c")
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        return None, [Problem(file, line, "", f"cannot be read as CSV ({exc}); check quotes and commas "
                                              "on that line")]
    df = df.fillna("")
    n = len(df)
    if n and text.count("\n") - (0 if text.endswith("\n") else -1) - 1 != n:
        # some cell holds a line break (quoted): count physical lines the slow way
        lines = []
        reader = csv.reader(io.StringIO(text))
        next(reader)
        start = reader.line_num + 1
        for _ in reader:
            lines.append(start)
            start = reader.line_num + 1
        df[LINE] = lines[:n] if len(lines) >= n else range(2, n + 2)
    else:
        df[LINE] = range(2, n + 2)
    if n:
        cols = [c for c in df.columns if c != LINE]
        blank = (df[cols] == "").all(axis=1)
        if blank.any():
            df = df.loc[~blank]
    df = df.reset_index(drop=True)
    df.attrs[FILE_ATTR] = file
    return df, []
