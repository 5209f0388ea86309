"""A fresh machine and either engine: the README's set-up installs only what is missing, and MkDocs and
ProperDocs build the same site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import README_SITE_COMMAND, README_TEST_COMMAND, ROOT, run_build
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_same_bytes_as_mkdocs_but_for_its_name(sample_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run_build(ROOT, site, engine="properdocs")
    assert result.returncode == 0, result.stderr
    names = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file()}
    assert names == {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    generators: set[bytes] = set()
    differing = []
    for name in sorted(names):
        ours, theirs = (sample_site / name).read_bytes(), (site / name).read_bytes()
        generators.update(GENERATOR.findall(ours) + GENERATOR.findall(theirs))
        if GENERATOR.sub(b"", ours) != GENERATOR.sub(b"", theirs):
            differing.append(name)
    assert not differing, differing[:10]
    assert any(b"ProperDocs" in g for g in generators) and any(b"mkdocs-1.6" in g for g in generators), generators


def test_the_readme_commands_are_what_ci_runs() -> None:
    assert README_TEST_COMMAND in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert "tests/setup.sh" in README_TEST_COMMAND and README_SITE_COMMAND.endswith("serve")
    assert "--require-hashes --no-deps -r requirements.txt" in README_SITE_COMMAND


# ------------------------------------------------------------------ the lock files


def _pins(lock: str) -> dict[str, tuple[str, str]]:
    """name → (version, environment marker) of each package a lock file pins, for this Python."""
    pins: dict[str, tuple[str, str]] = {}
    for m in re.finditer(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ; ([^\\]+?))? \\$", (ROOT / lock).read_text(encoding="utf-8"), re.M):
        if not m.group(3) or Marker(m.group(3)).evaluate():
            pins[canonicalize_name(m.group(1))] = (m.group(2), m.group(3) or "")
    return pins


def test_the_lock_files_pin_what_pyproject_asks_for_with_hashes_and_agree() -> None:
    """A dependency added to pyproject.toml without `bash .ci/lock` would be missing from every install
    that checks hashes; the site's lock and the tests' lock must build with the same releases."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    site, test = _pins("requirements.txt"), _pins("requirements-test.txt")
    asked = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for lock, pins, wanted in (("requirements.txt", site, asked),
                               ("requirements-test.txt", test, asked + project["project"]["optional-dependencies"]["test"])):
        for requirement in map(Requirement, wanted):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{lock} has no {name}: run bash .ci/lock"
            assert requirement.specifier.contains(pins[name][0], prereleases=True), f"{lock}: {name}=={pins[name][0]} is not {requirement}"
    assert {n: v for n, v in test.items() if n in site} == site
    assert "playwright" not in test  # axe-core's script is all the tests take from axe-playwright-python
    for lock in ("requirements.txt", "requirements-test.txt"):
        entries = re.split(r"\n(?=[a-z0-9])", (ROOT / lock).read_text(encoding="utf-8").split("\n", 2)[2])
        assert all("--hash=sha256:" in e for e in entries if "==" in e), lock


# ------------------------------------------------------------------ tests/setup.sh on machines of every kind

TOOLS = ("bash", "basename", "dirname", "id", "env")  # what the script itself runs, from the real machine


def _machine(tmp_path: Path, commands: list[str]) -> tuple[Path, dict[str, str]]:
    """A copy of the script on a machine whose PATH has only ``commands`` (stubs) besides basic tools; the
    stubs log their calls. Its .venv is a stub too: the Python packages are not what is tested here."""
    project, bin_dir, log = tmp_path / "project", tmp_path / "bin", tmp_path / "calls.log"
    (project / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests/setup.sh", project / "tests/setup.sh")
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))  # type: ignore[arg-type]
    stub = f'#!{shutil.which("bash")}\necho "$(basename "$0") $*" >> {log}\n'
    for name in commands:  # fc-list, where there is one, knows a Chinese font
        (bin_dir / name).write_text(stub + ('echo "WenQuanYi Micro Hei"\n' if name == "fc-list" else ""), encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    venv = project / ".venv" / "bin"
    venv.mkdir(parents=True)
    for name in ("python", "pip"):
        (venv / name).write_text(stub.replace("$(basename \"$0\")", f"venv-{name}"), encoding="utf-8")
        (venv / name).chmod(0o755)
    return project, {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def _apt_installs(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [line.split()[-1] for line in lines if " install " in line and line.startswith(("apt-get", "sudo", "env"))]


@pytest.mark.parametrize(("present", "installed"), [
    # NodeSource's nodejs and npm, no Chromium: the browser and its driver, one by one, never npm.
    (["node", "npm", "python3", "apt-get", "fc-list"], ["chromium", "chromium-driver"]),
    # Debian's own nodejs and npm: the same.
    (["nodejs", "npm", "python3", "apt-get", "fc-list"], ["chromium", "chromium-driver"]),
    # Neither, and no Chinese font: a font too.
    (["python3", "apt-get"], ["chromium", "chromium-driver", "fonts-wqy-microhei"]),
    # A runner with Chrome and its driver (GitHub's): nothing.
    (["google-chrome", "chromedriver", "python3", "apt-get", "fc-list"], []),
    # Chromium present, its driver missing: only the driver.
    (["chromium", "python3", "apt-get", "fc-list"], ["chromium-driver"]),
], ids=["nodesource", "debian-npm", "bare", "runner", "driver-only"])
def test_setup_installs_only_what_is_missing(tmp_path: Path, present: list[str], installed: list[str]) -> None:
    project, env = _machine(tmp_path, present)
    result = subprocess.run(["bash", "tests/setup.sh"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert _apt_installs(tmp_path) == installed, (tmp_path / "calls.log").read_text(encoding="utf-8") if installed else ""
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert not re.search(r"^npm |install.* npm$", calls, re.M)  # npm is neither run nor installed
    assert "venv-pip install -q --require-hashes --no-deps -r requirements-test.txt" in calls
    assert "venv-pip install -q --no-deps --no-build-isolation -e ." in calls and "--upgrade" not in calls
    for package in installed:
        assert f"setup: installing {package}" in result.stderr


def test_setup_newest_installs_the_newest_releases_not_the_lock(tmp_path: Path) -> None:
    project, env = _machine(tmp_path, ["chromium", "chromedriver", "python3", "apt-get", "fc-list"])
    result = subprocess.run(["bash", "tests/setup.sh", "--newest"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8")
    assert "venv-pip install -q --upgrade --upgrade-strategy eager -e .[test]" in calls and "requirements" not in calls
    assert "setup: installing the newest release of every dependency, not the lock" in result.stderr


def test_setup_without_root_or_apt_says_what_to_install(tmp_path: Path) -> None:
    project, env = _machine(tmp_path, ["python3", "fc-list"])  # no apt-get: another distribution
    result = subprocess.run(["bash", "tests/setup.sh"], cwd=project, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "缺少 chromium" in result.stderr and "install it yourself" in result.stderr
    assert os.path.exists(project / ".venv")  # nothing of the project was touched


# ------------------------------------------------------------------ annals render: a build without the hooks

ANNALS = [sys.executable, "-m", "annals.cli"]


def _render(project: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ANNALS, "--project", str(project), "render", str(out)], capture_output=True, text=True,
                          encoding="utf-8", check=False, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_an_engine_without_the_hooks_builds_the_rendered_tree_into_the_same_site(sample_site: Path, tmp_path: Path) -> None:
    """`annals render` writes every page, the open data and the search index; MkDocs with no `hooks:` builds
    that tree into the very bytes the hooks build (README "Which engine")."""
    out = tmp_path / "tree"
    result = _render(ROOT, out)
    assert result.returncode == 0, result.stderr
    epoch = re.search(r"SOURCE_DATE_EPOCH=(\d+) mkdocs build -f ", result.stdout)
    assert epoch and "已写出网站的全部源文件" in result.stdout, result.stdout
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^hooks:", config, re.M) and "  - annals.pages.blocks\n" in config
    assert (out / "docs/opendata/figures.csv").is_file() and (out / "docs/search/manifest.json").is_file()
    site = tmp_path / "site"
    built = run_build(out, site, env={**os.environ, "SOURCE_DATE_EPOCH": epoch.group(1)})
    assert built.returncode == 0, built.stderr
    names = sorted(p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    differing = [name for name in names if (sample_site / name).read_bytes() != (site / name).read_bytes()]
    assert not differing, differing[:10]


def test_render_stops_on_a_data_error_and_keeps_the_last_tree(archive_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "tree"
    assert _render(archive_copy, out).returncode == 0
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    figures = archive_copy / "data/figures/2016/state-council-government-work-report.yml"
    text = figures.read_text(encoding="utf-8")
    quote = re.search(r"quote: (\S+)", text)
    assert quote is not None
    figures.write_text(text.replace(quote.group(0), "quote: 报告里没有这句话", 1), encoding="utf-8")
    result = _render(archive_copy, out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"data/figures/2016/state-council-government-work-report\.yml:\d+: ", result.stderr), result.stderr
    assert "未写出网站源文件" in result.stderr
    assert before == {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert not [p for p in tmp_path.iterdir() if ".annals-" in p.name]


def test_render_refuses_to_write_over_the_archive(archive_copy: Path) -> None:
    result = _render(archive_copy, archive_copy / "docs" / "out")
    assert result.returncode == 2 and "输出目录不能是档案目录本身或其中的 docs/" in result.stderr
    assert not (archive_copy / "docs" / "out").exists()


def test_render_refuses_a_hand_written_page_with_markup_that_would_run(archive_copy: Path, tmp_path: Path) -> None:
    about = archive_copy / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[点这里](javascript:alert(1))\n", encoding="utf-8")
    result = _render(archive_copy, tmp_path / "tree")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "docs/about.md: 有会执行脚本或向其他网站请求的标记：<a href=“javascript:alert(1)”>" in result.stderr, result.stderr
    assert not (tmp_path / "tree").exists()
