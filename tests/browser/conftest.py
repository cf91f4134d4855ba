"""Browser tests: the real app under ``streamlit run``, driven by Playwright in Debian's chromium.

Each test that asks for ``server`` gets a server of its own (a fresh process, on a free
port, with ``TASKERLOG_DB`` in a folder of its own), so no cache or session of one test
reaches another; the next test's server is started while the current test runs, so the
suite does not wait for Streamlit to start each time. The server's log is kept so tests
can check it for thread errors.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="Debian's /usr/bin/chromium is not installed "
                                                        "(apt-get install chromium); .ci/run installs it"))


#: ``python -m streamlit`` after importing what the app's first run would (pandas, pyarrow,
#: altair ...: the list ``taskerlog app`` preloads), so a server started ahead of its test
#: spends those seconds before it answers, not during the test's first page
STREAMLIT_RUN = ("import sys; from taskerlog.commands.app_cmd import preload; preload(); "
                 "from streamlit.web.cli import main; main(prog_name='streamlit')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` (or, with ``taskerlog_app=True``, ``taskerlog app`` as a worker
    starts it; or ``command(port)``, the command line that starts the server); ``env``: more
    environment for the server process."""

    def __init__(self, db: Path, log: Path, env: dict | None = None, taskerlog_app: bool = False,
                 command=None, wait: bool = True):
        self.db, self.log_path = db, log
        self._env = {**os.environ, "TASKERLOG_DB": str(db), "PYTHONUNBUFFERED": "1", **(env or {})}
        if taskerlog_app:
            command = lambda port: [str(Path(sys.executable).parent / "taskerlog"), "app", "--port", str(port)]  # noqa: E731
        self._command = command
        self._start()
        if wait:
            self.wait()

    def _start(self) -> None:
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        self._log = open(self.log_path, "wb")
        argv = self._command(self.port) if self._command else [
            sys.executable, "-c", STREAMLIT_RUN, "run", "app.py", "--server.port", str(self.port),
            "--server.headless", "true", "--logger.level", "info"]
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=self._env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait(self, retries: int = 2) -> None:
        """Until the server answers its health check. A port that another process took between
        ``_free_port`` and the server binding it (tests running in parallel) means a new port."""
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                text = self.log_path.read_text(errors="replace")
                if retries and ("already in use" in text or "is not available" in text):
                    self._log.close()
                    self._start()
                    return self.wait(retries - 1)
                raise RuntimeError(f"streamlit exited: {text}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not become healthy in 60 s")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self, wait: bool = True) -> None:
        """Terminate the server; ``wait=False``: do not wait for it to exit (``reap`` later)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            if wait:
                self.reap()
        self._log.close()

    def reap(self) -> None:
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="session")
def _next_server(tmp_path_factory):
    """Hands out fresh ``streamlit run app.py`` servers, each on its own empty logbook, and
    starts the following one at once (it gets ready while the test runs)."""
    ahead: list[Server] = []
    done: list[Server] = []

    def start() -> Server:
        folder = tmp_path_factory.mktemp("server")
        return Server(folder / "logbook.sqlite", folder / "streamlit.log", wait=False)

    def take() -> Server:
        srv = ahead.pop() if ahead else start()
        srv.wait()
        ahead.append(start())
        return srv

    yield take, done
    for srv in ahead:
        srv.stop()
    for srv in done:
        srv.reap()


@pytest.fixture
def server(_next_server):
    take, done = _next_server
    srv = take()
    yield srv
    srv.stop(wait=False)  # it shuts down while the next test runs
    done.append(srv)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def watch_requests(ctx) -> list[str]:
    """Every request the pages of ``ctx`` make to anywhere but this computer (the app
    promises that nothing leaves the machine: no fonts, icons or telemetry from the web)."""
    from urllib.parse import urlsplit

    away: list[str] = []

    def seen(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in {"localhost", "127.0.0.1", "::1"}:
            away.append(request.url)
    ctx.on("request", seen)
    return away


def off_machine_links(page) -> list[str]:
    """Addresses off this computer that the page's elements point at (a favicon, a font, an
    image): Chromium fetches some of them, such as the favicon, only a while after the page
    has loaded, so the requests alone would not show them."""
    urls = page.evaluate("""() => [...document.querySelectorAll('link[href], img[src], script[src], iframe[src], '
        + 'source[src], video[src], audio[src]')].map(e => e.href || e.src)""")
    from urllib.parse import urlsplit
    return [u for u in urls if urlsplit(u).scheme in ("http", "https")
            and urlsplit(u).hostname not in {"localhost", "127.0.0.1", "::1"}]


def cramped_dates(page, min_px: int = 130) -> list[str]:
    """Labels of the date inputs too narrow to show a whole date: below about 130 pixels
    Chromium cuts "2026 / 12 / 04" to "2026 / 12 /" beside the calendar button. Tabs not
    selected are shown for the measurement (their panels are as wide as the selected one)."""
    found = page.evaluate("""() => {
        const hidden = [...document.querySelectorAll('[data-testid="stTabPanel"]')]
            .filter(p => getComputedStyle(p).display === 'none');
        hidden.forEach(p => { p.style.display = 'block'; });
        const found = [...document.querySelectorAll('[data-testid="stDateInput"]')]
            .filter(e => e.offsetParent).map(e => [(e.querySelector('label') || {}).innerText || '(no label)',
                                                  e.getBoundingClientRect().width]);
        hidden.forEach(p => { p.style.display = ''; });
        return found;
    }""")
    return [label for label, width in found if width < min_px]


@contextlib.contextmanager
def open_page(browser, viewport=DESKTOP, **context):
    """A page in a browser context of its own; fails when the page asked another host for anything."""
    ctx = browser.new_context(viewport=viewport, **context)
    away = watch_requests(ctx)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()
    assert away == [], f"the app asked the internet for: {sorted(set(away))}"


@pytest.fixture
def page(browser):
    with open_page(browser) as pg:
        yield pg


def settle(page) -> None:
    """Wait until Streamlit has finished the script run: no running status, no skeletons."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    # every page starts with a title: on a fresh server the first run takes a while to send it
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_timeout(400)
    quiet = 0
    for _ in range(300):
        busy = page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').count()
        quiet = quiet + 1 if busy == 0 else 0
        if quiet >= 3:
            break
        page.wait_for_timeout(150)
    page.wait_for_timeout(200)


def goto(page, url: str) -> None:
    page.goto(url)
    settle(page)


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    # Streamlit scrolls inside its main container, so grow the viewport to the content's height.
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"], section')].map(e => e.scrollHeight), 0)""")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 8000))})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def open_payout_form(page, platform: str) -> None:
    """On Log: the Payout tab, its Platform picked (typed, then Enter)."""
    page.get_by_role("tab", name="Payout").click()
    settle(page)
    box = page.get_by_label("Platform").filter(visible=True).first
    box.click()
    box.fill(platform)
    page.keyboard.press("Enter")
