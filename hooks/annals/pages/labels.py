"""The words readers see in generated blocks, in one place (templates read them as ``labels.<name>``)."""

from __future__ import annotations

LABELS: dict[str, str] = {
    # the facts of a report (report-header.html)
    "bureau": "发布机关",
    "kind": "类型",
    "period": "时期",
    "date": "日期",
    "number": "文号",
    "url": "原文",
    "figures": "数据",
    "figures_count": "本报告数据 {n} 项",
    "outline": "本文目录",
    "previous": "上一份",
    "next": "下一份",
    # a report's figures (figures-panel.html)
    "figures_heading": "本报告数据",
    "indicator": "指标",
    "type": "类型",
    "value": "数值",
    "earlier": "上年同期",
    "change": "变化",
    "change_rate": "变化率",
    "versus_earlier": "比上年同期",
    "earlier_hint": "“上年同期”取同一发布机关上一年同一时期的结果；百分比指标的变化以百分点计。",
    "not_disclosed": "未公开",
    "no_earlier": "无上年同期数据",
    "none": "—",
    # targets and results (plan-table.html)
    "target": "目标",
    "result": "结果",
    "status": "完成情况",
    "restated": "后于 {date} 调整为",
    # the open data page (opendata-columns.html, opendata-indicators.html)
    "column": "列",
    "column_type": "类型",
    "meaning": "含义",
    "download": "下载",
}

# What readers read for each state of a promise or target, by its code (annals.judge.promises.STATUSES): one word
# for one state on every page and in the open data.
PROMISE_STATUS: dict[str, str] = {
    "kept": "已完成",
    "nearly": "基本完成",
    "partly": "部分完成",
    "underway": "推进中",
    "missed": "未完成",
    "unmentioned": "未再提及",
    "unreported": "未给出结果",
    "unchecked": "尚未核对",
    "awaiting": "尚无后续报告",
    "undisclosed": "未公开",
    "incomparable": "无法比较",
}
