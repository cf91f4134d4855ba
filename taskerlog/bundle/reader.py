"""Reading a bundle (a folder or a ``.zip``) into raw string tables, safely.

A zip is checked before any member is decompressed: total uncompressed size, each
member's compression ratio (zip bombs), absolute paths and ``..`` (path traversal),
symlinks, duplicate names, and that every ``.csv`` is one of the bundle's files at the
top level or inside one top folder. Files that are not ``.csv`` (a README, ``.DS_Store``,
``__MACOSX/``) are ignored; an unknown ``.csv`` is a problem (a typo would otherwise
silently drop records).

Each table is a DataFrame of strings (blank cells are ``""``) with a ``_line`` column
(the header is line 1) and ``df.attrs["file"]`` naming the file for messages; a big
work.csv is :class:`Batches` of such frames instead, read when the import checks it.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import functools
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..i18n import _
from ..problems import Said, say
from .parse import EMPTY
from .problems import Problem, wide_row
from .spec import FILE_ATTR, FILES, LINE

MAX_TOTAL_BYTES = 512 * 1024 * 1024
"""Largest total uncompressed size of a zip (about 5 million work rows)."""
MAX_RATIO = 200
"""Largest compression ratio of one member bigger than RATIO_FLOOR (CSV rarely passes 20)."""
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 1000
MAX_COLUMNS = 1000
"""Most columns a header may name (a bundle file has a dozen; a runaway header would
make every later step slow)."""
MAX_XLSX_BYTES = 64 * 1024 * 1024
"""Largest total uncompressed size of an .xlsx workbook (a quarter of a million rows or so; its
XML is read at some 2 MB a second)."""
STREAM_BYTES = 4 * 1024 * 1024
"""A work.csv bigger than this is read and checked a batch of rows at a time (:class:`Batches`):
its text is never held whole, only the checked columns. (Read whole, a 15 MiB one took 7
times its size.)"""
BLOCK = 1 << 21
"""Bytes of a big work.csv read at a time (and up to the end of a line): a batch of some
20,000 work rows. A batch's scratch stays with the allocator once let go: 4 MiB batches kept
some 25 MiB more."""
_BOM = b"\xef\xbb\xbf"

_KNOWN = {spec.filename: name for name, spec in FILES.items()}


def too_compressed(info: zipfile.ZipInfo) -> bool:
    """The zip-bomb rule: a member over RATIO_FLOOR that expands more than MAX_RATIO times.
    taskerlog's own export stores such a member uncompressed, so it always imports again."""
    return info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)


def _bomb(info: zipfile.ZipInfo) -> Said:
    return say("zip.bomb", "member '{member}' would expand {size} bytes from {packed} (a zip bomb?); refusing to read "
               "it", member=info.filename, size=info.file_size, packed=info.compress_size)


def _too_big(total: int, limit: int) -> Said:
    return say("zip.too_big", "would expand to {size} MiB, more than the {limit} MiB taskerlog reads",
               size=total // (1024 * 1024), limit=limit // (1024 * 1024))


def zip_refusal(infos: list[zipfile.ZipInfo], limit: int = MAX_TOTAL_BYTES) -> Said | None:
    """Why a zip (an .xlsx workbook, say) is refused before anything is decompressed, by
    the bundle's rules (total size, zip bombs); None: it may be read."""
    total = sum(i.file_size for i in infos)
    if total > limit:
        return _too_big(total, limit)
    bomb = next((i for i in infos if too_compressed(i)), None)
    return None if bomb is None else _bomb(bomb)


def read_bundle(path: str | Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """A folder or ``.zip`` → ``({"work": frame, ...}, problems)``. Writes nothing."""
    path = Path(path)
    label = path.name or str(path)
    if not path.exists():
        return {}, [Problem(label, None, "", say("bundle.no_path", "there is no file or folder called {path}",
                                                 path=str(path)))]
    if not path.is_dir() and not path.is_file():
        return {}, [Problem(label, None, "", say("bundle.not_file_or_folder", "{path} is not a file or a folder (a "
                                                 "device or a pipe?); give the folder of CSV files or the .zip that "
                                                 "export wrote", path=str(path)))]
    if path.is_dir():
        members, problems = _folder_members(path)
        data = {name: _streamed(name, functools.partial(open, p, "rb"), p.stat().st_size,
                                lambda p=p: (p.read_bytes(), None)) or p.read_bytes()
                for name, p in members.items()}
    else:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            return {}, [Problem(label, None, "", say("bundle.not_zip", "is not a folder or a readable .zip file "
                                                     "({why}); give the folder of CSV files or the .zip that export "
                                                     "wrote", why=str(exc)))]
        with zf:
            members, problems = _zip_members(zf, label)
            if problems:
                return {}, problems
            data = {}
            for name, info in members.items():
                if not info.flag_bits & 0x1 and (big := _streamed(name, functools.partial(_member, path, info),
                                                                  info.file_size,
                                                                  functools.partial(_whole, path, info, label))):
                    data[name] = big
                    continue
                data[name], problem = _read_member(zf, info, label)
                if problem:
                    problems.append(problem)
        if problems:
            return {}, problems
    order = list(data)
    # each file's bytes are let go once it is read (popped, not kept for the whole read)
    parsed = {name: (item, []) if isinstance(item := data.pop(name), Batches) else parse_csv(item, FILES[name].filename)
              for name in order}
    tables: dict[str, pd.DataFrame] = {}
    for name in order:  # in the members' order, as before
        df, file_problems = parsed[name]
        problems.extend(file_problems)
        if df is not None:
            tables[name] = df
    pa.default_memory_pool().release_unused()  # the reader's scratch: back to the system, not kept for later
    return tables, problems


def _folder_members(path: Path) -> tuple[dict[str, Path], list[Problem]]:
    csvs = [p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file()]
    subdirs = [p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "__MACOSX"))]
    if not csvs and len(subdirs) == 1:  # a bundle unzipped into its own folder
        path = subdirs[0]
        csvs = [p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file()]
    problems = [_unknown(p.name, path.name) for p in sorted(csvs) if p.name not in _KNOWN]
    if not csvs:
        problems.append(Problem(path.name, None, "", _no_bundle_files()))
    return {_KNOWN[p.name]: p for p in sorted(csvs) if p.name in _KNOWN}, problems


def _unknown(name: str, where: str) -> Problem:
    return Problem(name, None, "", say("bundle.unknown_file", "is not a bundle file (in {folder}); rename it to one of "
                                       "{files} or remove it", folder=where,
                                       files=", ".join(s.filename for s in FILES.values())))


def _no_bundle_files() -> str:
    return say("bundle.no_files", "has no bundle files; expected some of {files}",
               files=", ".join(s.filename for s in FILES.values()))


def _zip_members(zf: zipfile.ZipFile, label: str) -> tuple[dict[str, zipfile.ZipInfo], list[Problem]]:
    problems: list[Problem] = []
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        return {}, [Problem(label, None, "", say("zip.too_many", "holds {count} files; a bundle has at "
                                                             "most {most}", count=len(infos), most=len(_KNOWN)))]
    total = 0
    seen: set[str] = set()
    files: list[tuple[PurePosixPath, zipfile.ZipInfo]] = []
    for info in infos:
        raw = info.filename
        name = raw.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            problems.append(Problem(label, None, "", say("zip.outside", "member '{member}' points outside the "
                                                     "bundle (absolute path or '..'); refusing to read this zip",
                                                     member=raw)))
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(Problem(label, None, "", say("zip.symlink", "member '{member}' is a symbolic link; a "
                                                     "bundle holds plain CSV files only", member=raw)))
            continue
        if name in seen:
            problems.append(Problem(label, None, "", say("zip.twice", "member '{member}' appears twice; refusing "
                                                     "to guess which one", member=raw)))
            continue
        seen.add(name)
        if info.is_dir():
            continue
        total += info.file_size
        if too_compressed(info):
            problems.append(Problem(label, None, "", _bomb(info)))
        files.append((PurePosixPath(name), info))
    if total > MAX_TOTAL_BYTES:
        problems.append(Problem(label, None, "", _too_big(total, MAX_TOTAL_BYTES)))
    csvs = [(p, i) for p, i in files if p.suffix.lower() == ".csv" and "__MACOSX" not in p.parts]
    tops = {p.parts[0] for p, _ in csvs if len(p.parts) > 1}
    members: dict[str, zipfile.ZipInfo] = {}
    for p, info in csvs:
        nested_ok = len(p.parts) == 2 and len(tops) == 1 and not any(len(q.parts) == 1 for q, _ in csvs)
        if len(p.parts) > 1 and not nested_ok:
            problems.append(Problem(label, None, "", say("zip.sub_folder", "member '{member}' is in a sub-folder; "
                                                     "put the CSV files at the top of the zip or inside one folder",
                                                     member=info.filename)))
        elif p.name not in _KNOWN:
            problems.append(_unknown(p.name, label))
        else:
            members[_KNOWN[p.name]] = info
    if not csvs and not problems:
        problems.append(Problem(label, None, "", _no_bundle_files()))
    return members, problems


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> tuple[bytes | bytearray, Problem | None]:
    """Decompress at most the declared size (a lying header cannot inflate past the cap),
    into one buffer of that size: no second copy of a big file (its chunks, then joined)."""
    data, size = bytearray(info.file_size), 0
    try:
        with zf.open(info) as fh, memoryview(data) as view:
            while size < len(data):
                got = fh.readinto(view[size:size + (1 << 20)])
                if not got:
                    break
                size += got
            if fh.read(1):
                return b"", Problem(label, None, "", say("zip.longer", "member '{member}' is larger than its "
                                                     "header says; the zip is damaged or crafted", member=info.filename))
    except RuntimeError as exc:  # zipfile's word for a password-protected member
        if info.flag_bits & 0x1:
            return b"", Problem(label, None, "", say("zip.password", "member '{member}' is protected by a "
                                                 "password; make the zip again without a password",
                                                 member=info.filename))
        return b"", Problem(label, None, "", say("zip.unreadable_member", "member '{member}' cannot be read "
                                                 "({why})", member=info.filename, why=exc))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        return b"", Problem(label, None, "", say("zip.damaged", "member '{member}' cannot be read ({why}); "
                                             "the zip is damaged: make it again, or give the folder of CSV files",
                                             member=info.filename, why=exc))
    del data[size:]  # shorter than its header says: what is there is read (and checked)
    return data, None


def _member(path: Path, info: zipfile.ZipInfo) -> contextlib.AbstractContextManager:
    """The zip member, opened again: a stream of its decompressed bytes."""
    @contextlib.contextmanager
    def opened():
        with zipfile.ZipFile(path) as zf, zf.open(info) as fh:
            yield fh
    return opened()


class _Longer(Exception):
    """A member longer than its header says."""


def _pieces(fh, size: int) -> Iterator[bytes]:
    """The stream's bytes, at most ``size`` of them, in pieces of about BLOCK bytes, each
    ending with a line feed (the last one: where the stream ends)."""
    buf = bytearray()
    while size > 0 and (chunk := fh.read(min(BLOCK, size))):
        size -= len(chunk)
        buf += chunk
        end = buf.rfind(b"\n", len(buf) - len(chunk)) + 1
        if end:
            yield bytes(buf[:end])
            del buf[:end]
    if size <= 0 and fh.read(1):
        raise _Longer
    if buf:
        yield bytes(buf)


def _whole(path: Path, info: zipfile.ZipInfo, label: str) -> tuple[bytes | bytearray, Problem | None]:
    """The zip member read whole again (see :func:`_read_member`)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _read_member(zf, info, label)
    except (zipfile.BadZipFile, OSError) as exc:
        return b"", Problem(label, None, "", say("zip.changed", "cannot be read again ({why}); was it changed "
                                             "during the import?", why=exc))


def _streamed(name: str, open_: Callable[[], contextlib.AbstractContextManager], size: int,
              whole: Callable[[], tuple[bytes | bytearray, Problem | None]]) -> Batches | None:
    """A big work.csv as :class:`Batches` when its header passes every check; None: read
    it whole (a smaller file, or a header that needs a problem named: the whole read words it)."""
    if name != "work" or size <= STREAM_BYTES:
        return None
    head = bytearray()
    try:
        with open_() as fh:
            while not (b"\n" in head or b"\r" in head) and (more := fh.read(1 << 16)):
                head += more
    except (OSError, RuntimeError, EOFError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return None
    file = FILES[name].filename
    body = 3 if head.startswith(_BOM) else 0
    first = _first_line(head, body)
    try:
        if not first.decode("utf-8").strip():
            return None
    except UnicodeDecodeError:
        return None
    names, problems = _header(head, file)
    return Batches(open_, size, names, file, whole) if names is not None and not problems else None


class Batches:
    """A big work.csv, read by pyarrow a block at a time each time it is iterated: string
    frames as :func:`parse_csv` gives them (``_line``, ``attrs["file"]``), a batch of rows
    each, so that the rows can be checked and their text let go batch by batch.

    Line numbers are the row's place + 2, right when every record is one line; that is
    known only at the end: ``lined`` then says so. If not (a cell holding a line break, a
    lone CR, bytes that are not UTF-8, a damaged zip), :meth:`read` reads the file whole as
    a smaller one is read, with its exact problems."""

    def __init__(self, open_: Callable[[], contextlib.AbstractContextManager], size: int, names: list[str],
                 file: str, whole: Callable[[], tuple[bytes | bytearray, Problem | None]]):
        self._open, self._size, self._names, self._whole = open_, size, names, whole
        self.columns = [*names, LINE]
        self.attrs = {FILE_ATTR: file}
        self.lined = False

    def __iter__(self) -> Iterator[pd.DataFrame]:
        self.lined, line = False, 1  # the line each piece starts on
        try:
            with self._open() as fh:
                for piece in _pieces(fh, self._size):
                    header = line == 1
                    df = _fast_read(piece, self._names, line + header, header) if _utf8(piece) else None
                    if df is None:
                        return  # not one line a record, or not UTF-8: read() reads it whole
                    line += _newlines(piece) + (0 if piece.endswith(b"\n") else 1)
                    df.attrs.update(self.attrs)
                    yield df
                    del df
        except (OSError, RuntimeError, EOFError, zipfile.BadZipFile, zlib.error, _Longer):
            return
        self.lined = True

    def read(self) -> tuple[pd.DataFrame | None, list[Problem]]:
        """The file read whole, as a smaller one is."""
        data, problem = self._whole()
        return (None, [problem]) if problem else parse_csv(data, self.attrs[FILE_ATTR])

    def empty(self) -> pd.DataFrame:
        """No rows, the file's columns."""
        df = pd.DataFrame({n: pd.Series([], dtype=str) for n in self._names} | {LINE: np.array([], np.int64)})
        df.attrs.update(self.attrs)
        return df


def _utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (pyarrow checks it in place, far faster than decoding)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _newlines(data: bytes) -> int:
    view, step = np.frombuffer(data, dtype=np.uint8), 1 << 22  # a slice at a time: no huge temporary
    return sum(int(np.count_nonzero(view[i:i + step] == 10)) for i in range(0, len(view), step))


csv.field_size_limit(MAX_TOTAL_BYTES)  # a long note (or a runaway quote) is a cell, not a crash

def _fast_read(data: bytes, names: list[str], first: int = 2, header: bool = True) -> pd.DataFrame | None:
    """pyarrow's CSV reader, when every record is one physical line with no blank lines
    (then line numbers are simply row + ``first``, in the ``_line`` column); None means:
    take the careful path. ``data`` is valid UTF-8; ``header``: its first line is the
    header (a piece of a file that starts further on has none)."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a lone CR ends a line too (old Excel for Mac): lines are counted the careful way
    body = pa.py_buffer(data)
    if data.startswith(b"\xef\xbb\xbf"):
        body = body.slice(3)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=int(header), block_size=1 << 22,
                                           use_threads=False),
            # without a quote no cell can hold a line break, and the reader can split the
            # file anywhere (faster)
            parse_options=pacsv.ParseOptions(newlines_in_values=b'"' in data),
            # large_string: what pandas' str columns hold, so to_pandas need not convert them
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 check_utf8=False, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    physical = _newlines(data) + (0 if data.endswith(b"\n") else 1) - int(header)
    if table.num_rows != physical:
        return None
    if b'"' in data and _last_line(data).count(b'"') % 2:
        return None  # a quote opened on the last line and never closed swallows no line: the careful path names it
    table = table.append_column(LINE, pa.array(np.arange(first, physical + first, dtype=np.int64)))
    if physical and pc.any(_blank(table.column(0))).as_py():  # rows of blank cells (",,," or " , ,"): skipped
        blank = functools.reduce(pc.and_, [_blank(table.column(i)) for i in range(len(names))])
        table = table.filter(pc.invert(blank))
    return table.to_pandas()


def _last_line(data: bytes) -> bytes:
    body = data[:-1] if data.endswith(b"\n") else data
    return body[body.rfind(b"\n") + 1:]


def _blank(col) -> pa.Array:
    """Cells that are empty once trimmed (as the checks trim them)."""
    return pc.equal(pc.utf8_trim_whitespace(col), EMPTY)


def _first_line(data: bytes, body: int) -> bytes:
    """The header line: up to the first line break, LF, CRLF or a lone CR alike."""
    ends = [i for i in (data.find(b"\n", body), data.find(b"\r", body)) if i >= 0]
    return data[body:min(ends) if ends else len(data)]


def parse_csv(data: bytes | bytearray, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Bytes of one CSV file → (string frame with ``_line``, problems)."""
    text = None  # the whole file decoded, only where the careful path needs it
    try:
        if not _utf8(data):
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("utf-8")  # raises again, at a position counted from the file's first byte (BOM or not)
        except UnicodeDecodeError as exc:
            before = data[:exc.start]
            line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # any line ending
        return None, [Problem(file, line, "", say("bundle.not_utf8", "is not UTF-8 text; in your spreadsheet choose "
                                                  "'Save as CSV UTF-8' (or export as UTF-8) and try again"))]
    names, problems = _header(data, file)
    if names is None:
        return None, problems
    df = _fast_read(data, names)
    if df is None:
        df, problems = _careful_read(data.decode("utf-8-sig") if text is None else text, names, file)
        if df is None:
            return None, problems
    df.attrs[FILE_ATTR] = file
    return df, problems


def _header(data: bytes | bytearray, file: str) -> tuple[list[str] | None, list[Problem]]:
    """The header's column names (lower case), or None and the problems that stop the
    file from being read. ``data`` is UTF-8 (or at least its first line is)."""
    body = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    raw_first = _first_line(data, body)
    if b"\x00" in raw_first:  # UTF-16 without its byte-order mark: every other byte is 0
        return None, [Problem(file, 1, "", say("bundle.utf16", "is not UTF-8 text (it looks like UTF-16); in your "
                                               "spreadsheet choose 'Save as CSV UTF-8' (or export as UTF-8) and try "
                                               "again"))]
    first = raw_first.decode("utf-8")
    if not first.strip():  # the first line is blank
        if not data.decode("utf-8-sig").strip():
            return None, [Problem(file, 1, "", say(
                "bundle.empty_example", "is empty; it needs a header row naming its columns, e.g. {columns}",
                columns=",".join(FILES[_KNOWN[file]].columns)) if file in _KNOWN else say(
                "bundle.empty", "is empty; it needs a header row naming its columns"))]
        return None, [Problem(file, 1, "", say("bundle.blank_first_line", "the first line is blank; the header row "
                                               "naming the columns must be the first line: delete every blank line "
                                               "above it"))]
    try:
        header = next(csv.reader([first], strict=True))
    except csv.Error:
        return None, [Problem(file, 1, "", say("bundle.header_quote", "the header row has a quote (\") out of place; "
                                               "it should name the columns, separated by commas"))]
    names = [h.strip().lower() for h in header]
    problems = []
    if len(names) > MAX_COLUMNS:
        return None, [Problem(file, 1, "", f"the header has {len(names):,} columns; a bundle file has at most "
                                           f"{max(len(f.columns) for f in FILES.values())}, and taskerlog reads at "
                                           f"most {MAX_COLUMNS:,}: is this the right file?")]
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        sep = "';'" if ";" in names[0] else _("tabs")
        return None, [Problem(file, 1, "", say("bundle.separator", "separates its cells with {separator}; a bundle "
                                               "uses commas: in your spreadsheet save it as 'CSV UTF-8 (comma "
                                               "delimited)'", separator=sep))]
    if file in _KNOWN and not set(names) & set(FILES[_KNOWN[file]].columns):
        # a title or a note above the header: say so once, rather than once a row
        return None, [Problem(file, 1, "", _not_a_header(data, body, FILES[_KNOWN[file]].columns))]
    dups = sorted(n for n, times in collections.Counter(names).items() if times > 1 and n)
    for d in dups:
        problems.append(Problem(file, 1, d, say("bundle.column_twice", "this column appears more than once in the "
                                                "header; keep one")))
    if any(not n for n in names):
        problems.append(Problem(file, 1, "", say("bundle.column_unnamed", "the header has a column with no name; name "
                                                 "it or delete it")))
    return (None, problems) if problems else (names, [])


class _BadQuote(Exception):
    def __init__(self, line: int, unclosed: bool):
        self.line, self.unclosed = line, unclosed


def _records(text: str, strict: bool) -> list[tuple[int, list[str]]]:
    """Every record after the header, with the line it starts on. Strict: a quote out of
    place raises :class:`_BadQuote` naming the line its record starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    next(reader)  # the header, read already
    out, line = [], reader.line_num + 1
    try:
        for record in reader:
            out.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _BadQuote(line, "end of data" in str(exc)) from exc
    return out


def _not_a_header(data: bytes, body: int, columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    lines = data[body:body + 8192].decode("utf-8", "replace").splitlines()[1:10]
    for i, line in enumerate(lines, start=2):
        cells = {c.strip().strip('"').lower() for c in line.split(",")}
        if len(cells & set(columns)) >= 2:
            return say("bundle.header_below", "the first line names none of this file's columns ({columns}), but line "
                       "{line} does: the header row naming the columns must be the first line; delete every line "
                       "above it", columns=names, line=i)
    return say("bundle.no_header", "the first line names none of this file's columns ({columns}): the first line must "
               "be the header row naming the columns", columns=names)


def _careful_read(text: str, names: list[str], file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Every record with the line it starts on, by Python's csv module (any line ending,
    line breaks inside quoted cells). A short record is padded with blanks; extra cells
    past the header's are dropped when blank (a spreadsheet's empty columns) and a problem
    otherwise, on every line that has them (the other rows are still returned, to be
    checked); a record whose cells are all blank (or spaces) is skipped.

    A quote out of place that would swallow lines into one cell (a quoted cell never
    closed, or closed only by a later cell's quotes) is a problem naming the line it
    starts on. A stray quote after a quoted cell within one line (``"a"b``) is read as
    pyarrow's fast path reads it (``ab``)."""
    width = len(names)
    try:
        records = _records(text, strict=True)
    except _BadQuote as bad:
        lenient = _records(text, strict=False)
        spans = next((r for at, r in lenient if at == bad.line), None)
        if bad.unclosed or spans is None or any("\n" in c or "\r" in c for c in spans):
            return None, [Problem(file, bad.line, "", say(
                "bundle.quote_unclosed", "a quoted cell that starts on this line is never closed, so the rest of the "
                "file would be one cell; add the missing quote (\")") if bad.unclosed else say(
                "bundle.quote_misplaced", "a quote (\") on this line is out of place, so the lines after it would be "
                "read into one cell; a cell holding quotes must be wrapped in quotes, each quote in it doubled "
                "(\"\")"))]
        records = lenient
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for at, record in records:
        if len(record) > width:
            extra = [c for c in record[width:] if c.strip()]
            if extra:
                problems.append(wide_row(file, at, len(record), width, extra[0], sheet=False))
                continue
            record = record[:width]
        if not any(record):
            continue
        rows.append(record + [""] * (width - len(record)))
        lines.append(at)
    cols = [pa.array(list(c), pa.large_string()) for c in zip(*rows)] if rows else \
        [pa.array([], pa.large_string())] * width
    table = pa.table({**dict(zip(names, cols)), LINE: pa.array(lines, pa.int64())})
    if rows:  # a row of spaces is blank too, trimmed as the checks trim cells
        table = table.filter(pc.invert(functools.reduce(pc.and_, [_blank(c) for c in cols])))
    # the rows that could be read are checked too (their problems are listed with these),
    # though nothing is imported while any problem remains
    return table.to_pandas(), problems
