// 历年说法: for a term (or terms), what each year's reports said of it. Every sentence of every report that holds a
// term, grouped by year (newest first) and issuer, each linked to its place in the report; above them, a bar per
// year: how many places, in how many of that year's reports. Same exact-term matching as the search
// (annals-find.js). Reports are confirmed newest first, BATCH at a time; until all are, the page says so.

import {
  candidates, confirmRelated, confirmed, factsElement, keysOf, landingHref, loadIndex, passageElement, passages, quoted,
  RELATED_MOST, relatedCandidates, termsOf, variantsOf, failed,
} from "./annals-find.js";

const BATCH = 40;       // candidates confirmed before asking to go on (each a download of a report's text)
const SHOWN = 3;        // a report's places shown before the rest are folded
const sum = (byYear) => Object.values(byYear).reduce((n, c) => n + c, 0);

const element = (tag, className, text) => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

// Insert `child` among `parent`'s children ordered by data-key, descending (years, dates) or ascending (names).
function insertOrdered(parent, child, descending) {
  const key = child.dataset.key;
  const after = [...parent.children].find((c) => (descending ? c.dataset.key < key : c.dataset.key > key));
  parent.insertBefore(child, after ?? null);
}

function setup() {
  const form = document.querySelector(".annals-said-form");
  if (!form) return;
  const input = form.elements.q;
  const status = document.querySelector(".annals-said-status");
  const board = document.querySelector(".annals-said");
  const more = document.querySelector(".annals-said-more");
  const counts = JSON.parse(board.dataset.counts);  // year → issuer → reports
  const wordings = JSON.parse(board.dataset.wordings);  // groups of wordings of one thing (data/wordings.yml)
  let run = 0, idx, terms = [], words = "", pending = [], checked = 0;  // words: the terms as typed, quoted
  let tally, chart, years;  // per year: {reports, passages}; the chart's list; the years' sections
  let related;  // per year: wording → places, of the related wordings (never counted as the term)

  const params = new URLSearchParams(location.search);
  for (const name of ["q", "kind", "issuer"]) if (params.has(name)) form.elements[name].value = params.get(name);

  // The years shown: those with reports (of the chosen issuer), newest first.
  const yearsOf = (issuer) => Object.keys(counts).filter((y) => !issuer || counts[y][issuer]).sort().reverse();

  function drawChart() {
    const most = Math.max(1, ...Object.values(tally).map((t) => t.passages));
    for (const row of chart.children) {
      const t = tally[row.dataset.key] ?? { reports: 0, passages: 0 };
      row.querySelector(".annals-said-bar > span").style.width = `${(100 * t.passages) / most}%`;
      const base = Object.entries(counts[row.dataset.key] ?? {}).filter(([name]) => !form.elements.issuer.value || name === form.elements.issuer.value)
        .reduce((n, [, c]) => n + c, 0);
      const near = Object.values(related[row.dataset.key] ?? {}).reduce((n, c) => n + c, 0);
      // Not found is what the page knows: the reports may say it in other words (listed below, counted apart).
      row.querySelector(".annals-said-count").textContent = (t.passages ? `${t.passages} 处（${t.reports}/${base} 篇报告）` : `没有找到这个词（${base} 篇报告）`)
        + (near ? `；相关说法 ${near} 处` : "");
    }
  }

  function yearSection(year) {
    if (!years.has(year)) {
      const section = element("section", "annals-said-year");
      section.dataset.key = year;
      section.id = `y${year}`;
      const heading = element("h2", "", `${year}年`);
      section.append(heading, element("div", "annals-said-issuers"));
      insertOrdered(board.querySelector(".annals-said-years"), section, true);
      years.set(year, section);
    }
    return years.get(year);
  }

  function issuerGroup(section, issuer) {
    const list = section.querySelector(".annals-said-issuers");
    let group = [...list.children].find((g) => g.dataset.key === issuer);
    if (!group) {
      group = element("div", "annals-said-issuer");
      group.dataset.key = issuer;
      group.append(element("h3", "", issuer), element("div", "annals-said-reports"));
      insertOrdered(list, group, false);
    }
    return group.querySelector(".annals-said-reports");
  }

  // A confirmed report: its sentences that hold a term, under its year and issuer.
  function add(hit) {
    const { text, holding } = hit;
    const inText = holding.filter((part) => !part.title);
    const found = (inText.length ? inText : holding).flatMap((part) => passages(part, terms).map((p) => [part, p]));  // the title, if only there
    const year = String(text.year);
    tally[year] ??= { reports: 0, passages: 0 };
    tally[year].reports++;
    tally[year].passages += found.length;
    const report = element("article", "annals-said-report");
    report.dataset.key = text.date;
    const title = element("a", "annals-said-title", text.title);
    title.href = landingHref(text, { anchor: "" }, "");
    const list = element("ol", "annals-said-passages");
    const item = ([part, passage]) => {
      const li = element("li");
      const quote = passageElement("blockquote", part, passage);
      const link = element("a", "annals-said-where", part.heading ? `原文：${part.heading}` : "原文");
      link.href = landingHref(text, part, passage.term, passage.nth);
      li.append(quote, link);
      return li;
    };
    list.append(...found.slice(0, SHOWN).map(item));
    report.append(title, factsElement(text, "annals-said-facts"), list);
    if (found.length > SHOWN) {
      const folded = element("details", "annals-said-folded");
      folded.append(element("summary", "", `本报告另有 ${found.length - SHOWN} 处`), element("ol", "annals-said-passages"));
      folded.lastChild.append(...found.slice(SHOWN).map(item));
      report.append(folded);
    }
    const section = yearSection(year);
    insertOrdered(issuerGroup(section, text.issuer), report, true);
    section.querySelector("h2").textContent = `${year}年：${tally[year].passages} 处，${tally[year].reports} 篇报告`;
  }

  function say() {
    const reports = Object.values(tally).reduce((n, t) => n + t.reports, 0);
    const places = Object.values(tally).reduce((n, t) => n + t.passages, 0);
    if (pending.length) {
      status.textContent = `已核对 ${checked} 篇候选：${reports} 篇报告提到${words}，共 ${places} 处；另有 ${pending.length} 篇更早的候选尚未核对，各年的数字还会增加。`;
    } else {
      status.textContent = reports ? `${reports} 篇报告提到${words}，共 ${places} 处。` : `没有找到这个词：没有报告逐字含有${words}。`;
    }
    chart.parentElement.querySelector("figcaption").textContent =
      `每年提到${words}的次数${pending.length ? "（核对中）" : ""}`;
  }

  async function check(id) {
    more.hidden = true;
    board.setAttribute("aria-busy", "true");
    const batch = pending.splice(0, BATCH);
    for await (const [, hit] of confirmed(idx, batch, terms)) {
      if (id !== run) return;
      checked++;
      if (hit) add(hit);
      if (checked % 5 === 0) { drawChart(); say(); }
    }
    if (id !== run) return;
    drawChart();
    say();
    if (!pending.length && terms.length === 1) await lookRelated(id);
    if (id !== run) return;
    more.hidden = !pending.length;
    more.textContent = `继续核对更早的报告（还有 ${pending.length} 篇候选）`;
    board.setAttribute("aria-busy", "false");
  }

  // Once the term is counted: the related wordings that do occur, each with its places by year and a link to look it up.
  async function lookRelated(id) {
    const [term] = terms, variants = variantsOf(term, wordings);
    const facts = {};
    for (const name of ["kind", "issuer"]) if (form.elements[name].value) facts[name] = form.elements[name].value;
    const found = await relatedCandidates(idx, term, variants, facts);
    const places = {};  // wording → year → places
    for (const n of found.slice(0, RELATED_MOST)) {
      const hit = await confirmRelated(idx, n, term, variants);
      if (id !== run) return;
      if (!hit) continue;
      const year = String(hit.text.year);
      for (const wording of hit.wordings) {
        const count = hit.holding.flatMap((part) => passages(part, [wording])).length;
        places[wording] ??= {};
        places[wording][year] = (places[wording][year] ?? 0) + count;
        related[year] ??= {};
        related[year][wording] = (related[year][wording] ?? 0) + count;
      }
    }
    if (id !== run || !Object.keys(places).length) return;
    drawChart();
    const box = element("section", "annals-said-related");
    box.append(element("h2", "", "相关说法"), element("p", "annals-hint",
      `与${words}字序相同、中间隔了几个字，或编辑列为同一件事的说法；不计入上面${words}的次数。点一个说法，看它历年的原文。`
      + (found.length > RELATED_MOST ? `（只核对了最新的 ${RELATED_MOST} 篇候选。）` : "")));
    const list = element("ul");
    for (const [wording, byYear] of Object.entries(places).sort((a, b) => sum(b[1]) - sum(a[1]))) {
      const li = element("li");
      const link = element("a", "", wording);
      const query = new URLSearchParams({ q: wording });
      for (const name of ["kind", "issuer"]) if (form.elements[name].value) query.set(name, form.elements[name].value);
      link.href = "?" + query.toString();
      const years = Object.keys(byYear).sort().reverse().map((y) => `${y}年 ${byYear[y]} 处`).join("，");
      li.append(link, `：共 ${sum(byYear)} 处（${years}）`);
      list.append(li);
    }
    box.append(list);
    board.insertBefore(box, board.querySelector(".annals-said-years"));
  }

  async function look() {
    const id = ++run;
    terms = termsOf(input.value);
    words = quoted(input.value);
    const query = new URLSearchParams();
    for (const name of ["q", "kind", "issuer"]) if (form.elements[name].value) query.set(name, form.elements[name].value.trim());
    history.replaceState(null, "", "?" + query.toString());
    board.replaceChildren();
    pending = []; checked = 0; tally = {}; years = new Map(); related = {};
    more.hidden = true;
    const wanted = keysOf(terms);
    if (!terms.length || !wanted.length) {
      status.textContent = terms.length ? "请输入汉字、字母或数字：单独的标点符号无法查找。" : "请输入一个词语，如：大班额、课后服务；多个词用空格分开。";
      board.setAttribute("aria-busy", "false");
      return;
    }
    const figure = element("figure", "annals-said-chart");
    chart = element("ol");
    for (const year of yearsOf(form.elements.issuer.value)) {
      const row = element("li");
      row.dataset.key = year;
      const link = element("a", "annals-said-year-link", `${year}年`);
      link.href = `#y${year}`;
      const bar = element("span", "annals-said-bar");
      bar.append(element("span"));
      row.append(link, bar, element("span", "annals-said-count", "…"));
      chart.append(row);
    }
    figure.append(element("figcaption"), chart);
    board.append(figure, element("div", "annals-said-years"));
    status.textContent = "正在查找…";
    board.setAttribute("aria-busy", "true");
    const facts = {};
    for (const name of ["kind", "issuer"]) if (form.elements[name].value) facts[name] = form.elements[name].value;
    try {
      idx = await loadIndex();
      const found = await candidates(idx, wanted, facts);
      if (id !== run) return;
      pending = found.reverse();  // newest first
      await check(id);
    } catch (error) {
      if (id === run) { status.textContent = failed(error, "查找"); board.setAttribute("aria-busy", "false"); }
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); look(); });
  for (const name of ["kind", "issuer"]) form.elements[name].addEventListener("change", look);
  more.addEventListener("click", () => check(run));
  if (input.value) look(); else { board.setAttribute("aria-busy", "false"); input.focus(); }
}

setup();
