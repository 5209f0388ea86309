// annals: a search result's link (…/?hl=大班额#s1-2) lands on the words it found. The term's first place at or after
// the section is marked and scrolled to; whitespace and line breaks in the page do not hide it, nor a linked number
// inside it (1314万人 across a link). Only text nodes are wrapped: the page's words stay text.
"use strict";
(() => {
  const term = new URLSearchParams(location.search).get("hl");
  const article = document.querySelector("article");
  if (!term || !article) return;
  const wanted = term.replace(/\s+/g, "");
  const start = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const blocks = [...article.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, td, dd")].filter((b) =>
    !b.querySelector("p, li, h2, h3, h4, td") && (!start || start === b || start.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
  for (const block of blocks) {
    const nodes = [], chars = [];  // each non-space character of the block: [node, offset]
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(".headerlink")) continue;
      nodes.push(n);
      for (let i = 0; i < n.data.length; i++) if (!/\s/.test(n.data[i])) chars.push([n, i]);
    }
    const at = chars.map(([n, i]) => n.data[i]).join("").indexOf(wanted);
    if (at < 0) continue;
    const first = chars[at], last = chars[at + wanted.length - 1];
    const marks = [];
    for (const node of nodes) {  // wrap the part of each text node that lies in the found words
      const from = node === first[0] ? first[1] : 0, to = node === last[0] ? last[1] + 1 : node.data.length;
      const inside = (node === first[0] || first[0].compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) &&
        (node === last[0] || node.compareDocumentPosition(last[0]) & Node.DOCUMENT_POSITION_FOLLOWING);
      if (!inside || from >= to) continue;
      const range = document.createRange();
      range.setStart(node, from);
      range.setEnd(node, to);
      const mark = document.createElement("mark");
      mark.className = "annals-landing";
      range.surroundContents(mark);
      marks.push(mark);
    }
    if (marks.length) {
      marks[0].setAttribute("tabindex", "-1");
      // After the browser has scrolled to the #section itself (it does so once the page has loaded).
      const land = () => { marks[0].scrollIntoView({ block: "center" }); marks[0].focus({ preventScroll: true }); };
      if (document.readyState === "complete") setTimeout(land, 0);
      else addEventListener("load", () => setTimeout(land, 0), { once: true });
    }
    return;
  }
})();
