"""Shared fixtures: the sample archive, built once; copies of it to break."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MKDOCS = [sys.executable, "-m", "mkdocs"]
# The engines a bureau may build with: the end-to-end tests run on each (README, "Which engine").
ENGINES = {"mkdocs": MKDOCS, "properdocs": [sys.executable, "-m", "properdocs"]}
# The README's two set-up commands, in its first two ```sh blocks: the site, then the tests (.ci/run runs the second).
README_SITE_COMMAND, README_TEST_COMMAND = re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))[:2]
# Where the sample site is published by default (mkdocs.yml; ANNALS_SITE_URL overrides it).
SITE_URL = os.environ.get("ANNALS_SITE_URL") or re.search(
    r'ANNALS_SITE_URL, "([^"]+)"', (ROOT / "mkdocs.yml").read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]


def run_build(project: Path, site: Path, *extra: str, env: dict[str, str] | None = None,
              engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` (or ``properdocs build --strict``) of a project, as a user runs it. Not ``-q``:
    MkDocs then stops counting warnings, and --strict would pass a build with broken links."""
    env = {**(os.environ if env is None else env), "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*ENGINES[engine], "build", "--strict", "-d", str(site), *extra],
        cwd=project, capture_output=True, text=True, encoding="utf-8", env=env, check=False,
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built from the repository, as `mkdocs build` makes it."""
    site = tmp_path_factory.mktemp("site")
    result = run_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


def copy_archive(project: Path) -> Path:
    """A copy of the sample archive's sources at ``project``."""
    project.mkdir(parents=True)
    for name in ("docs", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


@pytest.fixture
def archive_copy(tmp_path: Path) -> Path:
    """A private copy of the sample archive that a test may break."""
    return copy_archive(tmp_path / "archive")


def page(site: Path, url: str) -> str:
    """The HTML of a built page, by its URL path."""
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's script as the PyPI package axe-playwright-python ships it (tests/setup.sh installs it
    without Playwright): no npm, whichever Node.js the machine has."""
    from importlib.resources import files

    try:
        return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        if os.environ.get("CI"):
            pytest.fail("needs axe-core: run tests/setup.sh (see README)")
        pytest.skip("needs axe-core: run tests/setup.sh (see README)")


AXE_RUN = """
const done = arguments[0];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => `${v.impact} ${v.id}: ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`)))
  .catch(e => done([String(e)]));
"""
