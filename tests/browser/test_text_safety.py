"""Text stays text, uploads are never paths, nothing leaves the computer (issues 18 and 19).

A logbook full of hostile names (Markdown links and images, HTML, autolinks, formulas) is
opened on every page of the real app in Chromium: no link, image or markup may be made
from them, they must read exactly as typed, and a recording proxy (set for the app
process and for Chromium) must see no request at all, even after a web page elsewhere
tries a websocket with its own Origin (Streamlit's origin check would look up this
computer's address on checkip.amazonaws.com).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from taskerlog.model import EQPeriod, Expense, Logbook, Payout, Rate, WorkEntry
from taskerlog.store import Store

from .conftest import DESKTOP, Server, goto, off_machine_links, settle, shot, watch_requests

WORD_JOINER = "\u2060"  # invisible; the app puts it where an autolink would start (appsupport.literal)
PLATFORM = "[Claim your back pay](http://evil.example) **now**"
PROJECT = "![pixel](http://evil.example/pixel.png) <b>bold</b> _it_"
NOTE = "www.evil.example mail@evil.example :red[red] $x^2$ `code` &amp;"
OTHER = "<img src=http://evil.example/i.png> ~~gone~~ :material/home: # heading"

# what a page may not make from user text: markup elements inside Streamlit's Markdown
MARKUP = "a, img, strong, em, b, i, del, s, code, li, blockquote, table, iframe, .katex, h1, h2, h3, h4, h5, h6"
HOSTILE_BIT = re.compile(r"evil|Claim|pixel|^(now|it|red|code|gone|bold|home|heading)$")

CHROMIUM_OWN = (r"^(https?://)?(update\.googleapis\.com|content-autofill\.googleapis\.com|accounts\.google\.com|clients\d*\.google\.com"
                r"|[\w.-]*\.gvt1\.com|optimizationguide-pa\.googleapis\.com)[:/]")

PAGES = ["history", "import_export", "log", "dashboard", "entries", "projects", "money_page", "fix_records", "evidence",
         "organize", "settings"]


class RecordingProxy:
    """An HTTP proxy on this computer that forwards nothing and writes down every request."""

    def __init__(self):
        self.seen: list[str] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                seen.append(f"{self.command} {self.path}")
                self.send_error(502, "recorded, not forwarded")

            do_GET = do_POST = do_PUT = do_HEAD = do_CONNECT = do_OPTIONS = _record

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def from_us(self) -> list[str]:
        """What the proxy saw, but Chromium's own calls home (its updater, autofill and account
        services, which no page asks for and the flags do not all stop): every request a page
        makes is also watched in the browser itself, whatever its host."""
        return [r for r in self.seen if not re.search(CHROMIUM_OWN, r.split(" ")[1])]

    def env(self) -> dict:
        return {"HTTP_PROXY": self.url, "HTTPS_PROXY": self.url, "http_proxy": self.url, "https_proxy": self.url,
                "ALL_PROXY": self.url, "NO_PROXY": "localhost,127.0.0.1", "no_proxy": "localhost,127.0.0.1"}

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def foreign_origin_websocket(port: int) -> bytes:
    """What a page on another site does: open the app's websocket with its own Origin."""
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
        s.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: localhost:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                   "Origin: http://evil.example\r\n\r\n").encode())
        reply = s.recv(4096)
    return reply.split(b"\r\n", 1)[0]


def made_from_user_text(page) -> list[str]:
    """Markup elements (in the main page or the sidebar) whose text or address comes from a
    hostile name, and images that point anywhere."""
    return page.evaluate("""([sel, bit]) => {
        const re = new RegExp(bit);
        const out = [];
        for (const e of document.querySelectorAll('[data-testid="stMarkdownContainer"] :is(' + sel + ')')) {
            const text = (e.textContent || '').trim();
            const addr = e.getAttribute('href') || e.getAttribute('src') || '';
            // a heading may hold a name (a campaign's, as its title): only "# heading" typed in a name may not make one
            const heading = /^H[1-6]$/.test(e.tagName);
            if (heading ? /^heading$/.test(text) : (re.test(text) || /evil/.test(addr)))
                out.push(e.tagName + ': ' + e.outerHTML.slice(0, 160));
        }
        for (const e of document.querySelectorAll('img')) {
            if (/evil/.test(e.src)) out.push('IMG ' + e.src);
        }
        return out;
    }""", [MARKUP, HOSTILE_BIT.pattern])


def visible(page, where: str = '[data-testid="stApp"]') -> str:
    return page.inner_text(where).replace(WORD_JOINER, "").replace("\u00a0", " ")


def _fill_the_logbook(db) -> int:
    """Everything a worker or a file can name, named hostile (the project came from Welcome)."""
    s = Store(db)
    lb = s.settings()
    s.set_settings(Logbook(home_currency=lb.home_currency, timezone=lb.timezone, reference_wage="15",
                           reference_label=OTHER))
    now = int(dt.datetime.now(dt.timezone.utc).timestamp())
    for days, rate in ((3, "20"), (2, "15")):  # a cut: the rate chart's legend and marks carry the names
        s.add_rate(Rate(platform=PLATFORM, project=PROJECT, effective_at=now - days * 86400, rate=rate, unit="hour",
                        currency=lb.home_currency, note=NOTE))
    wid = s.add_work(WorkEntry(platform=PLATFORM, project=PROJECT, kind="tasking", start=now - 7200,
                               end=now - 3600, note=NOTE), source=f"import:spreadsheet:{OTHER}")
    s.add_payout(Payout(platform=PLATFORM, paid_at=now - 600, amount="10", currency=lb.home_currency, method=NOTE,
                        reference=OTHER))
    s.add_expense(Expense(date=dt.date.today(), category=OTHER, amount="2", currency=lb.home_currency,
                          platform=PLATFORM, note=NOTE))
    s.add_eq(EQPeriod(platform=PLATFORM, start_date=dt.date.today() - dt.timedelta(days=3), note=NOTE))
    s.clock_start(PLATFORM, PROJECT, "tasking", note=NOTE)
    s.close()
    return wid


def _campaign(name: str, cid: str) -> bytes:
    today = dt.date.today()
    return json.dumps({"format": "taskerlog-campaign/1", "campaign_id": cid, "name": name,
                       "months": [f"{today:%Y-%m}"], "platforms": [PLATFORM], "categories": [NOTE]}).encode()


def _walk(page, srv, tmp_path, proxy: RecordingProxy, upload_tmp) -> None:
    # -- a new worker types a hostile platform and project on Welcome (the acceptance check's path)
    goto(page, srv.url)
    page.get_by_label("Platform", exact=True).fill(PLATFORM)
    page.get_by_label("Project", exact=True).fill(PROJECT)
    page.get_by_role("button", name="Create and start logging").click()
    page.wait_for_url("**/log", timeout=30_000)
    settle(page)
    assert f"Project {PROJECT} on {PLATFORM} is ready" in visible(page, '[data-testid="stMain"]')
    assert made_from_user_text(page) == []

    wid = _fill_the_logbook(srv.db)
    for name in PAGES:
        goto(page, f"{srv.url}/{name}")
        page.wait_for_timeout(500)
        assert made_from_user_text(page) == [], name
        assert off_machine_links(page) == [], name
        # the running clock in the sidebar, on every page: the names exactly as typed
        assert f"{PLATFORM} · {PROJECT} — tasking" in visible(page, '[data-testid="stSidebar"]'), name
        shot(page, f"text-safety-{name}")
        if name == "log":
            text = visible(page, '[data-testid="stMain"]')
            assert f"{PLATFORM} · {PROJECT} — tasking" in text and NOTE in text  # the big ticking clock, its note
            page.get_by_role("tab", name="Empty queue").click()
            settle(page)
            assert f"{PLATFORM}: empty since" in visible(page, '[data-testid="stMain"]')  # a date input's label
            assert made_from_user_text(page) == []
        if name == "dashboard":  # the filter: drop-down options, the caption, the charts' legends
            page.locator('[data-testid="stSelectbox"]').filter(has_text="Platform").first.click()
            options = page.locator('[role="listbox"]')
            options.wait_for()
            assert options.locator("a, img, strong, em, code").count() == 0
            options.locator('[role="option"]').filter(has_text="Claim your back pay").first.click()
            page.locator('[data-testid="stMain"]').get_by_text("figures in", exact=False).first.wait_for()
            settle(page)
            assert f" · {PLATFORM} · figures in" in visible(page, '[data-testid="stMain"]')
            assert made_from_user_text(page) == []
            shot(page, "text-safety-dashboard-filtered")
        if name == "entries":
            page.get_by_label("…or type an entry number to fix").fill(str(wid))
            page.keyboard.press("Enter")
            settle(page)
            assert f"from import:spreadsheet:{OTHER}" in visible(page, '[data-testid="stMain"]')
            assert made_from_user_text(page) == []
            shot(page, "text-safety-entries-picked")
        if name == "money_page":
            page.get_by_role("tab", name="Expenses").click()
            settle(page)
            assert made_from_user_text(page) == []
        if name == "organize":
            box = page.locator('[data-testid="stFileUploader"]').first
            # a campaign whose id is hostile is refused, in words, literally
            box.locator("input[type=file]").set_input_files(
                files=[{"name": "camp.json", "mimeType": "application/json", "buffer": _campaign(PLATFORM, PROJECT)}])
            settle(page)
            assert "is not a campaign id" in visible(page) and PROJECT in visible(page)
            assert made_from_user_text(page) == []
            box.locator("input[type=file]").set_input_files(
                files=[{"name": "camp2.json", "mimeType": "application/json",
                        "buffer": _campaign(PLATFORM, "dla-2026")}])
            settle(page)
            main = visible(page, '[data-testid="stMain"]')
            assert f"{PLATFORM} (dla-2026)" in main and f"Your platform “{PLATFORM}” is the campaign's" in main
            assert made_from_user_text(page) == []
            shot(page, "text-safety-organize-campaign")
        if name == "history":
            # a crafted file name: the upload must be saved under a name the app makes, inside its temp folder
            page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
                files=[{"name": "../../evil.csv", "mimeType": "text/csv",
                        "buffer": b"date,start,end,platform\n2026-01-05,09:00,10:00,Outlier\n"}])
            settle(page)
            assert made_from_user_text(page) == []
            page.get_by_role("button", name="Import now").click()
            page.locator('[data-testid="stMain"]').get_by_text("Imported ", exact=False).first.wait_for(timeout=30_000)
            settle(page)
            # the app got the crafted name (it says so, literally) and imported the file it saved under its own
            assert "Imported ../../evil.csv." in visible(page, '[data-testid="stMain"]')
            assert made_from_user_text(page) == []
            shot(page, "text-safety-history-upload")
        if name == "import_export":
            page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
                files=[{"name": "../../../evil-work.csv", "mimeType": "text/csv", "buffer": b"nonsense\n1\n"}])
            settle(page)
            assert made_from_user_text(page) == []
    # nothing written outside the app's temporary folder: not beside it, not above it
    assert sorted(str(p) for p in tmp_path.rglob("evil*")) == []
    assert not any(upload_tmp.rglob("evil*"))  # (and nothing left inside it either)
    assert foreign_origin_websocket(srv.port).split(b" ")[1:2] != [b"101"]
    page.wait_for_timeout(1500)
    assert proxy.from_us() == [], f"the proxy saw: {proxy.from_us()}"


@pytest.mark.parametrize("taskerlog_app", [True], ids=["taskerlog-app"])
def test_hostile_names_stay_text_and_nothing_leaves_the_computer(tmp_path, taskerlog_app, browser):
    proxy = RecordingProxy()
    upload_tmp = tmp_path / "a" / "b" / "c" / "tmp"  # an upload named ../../x would land in a/b/c or a/b
    upload_tmp.mkdir(parents=True)
    srv = Server(tmp_path / "logbook.sqlite", tmp_path / "streamlit.log",
                 env={**proxy.env(), "TMPDIR": str(upload_tmp)}, taskerlog_app=taskerlog_app)
    try:
        # a page elsewhere tries the websocket before the worker has opened anything
        assert foreign_origin_websocket(srv.port).split(b" ")[1:2] != [b"101"]
        # the session's browser, this context's traffic through the recording proxy (one
        # Playwright per test session: a second one inside it cannot start)
        ctx = browser.new_context(viewport=DESKTOP, proxy={"server": proxy.url, "bypass": "localhost,127.0.0.1"})
        try:
            away = watch_requests(ctx)  # whatever the pages ask another host for, through the proxy or not
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            _walk(page, srv, tmp_path, proxy, upload_tmp)
            assert away == [], f"the pages asked the internet for: {sorted(set(away))}"
        finally:
            ctx.close()
        assert "Traceback" not in srv.log()
    finally:
        srv.stop()
        proxy.close()


def test_a_bare_streamlit_run_does_not_look_up_the_address_once_the_app_has_run(tmp_path, browser):
    """``streamlit run app.py`` (as the other browser tests and some workers start it): once
    app.py has run, a foreign Origin makes no request either."""
    proxy = RecordingProxy()
    srv = Server(tmp_path / "logbook.sqlite", tmp_path / "streamlit.log", env=proxy.env())
    try:
        ctx = browser.new_context(viewport=DESKTOP)
        page = ctx.new_page()
        goto(page, srv.url)
        assert foreign_origin_websocket(srv.port).split(b" ")[1:2] != [b"101"]
        page.wait_for_timeout(1500)
        ctx.close()
        assert proxy.seen == [], f"the proxy saw: {proxy.seen}"
    finally:
        srv.stop()
        proxy.close()
