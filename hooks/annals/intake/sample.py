"""Regenerate the sample archive's report pages from the seed documents.

    python -m annals.intake.sample ../shared [--force]

The pages under docs/reports/ are produced by this, never edited by hand, so
they stay faithful to the seeds; the figures files under data/figures/ are
written by hand and checked against the pages by every build.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from annals.data.routes import report_src
from annals.data.vocab import Period
from annals.intake.importer import Meta, Source, body_for_title, body_of, front_matter


@dataclass(frozen=True)
class SampleDoc:
    file: str  # relative to the shared folder
    bureau: str
    period: Period
    kind: str
    date: str
    slug: str
    title: str | None = None  # when the document has none of its own
    note: str = ""


_GWR_NOTE = (
    "国务院政府工作报告，据中文维基文库转录本（经公开仓库 aldohemsn/chinese-political-corpora 收集），"
    "仅作空白规范化。维基文库将其标为公有领域（《著作权法》第五条第一项，国家机关的官方文件），"
    "并提示官方讲话未必都在此列。"
)

SAMPLE: tuple[SampleDoc, ...] = (
    SampleDoc("seeds/000_420ba36b4cda1aaa.txt", "county-a-edu", Period(2021), "duty-report", "2021", "county-a-edu-duty-report",
              title="县教育局局长2021年度述职报告", note="原文无标题，标题为编者所加；原文中的 x、XXX 为发布时隐去的数字和名称。"),
    SampleDoc("seeds/001_b86288e1e08d0fec.txt", "county-b-edu", Period(2021), "annual-summary", "2021", "county-b-edu-annual-summary",
              title="县教育局2021年工作总结及2022年工作思路", note="原文无标题，标题为编者所加；原文年份写作 XXXX，据“2022年工作思路”定为2021年。"),
    SampleDoc("seeds/002_7ea7ff211f0f944f.txt", "district-edu", Period(2022), "annual-summary", "2022", "district-edu-annual-summary",
              note="转载自文档分享网站，已清除网站页头、切断句子的页码和页脚；正文经网站同义词替换（如“教化”为“教育”），按发布原样保留。"),
    SampleDoc("seeds/003_a2250ef0bda6fe1b.txt", "xupu-edu", Period(2021, "H1"), "midyear-summary", "2021-07-19", "xupu-edu-h1-midyear-summary"),
    SampleDoc("seeds/004_dabe58f1942928d8.txt", "city-x-edu", Period(2021, "H1"), "midyear-summary", "2021-05-30", "city-x-edu-h1-midyear-summary",
              note="转载自公文范文网站，原网页在“阅读全文”处截断，以下内容缺失；已清除网站横幅、摘要和打赏等页面元素。"),
    *(
        SampleDoc(f"samples/gwr/{y}.txt", "state-council", Period(y), "government-work-report", f"{y}-03-05",
                  "state-council-government-work-report", title=f"{y}年政府工作报告", note=_GWR_NOTE)
        for y in range(2014, 2020)
    ),
)


def page_for(doc: SampleDoc, raw: str) -> tuple[str, str]:
    """(Markdown page, cleaning summary) for one sample document: what `annals import` makes."""
    found, body, cleaned = body_of(Source(raw, "UTF-8"))
    title = doc.title or found
    if not title:
        raise ValueError(f"{doc.file}: no title")
    body = body_for_title(found, title, body)
    source = {"file": doc.file} | ({"note": doc.note} if doc.note else {})
    meta = Meta(doc.bureau, doc.period, doc.kind, title, doc.date, source)
    return front_matter(meta) + body, cleaned.summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m annals.intake.sample", description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path, help="the folder holding seeds/ and samples/")
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--force", action="store_true", help="overwrite existing pages")
    args = parser.parse_args(argv)
    for doc in SAMPLE:
        target = args.docs / report_src(doc.period.year, doc.slug)
        page, summary = page_for(doc, (args.shared / doc.file).read_text(encoding="utf-8"))
        if target.exists() and not args.force:
            same = target.read_text(encoding="utf-8") == page
            print(f"{target}: {'相同，跳过' if same else '已存在，未覆盖（用 --force 覆盖）'}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".md.tmp")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(target)
        print(f"{target}: 已写入；{summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
