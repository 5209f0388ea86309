// annals review: one report's candidate figures, promises and answers, decided on the page and saved by the local server.
// Every text shown comes from the report or the figures file: it is set as text, never as markup.
"use strict";
(function () {
  const state = JSON.parse(document.getElementById("annals-state").textContent);
  const token = document.querySelector("meta[name=annals-token]")?.content || state.token;
  const text = document.getElementById("text");
  const panel = document.getElementById("panel");
  const messages = document.getElementById("messages");
  const fromSelection = document.getElementById("from-selection");
  const rejectedQuotes = [];  // removed by a save: listed until the page is closed
  let cards = [];  // {figure (null for a new one), fields, action: "" | "accept" | "reject", mark}

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  function reset(next) {
    Object.assign(state, next);
    cards = state.figures.map((f) => ({ figure: f, kind: "figures", fields: { ...f.fields }, action: "", mark: null }))
      .concat(state.promises.map((p) => ({ figure: p, kind: p.list, fields: { ...p.fields }, action: "", mark: null })));
    render();
  }

  // The report's text, each figure's quote marked in the first paragraph that holds it.
  function renderText() {
    text.replaceChildren();
    const pending = cards.slice();
    for (const block of state.blocks) {
      const node = block.level ? el("h" + Math.min(block.level + 1, 6), { text: block.text }) : el("p");
      if (!block.level) {
        const found = [];
        for (const card of pending) {
          const q = card.fields.quote;
          const at = q ? block.text.indexOf(q) : -1;
          if (at >= 0 && !found.some((f) => at < f.at + f.q.length && f.at < at + q.length)) found.push({ at, q, card });
        }
        found.sort((a, b) => a.at - b.at);
        let pos = 0;
        for (const f of found) {
          node.append(block.text.slice(pos, f.at));
          const mark = el("mark", { tabindex: "0", text: f.q, onclick: () => focusCard(f.card), onkeydown: (e) => { if (e.key === "Enter") focusCard(f.card); } });
          f.card.mark = mark;
          pending.splice(pending.indexOf(f.card), 1);
          node.append(mark);
          pos = f.at + f.q.length;
        }
        node.append(block.text.slice(pos));
      }
      text.append(node);
    }
  }

  function focusCard(card) {
    for (const c of cards) { c.node?.classList.toggle("current", c === card); c.mark?.classList.toggle("current", c === card); }
    card.node?.scrollIntoView({ block: "nearest" });
    card.node?.querySelector("select, input")?.focus();
  }

  function field(card, key, label, control) {
    control.id = `f-${cards.indexOf(card)}-${key}`;
    control.value = card.fields[key] ?? "";
    const update = () => { card.fields[key] = control.value; if (key === "quote") renderText(); counts(); };
    control.addEventListener("input", update);
    control.addEventListener("change", update);
    return [el("label", { for: control.id, text: label }), control];
  }

  function options(pairs, chosen) {
    const select = el("select");
    for (const [value, label] of pairs) select.append(el("option", { value, text: label }));
    select.value = chosen;
    return select;
  }

  // A promise of this report (label, topic, period), or this report's answer to an earlier one (its status).
  function promiseFields(card) {
    if (card.kind === "commitments") {
      return [...field(card, "label", "承诺（几个字）", el("input", { type: "text", class: "wide" })),
        ...field(card, "parts", "分几部分", el("input", { type: "text", class: "wide", placeholder: "一句承诺了几件事时，各部分用；隔开" })),
        ...field(card, "topic", "领域", el("input", { type: "text", size: "8", placeholder: "如 教育公平" })),
        ...field(card, "period", "时期", el("input", { type: "text", size: "8" })),
        ...field(card, "quote", "引文", el("input", { type: "text", class: "wide" }))];
    }
    const statuses = [["", "（请判断）"], ...state.statuses.map((s) => [s, s])];
    const parts = card.figure.promise.parts || [];
    return [card.figure.proposed ? el("p", { class: "answers", text: `建议“${card.fields.status}”：${card.figure.proposed}` }) : null,
      ...(parts.length ? field(card, "part", "回应哪部分", options([["", "整项承诺"], ...parts.map((p, i) => [String(i + 1), `${i + 1} ${p}`])], card.fields.part)) : []),
      ...field(card, "status", "状态", options(statuses, card.fields.status)),
      ...field(card, "note", "依据", el("input", { type: "text", class: "wide", placeholder: "如 新开工740万套，超过700万套" })),
      ...field(card, "quote", "引文", el("input", { type: "text", class: "wide" }))];
  }

  const KINDS = { figures: "数据", commitments: "承诺", evidence: "候选回应" };

  // An earlier promise and what this report may say of it: its candidate answers, best first, and the record that
  // the report was searched for it. One action takes the proposal as it stands (the first candidate with its
  // proposed status; the rest deleted) or says the report does not answer it (every candidate deleted).
  function answerGroups() {
    const groups = new Map();
    for (const card of cards) {
      if (card.kind !== "evidence" && card.kind !== "searched") continue;
      const ref = card.figure.promise.ref;
      if (!groups.has(ref)) groups.set(ref, { ref, promise: card.figure.promise, answers: [], searched: null });
      if (card.kind === "evidence") groups.get(ref).answers.push(card); else groups.get(ref).searched = card;
    }
    const open = [...groups.values()].filter((g) => [...g.answers, g.searched].some((c) => c && c.figure.review));
    return [open.filter((g) => g.answers.length), open.filter((g) => !g.answers.length)];
  }

  function settle(group, take) {
    const pending = (c) => c && c.figure.review;
    group.answers.forEach((c) => { if (pending(c)) c.action = c === take ? "accept" : "reject"; });
    if (pending(group.searched)) group.searched.action = "accept";
    render();
  }

  function renderGroup(group) {
    const first = group.answers.find((c) => c.figure.review);
    const decided = [...group.answers, group.searched].every((c) => !c || !c.figure.review || c.action);
    return el("article", { class: `card group ${decided ? "accepted" : ""}`, "aria-label": `此前的承诺：${group.promise.label || group.ref}` },
      el("h2", {}, el("span", { text: `此前的承诺：${group.promise.label || "（找不到这项承诺）"}` }),
        el("span", { class: "status", text: decided ? "已决定" : "待核对" })),
      group.promise.quote ? el("p", { class: "answers" }, el("q", { text: group.promise.quote })) : null,
      el("div", { class: "buttons" },
        first ? el("button", { type: "button", class: "primary", text: `按建议接受（第一句，${first.fields.status}）`, onclick: () => settle(group, first) }) : null,
        el("button", { type: "button", text: "本报告没有回应它", onclick: () => settle(group, null) }),
        decided ? el("button", { type: "button", text: "撤销", onclick: () => { [...group.answers, group.searched].forEach((c) => { if (c) c.action = ""; }); render(); } }) : null),
      ...group.answers.map((c) => renderCard(c, cards.indexOf(c))));
  }

  function renderUnanswered(groups) {
    const pending = groups.filter((g) => g.searched && !g.searched.action);
    return el("article", { class: "card group" },
      el("h2", {}, el("span", { text: `本报告中没有找到候选回应的此前承诺 ${groups.length} 项` })),
      el("p", { class: "answers", text: "请在正文中确认确实没有回应它们；有回应时，选中那句话所在的段落，把承诺和状态写进数据文件。" }),
      el("ul", {}, ...groups.map((g) => el("li", { text: `${g.promise.label || g.ref}${g.searched && g.searched.action ? "（已确认）" : ""}` }))),
      el("div", { class: "buttons" },
        pending.length ? el("button", { type: "button", text: `确认本报告没有回应这 ${pending.length} 项`, onclick: () => { pending.forEach((g) => { g.searched.action = "accept"; }); render(); } }) : null,
        pending.length < groups.length ? el("button", { type: "button", text: "撤销", onclick: () => { groups.forEach((g) => { if (g.searched) g.searched.action = ""; }); render(); } }) : null));
  }

  function renderCard(card, n) {
    const f = card.figure;
    const status = card.action === "accept" ? "将接受" : card.action === "reject" ? "将删除" : f && f.review ? "待核对" : f ? "已发布" : "新增";
    const indicators = [["", "（选择指标）"], ...state.indicators.map((i) => [i.id, `${i.name}（${i.unit}）`])];
    const quoteControl = el("input", { type: "text", class: "wide" });
    const node = el("article", { class: `card ${card.kind} ${card.action}`, "aria-label": `第 ${n + 1} 条${KINDS[card.kind]}` },
      el("h2", {}, el("span", { text: `第 ${n + 1} 条${KINDS[card.kind]}` }), el("span", { class: "status", text: status })),
      el("p", { class: "quote" }, el("button", { type: "button", text: "在正文中查看", onclick: () => { card.mark?.scrollIntoView({ block: "center" }); card.mark?.focus(); } })),
      card.kind !== "figures" ? el("div", { class: "fields" }, ...promiseFields(card)) : el("div", { class: "fields" },
        ...field(card, "indicator", "指标", options(indicators, card.fields.indicator)),
        ...field(card, "type", "类型", options(Object.entries(state.types), card.fields.type || "result")),
        ...field(card, "period", "时期", el("input", { type: "text", placeholder: state.period, size: "8" })),
        ...field(card, "value", "数值", el("input", { type: "text", size: "8" })),
        ...field(card, "unit", "单位", el("input", { type: "text", placeholder: "同指标", size: "6" })),
        ...field(card, "qualifier", "限定词", options([["", "（无）"], ...state.qualifiers.map((q) => [q, q])], card.fields.qualifier)),
        ...field(card, "basis", "口径", el("input", { type: "text", placeholder: "如 2013—2017年年均", class: "wide" })),
        ...field(card, "quote", "引文", quoteControl)),
      el("div", { class: "buttons" },
        el("button", { type: "button", text: f ? "接受" : "添加", onclick: () => decide(card, "accept") }),
        el("button", { type: "button", text: f ? "拒绝（删除）" : "取消", onclick: () => decide(card, "reject") }),
        card.action ? el("button", { type: "button", text: "撤销", onclick: () => decide(card, "") }) : null));
    card.node = node;
    return node;
  }

  function decide(card, action) {
    if (!card.figure && action === "reject") cards.splice(cards.indexOf(card), 1);
    else card.action = action;
    if (card.kind === "evidence") {
      // Within a promise's group: taking one candidate settles the group (the rest deleted); deleting the last
      // one says this report does not answer it. Either way the search is decided.
      // A promise with parts may take one candidate a part: the search is decided once every candidate is.
      const group = answerGroups().flat().find((g) => g.answers.includes(card)) ?? { answers: [], searched: null, promise: {} };
      if (action === "accept" && !(group.promise.parts || []).length) { settle(group, card); return; }
      const decided = group.answers.every((c) => !c.figure.review || c.action);
      if (group.searched) group.searched.action = decided && (action || !group.searched.figure.review) ? "accept" : "";
    }
    render();
    if (cards.includes(card)) card.node.querySelector("button")?.focus();
  }

  function counts() {
    const pending = cards.filter((c) => c.kind !== "searched" && c.figure && c.figure.review && !c.action).length;
    const n = (a) => cards.filter((c) => c.action === a).length;
    document.getElementById("counts").textContent = `待核对 ${pending} 条；将接受 ${n("accept")} 条，将删除 ${n("reject")} 条`;
  }

  function render() {
    renderText();
    panel.replaceChildren();
    cards.forEach((c, n) => { if (c.kind === "figures" || c.kind === "commitments") panel.append(renderCard(c, n)); });
    const [answered, unanswered] = answerGroups();
    if (answered.length || unanswered.length) panel.append(el("h2", { class: "section", text: `此前的承诺在本报告中的回应（${answered.length + unanswered.length} 项待核对）` }));
    answered.forEach((g) => panel.append(renderGroup(g)));
    if (unanswered.length) panel.append(renderUnanswered(unanswered));
    if (rejectedQuotes.length) {
      panel.append(el("section", { class: "rejected-list" }, el("h2", { text: "本页已删除的候选数据（关闭本页后不再显示）" }),
        el("ul", {}, ...rejectedQuotes.map((q) => el("li", { text: q })))));
    }
    for (const c of cards) if (c.kind !== "searched") c.mark?.classList.add(c.action === "accept" ? "accepted" : c.action === "reject" ? "rejected" : c.figure && !c.figure.review ? "published" : "pending");
    counts();
  }

  function decisions() {
    return cards.filter((c) => c.action && (c.figure || c.action === "accept")).map((c) =>
      c.figure ? (c.action === "accept" ? { list: c.kind, index: c.figure.index, action: "accept", fields: c.fields } : { list: c.kind, index: c.figure.index, action: "reject" })
        : { action: "add", fields: c.fields });
  }

  function say(kind, head, lines) {
    messages.replaceChildren(el("p", { class: kind, text: head }), lines && lines.length ? el("ul", {}, ...lines.map((l) => el("li", { text: l }))) : null);
  }

  async function call(path) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Annals-Token": token },
      body: JSON.stringify({ src: state.src, hash: state.hash, decisions: decisions() }),
    });
    return [response.status, await response.json()];
  }

  document.getElementById("check").addEventListener("click", async () => {
    const [, result] = await call("/api/check");
    if (result.problems.length) say("bad", `有 ${result.problems.length} 个问题，保存前请改正（构建会报同样的错误）：`, result.problems);
    else say("good", "检查通过，可以保存。" + (result.warnings.length ? `（${result.warnings.length} 条警告）` : ""), result.warnings);
  });

  document.getElementById("save").addEventListener("click", async () => {
    const removed = cards.filter((c) => c.figure && c.action === "reject").map((c) => c.fields.quote);
    const [status, result] = await call("/api/save");
    if (status === 409) { say("bad", result.message); return; }
    if (result.problems && result.problems.length) { say("bad", `未保存：有 ${result.problems.length} 个问题（构建会报同样的错误）：`, result.problems); return; }
    rejectedQuotes.push(...removed);
    say("good", result.message, result.warnings);
    reset(result.state);
  });

  document.getElementById("add").addEventListener("click", () => addCard(""));

  // An import proposes every sentence of a plan part that commits (~400 in a 政府工作报告) and three passages for each
  // earlier promise: an editor keeps a few and rejects the rest of a kind at once (undone card by card with 撤销).
  const rejectCommitments = document.getElementById("reject-commitments");
  rejectCommitments.hidden = !state.promises.some((p) => p.list === "commitments" && p.review);
  rejectCommitments.addEventListener("click", () => {
    for (const card of cards) if (card.kind === "commitments" && card.figure.review && !card.action) card.action = "reject";
    render();
  });
  const noAnswers = document.getElementById("reject-evidence");
  noAnswers.hidden = !state.promises.some((p) => p.list !== "commitments" && p.review);
  noAnswers.addEventListener("click", () => {  // every promise not yet decided: this report does not answer it
    for (const group of answerGroups().flat()) if (![...group.answers, group.searched].some((c) => c && c.action)) settle(group, null);
  });

  function addCard(quote) {
    const number = quote.match(/([0-9０-９]+(?:[.．][0-9０-９]+)?)(万亿元|亿元|万元|元|万人次|人次|万人|个百分点|人|名|所|个|套|次|件|家|%|％|起|项|分钟|户|万)?/);
    const card = { figure: null, kind: "figures", action: "accept", mark: null,
      fields: { indicator: "", type: "result", period: "", basis: "", value: number ? number[1] : "", unit: number && number[2] ? number[2] : "", qualifier: "", quote } };
    cards.push(card);
    render();
    focusCard(card);
  }

  // Selecting words in the text offers to add them as a figure (the quote is the selection, verbatim).
  document.addEventListener("selectionchange", () => {
    const sel = document.getSelection();
    const inText = sel && !sel.isCollapsed && text.contains(sel.anchorNode) && text.contains(sel.focusNode);
    fromSelection.hidden = !(inText && sel.toString().trim());
    if (!fromSelection.hidden) {
      const rect = sel.getRangeAt(0).getBoundingClientRect();
      fromSelection.style.position = "fixed";
      fromSelection.style.left = `${Math.max(8, rect.left)}px`;
      fromSelection.style.top = `${rect.bottom + 6}px`;
    }
  });
  fromSelection.addEventListener("mousedown", (e) => e.preventDefault());  // keep the selection
  fromSelection.addEventListener("click", () => {
    const quote = document.getSelection().toString().trim();
    fromSelection.hidden = true;
    addCard(quote);
  });

  // The panel sits under the sticky bar, whose height changes with its messages.
  const bar = document.querySelector(".bar");
  const fit = () => document.documentElement.style.setProperty("--bar", `${bar.offsetHeight}px`);
  new ResizeObserver(fit).observe(bar);
  fit();
  reset({});
})();
