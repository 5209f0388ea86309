// Search page of the archive: exact Chinese terms over a Pagefind index.
//
// The index holds, per report, the two-character pieces of its text as ASCII
// tokens (hooks/annals/search.py; `normalise`, `tokens` and `partOf` below
// mirror it), cut in parts by piece, a page of the index a group of reports.
// A query asks for the reports holding each of its pieces, keeps the reports
// named every time, then confirms each candidate against the report's text, so
// a report is listed only if it contains each term exactly, and none that does
// is missed.

const ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
// A run: letters and digits, and a point between digits, so "6.5" is one (search.py, `pieces`).
const RUN = /(?:[\p{L}\p{N}]|(?<=\p{Nd})\.(?=\p{Nd}))+/gu;
const BASE = 26, WIDTH = 4;
const MARKER = "9m";      // begins each report's words on a page of the index (search.py)
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

// The tokens a report holding `text` must have: every overlapping pair of
// characters of each run, or a lone character (the index has both: search.py,
// `pieces`). Pairs leave few false candidates, and each costs a download of its text.
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

// The part of the index a token is in, from the codes of its characters (search.py, part_of).
export function partOf(token, parts) {
  let code = 0;
  for (let at = 0; at < token.length; at += WIDTH) {
    code = code * 31 + [...token.slice(at, at + WIDTH)].reduce((n, letter) => n * BASE + letter.charCodeAt(0) - 97, 0);
  }
  return code % parts;
}

const site = new URL("..", import.meta.url);  // this script is in assets/: works under any sub-path
let index;  // a promise: searches started while the index loads share the one load

// The bundle's manifest (the parts, the page size, the common pieces, the facts, where the texts are) and Pagefind itself.
function loadIndex() {
  index ??= (async () => {
    const response = await fetch(new URL("pagefind/annals.json", site), { cache: "no-cache" });
    // No index is written for an archive without reports (search.py).
    if (!response.ok) throw new Error("索引不存在：档案中可能还没有报告");
    const manifest = await response.json();
    manifest.common = new Set(manifest.common.split(" "));
    const pagefind = await import(new URL("pagefind/pagefind.js", site).href);
    let start;
    const started = new Promise((resolve) => { start = resolve; });
    return { manifest, pagefind, parts: new Map(), starts: new Map(), started, start };
  })().catch((error) => { index = undefined; throw error; });
  return index;
}

// Part k of the index is the language x-annals-k of the one bundle (search.py). Pagefind's createInstance
// takes an index's language from <html lang> (1.5 has no option for it), so the attribute names the part
// for the length of that call. Instances share one WebAssembly module, which two starting at once would
// each start (searches then fail with "memory access out of bounds"); an instance has started once it has
// answered a search, so until the first part has, the others wait.
function part(idx, k) {
  if (!idx.parts.has(k)) {
    const after = idx.parts.size ? idx.started : undefined;
    idx.parts.set(k, (async () => {
      await after;
      const html = document.documentElement, lang = html.lang;
      let instance;
      try {
        html.lang = `x-annals-${k}`;
        instance = idx.pagefind.createInstance();
      } finally {
        html.lang = lang;
      }
      await instance.init();
      return instance;
    })());
  }
  return idx.parts.get(k);
}

const place = (id) => parseInt(id, 36);

// Where each report's words begin on each page of part k: the locations of its markers, by page.
function starts(idx, k, pf) {
  if (!idx.starts.has(k)) {
    idx.starts.set(k, pf.search(MARKER).then(({ results }) =>
      new Map(results.map((page) => [place(page.id), Float64Array.from(page.words).sort()]))));
  }
  return idx.starts.get(k);
}

// The places of the reports whose words in part k include `token`. A result is a page, a group of
// reports in date order; a location on it is in the report of the last marker before it.
async function holders(idx, k, token) {
  const pf = await part(idx, k);
  try {
    const [found, begun] = await Promise.all([pf.search(token), starts(idx, k, pf)]);
    const out = new Set();
    for (const page of found.results) {
      const marks = begun.get(place(page.id)), first = place(page.id) * idx.manifest.group;
      for (const at of page.words) {
        let low = 0, high = marks.length;  // the first marker after `at`
        while (low < high) { const mid = (low + high) >> 1; if (marks[mid] <= at) low = mid + 1; else high = mid; }
        out.add(first + low - 1);
      }
    }
    return out;
  } finally {
    idx.start();  // the module runs (or will not): other parts may load
  }
}

// The places of the reports holding every token in `wanted` and with the `facts` asked for. A common token's
// search names the reports without it (search.py, write_index); a fact's is in the first part.
async function candidates(idx, wanted, facts) {
  const { parts, common, reports } = idx.manifest;
  const having = [], lacking = [];
  for (const token of wanted) {
    const k = partOf(token, parts);
    if (common.has(token)) lacking.push([k, (token.length === WIDTH ? "1" : "0") + token]);
    else having.push([k, token]);
  }
  for (const [name, value] of Object.entries(facts)) {
    const words = idx.manifest.facts[name] ?? {};
    if (!Object.prototype.hasOwnProperty.call(words, value)) return [];  // no report has it
    having.push([0, words[value]]);
  }
  const [kept, dropped] = await Promise.all([having, lacking].map((asks) => Promise.all(asks.map(([k, t]) => holders(idx, k, t)))));
  kept.sort((a, b) => a.size - b.size);
  const start = kept.length ? [...kept[0]] : Array.from({ length: reports }, (_, n) => n);
  return start.filter((n) => kept.every((places) => places.has(n)) && !dropped.some((places) => places.has(n)));
}

// A report's text is named by its place, in base 36 (search.py, result_id), so Pagefind's own fragment is never needed.
async function fetchText(idx, n) {
  const path = `${idx.manifest.texts}${n.toString(36)}.json`;
  const response = await fetch(new URL(path, site));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// A candidate confirmed against its text: null if some term is not in it, else where the first term first occurs.
async function confirm(idx, n, terms) {
  const text = await fetchText(idx, n);
  const parts = [{ anchor: "", heading: "", body: mapped(text.title) },
    ...text.sections.map(([anchor, heading, body]) => ({ anchor, heading, body: mapped(heading + "\n" + body) }))];
  const whole = parts.map((p) => p.body.norm).join("\n");
  if (!terms.every((t) => whole.includes(t))) return null;
  const holding = parts.filter((p) => terms.some((t) => p.body.norm.includes(t)));
  return { text, part: holding[0], others: holding.slice(1) };
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

// The term a result lands on: its report page marks the term's first place in the section and scrolls to it
// (assets/annals-landing.js reads ?hl=), so the reader arrives at the words, not at the top of the section.
function landing(part, terms) {
  const norm = part.body.norm;
  let first = norm.length, term = "";
  for (const t of terms) { const at = norm.indexOf(t); if (at >= 0 && at < first) { first = at; term = t; } }
  return term ? "?hl=" + encodeURIComponent(term) : "";
}

const OTHERS_SHOWN = 20;  // a report's further places listed under the first, folded

function hitElement({ text, part, others }, terms) {
  const li = document.createElement("li");
  li.className = "annals-hit";
  const a = document.createElement("a");
  a.className = "annals-hit__title";
  a.href = new URL(text.url, site).href + landing(part, terms) + (part.anchor ? "#" + part.anchor : "");
  a.textContent = text.title;
  const facts = document.createElement("div");
  facts.className = "annals-hit__facts";
  [text.year + "年", text.kind, text.issuer, text.date].forEach((fact, i) => {
    const span = document.createElement("span");
    span.className = "annals-fact";  // a date or a name never breaks inside
    span.textContent = fact;
    facts.append(...(i ? [" · ", span] : [span]));
  });
  li.append(a, facts, excerpt(part, terms));
  if (part.heading) {
    const where = document.createElement("div");
    where.className = "annals-hit__section";
    where.textContent = "见：" + part.heading;
    li.append(where);
  }
  if (others.length) {  // every other section that holds a term, folded: one tap lists them, each linked to its words
    const more = document.createElement("details");
    more.className = "annals-hit__more";
    const summary = document.createElement("summary");
    summary.textContent = `本报告另有 ${others.length} 处`;
    const places = document.createElement("ol");
    for (const other of others.slice(0, OTHERS_SHOWN)) {
      const place = document.createElement("li");
      const link = document.createElement("a");
      link.href = new URL(text.url, site).href + landing(other, terms) + (other.anchor ? "#" + other.anchor : "");
      link.textContent = other.heading || text.title;
      place.append(link, excerpt(other, terms));
      places.append(place);
    }
    more.append(summary, places);
    li.append(more);
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
      const hits = await Promise.all(batch.map((candidate) => confirm(idx, candidate, terms)));
      checked += batch.length;
      if (id !== run) return;
      const found = hits.filter(Boolean);
      for (const hit of found) list.append(hitElement(hit, terms));
      shown += found.length;
      if (found.length) break;  // a page of results is on screen; the rest on request
    }
    if (id !== run) return;
    const quoted = `“${terms.join("”“")}”`;
    // Counted exactly as far as checked: the rest are candidates (reports whose index parts hold every piece of
    // the terms), said to be so, not counted as hits.
    if (pending.length) say(`已找到 ${shown} 篇报告包含${quoted}；另有 ${pending.length} 篇候选尚未核对（按“显示更多”继续）。`);
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
    const direction = form.elements.sort.value === "date-asc" ? 1 : -1;  // newest first unless asked
    try {
      idx = await loadIndex();
      const found = await candidates(idx, wanted, filters);
      if (id !== run) return;
      pending = found.sort((a, b) => (a - b) * direction);
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
