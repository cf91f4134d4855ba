"""`taskerlog app` (what `make run` runs): the app on this computer only, modules loaded first."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from taskerlog.commands import app_cmd


def test_streamlit_is_told_to_stay_local_and_quiet_whatever_config_it_finds():
    argv = app_cmd.streamlit_argv(Path("/x/app.py"), 8600)
    flags = dict(zip(argv[3::2], argv[4::2]))
    assert argv[:3] == ["streamlit", "run", "/x/app.py"]
    assert flags == {"--server.address": "127.0.0.1", "--server.headless": "true",
                     "--browser.gatherUsageStats": "false", "--server.port": "8600"}
    assert app_cmd.APP.name == "app.py" and app_cmd.APP.is_file()


def test_taskerlog_app_starts_the_server_on_localhost(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "mine.sqlite"
    exe = Path(sys.executable).parent / "taskerlog"
    log = open(tmp_path / "app.log", "wb")
    proc = subprocess.Popen([str(exe), "--db", str(db), "app", "--port", str(port)], cwd=tmp_path,
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "TASKERLOG_DB": ""})
    try:
        deadline, ok = time.time() + 60, False
        while time.time() < deadline and not ok:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    ok = r.status == 200
            except OSError:
                time.sleep(0.3)
        assert ok, (tmp_path / "app.log").read_text()
        out = (tmp_path / "app.log").read_text()
        assert f"127.0.0.1:{port}" in out  # it listens on this computer only
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_taskerlog_app_opens_the_logbook_it_is_given_with_the_modules_loaded(tmp_path, monkeypatch):
    import streamlit.web.cli as streamlit_cli
    from click.testing import CliRunner

    from taskerlog.cli import cli

    import requests
    from streamlit import net_util

    seen = {}
    asked: list[str] = []

    def fake_main():  # what streamlit would start with
        from sqlite_utils import Database

        from taskerlog.store.schema import migrations
        db = tmp_path / "mine.sqlite"
        seen.update(argv=list(sys.argv), db=os.environ.get("TASKERLOG_DB"), cwd=os.getcwd(),
                    loaded=[m for m in app_cmd.APP_MODULES if m in sys.modules],
                    migrated=db.is_file() and not migrations.pending(Database(db)),
                    # what the origin check asks when a foreign page opens the websocket
                    external_ip=net_util.get_external_ip())
        return 0

    monkeypatch.setattr(streamlit_cli, "main", fake_main)
    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)  # put back after the test
    monkeypatch.setattr(net_util, "_external_ip", None)
    monkeypatch.setattr(requests, "get", lambda url, **kw: asked.append(url))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TASKERLOG_DB", "")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "mine.sqlite"), "app", "--port", "8601"])
    assert result.exit_code == 0, result.output
    assert seen["db"] == str(tmp_path / "mine.sqlite")
    assert seen["cwd"] == str(app_cmd.APP.parent)  # its .streamlit/config.toml applies
    assert seen["argv"][:3] == ["streamlit", "run", str(app_cmd.APP)] and "8601" in seen["argv"]
    assert seen["loaded"] == list(app_cmd.APP_MODULES)
    assert seen["migrated"]  # brought up to date before the read-ahead and the first page open it
    assert seen["external_ip"] is None and asked == []  # nothing asked of checkip.amazonaws.com


def test_the_logbook_read_ahead_at_server_start_is_used_only_while_it_is_current(tmp_path):
    import datetime as dt

    import streamlit as st

    from app_pages import _shared
    from taskerlog.model import WorkEntry
    from taskerlog.store import Store

    path = tmp_path / "mine.sqlite"
    with Store(path) as s:
        start = int(dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc).timestamp())
        s.add_work(WorkEntry(platform="Outlier", kind="tasking", start=start, end=start + 3600))
        head = tuple(s.journal_head())
    st.cache_resource.clear()
    try:
        _shared.read_ahead(str(path))
        _, frames, prepared = _shared._read_ahead[str(path)].result(timeout=60)
        assert _shared._frames(str(path), head, False) is frames  # taken, not read again
        assert _shared._prepared(str(path), head) is prepared
        assert str(path) not in _shared._read_ahead  # used once
        # a write after the read: the read-ahead is stale and is not used
        _shared.read_ahead(str(path))
        _shared._read_ahead[str(path)].result(timeout=60)
        with Store(path) as s:
            s.add_work(WorkEntry(platform="Outlier", kind="tasking", start=start + 7200, end=start + 9000))
            new_head = tuple(s.journal_head())
        stale = _shared._read_ahead[str(path)].result()[1]
        fresh = _shared._frames(str(path), new_head, False)
        assert fresh is not stale and len(fresh.work) == 2 and str(path) not in _shared._read_ahead
    finally:
        st.cache_resource.clear()
