"""Every address annals makes, in one place: where reports and their data files are, the source paths of
the pages it generates (the engine turns them into URLs), and the files it publishes beside them.

Source paths are relative to ``docs_dir``; data paths to ``data/``. Nothing else in annals spells a folder
or a file name of the site: change one here and every link, check and file follows.
"""

from __future__ import annotations

from pathlib import PurePosixPath

# ------------------------------------------------------------------ what a bureau keeps

REPORTS_DIR = "reports"  # docs/reports/<year>/<slug>.md
FIGURES_DIR = "figures"  # data/figures/<year>/<slug>.yml, paired with the report of the same name


def report_src(year: int, slug: str) -> str:
    return f"{REPORTS_DIR}/{year}/{slug}.md"


def is_report_src(src: str) -> bool:
    """Whether a source path is under the reports' folder (not whether the report exists)."""
    return src.startswith(f"{REPORTS_DIR}/")


def figures_path_for(src: str) -> str:
    """The data-relative figures file paired with a report: reports/Y/s.md → figures/Y/s.yml."""
    rel = PurePosixPath(src).relative_to(REPORTS_DIR).with_suffix(".yml")
    return str(PurePosixPath(FIGURES_DIR) / rel)


def report_for_figures(rel: str) -> str:
    """The report a figures file is paired with, from its path under figures/: Y/s.yml → reports/Y/s.md."""
    return f"{REPORTS_DIR}/{PurePosixPath(rel).with_suffix('.md').as_posix()}"


def ref_of(src: str, promise_id: str) -> str:
    """How evidence names a promise: reports/2014/a.md, c3 → 2014/a#c3."""
    return src.removeprefix(f"{REPORTS_DIR}/").removesuffix(".md") + "#" + promise_id


def report_of_ref(ref: str) -> str:
    """The report a promise's reference names: 2014/a#c3 → reports/2014/a.md."""
    return f"{REPORTS_DIR}/{ref.split('#')[0]}.md"


# ------------------------------------------------------------------ the pages annals generates

HOME_SRC = ("index.md", "README.md")  # the site's home page, as MkDocs takes it
REPORTS_INDEX_SRC = f"{REPORTS_DIR}/index.md"  # the archive by year, kind and issuer (a hand-written page)
SEARCH_SRC = "search.md"
SAID_SRC = "said.md"  # 历年说法: what each year's reports said of a term
PLAN_SRC = "commitments.md"  # the tracker: targets and promises
TRACKER_DIR = "commitments"  # each issuer's promises: commitments/issuer/<id>.md
OPEN_DATA = "opendata"  # the folder of the downloads in the site
OPEN_DATA_SRC = f"{OPEN_DATA}/index.md"


def indicator_src(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


def year_src(year: int) -> str:
    return f"{REPORTS_DIR}/{year}/index.md"


def bureau_src(bureau_id: str) -> str:
    return f"bureaus/{bureau_id}.md"


def issuer_src(bureau_id: str) -> str:
    """An issuer's page of the tracker."""
    return f"{TRACKER_DIR}/issuer/{bureau_id}.md"


# ------------------------------------------------------------------ files published beside the pages

FEED = "feed.xml"
SEARCH_DIR = "search"  # the search index: the manifest, and the texts' and lists' content-named folder
SEARCH_SCRIPT = "assets/annals-search.js"
SAID_SCRIPT = "assets/annals-said.js"
PROMISES_SCRIPT = "assets/annals-promises.js"


def download(name: str, kind: str) -> str:
    """A file of the open data: ``download("figures", "csv")``, ``download(indicator_data("gdp_growth"), "json")``."""
    return f"{OPEN_DATA}/{name}.{kind}"


def schema_file(key: str) -> str:
    """The JSON Schema of a download: figures, commitments or evidence."""
    return download("schema" if key == "figures" else f"{key}.schema", "json")


def indicator_data(indicator_id: str) -> str:
    """The name of one indicator's downloads among the open data."""
    return f"indicators/{indicator_id}"
