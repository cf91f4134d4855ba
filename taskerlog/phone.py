"""Phone mode: the app on this computer's local network too, for the worker's own phone, behind a key.

Everything here is plain Python (no Streamlit): the key file, the constant-time check with
its slow-down and lock-out, which addresses this computer has and whether any looks
public, the Host names the server accepts, the pairing link and its QR code, and the
self-signed certificate for HTTPS. ``taskerlog app --phone`` (``commands/app_cmd.py``) and
the app's key gate (``app_pages/_gate.py``) and Settings page call it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import io
import os
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .store import partial

#: 24 random bytes: 192 bits, 32 characters in the link
KEY_BYTES = 24
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")
#: at least 22 URL-safe characters: 128 bits or more, and safe in a link, a cookie and a page
KEY_FORMAT = re.compile(r"[A-Za-z0-9_-]{22,}")


# -- the key -------------------------------------------------------------------------------------
def key_path(db_path: Path) -> Path:
    """The key file beside the worker's own logbook (``logbook-phone.key``, mode 0600)."""
    return db_path.with_name(f"{db_path.stem}-phone.key")


def new_key(path: Path) -> str:
    """Make a new random key and store it (every paired phone then needs the new link)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    partial.write_file(path, key.encode("ascii") + b"\n")
    return key


def load_key(path: Path) -> str:
    """The stored key, made on first use; a key file others could read is made private again."""
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return new_key(path)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    if not KEY_FORMAT.fullmatch(key):  # not a key this module made (too short, or not URL-safe)
        return new_key(path)
    return key


def key_matches(given: str | None, key: str) -> bool:
    """Compare in constant time (the time taken says nothing about how much of the key was right)."""
    if not given:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), key.encode("utf-8"))


class Throttle:
    """Wrong keys, counted for the whole server (a new browser session starts no new count).

    The first ``free`` wrong tries in a row answer at once; each later one waits ``delay``
    seconds before answering; after ``lock_after`` wrong tries in a row no key is taken at
    all, the right one included, for ``lock_for`` seconds. A right key ends the run of
    wrong ones; wrong tries older than ``lock_for`` are forgotten.
    """

    def __init__(self, free: int = 3, delay: float = 1.0, lock_after: int = 10, lock_for: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic):
        self.free, self.delay, self.lock_after, self.lock_for, self.clock = free, delay, lock_after, lock_for, clock
        self._wrong: list[float] = []
        self._locked_until = 0.0
        self._lock = threading.Lock()

    def locked_for(self) -> float:
        """Seconds until a key is taken again (0: now)."""
        with self._lock:
            return max(0.0, self._locked_until - self.clock())

    def wrong(self) -> float:
        """Count a wrong try; return how long to wait before answering it."""
        with self._lock:
            now = self.clock()
            self._wrong = [t for t in self._wrong if now - t < self.lock_for] + [now]
            if len(self._wrong) >= self.lock_after:
                self._locked_until = now + self.lock_for
            return self.delay if len(self._wrong) > self.free else 0.0

    def right(self) -> None:
        with self._lock:
            self._wrong.clear()


#: the one throttle of this server process (module state survives Streamlit's reruns)
THROTTLE = Throttle()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str = ""


def try_key(given: str | None, key: str, throttle: Throttle = THROTTLE,
            sleep: Callable[[float], None] = time.sleep) -> Verdict:
    """Check a key someone typed or brought in a link: slowed down, then locked, when wrong."""
    locked = throttle.locked_for()
    if locked:
        from .problems import fix, nsay
        return Verdict(False, nsay("phone.locked", "Too many wrong keys: no key is taken for {n} more minute, the "
                                   "right key included; {fix} on the computer ends the wait.",
                                   "Too many wrong keys: no key is taken for {n} more minutes, the right key "
                                   "included; {fix} on the computer ends the wait.",
                                   n=max(1, round(locked / 60)), fix=fix("restart_app")))
    if key_matches(given, key):
        throttle.right()
        return Verdict(True)
    sleep(throttle.wrong())
    if throttle.locked_for():
        return Verdict(False, "Too many wrong keys: no key is taken for the next "
                              f"{round(throttle.lock_for / 60)} minutes, the right key included.")
    from .problems import fix, say
    return Verdict(False, say("phone.wrong_key", "That is not the key. Open the pairing link from the computer "
                              "({fix}).", fix=fix("pairing_link")))


# -- where the server listens, and who may talk to it --------------------------------------------
def listens_beyond_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` can be reached from other machines: then the key
    gate is on. An empty address means every interface."""
    if not address:
        return True
    if address == "localhost":
        return False
    try:
        return not ipaddress.ip_address(address).is_loopback
    except ValueError:
        return True


def local_addresses() -> list[ipaddress.IPv4Address]:
    """This computer's IPv4 addresses, loopback left out (the server binds 0.0.0.0: IPv4 only)."""
    import ifaddr

    found: list[ipaddress.IPv4Address] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str):
                addr = ipaddress.IPv4Address(ip.ip)
                if not addr.is_loopback and addr not in found:
                    found.append(addr)
    return found


def looks_public(addr: ipaddress.IPv4Address) -> bool:
    """An address other machines beyond the local network may reach: not private, loopback or
    link-local (carrier-grade NAT, 100.64.0.0/10, counts as public: the carrier's other
    customers share it)."""
    return not (addr.is_private or addr.is_loopback or addr.is_link_local)


def refusal(addrs: Iterable[ipaddress.IPv4Address]) -> str | None:
    """Why phone mode must not start here, or None."""
    public = [str(a) for a in addrs if looks_public(a)]
    if not public:
        return None
    return (f"this computer has the address {', '.join(public)}, which looks reachable from the internet, "
            "not only from your Wi-Fi: phone mode would open your logbook to it. Use phone mode on a home "
            "or office Wi-Fi behind a router (addresses such as 192.168.x.x or 10.x.x.x).")


def primary_address(addrs: list[ipaddress.IPv4Address]) -> ipaddress.IPv4Address | None:
    """The address other machines on the local network most likely reach this one at: the one
    the default route leaves from (a UDP socket is pointed there; nothing is sent), else the
    first private one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            out = ipaddress.IPv4Address(s.getsockname()[0])
        if out in addrs:
            return out
    except OSError:
        pass
    usable = [a for a in addrs if not a.is_link_local]
    return (usable or addrs or [None])[0]


def host_names() -> list[str]:
    """This computer's own names (``name``, ``name.local`` as phones find it by mDNS, the FQDN)."""
    name = socket.gethostname().lower().rstrip(".")
    names = [name, name.split(".")[0] + ".local"]
    try:
        fqdn = socket.getfqdn().lower().rstrip(".")
    except OSError:
        fqdn = name
    return list(dict.fromkeys(n for n in [*names, fqdn] if n and n != "localhost"))


def allowed_hosts(addrs: Iterable[ipaddress.IPv4Address], names: Iterable[str]) -> list[str]:
    """The Host headers the server accepts in phone mode: this computer's addresses and names only."""
    return list(dict.fromkeys([*LOOPBACK_HOSTS, *(str(a) for a in addrs), *names]))


def link(host: str, port: int, key: str, https: bool) -> str:
    """The pairing link: open it once on the phone and the key is taken."""
    return f"{'https' if https else 'http'}://{host}:{port}/?key={key}"


# -- QR code -------------------------------------------------------------------------------------
def qr_text(text: str) -> str:
    """The QR code of ``text`` for a terminal (half blocks, two rows per line)."""
    import segno

    out = io.StringIO()
    segno.make(text, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def qr_png(text: str, scale: int = 6) -> bytes:
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=3)
    return buf.getvalue()


# -- HTTPS ---------------------------------------------------------------------------------------
def cert_paths(db_path: Path) -> tuple[Path, Path]:
    """The certificate and its private key beside the logbook (the private key 0600)."""
    return (db_path.with_name(f"{db_path.stem}-phone-cert.pem"),
            db_path.with_name(f"{db_path.stem}-phone-cert-key.pem"))


def _sans(names: Iterable[str], addrs: Iterable[ipaddress.IPv4Address]) -> tuple[set[str], set[str]]:
    return ({"localhost", *names}, {"127.0.0.1", *(str(a) for a in addrs)})


def cert_covers(cert_file: Path, names: Iterable[str], addrs: Iterable[ipaddress.IPv4Address],
                now: dt.datetime) -> bool:
    """Whether the stored certificate names every current name and address and is valid a week more."""
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    want_dns, want_ip = _sans(names, addrs)
    has_dns = set(san.get_values_for_type(x509.DNSName))
    has_ip = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return want_dns <= has_dns and want_ip <= has_ip and cert.not_valid_after_utc > now + dt.timedelta(days=7)


def make_cert(cert_file: Path, key_file: Path, names: Iterable[str], addrs: Iterable[ipaddress.IPv4Address],
              now: dt.datetime) -> None:
    """A self-signed certificate for this computer: its names and addresses as SANs, valid 397 days."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    dns, ips = _sans(names, addrs)
    private = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"taskerlog on {socket.gethostname()}"[:64])])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=397))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in sorted(dns)]
                + [x509.IPAddress(ipaddress.ip_address(a)) for a in sorted(ips)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(private, hashes.SHA256()))
    partial.write_file(key_file, private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    partial.write_file(cert_file, cert.public_bytes(serialization.Encoding.PEM))


def fingerprint(cert_file: Path) -> str:
    """The certificate's SHA-256 fingerprint, as a phone's certificate details show it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    digest = x509.load_pem_x509_certificate(cert_file.read_bytes()).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def ensure_cert(db_path: Path, names: list[str], addrs: list[ipaddress.IPv4Address],
                now: dt.datetime) -> tuple[Path, Path, bool]:
    """The certificate files for this computer, made anew when the addresses changed; and
    whether they were just made (the phone then asks again)."""
    cert_file, key_file = cert_paths(db_path)
    if key_file.is_file() and cert_covers(cert_file, names, addrs, now):
        return cert_file, key_file, False
    make_cert(cert_file, key_file, names, addrs, now)
    return cert_file, key_file, True
