"""`annals review`: an import reviewed on the local page, in a real browser, and what it may not do."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import browser
import pytest
from annals.cli import main as annals_main
from annals.review.edits import edit
from conftest import AXE_RUN, ROOT, run_build

XUPU = "reports/2021/xupu-edu-h1-midyear-summary.md"
FIGURES = "data/figures/2021/xupu-edu-h1-midyear-summary.yml"
# A report as an office sends it: 特岗教师今年共招聘了166名 is a figure the importer cannot place (招聘 between
# the name and the number), so the editor adds it by selecting its words.
REPORT = (
    "2021年溆浦教育工作上半年总结及下半年工作计划\n\n溆浦县教育局\n\n（2021年7月19日）\n\n一、上半年工作\n\n"
    "1.党建工作。培养积极分子50人，预备党员62人，党员转正29人。\n\n2.教师补充。特岗教师今年共招聘了166名，社会招聘教师282名。\n\n"
    "二、下半年工作打算\n\n确保继续实现“零溺亡”。\n"
)
MISSED = "特岗教师今年共招聘了166名"


@pytest.fixture
def imported(archive_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    (archive_copy / "docs" / XUPU).unlink()
    (archive_copy / FIGURES).unlink()
    source = tmp_path / "report.txt"
    source.write_text(REPORT, encoding="utf-8")
    assert annals_main(["--project", str(archive_copy), "import", str(source)]) == 0
    capsys.readouterr()
    return archive_copy


@contextmanager
def review(project: Path, *args: str) -> Iterator[str]:
    """`annals review` running on a free port; its address."""
    proc = subprocess.Popen([sys.executable, "-m", "annals.cli", "--project", str(project), "review", "--port", "0", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+\S*?(?=（)", line)
        assert m, line + (proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        yield m.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _page_state(url: str) -> dict:
    with urllib.request.urlopen(url) as response:
        page = response.read().decode("utf-8")
    state = re.search(r'<script type="application/json" id="annals-state">(.*?)</script>', page, re.S)
    assert state is not None, page[:200]
    return json.loads(state.group(1))


def _post(base: str, path: str, body: dict, token: str, host: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(base + path, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "X-Annals-Token": token} | ({"Host": host} if host else {}))
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _origin(url: str) -> str:
    origin = re.match(r"http://[^/]+", url)
    assert origin is not None, url
    return origin.group(0)


def test_an_import_reviewed_in_the_browser(imported: Path, tmp_path: Path) -> None:
    """Accept one candidate, correct another's period, add a missed figure by selecting its words, save:
    the check passes, the site shows the three, and the figures file changes in those entries only."""
    browser.require()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    before = (imported / FIGURES).read_text(encoding="utf-8")
    with review(imported) as url, browser.chromium(tmp_path / "chrome", 1366, 900) as driver:
        driver.get(url)
        driver.find_element(By.LINK_TEXT, XUPU).click()
        WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".card.figures")) == 5)
        assert [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#text mark")] == ["培养积极分子50人", "预备党员62人", "党员转正29人", "社会招聘教师282名", "确保继续实现“零溺亡”"]
        cards = driver.find_elements(By.CSS_SELECTOR, ".card")
        cards[0].find_element(By.XPATH, ".//button[text()='接受']").click()
        period = driver.find_elements(By.CSS_SELECTOR, ".card")[1].find_element(By.CSS_SELECTOR, "input[id$='-period']")
        period.clear()
        period.send_keys("2021-Q2")
        driver.find_elements(By.CSS_SELECTOR, ".card")[1].find_element(By.XPATH, ".//button[text()='接受']").click()
        # Select the missed figure's words in the text, as a mouse would.
        driver.execute_script("""
            const p = [...document.querySelectorAll('#text p')].find(p => p.textContent.includes(arguments[0]));
            const node = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.includes(arguments[0]));
            const at = node.textContent.indexOf(arguments[0]);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + arguments[0].length);
            const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(range);""", MISSED)
        button = driver.find_element(By.ID, "from-selection")
        WebDriverWait(driver, 5).until(lambda d: button.is_displayed())
        button.click()
        new = driver.find_elements(By.CSS_SELECTOR, ".card")[-1]
        assert new.find_element(By.CSS_SELECTOR, "input[id$='-quote']").get_attribute("value") == MISSED
        assert new.find_element(By.CSS_SELECTOR, "input[id$='-value']").get_attribute("value") == "166"
        Select(new.find_element(By.CSS_SELECTOR, "select[id$='-indicator']")).select_by_value("special_post_teachers_recruited")
        driver.find_element(By.ID, "check").click()
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "messages").text)
        assert "检查通过" in driver.find_element(By.ID, "messages").text, driver.find_element(By.ID, "messages").text
        driver.find_element(By.ID, "save").click()
        WebDriverWait(driver, 20).until(lambda d: "已保存" in d.find_element(By.ID, "messages").text)
        assert "接受 2 条，删除 0 条，新增 1 条" in driver.find_element(By.ID, "messages").text
        assert "待核对 4 条" in driver.find_element(By.ID, "counts").text  # two figures and the proposed promise (确保继续实现“零溺亡”)

    after = (imported / FIGURES).read_text(encoding="utf-8")
    expected = before.replace(
        '    quote: "培养积极分子50人"\n    review: 待核对\n', '    quote: "培养积极分子50人"\n', 1).replace(
        '    period: 2021-H1\n    value: 62\n    unit: "人"\n    quote: "预备党员62人"\n    review: 待核对\n',
        '    period: 2021-Q2\n    value: 62\n    unit: "人"\n    quote: "预备党员62人"\n', 1).replace(
        '    review: 待核对\n\n# 以下数字',
        f'    review: 待核对\n  - indicator: special_post_teachers_recruited\n    value: 166\n    unit: "名"\n    quote: "{MISSED}"\n\n# 以下数字', 1)
    assert after == expected  # the three entries, nothing else: comments, order and quoting as they were
    assert annals_main(["check", "--project", str(imported)]) == 0
    site = tmp_path / "site"
    assert run_build(imported, site).returncode == 0
    html = (site / XUPU.replace(".md", "/index.html")).read_text(encoding="utf-8")
    panel = html.split('class="annals-figures', 1)[1].split("</table>", 1)[0]
    assert "50人" in panel and "2021年第二季度" in panel and "166名" in panel
    assert "29人" not in panel  # still to review: not published


def test_a_change_the_build_would_refuse_is_shown_and_not_saved(imported: Path) -> None:
    with review(imported, f"docs/{XUPU}") as url:
        state = _page_state(url)
        figure = state["figures"][0]
        wrong = {"index": figure["index"], "action": "accept", "fields": figure["fields"] | {"value": "51"}}
        status, answer = _post(_origin(url), "/api/save", {"src": XUPU, "hash": state["hash"], "decisions": [wrong]}, state["token"])
    assert status == 200
    assert answer["problems"] == [f"{FIGURES}:9: value 51人 与引文中的数字不符（引文中为：50）；请按原文改正 value 或 quote"]
    assert "review: 待核对" in (imported / FIGURES).read_text(encoding="utf-8").split("培养积极分子50人", 1)[1][:30]


def test_a_file_changed_on_disk_is_never_overwritten(imported: Path) -> None:
    with review(imported, f"docs/{XUPU}") as url:
        state = _page_state(url)
        changed = (imported / FIGURES).read_text(encoding="utf-8") + "# 另一个编辑器加的一行\n"
        (imported / FIGURES).write_text(changed, encoding="utf-8")
        accept = {"index": state["figures"][0]["index"], "action": "accept", "fields": state["figures"][0]["fields"]}
        status, answer = _post(_origin(url), "/api/save", {"src": XUPU, "hash": state["hash"], "decisions": [accept]}, state["token"])
    assert status == 409 and "在打开本页之后被修改过" in answer["message"] and "未保存" in answer["message"]
    assert (imported / FIGURES).read_text(encoding="utf-8") == changed


def test_only_this_machine_and_this_page_can_change_anything(imported: Path) -> None:
    with review(imported, f"docs/{XUPU}") as url:
        state = _page_state(url)
        body = {"src": XUPU, "hash": state["hash"], "decisions": [{"index": 0, "action": "reject"}]}
        assert _post(_origin(url), "/api/save", body, "not-the-token")[0] == 403
        assert _post(_origin(url), "/api/save", body, state["token"], host="evil.example")[0] == 403  # DNS rebinding
        with urllib.request.urlopen(url) as response:
            assert "script-src" not in response.headers["Content-Security-Policy"] and "default-src 'self'" in response.headers["Content-Security-Policy"]
    text = (imported / FIGURES).read_text(encoding="utf-8")
    assert "培养积极分子50人" in text


def test_a_quote_that_looks_like_markup_stays_text_on_the_page(imported: Path, tmp_path: Path) -> None:
    browser.require()
    path = imported / FIGURES
    path.write_text(path.read_text(encoding="utf-8").replace('quote: "预备党员62人"', 'quote: "</script><img src=x onerror=alert(1)>"'), encoding="utf-8")
    with review(imported, f"docs/{XUPU}") as url, browser.chromium(tmp_path / "chrome", 1366, 900) as driver:
        driver.get(url)
        values = [e.get_attribute("value") for e in driver.find_elements("css selector", "input[id$='-quote']")]
        assert "</script><img src=x onerror=alert(1)>" in values
        assert not driver.find_elements("css selector", "#text img, #panel img")


def test_editing_keeps_every_figures_file_as_it_was() -> None:
    for path in sorted((ROOT / "data/figures").rglob("*.yml")) + sorted((ROOT / "tests/import_cases").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert edit(text, []) == text, path


def test_rejecting_the_last_candidate_keeps_the_unmatched_list() -> None:
    text = (ROOT / "tests/import_cases/seeds/2016-2016.yml").read_text(encoding="utf-8")
    last = text.count("  - indicator:") - 1
    after = edit(text, [{"index": last, "action": "reject"}])
    assert after.count("  - indicator:") == last
    assert after.split("figures:", 1)[1].split("\n\n# ", 1)[1] == text.split("figures:", 1)[1].split("\n\n# ", 1)[1]


def test_nothing_to_review_and_unknown_reports(archive_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert annals_main(["--project", str(archive_copy), "review", "--no-browser"]) == 0
    assert "没有待核对的候选数据" in capsys.readouterr().out
    assert annals_main(["--project", str(archive_copy), "review", "--no-browser", "docs/reports/2021/nope.md"]) == 2
    assert "docs/reports/2021/nope.md: 找不到这份报告" in capsys.readouterr().err


def test_the_page_has_no_serious_accessibility_violations(imported: Path, tmp_path: Path, axe_script: str) -> None:
    browser.require()
    with review(imported, f"docs/{XUPU}") as url, browser.chromium(tmp_path / "chrome", 1366, 900) as driver:
        found = {}
        for page in (url, _origin(url) + "/"):  # the printed address first: it lets this browser in
            driver.get(page)
            driver.execute_script(axe_script)
            if violations := driver.execute_async_script(AXE_RUN):
                found[page] = violations
    assert not found, found


def test_the_review_works_by_keyboard_alone(imported: Path, tmp_path: Path) -> None:
    """Every step with keys only: Enter on buttons, typing into fields and choosing in lists by typing."""
    browser.require()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    with review(imported, f"docs/{XUPU}") as url, browser.chromium(tmp_path / "chrome", 1366, 900) as driver:
        driver.get(url)
        WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".card.figures")) == 5)
        driver.find_elements(By.CSS_SELECTOR, ".card")[0].find_element(By.XPATH, ".//button[text()='接受']").send_keys(Keys.ENTER)
        driver.find_element(By.ID, "add").send_keys(Keys.ENTER)
        active = driver.switch_to.active_element  # the new card's first field has the focus
        assert active.get_attribute("id").endswith("-indicator")
        active.send_keys("招聘特岗教师")
        new = driver.find_elements(By.CSS_SELECTOR, ".card")[-1]
        for key, text in (("quote", MISSED), ("value", "166"), ("unit", "名")):
            new.find_element(By.CSS_SELECTOR, f"input[id$='-{key}']").send_keys(text)
        driver.find_element(By.ID, "save").send_keys(Keys.ENTER)
        WebDriverWait(driver, 20).until(lambda d: "已保存" in d.find_element(By.ID, "messages").text)
    text = (imported / FIGURES).read_text(encoding="utf-8")
    assert f'  - indicator: special_post_teachers_recruited\n    value: 166\n    unit: "名"\n    quote: "{MISSED}"\n' in text
    assert annals_main(["check", "--project", str(imported)]) == 0


# A 2019 report as it might arrive: its review answers two of 2018's promises, its plan makes two of its own.
GWR_2019 = (
    "一、2018年工作回顾\n\n精准脱贫有力推进，农村贫困人口减少1386万，易地扶贫搬迁280万人。棚户区住房改造620多万套。\n\n"
    "二、2019年政府工作任务\n\n加快改善乡村学校办学条件。抓紧解决城镇学校“大班额”问题。\n"
)


def test_promises_and_answers_are_reviewed_in_the_browser(archive_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Take the proposal for a 2018 promise in one action (its answer with the proposed status), say the report answers
    no other, correct and accept a proposed promise, save: the site shows the answer in the 2018 promise's timeline,
    the others as 未再提及 (looked for and decided), and the new promise on the 2019 page."""
    browser.require()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    for rel in ("docs/reports/2019/state-council-government-work-report.md", "data/figures/2019/state-council-government-work-report.yml"):
        (archive_copy / rel).unlink()
    source = tmp_path / "2019.txt"
    source.write_text(GWR_2019, encoding="utf-8")
    assert annals_main(["--project", str(archive_copy), "import", str(source), "--bureau", "state-council", "--kind", "政府工作报告",
                        "--year", "2019", "--period", "全年", "--title", "2019年政府工作报告"]) == 0
    capsys.readouterr()
    src = "reports/2019/state-council-government-work-report.md"
    with review(archive_copy, f"docs/{src}") as url, browser.chromium(tmp_path / "chrome", 1366, 900) as driver:
        driver.get(url)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".card.group"))
        # One group per earlier promise, its candidates best first, each with a proposed status and why.
        group = next(g for g in driver.find_elements(By.CSS_SELECTOR, ".card.group") if "减少农村贫困人口1000万以上，易地扶贫搬迁280万人" in g.text)
        first = group.find_elements(By.CSS_SELECTOR, ".card.evidence")[0]
        assert "农村贫困人口减少1386万" in first.find_element(By.CSS_SELECTOR, "input[id$='-quote']").get_attribute("value")
        assert "建议“已完成”：句中为 1386万，目标为 1000万" in first.text
        first.find_element(By.CSS_SELECTOR, "input[id$='-note']").send_keys("减少1386万，超过1000万")
        group.find_element(By.XPATH, ".//button[starts-with(text(), '按建议接受')]").click()  # one action
        promise = next(c for c in driver.find_elements(By.CSS_SELECTOR, ".card.commitments")
                       if c.find_element(By.CSS_SELECTOR, "input[id$='-quote']").get_attribute("value") == "抓紧解决城镇学校“大班额”问题。")
        label = promise.find_element(By.CSS_SELECTOR, "input[id$='-label']")
        label.clear()
        label.send_keys("解决城镇学校大班额问题")
        promise.find_element(By.CSS_SELECTOR, "input[id$='-topic']").send_keys("教育")
        promise.find_element(By.XPATH, ".//button[text()='接受']").click()
        driver.find_element(By.ID, "reject-evidence").click()  # every other earlier promise: not answered here
        assert all("reject" in c.get_attribute("class") for c in driver.find_elements(By.CSS_SELECTOR, ".card.evidence")
                   if "accept" not in c.get_attribute("class"))
        assert "待核对" not in " ".join(h.text for h in driver.find_elements(By.CSS_SELECTOR, ".card.group > h2 .status"))
        driver.find_element(By.ID, "save").click()
        WebDriverWait(driver, 20).until(lambda d: "已保存" in d.find_element(By.ID, "messages").text)
    assert annals_main(["check", "--project", str(archive_copy)]) == 0
    saved = (archive_copy / "data/figures/2019/state-council-government-work-report.yml").read_text(encoding="utf-8")
    evidence, searched = saved.split("\nevidence:", 1)[1].split("\nsearched:", 1)
    assert evidence.count("  - commitment:") == 1 and "    review:" not in evidence  # the one judged, the rest rejected
    assert searched.count("  - commitment:") == 6 and "    review:" not in searched  # each 2018 promise looked for, decided
    site = tmp_path / "site"
    assert run_build(archive_copy, site).returncode == 0
    earlier = (site / "reports/2018/state-council-government-work-report/index.html").read_text(encoding="utf-8")
    timeline = earlier.split('id="promise-c2"', 1)[1].split("</ol>", 1)[0]
    assert "2019年政府工作报告</a>：<span class=\"annals-status\">已完成</span>" in timeline and "减少1386万，超过1000万" in timeline
    assert earlier.count('annals-promise annals-promise-unmentioned"') == 5
    later = (site / "reports/2019/state-council-government-work-report/index.html").read_text(encoding="utf-8")
    assert later.count('<li class="annals-promise annals-promise-awaiting"') == 1 and "解决城镇学校大班额问题" in later
    assert "本报告回应了哪些承诺" in later and "减少农村贫困人口1000万以上" in later


# ------------------------------------------------------------------ hostile requests

def _raw(base: str, request: bytes) -> tuple[int, bytes, float]:
    """A request as bytes over a socket: (status, body, seconds to the answer)."""
    import socket
    import time
    from urllib.parse import urlsplit

    where = urlsplit(base)
    started = time.monotonic()
    with socket.create_connection((where.hostname, where.port), timeout=5) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body, time.monotonic() - started


def test_only_who_holds_the_printed_address_gets_the_page(imported: Path) -> None:
    """A local process that never saw the printed address gets no page and so no token (the page holds it)."""
    with review(imported, f"docs/{XUPU}") as url:
        base = _origin(url)
        assert "token=" in url
        for path in ("/", f"/review?src={XUPU}", f"/review?src={XUPU}&token=guess"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + path)
            assert refused.value.code == 403 and "annals review" in refused.value.read().decode("utf-8")
        with urllib.request.urlopen(url) as opened:
            cookie = opened.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "annals-state" in opened.read().decode("utf-8")
        request = urllib.request.Request(base + "/", headers={"Cookie": cookie.split(";")[0]})
        with urllib.request.urlopen(request) as index:  # the session's other pages, by the cookie
            assert XUPU in index.read().decode("utf-8")


@pytest.mark.parametrize(("name", "length", "body", "status"), [
    ("length not a number", b"abc", b"{}", 400),
    ("length negative", b"-5", b"{}", 400),
    ("decisions of numbers", None, b'{"src": "%s", "decisions": [1]}', 400),
    ("decisions of nulls", None, b'{"src": "%s", "decisions": [null]}', 400),
    ("an index past any float", None, b'{"src": "%s", "decisions": [{"action": "reject", "list": "figures", "index": 1e400}]}', 400),
    ("an index of text", None, b'{"src": "%s", "decisions": [{"action": "reject", "index": "0"}]}', 400),
    ("fields not text", None, b'{"src": "%s", "decisions": [{"action": "accept", "index": 0, "fields": {"value": [1]}}]}', 400),
    ("an unknown list", None, b'{"src": "%s", "decisions": [{"action": "accept", "list": "secrets", "index": 0}]}', 400),
    ("nested a million deep", None, b"[" * 1_000_000, 400),
    ("too many decisions", None, b'{"src": "%s", "decisions": [' + b",".join([b'{"action": "reject", "index": 0}'] * 20000) + b"]}", 400),
    ("larger than any page sends", b"99999999", b"{}", 413),
])
def test_a_malformed_request_gets_a_4xx_in_json_at_once(imported: Path, name: str, length: bytes | None, body: bytes, status: int) -> None:
    with review(imported, f"docs/{XUPU}") as url:
        base = _origin(url)
        token = _page_state(url)["token"]
        if b"%s" in body:
            body = body.replace(b"%s", XUPU.encode())
        host = base.removeprefix("http://").encode()
        request = (b"POST /api/save HTTP/1.1\r\nHost: " + host + b"\r\nContent-Type: application/json\r\nX-Annals-Token: "
                   + token.encode() + b"\r\nContent-Length: " + (length or str(len(body)).encode()) + b"\r\nConnection: close\r\n\r\n"
                   + (body if length is None else b""))
        got, answer, seconds = _raw(base, request)
        assert got == status and seconds < 1.5, (name, got, answer[:200], seconds)
        assert "message" in json.loads(answer), name


def test_a_report_through_a_symbolic_link_is_not_served(imported: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text((imported / "docs" / XUPU).read_text(encoding="utf-8"), encoding="utf-8")
    linked = imported / "docs/reports/2021/linked.md"
    linked.symlink_to(outside)
    with review(imported, f"docs/{XUPU}") as url:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(_origin(url) + "/review?src=reports/2021/linked.md&token=" + url.split("token=")[1])
        assert refused.value.code == 404
