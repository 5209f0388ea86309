// Search page of the archive: exact Chinese terms over a Pagefind index.
//
// The index holds, per report, the two-character pieces of its text as ASCII
// tokens (hooks/annals/search.py; `normalise` and `tokens` below mirror it).
// A query asks Pagefind for the reports holding every piece of every term,
// then confirms each candidate against the report's text, so a report is
// listed only if it contains each term exactly, and none that does is missed.

const ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
// A run: letters and digits, and a point between digits, so "6.5" is one (search.py, RUN).
const RUN = /(?:[\p{L}\p{N}]|(?<=\p{Nd})\.(?=\p{Nd}))+/gu;
const BASE = 26, WIDTH = 4;
const PAGE_SIZE = 5;       // results confirmed and shown at a time: each costs a download of its text
const MAX_CHECKED = 15;    // candidates checked per request when they turn out not to contain the terms
const EXCERPT_BEFORE = 40; // characters of context around the first match
const EXCERPT_AFTER = 70;

export const normalise = (s) => s.normalize("NFKC").replace(ZERO_WIDTH, "").toLowerCase();

const runs = (text) => [...text.matchAll(RUN)].map((m) => [...m[0]]);

function letters(ch) {
  let n = ch.codePointAt(0) % BASE ** WIDTH, out = "";
  for (let i = 0; i < WIDTH; i++) { out = String.fromCharCode(97 + (n % BASE)) + out; n = Math.floor(n / BASE); }
  return out;
}

// The tokens a report holding `text` must have: every overlapping piece of
// each run (a lone character is matched by prefix, which finds every
// occurrence: see search.py). Overlapping pieces leave few false candidates,
// and each false candidate costs a download of its text.
export function tokens(text) {
  const out = new Set();
  for (const run of runs(text)) {
    const codes = run.map(letters);
    if (codes.length === 1) out.add(codes[0]);
    for (let i = 0; i + 1 < codes.length; i++) out.add(codes[i] + codes[i + 1]);
  }
  return out;
}

// The terms of a query: normalised, split at spaces (full-width ones too), each once.
export const termsOf = (query) => [...new Set(normalise(query).split(/\s+/).filter(Boolean))];

// Text with each character normalised on its own, and where each came from, to mark matches in the original.
function mapped(raw) {
  let norm = "";
  const from = [];
  let i = 0;
  for (const ch of raw) {
    const n = normalise(ch);
    for (let k = 0; k < n.length; k++) from.push(i);
    norm += n;
    i += ch.length;
  }
  from.push(raw.length);
  return { raw, norm, from };
}

const site = new URL("..", import.meta.url);  // this script is in assets/: works under any sub-path
let pagefind;  // a promise: searches started while the index loads share the one load
// A large archive's index is written in parts (search.py, PART_REPORTS); Pagefind merges them.
function engine(parts) {
  pagefind ??= (async () => {
    // No index is written for an archive without reports (search.py).
    const pf = await import(new URL("pagefind/pagefind.js", site).href).catch(() => {
      throw new Error("索引不存在：档案中可能还没有报告");
    });
    await pf.init();
    for (let k = 2; k <= parts; k++) await pf.mergeIndex(new URL(`pagefind/part-${k}/`, site).href);
    return pf;
  })().catch((error) => { pagefind = undefined; throw error; });  // the next search tries again
  return pagefind;
}

// A result's id starts with its report's date (search.py, result_id): date order across every part.
const byDate = (direction) => (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (direction === "asc" ? 1 : -1);

// A result's text is named by its id (search.py), so Pagefind's own fragment is never needed.
async function fetchText(id) {
  const path = `search/${id}.json`;
  const response = await fetch(new URL(path, site));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// A candidate confirmed against its text: null if some term is not in it, else where the first term first occurs.
async function confirm(result, terms) {
  const text = await fetchText(result.id);
  const parts = [{ anchor: "", heading: "", body: mapped(text.title) },
    ...text.sections.map(([anchor, heading, body]) => ({ anchor, heading, body: mapped(heading + "\n" + body) }))];
  const whole = parts.map((p) => p.body.norm).join("\n");
  if (!terms.every((t) => whole.includes(t))) return null;
  const part = parts.find((p) => terms.some((t) => p.body.norm.includes(t)));
  return { text, part };
}

function excerpt(part, terms) {
  const { raw, norm, from } = part.body;
  let first = norm.length;
  for (const t of terms) { const at = norm.indexOf(t); if (at >= 0 && at < first) first = at; }
  const start = Math.max(0, first - EXCERPT_BEFORE), end = Math.min(norm.length, first + EXCERPT_AFTER);
  const marks = [];  // [start, end) in norm, within the window, not overlapping
  for (let i = start; i < end; i++) {
    const t = terms.find((term) => norm.startsWith(term, i));
    if (t) { marks.push([i, Math.min(i + t.length, end)]); i += t.length - 1; }
  }
  const p = document.createElement("p");
  p.className = "annals-hit__excerpt";
  const piece = (a, b) => raw.slice(from[a], from[b]).replace(/\s+/g, " ");
  if (start > 0) p.append("…");
  let at = start;
  for (const [a, b] of marks) {
    p.append(piece(at, a));
    const mark = document.createElement("mark");
    mark.textContent = piece(a, b);
    p.append(mark);
    at = b;
  }
  p.append(piece(at, end));
  if (end < norm.length) p.append("…");
  return p;
}

function hitElement({ text, part }, terms) {
  const li = document.createElement("li");
  li.className = "annals-hit";
  const a = document.createElement("a");
  a.className = "annals-hit__title";
  a.href = new URL(text.url, site).href + (part.anchor ? "#" + part.anchor : "");
  a.textContent = text.title;
  const facts = document.createElement("div");
  facts.className = "annals-hit__facts";
  facts.textContent = [text.year + "年", text.kind, text.issuer, text.date].join(" · ");
  li.append(a, facts, excerpt(part, terms));
  if (part.heading) {
    const where = document.createElement("div");
    where.className = "annals-hit__section";
    where.textContent = "见：" + part.heading;
    li.append(where);
  }
  return li;
}

function setup() {
  const form = document.querySelector(".annals-search-form");
  if (!form) return;
  const input = form.elements.q;
  const status = document.querySelector(".annals-search-status");
  const list = document.querySelector(".annals-search-results");
  const more = document.querySelector(".annals-search-more");
  let run = 0;        // the current search; older ones stop when a newer starts
  let pending = [];   // candidates not yet confirmed
  let shown = 0, total = 0, terms = [];

  const params = new URLSearchParams(location.search);
  for (const name of ["q", "year", "kind", "issuer", "sort"]) if (params.has(name)) form.elements[name].value = params.get(name);

  function say(text) { status.textContent = text; }

  async function showMore(id) {
    more.hidden = true;
    list.setAttribute("aria-busy", "true");
    let checked = 0;
    while (pending.length && id === run && checked < MAX_CHECKED) {
      const batch = pending.splice(0, PAGE_SIZE);
      const hits = await Promise.all(batch.map((r) => confirm(r, terms)));
      checked += batch.length;
      if (id !== run) return;
      const found = hits.filter(Boolean);
      total -= hits.length - found.length;
      for (const hit of found) list.append(hitElement(hit, terms));
      shown += found.length;
      if (found.length) break;  // a page of results is on screen; the rest on request
    }
    if (id !== run) return;
    const quoted = `“${terms.join("”“")}”`;
    if (!shown && pending.length) say(`尚未找到包含${quoted}的报告，还有 ${pending.length} 篇候选待核对。`);
    else if (pending.length) say(`约 ${total} 篇报告包含${quoted}，已显示 ${shown} 篇。`);
    else say(shown ? `共 ${shown} 篇报告包含${quoted}。` : `没有报告包含${quoted}。`);
    more.hidden = pending.length === 0;
    list.setAttribute("aria-busy", "false");
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
    pending = []; shown = 0; more.hidden = true;
    if (!terms.length) { settle("请输入要查找的词语，多个词用空格分开。"); return; }
    const wanted = [...new Set(terms.flatMap((t) => [...tokens(t)]))];
    if (!wanted.length) { settle("请输入汉字、字母或数字：单独的标点符号无法查找。"); return; }
    say("正在搜索…");
    list.setAttribute("aria-busy", "true");
    const filters = {};
    for (const name of ["year", "kind", "issuer"]) if (form.elements[name].value) filters[name] = form.elements[name].value;
    const sort = form.elements.sort.value.split("-")[1];  // "asc", "desc", or none: relevance
    try {
      const pf = await engine(Number(form.dataset.indexParts) || 1);
      const found = await pf.search(wanted.join(" "), { filters });
      if (id !== run) return;
      pending = sort ? found.results.sort(byDate(sort)) : found.results;
      total = pending.length;
      await showMore(id);
    } catch (error) {
      if (id === run) settle("搜索出错，请稍后再试（" + error.message + "）。");
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
