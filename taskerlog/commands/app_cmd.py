"""``taskerlog app``: start the app on this computer (``make run`` runs it).

It loads the modules the pages need before the server starts listening, so that the first
page a browser opens (even a big logbook's Dashboard, straight away) does not also pay for
importing pandas, pyarrow and altair: about 1.5 s on a small machine (app.py itself starts
reading the logbook for the Dashboard on a helper thread when it first runs). Then it runs
Streamlit in this process with the repository's ``.streamlit/config.toml`` (this computer
only, no usage statistics), and passes those two settings on the command line as well.
Before the server listens, Streamlit's look-up of this computer's external address is
switched off (``appsupport.keep_streamlit_offline``; docs/app.md, "Safety").
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import sys
import threading
from pathlib import Path

import click

from .. import phone
from ..i18n import N_, _
from ._base import CLIError, Context, pass_ctx
from ._click import command, option

APP = Path(__file__).resolve().parents[2] / "app.py"
#: what the pages import; loaded before the server listens
APP_MODULES = ("numpy", "pandas", "pyarrow", "altair", "taskerlog.frames", "taskerlog.metrics", "taskerlog.store",
               "taskerlog.appsupport",
               "streamlit.emojis")  # its emoji pattern compiles on first use: ~0.3 s on the first saved message
DEFAULT_PORT = 8501  # as in .streamlit/config.toml
RESTART_ENV = "TASKERLOG_APP_RESTART"


def preload() -> None:
    for name in APP_MODULES:
        importlib.import_module(name)


def streamlit_argv(app: Path, port: int | None, phone_hosts: list[str] | None = None,
                   cert: tuple[Path, Path] | None = None) -> list[str]:
    """``streamlit run`` for the app, local only and quiet whatever config is found; in phone
    mode listening on every IPv4 interface, taking only ``phone_hosts`` as Host headers, and
    over HTTPS with ``cert`` (certificate, private key) when given."""
    argv = ["streamlit", "run", str(app), "--server.address", "0.0.0.0" if phone_hosts else "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if port is not None:
        argv += ["--server.port", str(port)]
    for host in phone_hosts or []:
        argv += ["--server.allowedHosts", host]
    if cert is not None:
        argv += ["--server.sslCertFile", str(cert[0]), "--server.sslKeyFile", str(cert[1])]
    return argv


def restart_argv(phone_mode: bool, https: bool) -> list[str] | None:
    """The command line that starts this app again as ``taskerlog app`` started it, in phone
    mode or not (Settings' switch); None when the app was not started by ``taskerlog app``."""
    saved = os.environ.get(RESTART_ENV)
    if not saved:
        return None
    exe, db, port = json.loads(saved)
    return [sys.executable, exe, "--db", db, "app", "--port", str(port),
            *(["--phone"] + (["--https"] if https else []) if phone_mode else [])]


def restart_soon(argv: list[str], delay: float = 1.5) -> None:
    """Replace this process by ``argv`` in ``delay`` seconds (time for the page saying so to
    reach the browser, which then reconnects by itself)."""
    def again() -> None:
        # the server's listening socket is inheritable (uvicorn makes it so): let exec close it,
        # or the new server finds its port taken. Marked, not closed here: another thread may
        # still be writing the logbook, and a closed number could be reused under it.
        fds = os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else range(3, 4096)
        for fd in map(int, fds):
            if fd > 2:
                try:
                    os.set_inheritable(fd, False)
                except OSError:
                    pass
        os.execv(argv[0], argv)

    threading.Timer(delay, again).start()


def phone_start(db_path: Path, port: int, https: bool, replace_key: bool) -> tuple[list[str], tuple | None, str]:
    """Get phone mode ready: refuse where an address looks public, the key (made or replaced),
    the certificate for HTTPS. Returns the Host names to accept, the certificate files and
    what to tell the worker (the pairing link, its QR code, the warning about plain HTTP)."""
    addrs = phone.local_addresses()
    if (why := phone.refusal(addrs)) is not None:
        raise CLIError(_("phone mode refused: {why}").format(why=why))
    names = phone.host_names()
    where = phone.primary_address(addrs)
    if where is None:
        raise CLIError(_("phone mode needs a network: this computer has no address other than itself. "
                         "Connect it to the Wi-Fi your phone uses, then start again."))
    key = phone.new_key(phone.key_path(db_path)) if replace_key else phone.load_key(phone.key_path(db_path))
    cert = None
    lines = [_("Phone mode: taskerlog also listens on this computer's local network, port {port}.").format(port=port),
             _("Only browsers that bring the key see anything; wrong keys are slowed down, then locked out.")]
    if https:
        cert_file, key_file, made = phone.ensure_cert(db_path, names, addrs, dt.datetime.now(dt.timezone.utc))
        cert = (cert_file, key_file)
        lines += [_("The traffic is encrypted (HTTPS) with a certificate made for this computer just now.") if made
                  else _("The traffic is encrypted (HTTPS) with a certificate made for this computer."),
                  _("The first time, the phone warns that the connection is not private (the certificate is not\n"
                    "signed by a company it knows): open the certificate's details, check that its SHA-256\n"
                    "fingerprint is {fingerprint},\n"
                    "then choose Advanced -> Proceed (Chrome) or Show Details -> visit this website (Safari).").format(
                      fingerprint=phone.fingerprint(cert_file))]
    else:
        lines += [_("WARNING: without HTTPS, anyone on the same Wi-Fi can read the traffic between your phone and\n"
                    "this computer: your figures, the names of your projects and the key. On a Wi-Fi you share\n"
                    "(a cafe, a hostel, an office), start with: taskerlog app --phone --https")]
    pairing = phone.link(str(where), port, key, https)
    lines += ["", _("1. Connect your phone to the same Wi-Fi as this computer."),
              _("2. Scan this code with the phone's camera, or type the link into its browser:"), "",
              phone.qr_text(pairing), f"   {pairing}", "",
              _("On this computer: {link}").format(link=phone.link("localhost", port, key, https))]
    others = [str(a) for a in addrs if a != where]
    if others:
        lines.append(_("(This computer's other addresses, if the phone is on another network: {addresses})").format(
            addresses=", ".join(others)))
    lines.append(_("Keep the link to yourself: it opens your logbook. Settings -> Your phone replaces the key."))
    return phone.allowed_hosts(addrs, names), cert, "\n".join(lines)


@command("app", help=N_(
    "Start the app, on this computer only; open the address it prints in your browser.\n\n"
    "With --phone, your phone on the same Wi-Fi can open it too, with the key in the link printed."),
    example=("taskerlog app",
             "taskerlog app --phone --https"))
@option("--port", type=int, help=N_("The port on this computer (default 8501)."))
@option("--phone", "phone_mode", is_flag=True,
        help=N_("Also serve the app on this computer's local network, for your own phone on the same Wi-Fi, "
                "behind a key: prints the pairing link and its QR code."))
@option("--https", "https", is_flag=True,
        help=N_("With --phone: encrypt the traffic with a certificate made for this computer."))
@option("--new-key", is_flag=True,
        help=N_("With --phone: replace the key first (every paired phone then needs the new link)."))
@pass_ctx
def app(c: Context, port: int | None, phone_mode: bool, https: bool, new_key: bool) -> None:
    if not APP.is_file():
        raise CLIError(_("the app ({path}) is not beside the taskerlog package; start it from the taskerlog "
                         "folder with: make run").format(path=APP))
    # the app runs from its own folder: a relative --db would name another file there
    c.db_path = c.db_path.resolve()
    if (https or new_key) and not phone_mode:
        raise CLIError(_("--https and --new-key go with --phone: taskerlog app --phone --https"))
    hosts, cert = None, None
    os.environ[RESTART_ENV] = json.dumps([os.path.abspath(sys.argv[0]), str(c.db_path), port or DEFAULT_PORT])
    if phone_mode:
        port = port or DEFAULT_PORT
        c.store  # noqa: B018 -- opened now, so what is printed for the phone is in the logbook's language
        hosts, cert, message = phone_start(c.db_path, port, https, new_key)
        click.echo(message)
        sys.stdout.flush()  # the link is needed now, even when the output goes into a pipe
    os.environ["TASKERLOG_DB"] = str(c.db_path)
    os.chdir(APP.parent)  # its .streamlit/config.toml applies
    preload()
    # bring the logbook up to date (a backup first, if an upgrade needs one) before anything
    # else opens it: app.py's read-ahead thread and the first page would otherwise both try
    c.store.close()
    from streamlit.web import cli as streamlit_cli

    from taskerlog import appsupport

    appsupport.keep_streamlit_offline()  # before the server listens: no foreign origin makes it look up this computer

    sys.argv = streamlit_argv(APP, port, hosts, cert)
    sys.exit(streamlit_cli.main())
