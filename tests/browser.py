"""A built site served on localhost and a headless Chromium to look at it.

Used by the browser tests and by bench/search.py. Chromium and ChromeDriver are
Debian's (`chromium`, `chromium-driver`); nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# Debian's Chromium; elsewhere (a GitHub runner) the Chrome the machine has.
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), "/usr/bin/chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--window-size=1280,900"]
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")


def available() -> bool:
    return os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)


def require() -> None:
    """Skip a browser test where there is no browser; in CI, fail: a skipped check there would hide."""
    import pytest

    if not available():
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs chromium and chromium-driver (see README)")


class _Handler(SimpleHTTPRequestHandler):
    compress = False
    sent: list[tuple[str, int]]  # (path, bytes on the wire) of every response, shared by the server's threads

    def end_headers(self) -> None:
        self.sent.append((self.path, sum(len(h) for h in getattr(self, "_headers_buffer", [])) + 2))
        super().end_headers()

    def copyfile(self, source, outputfile):
        data = source.read()
        self.sent.append((self.path, len(data)))
        outputfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def send_head(self):
        # Like a static host with gzip on: text types compressed on the fly when the browser accepts them.
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the URL with a slash
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepts and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class Served(str):
    """The base URL of a served site, and what the server has sent since the last look."""

    sent: list[tuple[str, int]]

    def take(self) -> dict[str, int]:
        """Bytes sent per path since the last call (headers included), then forget them."""
        out: dict[str, int] = {}
        while self.sent:
            path, n = self.sent.pop(0)
            out[path] = out.get(path, 0) + n
        return out


@contextmanager
def serve(root: Path, compress: bool = False) -> Iterator[Served]:
    """Serve a directory on a free localhost port; yields its base URL."""
    sent: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"compress": compress, "sent": sent})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = Served(f"http://127.0.0.1:{server.server_address[1]}/")
    base.sent = sent
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium(user_data: Path, width: int = 1280, height: int = 900, log_requests: bool = False, scripts: bool = True) -> Iterator[Any]:
    """A headless Chromium driven by Selenium; with ``log_requests``, ``driver.get_log("performance")``
    holds every request the pages made (DevTools' Network events), failed ones included. Without ``scripts``
    the pages run none of their own (a reader who turned JavaScript off); the test's own still run."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data}")
    options.add_argument(f"--window-size={width},{height}")
    if log_requests:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    if not scripts:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(60)
    if width < 500:  # headless Chromium will not make a window narrower than 500 px: a phone's viewport is emulated
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    try:
        yield driver
    finally:
        driver.quit()


def search_queries() -> list[str]:
    """The queries of tests/search_queries.txt; ``\\u200b`` there stands for the invisible character."""
    lines = (Path(__file__).with_name("search_queries.txt")).read_text(encoding="utf-8").splitlines()
    return [line.encode("ascii", "backslashreplace").decode("unicode_escape")
            for line in lines if line.strip() and not line.startswith("#")]


SEARCH_JS = """
const [query, allPages, done] = arguments;
const form = document.querySelector('.annals-search-form');
const list = document.querySelector('.annals-search-results');
const more = document.querySelector('.annals-search-more');
const idle = async () => { while (list.getAttribute('aria-busy') !== 'false') await new Promise(r => setTimeout(r, 5)); };
(async () => {
  await idle();
  const started = performance.now();
  form.elements.q.value = query;
  list.setAttribute('aria-busy', 'true');
  form.requestSubmit();
  await idle();
  const ms = performance.now() - started;
  while (allPages && !more.hidden) { more.click(); await idle(); }
  const links = [...document.querySelectorAll('.annals-hit__title')].map(a => a.getAttribute('href'));
  done({status: document.querySelector('.annals-search-status').textContent, links, ms});
})().catch(e => done({error: String(e)}));
"""


def search(driver: Any, query: str, all_pages: bool = True) -> dict[str, Any]:
    """Type a query into the search page's form; the status line, result links and time to the first results."""
    return driver.execute_async_script(SEARCH_JS, query, all_pages)
