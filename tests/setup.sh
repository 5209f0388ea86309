#!/usr/bin/env bash
# Installs what the tests need, and only what is missing: each system package on its own, never one
# whose command is already there (Debian's npm conflicts with NodeSource's nodejs; the tests need no npm).
#   chromium, chromium-driver   the browser tests (skipped where a Chrome and its driver are already on PATH)
#   fonts-wqy-microhei          a Chinese font, when the machine has none (pages print and render as text)
#   python3-venv                Debian's own Python ships venv separately
#   .venv                       exactly what requirements-test.txt locks (hashes checked), then annals itself
# `bash tests/setup.sh --newest` installs the newest release of every dependency instead of the lock: the
# scheduled workflow (.github/workflows/newest.yml) runs the tests on them to see what the next lock breaks.
# Then the tests run with `.venv/bin/python -m pytest` (README, .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else say "需要 root 权限才能安装：$*（run as root, or install it yourself）"; exit 1
  fi
}
apt_updated=
apt_install() {  # one Debian package, announced
  if ! command -v apt-get >/dev/null; then
    say "缺少 $1，且本机没有 apt-get，请手动安装（missing $1; no apt-get here: install it yourself）"; exit 1
  fi
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  say "installing $1"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}
has() { command -v "$1" >/dev/null; }

has chromium || has chromium-browser || has google-chrome || apt_install chromium
has chromedriver || apt_install chromium-driver
if ! has fc-list || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then apt_install fonts-wqy-microhei; fi
python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv

[ -x .venv/bin/python ] || python3 -m venv .venv
if [ "${1:-}" = --newest ]; then
  say "installing the newest release of every dependency, not the lock"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q --upgrade --upgrade-strategy eager -e '.[test]'
else
  # --no-deps: the lock lists every package; nothing unlocked (Playwright, say) comes in as a dependency.
  .venv/bin/pip install -q --require-hashes --no-deps -r requirements-test.txt
  .venv/bin/pip install -q --no-deps --no-build-isolation -e .
fi
