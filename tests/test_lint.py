"""Lint and types, as part of the tests (so `.ci/run`, the README's test command, runs them): ruff on
everything, mypy --strict on the product's code and mypy on the tests and benchmarks."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

CHECKS = {
    "ruff": ["-m", "ruff", "check", "hooks", "tests", "bench", ".ci/lock-drift"],
    "mypy --strict (the product)": ["-m", "mypy", "--strict", "hooks/annals", "hooks/annals_hooks.py"],
    "mypy (tests and benchmarks)": ["-m", "mypy", "tests", "bench"],
}


@pytest.mark.parametrize("check", CHECKS, ids=list(CHECKS))
def test_the_code_passes(check: str) -> None:
    result = subprocess.run([sys.executable, *CHECKS[check]], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
