"""Phone mode's plain parts (taskerlog/phone.py) and `taskerlog app --phone` up to starting Streamlit;
the gate itself in a browser is tests/browser/test_phone_browser.py."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from taskerlog import phone
from taskerlog.commands import app_cmd

NOW = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.timezone.utc)
LAN = [ipaddress.IPv4Address("192.168.1.23"), ipaddress.IPv4Address("172.17.0.1")]


def test_the_key_is_at_least_128_bits_readable_by_its_owner_only_and_kept(tmp_path):
    path = phone.key_path(tmp_path / "logbook.sqlite")
    assert path == tmp_path / "logbook-phone.key"
    key = phone.load_key(path)
    assert len(key) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", key)  # 32 URL-safe chars: 192 bits
    assert path.stat().st_mode & 0o777 == 0o600
    assert phone.load_key(path) == key  # survives a restart
    os.chmod(path, 0o644)
    assert phone.load_key(path) == key and path.stat().st_mode & 0o777 == 0o600
    new = phone.new_key(path)
    assert new != key and phone.load_key(path) == new
    for foreign in ("short", '"</script><script>alert(1)</script>' * 2):  # not made here: a new key instead
        path.write_text(foreign)
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", phone.load_key(path))
    assert [p.name for p in tmp_path.iterdir()] == ["logbook-phone.key"]  # no temporary file left


def test_keys_compare_whole_and_exact():
    key = "Abc123_-" * 4
    assert phone.key_matches(key, key) and phone.key_matches(f" {key}\n", key)
    assert not phone.key_matches(key[:-1], key) and not phone.key_matches(key + "x", key)
    assert not phone.key_matches(None, key) and not phone.key_matches("", key)
    assert not phone.key_matches("é" * 32, key)  # not ASCII: refused, not an exception


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_wrong_keys_are_slowed_down_then_locked_out_even_for_the_right_key():
    clock, slept = Clock(), []
    gate = phone.Throttle(clock=clock)
    key = "k" * 32
    verdicts = [phone.try_key(f"wrong{i}", key, gate, slept.append) for i in range(10)]
    assert slept == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]  # three free, then a second each
    assert [v.ok for v in verdicts] == [False] * 10
    assert "not the key" in verdicts[8].message and "Too many wrong keys" in verdicts[9].message
    clock.t += 60
    locked = phone.try_key(key, key, gate, slept.append)
    assert not locked.ok and "14 more minute" in locked.message
    clock.t += 14 * 60 + 1
    assert phone.try_key(key, key, gate, slept.append).ok  # the lock has run out
    # a right key ends the run of wrong ones: three more are free again
    slept.clear()
    for i in range(3):
        phone.try_key(f"wrong{i}", key, gate, slept.append)
    assert slept == [0, 0, 0]


def test_wrong_tries_spread_over_more_than_the_lock_time_never_lock():
    clock = Clock()
    gate = phone.Throttle(clock=clock)
    for _ in range(30):
        gate.wrong()
        clock.t += 100  # nine tries in any 15 minutes at most
    assert gate.locked_for() == 0


@pytest.mark.parametrize("address, beyond", [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                             ("0.0.0.0", True), ("", True), (None, True),
                                             ("192.168.1.23", True), ("my-laptop", True)])
def test_the_gate_is_on_whenever_the_server_listens_beyond_loopback(address, beyond):
    assert phone.listens_beyond_loopback(address) is beyond


@pytest.mark.parametrize("address, public", [("192.168.1.23", False), ("10.20.30.40", False), ("172.16.5.4", False),
                                             ("169.254.10.1", False), ("81.2.69.160", True), ("8.8.8.8", True),
                                             ("100.64.3.2", True)])
def test_an_address_that_looks_public_refuses_phone_mode(address, public):
    addrs = [*LAN, ipaddress.IPv4Address(address)]
    assert phone.looks_public(ipaddress.IPv4Address(address)) is public
    why = phone.refusal(addrs)
    assert (why is not None) is public
    if public:
        assert address in why and "internet" in why


def test_host_names_accepted_are_this_computers_own():
    hosts = phone.allowed_hosts(LAN, ["laptop", "laptop.local"])
    assert hosts == ["localhost", "127.0.0.1", "192.168.1.23", "172.17.0.1", "laptop", "laptop.local"]
    assert socket.gethostname().lower() in phone.host_names()
    assert "localhost" not in phone.host_names()


def test_the_pairing_link_and_its_qr_code():
    assert phone.link("192.168.1.23", 8501, "K" * 32, False) == f"http://192.168.1.23:8501/?key={'K' * 32}"
    assert phone.link("192.168.1.23", 8501, "K", True).startswith("https://")
    png = phone.qr_png("http://192.168.1.23:8501/?key=abc")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    text = phone.qr_text("http://192.168.1.23:8501/?key=abc").splitlines()
    assert len({len(line) for line in text}) == 1 and len(text) > 10  # a square of half blocks
    assert phone.qr_text("http://192.168.1.23:8501/?key=abd") != phone.qr_text("http://192.168.1.23:8501/?key=abc")


def test_the_certificate_names_this_computer_and_is_made_again_when_an_address_is_new(tmp_path):
    from cryptography import x509

    db = tmp_path / "logbook.sqlite"
    cert, key, made = phone.ensure_cert(db, ["laptop", "laptop.local"], LAN, NOW)
    assert made and key.stat().st_mode & 0o777 == 0o600
    san = x509.load_pem_x509_certificate(cert.read_bytes()).extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"localhost", "laptop", "laptop.local"}
    assert {str(a) for a in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "192.168.1.23", "172.17.0.1"}
    first = phone.fingerprint(cert)
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", first)
    assert phone.ensure_cert(db, ["laptop"], LAN[:1], NOW)[2] is False  # still covers: kept, the phone asks nothing
    assert phone.ensure_cert(db, ["laptop"], [ipaddress.IPv4Address("10.0.0.9")], NOW)[2] is True  # a new Wi-Fi
    assert phone.fingerprint(cert) != first
    assert phone.ensure_cert(db, ["laptop"], [ipaddress.IPv4Address("10.0.0.9")], NOW + dt.timedelta(days=395))[2]


def test_streamlit_is_told_to_listen_on_the_network_only_in_phone_mode():
    argv = app_cmd.streamlit_argv(Path("/x/app.py"), 8600, ["localhost", "127.0.0.1", "192.168.1.23"],
                                  (Path("/c.pem"), Path("/k.pem")))
    assert argv[argv.index("--server.address") + 1] == "0.0.0.0"
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--server.allowedHosts"] == [
        "localhost", "127.0.0.1", "192.168.1.23"]
    assert argv[argv.index("--server.sslCertFile") + 1] == "/c.pem"
    assert argv[argv.index("--server.sslKeyFile") + 1] == "/k.pem"
    assert not [a for a in argv if "Xsrf" in a or "maxUploadSize" in a or "CORS" in a]  # config.toml's stay
    plain = app_cmd.streamlit_argv(Path("/x/app.py"), None)
    assert plain[plain.index("--server.address") + 1] == "127.0.0.1" and "--server.allowedHosts" not in plain


def _invoke(tmp_path, monkeypatch, *args):
    import streamlit.web.cli as streamlit_cli
    from click.testing import CliRunner

    from taskerlog.cli import cli

    seen = {}
    monkeypatch.setattr(streamlit_cli, "main", lambda: seen.update(argv=list(sys.argv)) or 0)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TASKERLOG_DB", "")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "mine.sqlite"), "app", *args])
    return result, seen.get("argv")


def test_phone_mode_prints_the_pairing_link_and_warns_about_plain_http(tmp_path, monkeypatch):
    monkeypatch.setattr(phone, "local_addresses", lambda: LAN)
    monkeypatch.setattr(phone, "primary_address", lambda addrs: addrs[0])
    result, argv = _invoke(tmp_path, monkeypatch, "--phone", "--port", "8611")
    assert result.exit_code == 0, result.output
    key = phone.load_key(tmp_path / "mine-phone.key")
    assert f"http://192.168.1.23:8611/?key={key}" in result.output
    assert f"http://localhost:8611/?key={key}" in result.output
    assert "anyone on the same Wi-Fi can read the traffic" in result.output and "--https" in result.output
    assert "172.17.0.1" in result.output  # the other address, for a phone on that network
    assert "▀" in result.output or "▄" in result.output  # the QR code
    assert argv[argv.index("--server.address") + 1] == "0.0.0.0"
    assert "192.168.1.23" in argv and "--server.sslCertFile" not in argv
    # --new-key: the old link stops working
    result, _ = _invoke(tmp_path, monkeypatch, "--phone", "--port", "8611", "--new-key")
    assert key not in result.output and phone.load_key(tmp_path / "mine-phone.key") in result.output


def test_phone_mode_refuses_to_start_on_an_address_that_looks_public(tmp_path, monkeypatch):
    monkeypatch.setattr(phone, "local_addresses", lambda: [*LAN, ipaddress.IPv4Address("81.2.69.160")])
    result, argv = _invoke(tmp_path, monkeypatch, "--phone")
    assert result.exit_code != 0 and argv is None
    assert "phone mode refused" in result.output and "81.2.69.160" in result.output
    assert "Traceback" not in result.output
    result, argv = _invoke(tmp_path, monkeypatch, "--https")
    assert result.exit_code != 0 and argv is None and "--https and --new-key go with --phone" in result.output


def test_https_serves_with_the_certificate_made_for_this_computer(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "mine.sqlite"
    log = open(tmp_path / "app.log", "wb")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "taskerlog"), "--db", str(db), "app", "--phone",
                             "--https", "--port", str(port)], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            env={**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
                                 "TASKERLOG_DB": ""})  # the link is printed at once, even into a pipe
    try:
        cert = phone.cert_paths(db)[0]
        trust = ssl.create_default_context(cafile=None)
        deadline, status = time.time() + 60, None
        while time.time() < deadline and status is None:
            try:
                if cert.is_file():
                    trust = ssl.create_default_context(cafile=str(cert))
                with urllib.request.urlopen(f"https://127.0.0.1:{port}/_stcore/health", timeout=2,
                                            context=trust) as r:
                    status = r.status
            except (OSError, ssl.SSLError):
                time.sleep(0.3)
        out = (tmp_path / "app.log").read_text()
        assert status == 200, out  # the certificate names 127.0.0.1: verified, not waved through
        assert f"https://localhost:{port}/?key=" in out and "fingerprint" in out
        assert phone.fingerprint(cert) in out
        assert "anyone on the same Wi-Fi can read" not in out
        with pytest.raises(OSError):  # plain HTTP is not served beside it
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).read()
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
