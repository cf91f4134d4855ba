"""Attachments: screenshots, emails and messages kept with the logbook, by content hash.

The file's bytes go to ``<logbook stem>-attachments/<first 2 hex digits>/<sha256>`` in
the logbook's folder, written once (to a temporary name, flushed to disk, then renamed)
and made read-only. The logbook keeps one journaled ``attachments`` row per link (the
hash, the original file name, its size, the time it was added, what it is attached to),
so the journal's hash chain covers the attachment's hash and ``verify`` can re-hash the
files. The same file attached twice is stored once; attached twice to the same thing, it
is recorded once.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..problems import fix, say
from ..store import partial
from ..store.journal import Problem

MAX_BYTES = 100 * 1024 * 1024
SOURCE = "attach"


class AttachmentError(ValueError):
    """An attachment that cannot be added; the message says what to do."""


def folder(store) -> Path:
    """Where a logbook's attachments live: ``<stem>-attachments`` beside the logbook file."""
    return store.path.with_name(f"{store.path.stem}-attachments")


def blob_path(store, sha256: str) -> Path:
    return folder(store) / sha256[:2] / sha256


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Attached:
    """The outcome of ``attach``."""

    id: int
    sha256: str
    filename: str
    size: int
    stored_new: bool
    """False when the same content was already in the folder."""
    recorded_new: bool
    """False when the same content was already attached to the same thing."""
    target: str


def _write_once(path: Path, data: bytes) -> bool:
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial.write_file(path, data)
    try:
        os.chmod(path, 0o444)
    except OSError:
        pass
    return True


def attach(store, file: str | Path, *, entry: int | None = None, platform: str | None = None,
           project: str | None = None, note: str | None = None) -> Attached:
    """Keep ``file`` with the logbook, linked to a work entry, a project, a platform or only a note."""
    path = Path(file)
    if not path.is_file():
        raise AttachmentError(say("attach.not_a_file", "{file} is not a file", file=str(file)))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise AttachmentError(say("attach.too_big", "{file} is {size} MB; attachments are limited to {limit} MB "
                                  "(save a smaller screenshot or a PDF of the email)", file=str(file),
                                  size=round(size / 1e6), limit=MAX_BYTES // 1_000_000))
    if entry is not None and (platform or project):
        raise AttachmentError(say("attach.two_targets", "attach to {fix}, not both", fix=fix("attach_target")))
    if project and not platform:
        raise AttachmentError(say("attach.project_needs_platform", "{fix} (the same project name can exist on two "
                                  "platforms)", fix=fix("attach_platform")))
    data = path.read_bytes()
    digest = sha256_bytes(data)
    note = note.strip() if note and note.strip() else None
    with store.transaction():
        work_id = platform_id = project_id = None
        if entry is not None:
            if store.get("work", entry) is None:
                raise AttachmentError(say("attach.no_entry", "there is no work entry #{entry}; see the entry numbers "
                                          "in the evidence CSV", entry=entry))
            work_id, target = entry, f"work entry #{entry}"
        elif platform:
            platform_id = store.platform_id(platform, create=False)
            if platform_id is None:
                raise AttachmentError(say("attach.no_platform", "there is no platform '{platform}' in this logbook",
                                          platform=platform))
            project_id = store.project_id(platform, project) if project else None
            target = f"{platform} / {project}" if project else f"platform {platform}"
        else:
            if note is None:
                raise AttachmentError(say("attach.about_nothing", "say what the file is about: {fix}",
                                          fix=fix("attach_about")))
            target = "the logbook (see its note)"
        stored_new = _write_once(blob_path(store, digest), data)
        for row in store.rows("attachments"):
            if (row["sha256"], row["work_id"], row["platform_id"], row["project_id"]) == (
                    digest, work_id, platform_id, project_id):
                return Attached(row["id"], digest, row["filename"], row["size"], stored_new, False, target)
        media = mimetypes.guess_type(path.name)[0]
        rid = store.insert("attachments", {
            "sha256": digest, "filename": path.name, "size": size, "media_type": media, "work_id": work_id,
            "platform_id": platform_id, "project_id": project_id, "note": note}, SOURCE)
    return Attached(rid, digest, path.name, size, stored_new, True, target)


def read_blob(store, sha256: str) -> bytes:
    return blob_path(store, sha256).read_bytes()


def _each_file(store) -> Iterator[tuple[dict, Path, bytes | None, str | None]]:
    """Each attachment file once: (the first row naming it, its path, its bytes when present
    and still matching the hash, else None, and then what is wrong: "missing" or "changed")."""
    seen: set[str] = set()
    for row in store.rows("attachments"):
        h = row["sha256"]
        if h in seen:
            continue
        seen.add(h)
        p = blob_path(store, h)
        if not p.is_file():
            yield row, p, None, "missing"
            continue
        data = p.read_bytes()
        yield (row, p, data, None) if sha256_bytes(data) == h else (row, p, None, "changed")


def check_files(store) -> tuple[int, list[Problem]]:
    """Every attachment's file must exist and still hash to its name."""
    problems: list[Problem] = []
    count = 0
    for row, p, _data, wrong in _each_file(store):
        count += 1
        if wrong == "missing":
            problems.append(Problem(None, "attachments", row["id"],
                                    f"attachment #{row['id']} ({row['filename']}) is missing from {p.parent}"))
        elif wrong == "changed":
            problems.append(Problem(None, "attachments", row["id"],
                                    f"attachment #{row['id']} ({row['filename']}) was changed: its file no"
                                    " longer matches the hash recorded when it was added"))
    return count, problems


def backup_files(store, backup: str | Path) -> tuple[int, list[str]]:
    """Copy every attachment file beside a backup of the logbook, where a logbook opened
    from ``backup`` looks for them (``<backup stem>-attachments/``), so that the backup is
    whole and ``verify`` on it re-hashes them. Each file is checked against its hash before
    it is copied, written once and made read-only. → (files in the backup's folder, a
    sentence for each file that could not be backed up: missing or changed)."""
    dest = Path(backup).with_name(f"{Path(backup).stem}-attachments")
    copied, problems = 0, []
    for row, p, data, wrong in _each_file(store):
        name = f"attachment #{row['id']} ({row['filename']})"
        if wrong == "missing":
            problems.append(f"{name} is missing from {p.parent}; it is not in the backup")
        elif wrong == "changed":
            problems.append(say("attach.changed", "{name} was changed on disk since it was added; it is not in the "
                                "backup ({fix})", name=name, fix=fix("verify")))
        else:
            _write_once(dest / row["sha256"][:2] / row["sha256"], data)
            copied += 1
    return copied, problems


def restore_files(backup: str | Path, store) -> int:
    """Copy the attachment files kept beside ``backup`` (by :func:`backup_files`) back to the
    logbook's folder, write-once (a file already there is kept). → files copied."""
    src = Path(backup).with_name(f"{Path(backup).stem}-attachments")
    copied = 0
    for p in sorted(src.glob("*/*")) if src.is_dir() else []:
        if p.is_file() and not p.name.endswith(".partial"):
            copied += _write_once(folder(store) / p.parent.name / p.name, p.read_bytes())
    return copied
