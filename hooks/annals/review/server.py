"""The local web page of ``annals review``: 127.0.0.1 only, one archive, the functions of
:mod:`annals.review.edits` behind four routes.

Only this machine can reach it, and only the person holding the printed address can use it: the server
listens on the loopback address, answers only requests whose Host is that address (a page elsewhere cannot
rebind a name to it), serves its pages only to a browser that opened the printed address (a secret in it, as
Jupyter does; kept as a same-site cookie), and takes a change only with the session's token, which only those
pages hold. A malformed request gets a 4xx answer in JSON, its body bounded before it is read. Every response
forbids scripts and styles but its own (Content-Security-Policy), so a report's words shown on it stay words.
"""

from __future__ import annotations

import html
import json
import secrets
import sys
import threading
import webbrowser
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from annals.data import atomic
from annals.data.errors import DataError
from annals.data.routes import is_report_src
from annals.review.edits import Conflict, check_edit, edit, figures_file, pending, save, state

_ASSETS = files("annals") / "templates" / "review"
_STATIC = {"/static/review.js": "text/javascript; charset=utf-8", "/static/review.css": "text/css; charset=utf-8"}
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_MAX_BODY = 4 * 2**20
_MAX_DECISIONS = 5000  # more than a report's candidates of every kind; a request past it is not a page's
_COOKIE = "annals_review"
_ACTIONS = {"accept", "reject", "add"}


def _json_in_html(data: Any) -> str:
    """JSON inside <script type="application/json">: no "</script>" or "<!--" can end it early."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Review:
    """One archive's review session: its folders, the reports offered and the page's token."""

    def __init__(self, project: Path, docs: Path, srcs: list[str]) -> None:
        self.project, self.docs = project, docs
        self.srcs = srcs
        self.token = secrets.token_urlsafe(24)
        self.hosts: set[str] = set()

    def known(self, src: str) -> bool:
        """Whether ``src`` names one of the archive's reports (and nothing outside docs/reports/, nor through a
        symbolic link: the build refuses those too)."""
        if not is_report_src(src) or ".." in src.split("/"):
            return False
        path, data = self.docs / src, figures_file(self.project, src)
        linked = any(p.is_symlink() for p in (path, data, *path.parents, *data.parents) if p.is_relative_to(self.project))
        return path.is_file() and not linked

    def page(self, src: str) -> str:
        data = state(self.project, self.docs, src) | {"token": self.token}
        template = (_ASSETS / "page.html").read_text(encoding="utf-8")
        return template.format(title=html.escape(data["title"]), figures_path=html.escape(data["figures_path"]), state=_json_in_html(data))

    def index(self) -> str:
        offered = self.srcs or pending(self.project, self.docs)
        items = "".join(f'<li><a href="/review?src={quote(src)}">{html.escape(src)}</a></li>' for src in offered)
        template = (_ASSETS / "index.html").read_text(encoding="utf-8")
        return template.format(items=items or "<li>没有待核对的候选数据</li>")

    def decide(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        src, base, decisions = str(body.get("src", "")), str(body.get("hash", "")), body.get("decisions", [])
        if not self.known(src):
            return 404, {"message": f"没有这份报告：{src}"}
        if wrong := _malformed(decisions):
            return 400, {"message": f"请求格式不对：{wrong}"}
        file = figures_file(self.project, src)
        current = file.read_text(encoding="utf-8") if file.exists() else ""
        try:
            new_text = edit(current, decisions)
        except (ValueError, KeyError, TypeError) as exc:
            return 400, {"message": f"无法应用这些改动：{exc}"}
        except DataError as exc:
            return 200, {"problems": [str(p) for p in exc.problems], "warnings": []}
        problems, warnings = check_edit(self.project, self.docs, src, new_text)
        if path == "/api/check" or problems:
            return 200, {"problems": problems, "warnings": warnings}
        try:
            digest = save(self.project, src, base, new_text)
        except Conflict as exc:
            return 409, {"message": f"{exc} 在打开本页之后被修改过（另一个编辑器、导入或 git），未保存，以免覆盖那些改动；请重新加载本页再核对"}
        except atomic.Busy as exc:
            return 409, {"message": f"另一个导入正在进行：{exc}；未保存，请稍后再按保存"}
        counts = {a: sum(1 for d in decisions if d.get("action") == a) for a in ("accept", "reject", "add")}
        message = f"已保存 {file.relative_to(self.project)}：接受 {counts['accept']} 条，删除 {counts['reject']} 条，新增 {counts['add']} 条"
        return 200, {"problems": [], "warnings": warnings, "message": message, "hash": digest,
                     "state": state(self.project, self.docs, src) | {"token": self.token}}


def _malformed(decisions: object) -> str:
    """What is wrong with a request's decisions, or '': a list of mappings, each an action on an entry by index."""
    if not isinstance(decisions, list):
        return "decisions 应为列表"
    if len(decisions) > _MAX_DECISIONS:
        return f"一次最多 {_MAX_DECISIONS} 项改动"
    for n, d in enumerate(decisions):
        if not isinstance(d, dict) or d.get("action") not in _ACTIONS:
            return f"第 {n + 1} 项不是一项改动"
        index = d.get("index", 0)
        if d["action"] != "add" and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 10**6):
            return f"第 {n + 1} 项的 index 不是条目编号"
        fields = d.get("fields", {})
        if not isinstance(fields, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
            return f"第 {n + 1} 项的 fields 应为文字"
    return ""


def _handler(review: Review) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "annals-review"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # the terminal shows what the editor needs, not every request

        def _send(self, status: int, body: str, kind: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in _HEADERS.items():
                self.send_header(name, value)
            if cookie := getattr(self, "_cookie", ""):
                self.send_header("Set-Cookie", cookie)
            self.end_headers()
            self.wfile.write(data)

        def _ours(self) -> bool:
            if self.headers.get("Host", "") not in review.hosts:
                self._send(403, json.dumps({"message": "forbidden"}), "application/json")
                return False
            return True

        def _holder(self, query: dict[str, list[str]]) -> bool:
            """Whether the request comes from who opened the printed address: its secret, or the cookie it set."""
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            given = query.get("token", [""])[0] or (cookie[_COOKIE].value if _COOKIE in cookie else "")
            return secrets.compare_digest(given, review.token)

        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            if not self._ours():
                return
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path in ("/", "/review") and not self._holder(query):
                self._send(403, "请打开 annals review 在终端里显示的地址（含 token）；核对页面只给打开了那个地址的浏览器",
                           "text/plain; charset=utf-8")
                return
            if "token" in query:  # the printed address: remembered by the browser for the session's other pages
                self._cookie = f"{_COOKIE}={review.token}; HttpOnly; SameSite=Strict; Path=/"
            try:
                if url.path == "/":
                    self._send(200, review.index(), "text/html; charset=utf-8")
                elif url.path == "/review":
                    src = parse_qs(url.query).get("src", [""])[0]
                    if not review.known(src):
                        self._send(404, "没有这份报告", "text/plain; charset=utf-8")
                    else:
                        self._send(200, review.page(src), "text/html; charset=utf-8")
                elif url.path == "/favicon.ico":
                    self._send(204, "", "text/plain; charset=utf-8")
                elif url.path in _STATIC:
                    self._send(200, (_ASSETS / url.path.rsplit("/", 1)[1]).read_text(encoding="utf-8"), _STATIC[url.path])
                else:
                    self._send(404, "not found", "text/plain; charset=utf-8")
            except DataError as exc:
                self._send(500, "\n".join(str(p) for p in exc.problems), "text/plain; charset=utf-8")

        def do_POST(self) -> None:  # noqa: N802
            if not self._ours():
                return
            if self.path not in ("/api/check", "/api/save"):
                self._send(404, "not found", "text/plain; charset=utf-8")
                return
            if not secrets.compare_digest(self.headers.get("X-Annals-Token", ""), review.token) or \
                    not self.headers.get("Content-Type", "").startswith("application/json"):
                self._send(403, json.dumps({"message": "forbidden"}), "application/json")
                return
            raw = self.headers.get("Content-Length") or "0"
            if not raw.isascii() or not raw.isdigit():
                self._send(400, json.dumps({"message": "Content-Length 不是数字"}, ensure_ascii=False), "application/json")
                return
            if int(raw) > _MAX_BODY:  # told before a byte of it is read
                self._send(413, json.dumps({"message": "请求太大"}, ensure_ascii=False), "application/json")
                return
            try:
                body = json.loads(self.rfile.read(int(raw)) or b"{}")
            except (ValueError, RecursionError):
                self._send(400, json.dumps({"message": "请求格式不对"}, ensure_ascii=False), "application/json")
                return
            try:
                status, answer = review.decide(self.path, body if isinstance(body, dict) else {})
            except Exception as exc:  # noqa: BLE001 - whatever it is, the page gets an answer and the terminal one line
                print(f"核对页面的一个请求出错：{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                status, answer = 500, {"message": "服务器内部错误，改动没有保存；请重新加载页面"}
            self._send(status, json.dumps(answer, ensure_ascii=False), "application/json; charset=utf-8")

    return Handler


def serve(project: Path, docs: Path, srcs: list[str], port: int, open_browser: bool) -> None:
    """Serve until Ctrl-C, printing the address (the browser opened on it when asked and possible)."""
    review = Review(project, docs, srcs)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(review))
    bound = server.server_address[1]
    review.hosts = {f"127.0.0.1:{bound}", f"localhost:{bound}"}
    first = f"/review?src={quote(srcs[0])}&token={review.token}" if len(srcs) == 1 else f"/?token={review.token}"
    url = f"http://127.0.0.1:{bound}{first}"
    print(f"核对页面：{url}（只有本机可以访问；按 Ctrl-C 结束）", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
