"""Settings → Your phone: the switch for phone mode, the pairing link and its QR code, a new key."""

from __future__ import annotations

import streamlit as st

from app_pages import _gate
from taskerlog import phone
from taskerlog.commands import app_cmd
from taskerlog.i18n import _


def _switch(on: bool) -> None:
    """Phone mode on or off: this app is started again in the other mode (the page reconnects)."""
    with st.form("phone_switch"):
        want = st.toggle(_("Open this app to my phone on the same Wi-Fi"), value=on)
        https = st.checkbox(_("Encrypt the traffic (HTTPS, recommended on a Wi-Fi you share)"),
                            value=bool(st.get_option("server.sslCertFile")))
        apply = st.form_submit_button(_("Apply (restarts the app)"))
    if not apply:
        return
    if want == on and https == bool(st.get_option("server.sslCertFile")):
        st.info(_("Nothing to change."))
        return
    argv = app_cmd.restart_argv(want, https)
    if argv is None:
        command = "taskerlog app" + (" --phone" if want else "") + (" --https" if want and https else "")
        st.warning(_("This app was not started by `taskerlog app`, so it cannot start itself again. Stop it and "
                     "run `{command}`.").format(command=command))
        return
    if want:
        addrs = phone.local_addresses()
        why = phone.refusal(addrs) or (None if addrs else _("this computer is on no network: connect it to your "
                                                            "Wi-Fi first."))
        if why:
            st.error(_("Phone mode refused: {why}").format(why=why))
            return
    if want:  # this browser keeps its way in: it gets the key before the app restarts behind the gate
        _gate.admit(_gate.current_key())
        _gate.remember()
    st.success(_("Restarting in phone mode… this page comes back by itself in a few seconds.") if want
               else _("Restarting on this computer only… this page comes back by itself in a few seconds."))
    _reload_when_back("https:" if want and https else "http:")
    app_cmd.restart_soon(argv)


def _reload_when_back(scheme: str) -> None:
    """Open this page again once the restarted server answers (Streamlit's own reconnection gives
    up while the new one is still loading). A change between http and https cannot be polled
    (the browser has not accepted the new certificate yet): the page just goes there."""
    st.html("""<script>
    const target = "%s//" + location.host + location.pathname;
    if (!target.startsWith(location.protocol)) { setTimeout(() => location.assign(target), 8000); }
    else { setTimeout(function poll() {
        fetch("/_stcore/health", {cache: "no-store"})
          .then(r => r.ok ? location.assign(target) : setTimeout(poll, 1000))
          .catch(() => setTimeout(poll, 1000));
    }, 3000); }
    </script>""" % scheme, unsafe_allow_javascript=True)


def _pairing(key: str) -> None:
    addrs = phone.local_addresses()
    where = phone.primary_address(addrs)
    https = bool(st.get_option("server.sslCertFile"))
    if where is None:
        st.warning(_("This computer has no network address now: connect it to the Wi-Fi your phone uses."))
        return
    link = phone.link(str(where), int(st.get_option("server.port")), key, https)
    st.write(_("1. Connect your phone to the same Wi-Fi as this computer.  \n"
               "2. Scan this code with the phone's camera, or type the link into its browser. It opens once with "
               "the key; the phone's browser then remembers it."))
    c1, c2 = st.columns([1, 2])
    c1.image(phone.qr_png(link), caption=_("Pairing link"), width=220)
    c2.code(link, language=None, wrap_lines=True)
    others = [str(a) for a in addrs if a != where]
    if others:
        c2.caption(_("This computer's other addresses, for a phone on another network: {addresses}").format(
            addresses=", ".join(others)))
    if https:
        c2.caption(_("HTTPS: the first time, the phone warns that the certificate is not from a company it knows. "
                     "Check its SHA-256 fingerprint against what `taskerlog app` printed, then go on."))
    else:
        c2.warning(_("Without HTTPS, anyone on the same Wi-Fi can read the traffic between your phone and this "
                     "computer, the key included. On a Wi-Fi you share, tick HTTPS below."))
    c2.caption(_("Keep the link to yourself: it opens your logbook."))
    if st.button(_("Replace the key"), key="phone_new_key",
                 help=_("Every paired phone then needs the new link: use it when a phone was lost or the link "
                        "shared")):
        new = phone.new_key(_gate.key_file())
        _gate.admit(new)
        st.session_state["phone_key_replaced"] = True
        st.rerun()
    if st.session_state.pop("phone_key_replaced", False):
        st.success(_("The key is new: every phone paired before needs this link again."))


def section() -> None:
    st.subheader(_("Your phone"))
    on = _gate.phone_mode()
    if on:
        st.write(_("This app is open to your phone on the local network: only browsers that bring the key see "
                   "anything."))
        _pairing(_gate.current_key())
    else:
        st.write(_("Reach this app from your own phone on the same Wi-Fi: the app then listens on this computer's "
                   "local network too, and asks every browser for a key that only the pairing link carries."))
    _switch(on)
