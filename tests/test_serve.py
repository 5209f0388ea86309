"""`mkdocs serve` and `properdocs serve`: an edit is shown everywhere it matters, and what it did not change is
served as before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENGINES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from serve import fetch, free_port, wait_for  # noqa: E402


def served(url: str) -> str:
    """A page as served, without the reload script's build counters."""
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", fetch(url))


EDITED = "reports/2016/state-council-government-work-report"
UNCHANGED = "reports/2017/state-council-government-work-report"


@pytest.mark.parametrize("engine", ENGINES)
def test_an_edit_and_a_figure_change_show_and_untouched_pages_stay_the_same(archive_copy: Path, engine: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/archive/"
    server = subprocess.Popen([*ENGINES[engine], "serve", "-a", f"127.0.0.1:{port}"], cwd=archive_copy,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = archive_copy / "docs" / f"{EDITED}.md"
    figures = archive_copy / "data" / "figures" / "2016" / "state-council-government-work-report.yml"
    try:
        wait_for(base + UNCHANGED + "/", "2017年政府工作报告", limit=120)
        before = served(base + UNCHANGED + "/")
        report.write_text(report.read_text(encoding="utf-8") + "\n服务模式测试句。\n", encoding="utf-8")
        wait_for(base + EDITED + "/", "服务模式测试句", limit=120)
        # Its Markdown unchanged, the other report's page is not converted again (annals.engine.rendercache): same bytes.
        assert served(base + UNCHANGED + "/") == before

        report.write_text(report.read_text(encoding="utf-8").replace("城镇新增就业1312万人", "城镇新增就业1398万人"), encoding="utf-8")
        figures.write_text(figures.read_text(encoding="utf-8").replace(
            "value: 1312\n    quote: 城镇新增就业1312万人", "value: 1398\n    quote: 城镇新增就业1398万人"), encoding="utf-8")
        wait_for(base + "indicators/urban_new_jobs/", "2015年：结果 1398万人", limit=120)
        panel = fetch(base + EDITED + "/").split('class="annals-figures', 1)[1]
        assert "1398" in panel and "1312" not in panel.split("</table>", 1)[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
