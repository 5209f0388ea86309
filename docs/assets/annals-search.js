// The search page of the archive: the form, its filters, and the results, confirmed a page at a time
// (annals-find.js does the finding). The address keeps the query (?q=…), so a search can be shared.

import {
  candidates, confirmRelated, confirmed, failed, hitElement, keysOf, loadIndex, quoted, RELATED_MOST, relatedCandidates, termsOf,
  variantsOf,
} from "./annals-find.js";

const PAGE_SIZE = 5;       // results confirmed and shown at a time: each costs a download of its text
const MAX_CHECKED = 15;    // candidates checked per request when they turn out not to contain the terms

function setup() {
  const form = document.querySelector(".annals-search-form");
  if (!form) return;
  const input = form.elements.q;
  const status = document.querySelector(".annals-search-status");
  const list = document.querySelector(".annals-search-results");
  const more = document.querySelector(".annals-search-more");
  const said = document.querySelector(".annals-said-link");  // the same terms on the 历年说法 page
  const relatedBox = document.querySelector(".annals-search-related");  // other wordings, when a term is not found
  const wordings = JSON.parse(relatedBox.dataset.wordings);
  let run = 0;        // the current search; older ones stop when a newer starts
  let pending = [];   // places of candidates not yet confirmed
  let idx;            // the loaded index
  let shown = 0, terms = [];

  const params = new URLSearchParams(location.search);
  for (const name of ["q", "year", "kind", "issuer", "sort"]) if (params.has(name)) form.elements[name].value = params.get(name);

  function say(text) { status.textContent = text; }

  async function showMore(id) {
    more.hidden = true;
    list.setAttribute("aria-busy", "true");
    let checked = 0;
    // Until a page of results is shown; past candidates that turn out not to contain the terms, on until the first
    // hit or the last candidate, so a search never stops at "none yet" waiting for a press.
    while (pending.length && id === run && (checked < MAX_CHECKED || !shown)) {
      if (checked) say(`正在核对…已核对 ${checked} 篇候选，还有 ${pending.length} 篇。`);
      const batch = pending.splice(0, PAGE_SIZE);
      let found = 0;
      for await (const [, hit] of confirmed(idx, batch, terms, PAGE_SIZE)) {
        if (id !== run) return;
        if (hit) { list.append(hitElement(hit, terms)); found++; }
      }
      checked += batch.length;
      shown += found;
      if (found) break;  // a page of results is on screen; the rest on request
    }
    if (id !== run) return;
    const words = quoted(input.value);
    // Counted exactly as far as checked: the rest are candidates (reports whose index entries hold every piece of
    // the terms), said to be so, not counted as hits.
    if (pending.length) say(`已找到 ${shown} 篇报告包含${words}；另有 ${pending.length} 篇候选尚未核对（按“显示更多”继续）。`);
    else say(shown ? `共 ${shown} 篇报告包含${words}。` : `没有找到这个词：没有报告逐字含有${words}。`);
    if (!shown && !pending.length && terms.length === 1) await offerRelated(id, filtersOf());
    if (id !== run) return;
    more.hidden = pending.length === 0;
    list.setAttribute("aria-busy", "false");
  }

  // Nothing holds the term: the related wordings that do occur (annals-find.js), each with its reports, linked.
  async function offerRelated(id, filters) {
    const [term] = terms, variants = variantsOf(term, wordings);
    const found = await relatedCandidates(idx, term, variants, filters);
    const reports = {};  // wording → reports holding it
    for (const n of found.slice(0, RELATED_MOST)) {
      const hit = await confirmRelated(idx, n, term, variants);
      if (id !== run) return;
      for (const wording of hit?.wordings ?? []) reports[wording] = (reports[wording] ?? 0) + 1;
    }
    if (id !== run || !Object.keys(reports).length) return;
    const items = Object.entries(reports).sort((a, b) => b[1] - a[1]).map(([wording, n]) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      const query = new URLSearchParams({ q: wording, ...filters });
      link.href = "?" + query.toString();
      link.textContent = wording;
      li.append(link, `（${n} 篇报告）`);
      return li;
    });
    const head = document.createElement("p");
    head.textContent = `相关说法（与所查的词字序相同、中间隔了几个字，或编辑列为同一件事的说法；不算作这个词）：`;
    const ul = document.createElement("ul");
    ul.append(...items);
    relatedBox.replaceChildren(head, ul);
    relatedBox.hidden = false;
  }

  function filtersOf() {
    const filters = {};
    for (const name of ["year", "kind", "issuer"]) if (form.elements[name].value) filters[name] = form.elements[name].value;
    return filters;
  }

  function settle(text) {
    say(text);
    list.setAttribute("aria-busy", "false");
  }

  async function search() {
    const id = ++run;
    terms = termsOf(input.value);
    const query = new URLSearchParams();
    for (const name of ["q", "year", "kind", "issuer", "sort"]) if (form.elements[name].value) query.set(name, form.elements[name].value);
    history.replaceState(null, "", "?" + query.toString());
    list.replaceChildren();
    relatedBox.replaceChildren();
    relatedBox.hidden = true;
    pending = []; shown = 0; more.hidden = true;
    if (said) {
      said.hidden = !terms.length;
      said.querySelector("a").search = "?" + new URLSearchParams({ q: input.value.trim() }).toString();
    }
    if (!terms.length) { settle("请输入要查找的词语，多个词用空格分开。"); return; }
    const wanted = keysOf(terms);
    if (!wanted.length) { settle("请输入汉字、字母或数字：单独的标点符号无法查找。"); return; }
    say("正在搜索…");
    list.setAttribute("aria-busy", "true");
    const filters = filtersOf();
    const direction = form.elements.sort.value === "date-asc" ? 1 : -1;  // newest first unless asked
    try {
      idx = await loadIndex();
      const found = await candidates(idx, wanted, filters);
      if (id !== run) return;
      pending = found.sort((a, b) => (a - b) * direction);
      await showMore(id);
    } catch (error) {
      if (id === run) settle(failed(error, "搜索"));
    }
  }

  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 300); });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); search(); });
  for (const name of ["year", "kind", "issuer", "sort"]) form.elements[name].addEventListener("change", search);
  more.addEventListener("click", () => showMore(run));
  if (input.value) search(); else { list.setAttribute("aria-busy", "false"); input.focus(); }
}

setup();
