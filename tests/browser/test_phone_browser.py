"""Phone mode in a real browser (``taskerlog app --phone``): without the key no page shows
anything of the logbook; the printed pairing link opens it, at phone width, where the worker
clocks in and out, marks the queue empty, records a payout and reads the Dashboard; twenty
wrong keys lock the gate; a foreign Host header is refused; and a client on another network
namespace, across a veth pair, reaches the app only with the key.

Every test talks to loopback or to its own namespace only, never to this machine's other
addresses (the server listens on them too, as phone mode does)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from taskerlog import phone
from taskerlog.model import Payout, Project, Rate, WorkEntry
from taskerlog.store import Store

from .conftest import ARGS, CHROMIUM, PHONE, Server, goto, open_page, open_payout_form, settle, shot

pytestmark = pytest.mark.browser

TASKERLOG = str(Path(sys.executable).parent / "taskerlog")
#: what the seeded logbook holds and a locked page must never show
SECRETS = ("Outlier", "Genesis Dolphin", "Dolphin", "185", "USD", "Effective hourly wage")
LINK = re.compile(r"(https?)://([0-9.]+):(\d+)/\?key=([A-Za-z0-9_-]+)")


def _seed(db: Path) -> None:
    with Store(db) as s:
        s.add_project(Project(platform="Outlier", project="Genesis Dolphin", currency="USD"))
        s.add_rate(Rate(platform="Outlier", project="Genesis Dolphin", effective_at=1_700_000_000, rate="20",
                        currency="USD"))
        s.add_work(WorkEntry(platform="Outlier", project="Genesis Dolphin", kind="tasking",
                             start=1_772_100_000, end=1_772_107_200))
        s.add_payout(Payout(platform="Outlier", paid_at=1_772_200_000, amount="185", currency="USD"))


def start_phone_server(tmp_path: Path) -> Server:
    db = tmp_path / "logbook.sqlite"
    _seed(db)
    srv = Server(db, tmp_path / "phone.log",
                 command=lambda port: [TASKERLOG, "--db", str(db), "app", "--phone", "--port", str(port)])
    found = LINK.search(srv.log())
    assert found, srv.log()
    srv.key = found.group(4)
    srv.printed_host = found.group(2)
    return srv


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory):
    srv = start_phone_server(tmp_path_factory.mktemp("phone"))
    yield srv
    srv.stop()


@pytest.fixture
def phone_page(browser):
    with open_page(browser, PHONE, is_mobile=True, has_touch=True) as pg:
        yield pg


def _main_text(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


def _assert_locked(page) -> None:
    text, html = _main_text(page), page.content()
    assert "Key" in text and "pairing link" in text
    assert not [s for s in SECRETS if s in text], text
    assert "Outlier" not in html and "Genesis" not in html  # not even in a box's value
    assert page.locator('[data-testid="stSidebarNav"], [data-testid="stMetric"]').count() == 0
    assert page.locator('a[href*="dashboard"], a[href*="entries"]').count() == 0  # no page list


def test_the_printed_link_is_on_this_computers_network_with_a_128_bit_key(phone_server):
    assert phone_server.printed_host in {str(a) for a in phone.local_addresses()}
    assert len(phone_server.key) >= 22  # 22 URL-safe characters hold 132 bits
    out = phone_server.log()
    assert f"http://localhost:{phone_server.port}/?key={phone_server.key}" in out
    assert "anyone on the same Wi-Fi can read the traffic" in out


# the gate (app.py, before st.navigation picks a page) is the same code for every address: the
# one the pairing link opens and the page with the figures stand for the others
@pytest.mark.parametrize("path", ["", "dashboard"])
def test_without_the_key_no_page_shows_the_logbook(phone_server, phone_page, path):
    goto(phone_page, f"{phone_server.url}/{path}")
    _assert_locked(phone_page)
    goto(phone_page, f"{phone_server.url}/{path}?key=not-the-key-{path}")
    _assert_locked(phone_page)
    assert "not the key" in _main_text(phone_page)
    if path == "dashboard":
        shot(phone_page, "phone-mode-locked-390")


def test_the_pairing_link_opens_the_logbook_and_the_phone_can_log(phone_server, phone_page):
    page, db = phone_page, phone_server.db
    goto(page, f"{phone_server.url}/?key={phone_server.key}")
    page.wait_for_url("**/log", timeout=30_000)
    settle(page)
    assert "key=" not in page.url  # taken off the address bar once read
    assert page.get_by_role("combobox", name="Project").first.input_value() == "Outlier · Genesis Dolphin"
    # clock in, then out
    page.get_by_role("button", name="▶ Clock in").click()
    settle(page)
    page.get_by_text("Running").first.wait_for()
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Clock out").click()
    settle(page)
    page.get_by_text("Clocked out").wait_for()
    # the queue went empty
    page.get_by_role("tab", name="Empty queue").click()
    settle(page)
    page.get_by_role("button", name="Save empty queue").click()
    settle(page)
    page.get_by_role("button", name="Queue is back").first.wait_for(timeout=30_000)
    # an M-Pesa payout arrived
    open_payout_form(page, "Outlier")
    page.get_by_label("Amount (before fees)").fill("42.50")
    page.get_by_role("button", name="Save payout").click()
    page.get_by_text("Payout USD 42.50").wait_for(timeout=60_000)
    settle(page)
    shot(page, "phone-mode-log-390")
    with Store(db) as s:
        assert len(s.frames().work) == 2 and s.running_clocks() == []
        assert [p["amount_micros"] for p in s.rows("payouts")] == [185_000_000, 42_500_000]
        assert len(s.rows("eq")) == 1
    # the Dashboard, in the same session: the key is not asked again
    goto(page, f"{phone_server.url}/dashboard")
    shot(page, "phone-mode-dashboard-opened-390")
    page.get_by_role("heading", name="Dashboard").wait_for(timeout=60_000)
    page.get_by_role("radio", name="All time").or_(page.get_by_role("button", name="All time")).first.click()
    settle(page)
    assert page.locator('[data-testid="stMetric"]', has_text="Effective hourly wage").count() == 1
    shot(page, "phone-mode-dashboard-390")
    # the key never reached the server's log: only the two lines the command printed hold it
    assert phone_server.log().count(phone_server.key) == 2


def test_a_typed_key_opens_it_too(phone_server, phone_page):
    goto(phone_page, f"{phone_server.url}/entries")
    _assert_locked(phone_page)
    phone_page.get_by_label("Key").fill(phone_server.key)
    phone_page.get_by_role("button", name="Open").click()
    settle(phone_page)
    # it opens on Log, the page a phone is for
    assert phone_page.get_by_role("combobox", name="Project").first.input_value() == "Outlier · Genesis Dolphin"


def _handshake(port: int, host: str) -> int:
    """The status of a WebSocket handshake for the app's data stream with this Host header."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        return int(s.recv(200).split(b" ")[1])


def test_a_foreign_host_header_is_refused(phone_server):
    port = phone_server.port
    assert _handshake(port, f"localhost:{port}") == 101
    assert _handshake(port, f"{phone_server.printed_host}:{port}") == 101  # this computer's own address
    for foreign in (f"evil.example:{port}", f"192.168.213.77:{port}", "attacker.localhost.example"):
        assert _handshake(port, foreign) == 403, foreign


def test_twenty_wrong_keys_lock_the_gate_even_for_the_right_one(tmp_path, phone_page):
    srv = start_phone_server(tmp_path)
    try:
        page = phone_page
        goto(page, srv.url)
        answers = []
        for i in range(20):
            page.get_by_label("Key").fill(f"wrong-key-{i:02d}")
            page.get_by_role("button", name="Open").click()
            settle(page)
            page.locator('[data-testid="stAlert"]').first.wait_for()
            answers.append(page.locator('[data-testid="stAlert"]').first.inner_text())
        # (an answer read right after a click may still be the one before: look at the ends only)
        assert "not the key" in answers[0] and "not the key" in answers[2], answers
        assert all("Too many wrong keys" in a for a in answers[-5:]), answers
        shot(page, "phone-mode-locked-out-390")
        # now even the link's key is refused, in a new session
        goto(page, f"{srv.url}/dashboard?key={srv.key}")
        _assert_locked(page)
        assert "Too many wrong keys" in _main_text(page)
    finally:
        srv.stop()


# -- across a network: a client in its own network namespace -------------------------------------
def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


@pytest.fixture
def namespace():
    """A network namespace joined to this machine by a veth pair, 10.213.N.0/30: this machine's
    end is .1, the namespace's .2. Nothing else is routed; everything is removed afterwards."""
    if shutil.which("ip") is None or os.geteuid() != 0:
        pytest.skip("needs root and iproute2 to make a network namespace (CI runs as root)")
    n = os.getpid() % 250 + 1
    name, here, there = f"tlphone{n}", f"tlph{n}a", f"tlph{n}b"
    _ip("link", "del", here, check=False)  # left by a run that was killed
    _ip("netns", "del", name, check=False)
    made = _ip("netns", "add", name, check=False)
    if made.returncode != 0:
        pytest.skip(f"network namespaces are not available here ({made.stderr.strip()})")
    try:
        _ip("link", "add", here, "type", "veth", "peer", "name", there)
        _ip("link", "set", there, "netns", name)
        _ip("addr", "add", f"10.213.{n}.1/30", "dev", here)
        _ip("link", "set", here, "up")
        for cmd in (["addr", "add", f"10.213.{n}.2/30", "dev", there], ["link", "set", there, "up"],
                    ["link", "set", "lo", "up"]):
            _ip("netns", "exec", name, "ip", *cmd)
        yield name, f"10.213.{n}.1"
    finally:
        _ip("link", "del", here, check=False)
        _ip("netns", "del", name, check=False)


CLIENT = textwrap.dedent("""
    import json, sys
    from playwright.sync_api import sync_playwright
    base, key, chromium, args = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=args, headless=True)
        for name, url in (("without", base + "/dashboard"), ("with", base + "/?key=" + key)):
            page = b.new_context(viewport={"width": 390, "height": 844}).new_page()
            page.goto(url)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=60000)
            if name == "with":
                page.wait_for_url("**/log", timeout=60000)
                page.get_by_role("combobox", name="Project").first.wait_for(timeout=60000)
            page.wait_for_timeout(1500)
            out[name] = page.locator('[data-testid="stApp"]').inner_text() + page.content()
        b.close()
    print(json.dumps(out))
""")


def test_a_phone_on_another_network_reaches_the_app_only_with_the_key(namespace, tmp_path):
    name, address = namespace
    srv = start_phone_server(tmp_path)  # after the veth is up: its address is one of this computer's
    try:
        assert address in srv.log()  # listed among the addresses a phone may use
        # the client runs inside the namespace: its only way to this machine is the veth pair
        got = subprocess.run(["ip", "netns", "exec", name, sys.executable, "-c", CLIENT,
                              f"http://{address}:{srv.port}", srv.key, str(CHROMIUM), json.dumps(ARGS)],
                             capture_output=True, text=True, timeout=240)
        assert got.returncode == 0, got.stderr[-3000:]
        seen = json.loads(got.stdout.strip().splitlines()[-1])
        assert "pairing link" in seen["without"] and "Outlier" not in seen["without"], seen["without"]
        assert "Outlier · Genesis Dolphin" in seen["with"]
    finally:
        srv.stop()


def test_the_key_in_the_link_is_the_one_stored_for_the_owner_only(phone_server):
    """The pairing link parses as an address with one ``key`` parameter, the one stored on disk."""
    found = LINK.search(phone_server.log())
    parts = urlsplit(found.group(0))
    assert parse_qs(parts.query) == {"key": [phone.load_key(phone.key_path(phone_server.db))]}
    assert oct(phone.key_path(phone_server.db).stat().st_mode & 0o777) == "0o600"


def test_the_settings_switch_restarts_the_app_in_phone_mode_and_back(tmp_path, browser):
    db = tmp_path / "logbook.sqlite"
    _seed(db)
    srv = Server(db, tmp_path / "app.log", command=lambda port: [TASKERLOG, "--db", str(db), "app", "--port",
                                                                 str(port)])
    try:
        with open_page(browser, PHONE) as page, open_page(browser, PHONE) as stranger:
            goto(page, f"{srv.url}/settings")
            page.get_by_text("Open this app to my phone").click()
            page.get_by_role("button", name="Apply (restarts the app)").click()
            page.get_by_text("Restarting in phone mode").wait_for()
            # the app comes back behind the gate; this browser was given the key before the restart
            page.get_by_text("Pairing link", exact=True).wait_for(timeout=90_000)
            settle(page)
            link = page.locator('[data-testid="stCode"]').filter(has_text="key=").inner_text().strip()
            key = parse_qs(urlsplit(link).query)["key"][0]
            assert key == phone.load_key(phone.key_path(db))
            assert "anyone on the same Wi-Fi can read the traffic" in _main_text(page)
            shot(page, "phone-mode-settings-390")
            goto(stranger, f"{srv.url}/log")
            _assert_locked(stranger)
            # a new key: the old link no longer opens it, this browser stays in
            page.get_by_role("button", name="Replace the key").click()
            page.get_by_text("The key is new").wait_for()
            new = phone.load_key(phone.key_path(db))
            assert new != key and new in page.locator('[data-testid="stCode"]').filter(has_text="key=").inner_text()
            goto(stranger, f"{srv.url}/?key={key}")
            _assert_locked(stranger)
            # and off again: this computer only, no key asked
            page.get_by_text("Open this app to my phone").click()
            page.get_by_role("button", name="Apply (restarts the app)").click()
            page.get_by_text("Restarting on this computer only").wait_for()
            page.get_by_text("Reach this app from your own phone").wait_for(timeout=90_000)  # back, reloaded
            goto(stranger, f"{srv.url}/log")
            stranger.get_by_role("combobox", name="Project").first.wait_for(timeout=60_000)
        assert srv.log().count("Phone mode:") == 1  # started once in phone mode, then without it
    finally:
        srv.stop()
