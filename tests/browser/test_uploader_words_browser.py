"""Streamlit's own words on a file uploader (the button, the size limit, the overlay while a
file is dragged over it) in the logbook's language (issue 25; streamlit issue #13500: its API
cannot change them, _shared.file_uploader puts the translated words in their place)."""

from __future__ import annotations

import pytest

from taskerlog.store import Store

from .conftest import DESKTOP, Server, open_page, settle, shot

pytestmark = pytest.mark.browser

ZONE = '[data-testid="stFileUploaderDropzone"]'
# what the worker sees: a text hidden by the shim is neither displayed nor given a size
SEEN = """(zone) => {
  const displayed = (el) => { for (let e = el; e && e !== zone.parentElement; e = e.parentElement) {
      if (getComputedStyle(e).display === 'none') return false; }
    return true; };
  const shown = (el) => displayed(el) && getComputedStyle(el).fontSize !== '0px';
  const out = [];
  const walk = (el) => {
    for (const n of el.childNodes) {
      if (n.nodeType === 3 && n.textContent.trim() && shown(n.parentElement)) out.push(n.textContent.trim());
      if (n.nodeType === 1) {
        if (n.dataset.testid === 'stIconMaterial') continue;  // a ligature icon ("upload"): not read as a word
        walk(n);
        const after = getComputedStyle(n, '::after');
        if (after.content.startsWith('"') && after.fontSize !== '0px' && displayed(n)) out.push(JSON.parse(after.content));
      }
    }
  };
  walk(zone);
  return out;
}"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    started = {}
    for language in ("en", "es"):
        folder = tmp_path_factory.mktemp(f"uploader-{language}")
        db = folder / "logbook.sqlite"
        with Store(db) as s:
            s.set_settings(s.settings().model_copy(update={"language": language}))
        started[language] = Server(db, folder / "streamlit.log", wait=False)
    for srv in started.values():
        srv.wait()
    yield started
    for srv in started.values():
        srv.stop()


def _seen(browser, srv, name: str, drag: bool = False) -> str:
    with open_page(browser, viewport=DESKTOP) as page:
        page.goto(f"{srv.url}/import_export")
        settle(page)
        zone = page.locator(ZONE).first
        if drag:  # a file dragged over the uploader: Streamlit's overlay
            files = page.evaluate_handle("() => { const d = new DataTransfer(); "
                                         "d.items.add(new File(['x'], 'work.csv', {type: 'text/csv'})); return d; }")
            zone.dispatch_event("dragenter", {"dataTransfer": files})
            page.wait_for_timeout(300)
        shot(page, name)
        return " ".join(zone.evaluate(SEEN))


def test_the_import_page_uploader_speaks_spanish(browser, servers):
    english = _seen(browser, servers["en"], "uploader-en")
    assert english == "Upload 50MB per file • ZIP, CSV"  # Streamlit's words, untouched in English
    spanish = _seen(browser, servers["es"], "uploader-es")
    assert spanish == "Subir 50MB por archivo • ZIP, CSV"
    dragged = _seen(browser, servers["es"], "uploader-es-drag", drag=True)
    assert "Arrastra y suelta archivos aquí" in dragged
    assert not any(w in dragged for w in ("Upload", "per file", "Drag and drop"))
