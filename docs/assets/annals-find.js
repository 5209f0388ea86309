// Finding exact Chinese terms over the archive's search index: shared by the search page (annals-search.js),
// the header's live results (annals-live.js) and the page of what each year's reports said (annals-said.js).
//
// The index (hooks/annals/search.py; its files are specified in SEARCH_INDEX.md) lists, for every piece of the
// reports' text (a character, and two adjacent ones), the reports holding it; `normalise` and `keys` below mirror
// search.py. A query asks for the reports holding each of its pieces, keeps the reports named every time, then
// confirms each candidate against the report's text, so a report is listed only if it contains each term exactly,
// and none that does is missed. Every text from a report is set as text (textContent, append), never as markup.

// Dropped before matching, as search.py's IGNORED: invisible characters, and white space (Python's str.isspace),
// so a line or paragraph break, or a byline spaced with U+3000, hides no phrase.
const IGNORED = /[\u200b\u200c\u200d\u2060\ufeff\u00ad\s\x1c-\x1f\x85]/gu;
const SPACE = /[\s\x1c-\x1f\x85]+/u;
// A run: letters and digits, and a point between digits, so "6.5" is one (search.py, `pieces`).
const RUN = /(?:[\p{L}\p{N}]|(?<=\p{Nd})\.(?=\p{Nd}))+/gu;
const SPAN = 26 ** 4;     // characters are told apart by their code modulo SPAN (search.py)
const EXCERPT_BEFORE = 40; // characters of context around the first match
const EXCERPT_AFTER = 70;

export const normalise = (s) => s.normalize("NFKC").replace(IGNORED, "").toLowerCase();

const runs = (text) => [...text.matchAll(RUN)].map((m) => [...m[0]]);

const code = (ch) => ch.codePointAt(0) % SPAN;

// The keys of the pieces a report holding `text` must have: every overlapping pair of characters of each run
// ((first + 1) · SPAN + second), or a lone character (its code); the index has both (search.py, `pieces`). Pairs
// leave few false candidates, and each costs a download of its text.
export function keys(text) {
  const out = new Set();
  for (const run of runs(text)) {
    const codes = run.map(code);
    if (codes.length === 1) out.add(codes[0]);
    for (let i = 0; i + 1 < codes.length; i++) out.add((codes[i] + 1) * SPAN + codes[i + 1]);
  }
  return out;
}

// The terms of a query: split at spaces (full-width ones too), normalised, each once.
export const termsOf = (query) => [...new Set(query.split(SPACE).map(normalise).filter(Boolean))];

// The terms as the reader typed them, in quotes, for what a page says of them (“各位代表：现在”, not its normalised form).
export const quoted = (query) => {
  const seen = new Set(), words = [];
  for (const word of query.split(SPACE)) {
    const norm = normalise(word);
    if (norm && !seen.has(norm)) { seen.add(norm); words.push(word); }
  }
  return `“${words.join("”“")}”`;
};

// The keys of every term: none when the terms are only punctuation, which cannot be searched.
export const keysOf = (terms) => [...new Set(terms.flatMap((t) => [...keys(t)]))];

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

// What a page says when the archive has no reports yet (no index is written for none): not an error.
export const EMPTY = "档案中还没有报告，暂时没有可以查找的内容。";
export const failed = (error, doing) => (error.message === EMPTY ? EMPTY : `${doing}出错，请稍后再试（${error.message}）。`);

export const site = new URL("..", import.meta.url);  // this script is in assets/: works under any sub-path
let index;  // a promise: searches started while the index loads share the one load

// The index's manifest: the number of reports and of buckets, the facts' keys, the folder of texts and buckets.
export function loadIndex() {
  index ??= (async () => {
    const response = await fetch(new URL("search/manifest.json", site), { cache: "no-cache" });
    // No index is written for an archive without reports (search.py).
    if (response.status === 404) throw new Error(EMPTY);
    if (!response.ok) throw new Error(`search/manifest.json: ${response.status}`);
    const manifest = await response.json();
    if (manifest.format !== 1) throw new Error(`索引格式 ${manifest.format} 不是本页面认识的格式 1：请刷新页面`);
    return { manifest, buckets: new Map() };
  })().catch((error) => { index = undefined; throw error; });
  return index;
}

// The bucket a key is in, as bytes: downloaded once per page.
function bucket(idx, n) {
  if (!idx.buckets.has(n)) {
    idx.buckets.set(n, (async () => {
      const path = `${idx.manifest.texts}postings/${n}.bin`;
      const response = await fetch(new URL(path, site));
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    })().catch((error) => { idx.buckets.delete(n); throw error; }));
  }
  return idx.buckets.get(n);
}

// An unsigned LEB128 number at `at` in `bytes`: [value, where the next begins]. Keys pass 2^32: no bit operators.
function varint(bytes, at) {
  let value = 0, scale = 1, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte & 0x80);
  return [value, at];
}

// The reports' places a list names: varints (the first place, then each one's distance from the one before) or a bitmap.
function places(bytes, start, end, bitmap) {
  const out = new Set();
  if (bitmap) {
    for (let at = start; at < end; at++) {
      for (let bit = 0; bit < 8; bit++) if (bytes[at] & (1 << bit)) out.add((at - start) * 8 + bit);
    }
  } else {
    for (let at = start, place = 0; at < end;) { let gap; [gap, at] = varint(bytes, at); place += gap; out.add(place); }
  }
  return out;
}

// The reports holding `key`: { places, without } — `without` when the list names the reports that do not (a key most
// reports hold). A key no report holds is in no bucket.
async function holders(idx, key) {
  const bytes = await bucket(idx, key % idx.manifest.buckets);
  for (let at = 0, atKey = 0; at < bytes.length;) {
    let gap, head;
    [gap, at] = varint(bytes, at);
    [head, at] = varint(bytes, at);
    atKey += gap;
    const length = Math.floor(head / 4), end = at + length;
    if (atKey === key) return { places: places(bytes, at, end, head & 1), without: Boolean(head & 2) };
    if (atKey > key) break;
    at = end;
  }
  return { places: new Set(), without: false };
}

// The places of the reports holding every key in `wanted` and with the `facts` asked for, in date order (a place
// numbers a report by date). A fact (year, kind, issuer) is a key too, named in the manifest.
export async function candidates(idx, wanted, facts) {
  const asked = [...wanted];
  for (const [name, value] of Object.entries(facts)) {
    const named = idx.manifest.facts[name] ?? {};
    if (!Object.prototype.hasOwnProperty.call(named, value)) return [];  // no report has it
    asked.push(named[value]);
  }
  const lists = await Promise.all(asked.map((key) => holders(idx, key)));
  const kept = lists.filter((l) => !l.without).map((l) => l.places).sort((a, b) => a.size - b.size);
  const dropped = lists.filter((l) => l.without).map((l) => l.places);
  const start = kept.length ? [...kept[0]] : Array.from({ length: idx.manifest.reports }, (_, n) => n);
  return start.filter((n) => kept.every((p) => p.has(n)) && !dropped.some((p) => p.has(n))).sort((a, b) => a - b);
}

// A report's text is named by its place, in base 36 (search.py, result_id).
async function fetchText(idx, n) {
  const path = `${idx.manifest.texts}${n.toString(36)}.json`;
  const response = await fetch(new URL(path, site));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// A candidate confirmed against its text: null if some term is not in it, else the report's text and its parts
// (the title, marked `title`, then each section: heading and body; the text before the first heading has none)
// that hold a term, in order. A phrase never runs from one section into the next: a heading is a boundary.
export async function confirm(idx, n, terms) {
  const text = await fetchText(idx, n);
  const parts = [{ anchor: "", heading: "", body: mapped(text.title), title: true },
    ...text.sections.map(([anchor, heading, body]) => ({ anchor, heading, body: mapped(heading + "\n" + body) }))];
  if (!terms.every((t) => parts.some((p) => p.body.norm.includes(t)))) return null;
  return { text, holding: parts.filter((p) => terms.some((t) => p.body.norm.includes(t))) };
}

// Related wordings of a term, for a page that did not find it (in a year, or at all): the wordings the archive lists as
// the same thing (data/wordings.yml, given to the page), and the term's characters in order with a few others between
// them (棚户区住房改造 for 棚户区改造). Found by the same index and confirmed against the texts, never counted as the term.
const GAP = 3;            // other characters a related wording may put between two of the term's
export const RELATED_MOST = 200;  // candidates confirmed for related wordings (newest first): each a download

export const variantsOf = (term, groups) =>
  [...new Set(groups.filter((g) => g.map(normalise).includes(term)).flat().map(normalise))].filter((w) => w && w !== term);

function spaced(term) {
  const chars = [...term];
  if (chars.length < 3) return null;  // two characters apart are a coincidence, not a wording
  return new RegExp(chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(`[^。!?]{0,${GAP}}?`), "gu");
}

// The places of the reports that may hold a related wording, newest first: those holding a variant, or the term's
// first two and last two characters (a wording that spaces the term keeps its ends).
export async function relatedCandidates(idx, term, variants, facts) {
  const asked = variants.map((v) => keysOf([v]));
  const chars = [...term];
  if (chars.length >= 3) asked.push([...keys(chars.slice(0, 2).join("")), ...keys(chars.slice(-2).join(""))]);
  const found = await Promise.all(asked.filter((k) => k.length).map((k) => candidates(idx, k, facts)));
  return [...new Set(found.flat())].sort((a, b) => b - a);
}

// A candidate's related wordings: null if it holds none, else its text, the wordings it holds and the parts holding them.
export async function confirmRelated(idx, n, term, variants) {
  const text = await fetchText(idx, n);
  const parts = [{ anchor: "", heading: "", body: mapped(text.title), title: true },
    ...text.sections.map(([anchor, heading, body]) => ({ anchor, heading, body: mapped(heading + "\n" + body) }))];
  const pattern = spaced(term), wordings = new Set();
  for (const part of parts) {
    for (const v of variants) if (part.body.norm.includes(v)) wordings.add(v);
    if (pattern) for (const m of part.body.norm.matchAll(pattern)) if (m[0] !== term) wordings.add(m[0]);
  }
  if (!wordings.size) return null;
  const found = [...wordings];
  return { text, wordings: found, holding: parts.filter((p) => found.some((w) => p.body.norm.includes(w))) };
}

// Where the terms stand in a part: [start, end) in its normalised text, in order, not overlapping.
function matches(norm, terms, from = 0, to = norm.length) {
  const found = [];
  for (let i = from; i < to; i++) {
    const t = terms.find((term) => norm.startsWith(term, i));
    if (t) { found.push([i, Math.min(i + t.length, to)]); i += t.length - 1; }
  }
  return found;
}

// The first place a term stands in a part's normalised text, [start, end), or null: one native search a term, not a
// walk of every character (a section can be long, and each result asks twice: its excerpt and its link).
function firstMatch(norm, terms) {
  let best = null;
  for (const t of terms) {
    const at = norm.indexOf(t);
    if (at >= 0 && (!best || at < best[0])) best = [at, at + t.length];
  }
  return best;
}

// The original's words from `start` to `end` (in norm) into `element`, the marks marked; white space folded to one space.
function marked(element, body, start, end, marks) {
  const { raw, from } = body;
  const piece = (a, b) => raw.slice(from[a], from[b]).replace(/\s+/g, " ");
  let at = start;
  for (const [a, b] of marks) {
    element.append(piece(at, a));
    const mark = document.createElement("mark");
    mark.textContent = piece(a, b);
    element.append(mark);
    at = b;
  }
  element.append(piece(at, end));
  return element;
}

// The words around the first term in a part, the terms marked.
export function excerpt(part, terms) {
  const { norm } = part.body;
  const first = firstMatch(norm, terms)?.[0] ?? norm.length;
  const start = Math.max(0, first - EXCERPT_BEFORE), end = Math.min(norm.length, first + EXCERPT_AFTER);
  const p = document.createElement("p");
  p.className = "annals-hit__excerpt";
  if (start > 0) p.append("…");
  marked(p, part.body, start, end, matches(norm, terms, start, end));
  if (end < norm.length) p.append("…");
  return p;
}

// The sentences of a part that hold a term, each whole: [{start, end, marks, term, nth}] in its normalised text,
// where `term` is the first term in it and `nth` which place of that term in the part it is. A sentence ends at
// 。！？ or a line break of the original; a term that runs over a break takes both sentences.
export function passages(part, terms) {
  const { raw, norm, from } = part.body;
  const breaks = [0];  // where each sentence begins, in norm
  for (let i = 1; i < norm.length; i++) {
    if ("。!?".includes(norm[i - 1]) || raw.slice(from[i - 1], from[i]).includes("\n")) breaks.push(i);
  }
  breaks.push(norm.length);
  const lineOf = (i) => {  // the last sentence beginning at or before i
    let low = 0, high = breaks.length - 1;
    while (low < high) { const mid = (low + high + 1) >> 1; if (breaks[mid] <= i) low = mid; else high = mid - 1; }
    return low;
  };
  const out = [], seen = new Map();  // how many times each term has come before, for the link's &n=
  for (const [a, b] of matches(norm, terms)) {
    const term = norm.slice(a, b), nth = (seen.get(term) ?? 0) + 1;
    seen.set(term, nth);
    const first = lineOf(a), last = lineOf(b - 1);
    const previous = out[out.length - 1];
    if (previous && previous.lastLine >= first) {
      previous.end = Math.max(previous.end, breaks[last + 1]);
      previous.lastLine = Math.max(previous.lastLine, last);
      previous.marks.push([a, b]);
    } else {
      out.push({ start: breaks[first], end: breaks[last + 1], lastLine: last, marks: [[a, b]], term, nth });
    }
  }
  return out;
}

// A passage as an element of its own: its sentence(s), the terms marked.
export const passageElement = (tag, part, passage) => marked(document.createElement(tag), part.body, passage.start, passage.end, passage.marks);

// The address of a report that lands on a term in a part: its page marks the term's first place in the section and
// scrolls to it (assets/annals-landing.js reads ?hl=), so the reader arrives at the words, not the section's top.
export function landingHref(text, part, term, nth = 1) {
  const query = term ? "?hl=" + encodeURIComponent(term) + (nth > 1 ? "&n=" + nth : "") : "";
  return new URL(text.url, site).href + query + (part.anchor ? "#" + part.anchor : "");
}

// The first term to appear in a part.
export function firstTerm(part, terms) {
  const first = firstMatch(part.body.norm, terms);
  return first ? part.body.norm.slice(first[0], first[1]) : "";
}

// A report's year, kind, issuer and date, each kept whole on a line (a date or a name never breaks inside).
export function factsElement(text, className) {
  const facts = document.createElement("div");
  facts.className = className;
  [text.year + "年", text.kind, text.issuer, text.date].forEach((fact, i) => {
    const span = document.createElement("span");
    span.className = "annals-fact";
    span.textContent = fact;
    facts.append(...(i ? [" · ", span] : [span]));
  });
  return facts;
}

const OTHERS_SHOWN = 20;  // a report's further places listed under the first, folded

// A result: the report's title linked to the first place that holds a term, its facts, the excerpt there, and
// (with `others`) every other section that holds a term, folded: one tap lists them, each linked to its words.
export function hitElement({ text, holding: [part, ...others] }, terms, { withOthers = true } = {}) {
  const li = document.createElement("li");
  li.className = "annals-hit";
  const a = document.createElement("a");
  a.className = "annals-hit__title";
  a.href = landingHref(text, part, firstTerm(part, terms));
  a.textContent = text.title;
  li.append(a, factsElement(text, "annals-hit__facts"), excerpt(part, terms));
  if (part.heading) {
    const where = document.createElement("div");
    where.className = "annals-hit__section";
    where.textContent = "见：" + part.heading;
    li.append(where);
  }
  if (withOthers && others.length) {
    const more = document.createElement("details");
    more.className = "annals-hit__more";
    const summary = document.createElement("summary");
    summary.textContent = `本报告另有 ${others.length} 处`;
    const places = document.createElement("ol");
    for (const other of others.slice(0, OTHERS_SHOWN)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = landingHref(text, other, firstTerm(other, terms));
      link.textContent = other.heading || text.title;
      item.append(link, excerpt(other, terms));
      places.append(item);
    }
    more.append(summary, places);
    li.append(more);
  }
  return li;
}

// Each candidate confirmed (or not) in order, `atOnce` downloads at a time: yields [place, hit or null].
export async function* confirmed(idx, places, terms, atOnce = 5) {
  for (let i = 0; i < places.length; i += atOnce) {
    const batch = places.slice(i, i + atOnce);
    const hits = await Promise.all(batch.map((n) => confirm(idx, n, terms)));
    for (let k = 0; k < batch.length; k++) yield [batch[k], hits[k]];
  }
}
