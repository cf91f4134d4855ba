"""Files that appear all at once: written under a hidden temporary name beside their
destination, renamed into place when complete, removed when the writing fails.

A writer holds an exclusive lock (``flock``) on its temporary file or folder while it
writes. One that nobody holds was left by a taskerlog that was stopped half way (killed,
a power cut): the next backup or export into the same folder removes it, with the side
files SQLite made beside it. Temporary names end in :data:`SUFFIX`, so nothing else in
the folder is ever touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows: no flock; leftovers cannot be told from running writers
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".taskerlog.partial"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep(folder: Path) -> list[Path]:
    """Remove the unfinished files a stopped taskerlog left in ``folder`` → the paths removed."""
    if fcntl is None:
        return []
    try:
        found = sorted(Path(folder).glob(f".*{SUFFIX}*"))
    except OSError:
        return []
    removed: list[Path] = []
    for path in (p for p in found if p.name.endswith(SUFFIX)):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a running backup or export holds it
            os.close(fd)
            continue
        try:
            _remove(path)
            removed.append(path)
        finally:
            os.close(fd)
    for side in (p for p in found if not p.name.endswith(SUFFIX)):  # -journal, -wal, -shm
        main = side.with_name(side.name[: side.name.rindex(SUFFIX) + len(SUFFIX)])
        if not main.exists():
            side.unlink(missing_ok=True)
            removed.append(side)
    return removed


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (where the system allows opening a folder)."""
    try:
        fd = os.open(str(path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


@contextlib.contextmanager
def writing(dest: Path, *, folder: bool = False) -> Iterator[Path]:
    """A new hidden file (or folder, with ``folder``) beside ``dest`` to write into.

    When the block ends it is renamed to ``dest`` (replacing a file there); when the block
    raises it is removed. Leftovers of stopped runs in the same folder are swept first.
    """
    dest = Path(dest)
    sweep(dest.parent)
    prefix = f".{dest.name}."
    if folder:
        tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=SUFFIX, dir=dest.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=SUFFIX, dir=dest.parent)
        os.close(fd)
        tmp = Path(name)
    lock = os.open(tmp, os.O_RDONLY)
    try:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield tmp
            os.replace(tmp, dest)
        except BaseException:
            _remove(tmp)
            for side in ("-journal", "-wal", "-shm"):
                Path(f"{tmp}{side}").unlink(missing_ok=True)
            raise
    finally:
        os.close(lock)
    fsync_dir(dest.parent)


def write_file(dest: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``dest`` all at once, readable by its owner only
    (0600 from the first byte, as every temporary file :func:`writing` makes): the worker's
    keys, device secret, mappings, pool files and attachments."""
    with writing(Path(dest)) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
