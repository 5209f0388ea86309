"""The archive's options (extra: annals: in mkdocs.yml): declared defaults, set values used, wrong ones refused."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from annals.data.settings import read_settings
from conftest import ROOT, page, run_build


def _set(project: Path, block: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra:\n", "extra:\n  annals:\n" + block, 1), encoding="utf-8")


def test_a_setting_changes_what_the_site_shows(archive_copy: Path, tmp_path: Path) -> None:
    _set(archive_copy, "    feed_entries: 3\n    archive_per_year: 1\n")
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8").count("<entry>") == 3
    by_year = page(tmp_path / "site", "reports").split('id="by-bureau"')[0]
    years = len(re.findall(r'<h3 id="year-', by_year))
    assert years > 3 and by_year.count('class="annals-report-item"') == years  # one report a year, the newest
    assert 'class="annals-more"' in by_year


def test_a_wrong_or_unknown_setting_stops_the_build_saying_where(archive_copy: Path, tmp_path: Path) -> None:
    _set(archive_copy, "    feed_entries: 0\n    feed_entrys: 5\n")
    lines = (archive_copy / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    result = run_build(archive_copy, tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"mkdocs.yml:{lines.index('    feed_entries: 0') + 1}: extra.annals.feed_entries: 应为正整数，如 50" in result.stderr
    assert f"mkdocs.yml:{lines.index('    feed_entrys: 5') + 1}: extra.annals.feed_entrys: 没有这个选项；可用的选项：" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_documented_defaults_are_the_declared_ones() -> None:
    """README's settings block and mkdocs.yml's comment list every option with the default Settings declares."""
    declared = dataclasses.asdict(read_settings({})[0])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\nextra:\n  annals:\n(.*?)```", readme, re.S)
    assert block is not None
    assert {m[1]: int(m[2]) for m in re.finditer(r"^    (\w+): (\d+)", block.group(1), re.M)} == declared
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert {m[1]: int(m[2]) for m in re.finditer(r"^  #   (\w+): (\d+)$", config, re.M)} == declared
