// annals: a search result's link (…/?hl=大班额#s1-2) lands on the words it found. The term's first place at or after
// the section (its n-th with &n=, as 历年说法 links each passage) is marked and scrolled to. Matching is the search's
// (annals-find.js, normalise): full- and half-width forms alike, white space and line breaks ignored, a linked number
// inside the words (1314万人 across a link) no obstacle. Only text nodes are wrapped: the page's words stay text.
"use strict";
(() => {
  const params = new URLSearchParams(location.search);
  const term = params.get("hl");
  const article = document.querySelector("article");
  if (!term || !article) return;
  const normalise = (s) => s.normalize("NFKC").replace(/[\u200b\u200c\u200d\u2060\ufeff\u00ad\s\x1c-\x1f\x85]/gu, "").toLowerCase();
  const wanted = normalise(term);
  let skip = Math.max(1, parseInt(params.get("n"), 10) || 1) - 1;  // earlier places of the term to pass over
  if (!wanted) return;
  const start = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const blocks = [...article.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, td, dd")].filter((b) =>
    !b.querySelector("p, li, h2, h3, h4, td") && !b.closest(".annals-outline") && (!start || start === b || start.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
  const nodes = [], chars = [];  // the text of the blocks, in order; each character of its normalised words: [node, offset]
  let words = "";
  for (const block of blocks) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(".headerlink")) continue;
      nodes.push(n);
      for (let i = 0; i < n.data.length; i++) {
        const c = normalise(n.data[i]);
        for (let k = 0; k < c.length; k++) chars.push([n, i]);
        words += c;
      }
    }
  }
  let at = words.indexOf(wanted);  // across paragraphs too, as the search matches (各位代表：/现在，…)
  for (; at >= 0 && skip > 0; skip--) at = words.indexOf(wanted, at + wanted.length);
  if (at < 0) return;
  const [first, last] = [chars[at], chars[at + wanted.length - 1]];
  const marks = [];
  for (let k = nodes.indexOf(first[0]); k <= nodes.indexOf(last[0]); k++) {  // wrap the found part of each text node
    const node = nodes[k];
    const from = node === first[0] ? first[1] : 0, to = node === last[0] ? last[1] + 1 : node.data.length;
    if (from >= to) continue;
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const mark = document.createElement("mark");
    mark.className = "annals-landing";
    range.surroundContents(mark);
    marks.push(mark);
  }
  if (!marks.length) return;
  marks[0].setAttribute("tabindex", "-1");
  // After the browser has scrolled to the #section itself (it does so once the page has loaded).
  const land = () => { marks[0].scrollIntoView({ block: "center" }); marks[0].focus({ preventScroll: true }); };
  if (document.readyState === "complete") setTimeout(land, 0);
  else addEventListener("load", () => setTimeout(land, 0), { once: true });
})();
