"""``taskerlog app``: start the app on this computer (``make run`` runs it).

It loads the modules the pages need before the server starts listening, so that the first
page a browser opens (even a big logbook's Dashboard, straight away) does not also pay for
importing pandas, pyarrow and altair: about 1.5 s on a small machine. It starts reading
the worker's logbook for the Dashboard on a helper thread at the same time. Then it runs
Streamlit in this process with the repository's ``.streamlit/config.toml`` (this computer
only, no usage statistics), and passes those two settings on the command line as well.
Before the server listens, Streamlit's look-up of this computer's external address is
switched off (``appsupport.keep_streamlit_offline``; docs/app.md, "Safety").
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from ..cli import CLIError, Context, cli, pass_ctx

APP = Path(__file__).resolve().parents[2] / "app.py"
#: what the pages import; loaded before the server listens
APP_MODULES = ("numpy", "pandas", "pyarrow", "altair", "taskerlog.frames", "taskerlog.metrics", "taskerlog.store",
               "taskerlog.appsupport")


def preload() -> None:
    for name in APP_MODULES:
        importlib.import_module(name)


def read_ahead() -> None:
    """Start reading the worker's logbook for the Dashboard while the server starts (see
    ``app_pages._shared.read_ahead``): opened a few seconds later, it is ready."""
    if str(APP.parent) not in sys.path:
        sys.path.insert(0, str(APP.parent))
    from app_pages import _shared
    from taskerlog import appsupport

    _shared.read_ahead(str(appsupport.my_db_path()))


def streamlit_argv(app: Path, port: int | None) -> list[str]:
    """``streamlit run`` for the app, local only and quiet whatever config is found."""
    argv = ["streamlit", "run", str(app), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false"]
    if port is not None:
        argv += ["--server.port", str(port)]
    return argv


@cli.command("app")
@click.option("--port", type=int, help="The port on this computer (default 8501).")
@pass_ctx
def app(c: Context, port: int | None) -> None:
    """Start the app, on this computer only; open the address it prints in your browser.

    Example: taskerlog app
    """
    if not APP.is_file():
        raise CLIError(f"the app ({APP}) is not beside the taskerlog package; start it from the taskerlog "
                       "folder with: make run")
    os.environ["TASKERLOG_DB"] = str(c.db_path)
    os.chdir(APP.parent)  # its .streamlit/config.toml applies
    preload()
    # bring the logbook up to date (a backup first, if an upgrade needs one) before anything
    # else opens it: the read-ahead thread and the first page would otherwise both try
    c.store.close()
    read_ahead()
    from streamlit.web import cli as streamlit_cli

    from taskerlog import appsupport

    appsupport.keep_streamlit_offline()  # before the server listens: no foreign origin makes it look up this computer

    sys.argv = streamlit_argv(APP, port)
    sys.exit(streamlit_cli.main())
