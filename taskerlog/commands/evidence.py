"""Evidence for a wage claim: ``anchor``, ``attach``, ``attachments``, ``statement``,
``minimums`` and ``evidence`` (the PDF + CSV + manifest zip). Thin shells over
:mod:`taskerlog.evidence`; the clock is read here and passed in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import i18n, render, timeutil
from ..i18n import N_, _
from ._base import CLIError, Context, emit_json, friendly_errors, pass_ctx
from ._click import FilePath, command, option
from ..evidence import anchors, attachments, save_statement, saved_statement, wages
from ._common import parse_day

JSON_OPT = option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))


@command(help=N_(
    "Print the journal's head hash to keep somewhere else (email it, print it, write it down).\n\n"
    "Later, `taskerlog verify --anchor \"<the line>\"` shows whether anything recorded up to now was "
    "changed or the logbook rebuilt since. The anchor is also recorded in the logbook."),
    example="taskerlog anchor --note \"emailed to my union rep\"")
@option("--note", help=N_("Where you are sending it, e.g. 'emailed to the union rep'."))
@JSON_OPT
@pass_ctx
@friendly_errors
def anchor(c: Context, note: str | None, as_json: bool) -> None:
    now = timeutil.now_epoch()
    try:
        a, line = anchors.make_anchor(c.store, now, note)
    except anchors.AnchorError as exc:
        raise CLIError(str(exc)) from exc
    if as_json:
        emit_json({"line": line, "seq": a.seq, "hash": a.hash, "recorded_at": a.recorded_at, "note": a.note})
        return
    click.echo(line)
    click.echo(_("full hash: {hash}").format(hash=a.hash))
    click.echo(_("Keep this line somewhere outside this computer (email it to someone you trust, print it, or "
                 "write it down). Check it later with: taskerlog verify --anchor \"<the line>\""))


@command(help=N_(
    "Keep a screenshot, email or message with the logbook, by its SHA-256 hash.\n\n"
    "The file is copied into the folder <logbook>-attachments beside the logbook; attaching the same file "
    "again stores nothing new."),
    example="taskerlog attach rate-cut.png --platform Outlier --project \"Genesis Dolphin\" --note \"rate cut notice\"")
@click.argument("file", type=FilePath(dir_okay=False))
@option("--entry", type=int, help=N_("The work entry it is about (its number, see `taskerlog entries`)."))
@option("--platform", help=N_("The platform it is about."))
@option("--project", help=N_("The project it is about (with --platform)."))
@option("--note", help=N_("What it shows, e.g. 'rate cut announcement in Slack'."))
@JSON_OPT
@pass_ctx
@friendly_errors
def attach(c: Context, file: str, entry, platform, project, note, as_json) -> None:
    try:
        got = attachments.attach(c.store, file, entry=entry, platform=platform, project=project, note=note)
    except attachments.AttachmentError as exc:
        raise CLIError(str(exc)) from exc
    if as_json:
        emit_json(got.__dict__)
        return
    if not got.recorded_new:
        click.echo(_("already attached: {file} to {target} (#{id}); nothing stored again").format(
            file=got.filename, target=got.target, id=got.id))
    else:
        done = (_("attached {file} ({size} bytes) to {target} as #{id}: stored") if got.stored_new else
                _("attached {file} ({size} bytes) to {target} as #{id}: the same content was already stored; "
                  "linked it"))
        click.echo(done.format(file=got.filename, size=i18n.number(got.size), target=got.target, id=got.id))
    click.echo(f"sha256 {got.sha256}")


@command("attachments", help=N_(
    "List the attached files with their hashes and what they are attached to."),
    example="taskerlog attachments")
@JSON_OPT
@pass_ctx
@friendly_errors
def list_attachments(c: Context, as_json: bool) -> None:
    rows = c.store.rows("attachments")
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(_("no attachments yet (add one with: taskerlog attach FILE --entry ID)"))
        return
    tz = c.store.settings().timezone
    for r in rows:
        to = (_("entry #{id}").format(id=r["work_id"]) if r["work_id"] is not None
              else _("project") if r["project_id"] is not None else _("platform") if r["platform_id"] is not None
              else _("logbook"))
        click.echo(_("#{id}  {file}  {size} bytes  added {when}  → {to}  {note}").format(
            id=r["id"], file=r["filename"], size=i18n.number(r["size"]),
            when=timeutil.format_local(r["recorded_at"], tz), to=to, note=r["note"] or "").rstrip())
        click.echo(f"     sha256 {r['sha256']}")


@command(help=N_(
    "Save your own statement for evidence reports (who you are, where, which platforms), or show it.\n\n"
    "Give a text file (or - to type it in); without one, the saved statement is printed."),
    example="taskerlog statement my-statement.txt")
@click.argument("file", required=False, type=FilePath(dir_okay=False, allow_dash=True))
@pass_ctx
@friendly_errors
def statement(c: Context, file: str | None) -> None:
    if file is None:
        text = saved_statement(c.store)
        click.echo(text if text else _("no statement saved yet: taskerlog statement FILE"))
        return
    text = sys.stdin.read() if file == "-" else _read_text(file, "FILE")
    if not text.strip():
        raise CLIError(_("the statement is empty; write who you are, where you work from and for which platforms"))
    save_statement(c.store, text)
    click.echo(_("saved your statement ({n} characters); evidence reports will include it").format(
        n=i18n.number(len(text.strip()))))


def _read_text(path: str, option: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CLIError(_("{option}: there is no file {path}").format(option=option, path=path)) from exc
    except UnicodeDecodeError as exc:
        raise CLIError(_("{option}: {path} is not UTF-8 text; save it as plain text (UTF-8)").format(
            option=option, path=path)) from exc
    except OSError as exc:
        raise CLIError(_("{option}: cannot read {path}: {why}").format(option=option, path=path,
                                                                       why=exc.strerror)) from exc


@command(help=N_(
    "List the legal minimum wages shipped with taskerlog (use the key with evidence --minimum).\n\n"
    "The figures are dated: check the one in force with the source named."),
    example="taskerlog minimums")
@JSON_OPT
@friendly_errors
def minimums(as_json: bool) -> None:
    # (in the logbook's language: the command line read it before the command ran)
    table = wages.load_table()
    if as_json:
        emit_json([{**w.__dict__, "hourly": str(w.hourly)} for w in table])
        return
    for w in table:
        click.echo(f"{w.key:<14} {render.amount(w.hourly):>10} {w.currency}/h  "
                   + _("{place}; from {day}").format(place=w.place, day=w.effective_from))
        click.echo(f"{'':<14} " + _("{explain}. Source: {source}").format(explain=w.explain(), source=w.source))


@command(help=N_(
    "Write an evidence report for a wage claim: a PDF, the entries as CSV and a manifest of hashes, in "
    "one zip."),
    example="taskerlog evidence --from 2026-03-01 --to 2026-03-31 --minimum ke-cities --out march-evidence.zip")
@option("--from", "date_from", required=True, help=N_("First day of the period (YYYY-MM-DD)."))
@option("--to", "date_to", required=True, help=N_("Last day of the period, inclusive (YYYY-MM-DD)."))
@option("--out", required=True, type=FilePath(dir_okay=False), help=N_("The zip file to write."))
@option("--minimum", help=N_("Measure against a legal minimum wage (a key from `taskerlog minimums`)."))
@option("--reference-wage", help=N_("Measure against this hourly wage instead (default: the logbook's own)."))
@option("--reference-currency", help=N_("Currency of --reference-wage (default: the home currency)."))
@option("--statement", "statement_file", type=FilePath(dir_okay=False),
        help=N_("A text file with your statement (default: the one saved with `taskerlog statement`)."))
@option("--anchor", "anchor_texts", multiple=True, help=N_("An anchor line you kept, to check in the report."))
@option("--anchor-file", "anchor_files", multiple=True, type=FilePath(dir_okay=False),
        help=N_("A file holding anchor lines you kept (an email saved as text)."))
@option("--english-too", is_flag=True,
        help=N_("After the report in the logbook's language, print it again in English (for an inspector who "
                "reads English)."))
@option("--force", is_flag=True, help=N_("Overwrite --out if it exists."))
@pass_ctx
@friendly_errors
def evidence(c: Context, date_from, date_to, out, minimum, reference_wage, reference_currency, statement_file,
             anchor_texts, anchor_files, english_too, force) -> None:
    store = c.store
    now = timeutil.now_epoch()
    s = store.settings()
    d0 = parse_day(date_from, s.timezone, now, option="--from")
    d1 = parse_day(date_to, s.timezone, now, option="--to")
    if d1 < d0:
        raise CLIError(_("--to: {last} is before --from {first}; give a later day").format(last=d1, first=d0))
    out_path = Path(out)
    if out_path.suffix.lower() != ".zip":
        raise CLIError(_("--out: {out} should end in .zip (the report is a zip of a PDF, CSV files and a "
                         "manifest)").format(out=out))
    if out_path.exists() and not force:
        raise CLIError(_("--out: {out} already exists; choose another name or add --force").format(out=out))
    if reference_currency and reference_wage is None:
        raise CLIError(_("--reference-currency goes with --reference-wage"))
    try:
        ref = wages.choose_reference(s, minimum=minimum, reference_wage=reference_wage,
                                     reference_currency=reference_currency, date_from=d0, date_to=d1)
        claims = anchors.read_claims(list(anchor_texts), list(anchor_files))
    except (wages.ReferenceError_, anchors.AnchorError) as exc:
        raise CLIError(str(exc)) from exc
    text = _read_text(statement_file, "--statement") if statement_file else saved_statement(store)
    from ..evidence import report  # the report's figures load pandas: only this command needs them
    from ..evidence.report import EvidenceError

    try:
        data, manifest, ev = report.make_report(store, date_from=d0, date_to=d1, reference=ref, now=now,
                                                statement=text, anchor_claims=claims, english_too=english_too)
    except EvidenceError as exc:
        raise CLIError(str(exc)) from exc
    tmp = out_path.with_name(out_path.name + ".partial")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(data)
    tmp.replace(out_path)
    m = ev.metrics
    import hashlib

    click.echo(_("wrote {path} ({size} bytes): {files} files, {entries} entries").format(
        path=out_path, size=i18n.number(len(data)), files=len(manifest["files"]), entries=len(ev.entries)))
    fig = render.figure
    if ev.today != d1:
        owed = _("outstanding {today_amount} today ({today}), {end_amount} at the period's end ({end})").format(
            today_amount=fig(ev.outstanding_today), today=ev.today, end_amount=fig(m["outstanding"]), end=d1)
    else:
        owed = _("outstanding {today_amount} today ({today})").format(today_amount=fig(ev.outstanding_today),
                                                                      today=ev.today)
    line = _("hours worked {hours}, earned {earned} {currency}, {owed}").format(
        hours=fig(m["hours_worked"]), earned=fig(m["earned"]), currency=ev.home, owed=owed)
    if ref:
        line += _("; weekly shortfall {weekly} ({verdict}), whole period {shortfall}, against {reference}").format(
            weekly=fig(m["weekly_shortfall"]), verdict=render.weekly_verdict(m, fig), shortfall=fig(m["shortfall"]),
            reference=ref.describe())
    else:
        line += _("; no reference wage (use --minimum or --reference-wage)")
    click.echo(line)
    click.echo(_("journal check: OK") if ev.verify_ok
               else _("journal check: FAILED: {problem}").format(problem=ev.verify_problems[0]))
    click.echo(_("sha256 of the zip: {hash}").format(hash=hashlib.sha256(data).hexdigest()))
    if not ev.statement:
        click.echo(_("note: no statement was included; add one with `taskerlog statement FILE` or --statement FILE"))
