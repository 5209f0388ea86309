"""The review an import asks for, measured the way a bureau meets it: a new archive imports a report, an editor
accepts every proposed promise, the next report is imported; how many candidate answers (cards) does it propose,
for how many promises? On the held-out texts (bench/promises/heldout/texts), never tuned on.

    .venv/bin/python bench/review_load.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "bench" / "promises" / "heldout" / "texts"
PAIRS = [("2021-state-council.txt", 2021, "2022-state-council.txt", 2022)]


def annals(project: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "annals.cli", *args, "--project", str(project)], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return done.stdout


def main() -> None:
    for plan, plan_year, answer, answer_year in PAIRS:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "archive"
            shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", ".venv", "site", "bench", "tests", "reports"))
            (project / "docs" / "reports").mkdir()
            shutil.rmtree(project / "data" / "figures")
            given = ["--bureau", "state-council", "--kind", "政府工作报告", "--period", "全年"]
            annals(project, "import", str(TEXTS / plan), "--year", str(plan_year), *given)
            data = next((project / "data" / "figures").rglob("*.yml"))
            text = data.read_text(encoding="utf-8")
            head, _, rest = text.partition("\ncommitments:")
            promises, _, tail = rest.partition("\n# 候选回应")  # the editor accepts every proposed promise as it stands
            data.write_text(re.sub(r"^(  - id: c\d+\n(?:    (?!review)\w+: [^\n]*\n)*)    review: 待核对\n", r"\1",
                                   head.split("\nfigures:")[0] + "\nfigures: []\ncommitments:" + promises, flags=re.M)
                            + "\n# 候选回应" + tail, encoding="utf-8")
            said = annals(project, "import", str(TEXTS / answer), "--year", str(answer_year), *given)
            found = re.search(r"在本报告中查找了此前的承诺 (\d+) 项的回应，其中 (\d+) 项有候选回应，共 (\d+) 条", said)
            assert found, said
            print(f"{plan} → {answer}: {found.group(1)} promises searched, {found.group(2)} with candidates, {found.group(3)} cards")


if __name__ == "__main__":
    main()
