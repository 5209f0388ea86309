// annals: a table wider than its column (a hand-written one, on a phone) scrolls sideways inside its own box, and says
// so: a line above it, and the box takes keyboard focus so it can be scrolled without a pointer. annals' own tables
// carry their verdicts as cards on a phone (annals-stack) and seldom need it. Material wraps a page's Markdown tables
// in .md-typeset__scrollwrap once its script has run: looked at after the page has loaded, and again on resizing.
"use strict";
(() => {
  const HINT = "表格较宽：可左右滑动查看 →";
  function mark() {
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap, .annals-table-wrap")) {
      const wide = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
      let hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("annals-scroll-hint")) {
        if (!wide) continue;
        hint = document.createElement("p");
        hint.className = "annals-scroll-hint";
        hint.textContent = HINT;
        box.before(hint);
      }
      hint.hidden = !wide;
      if (wide) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格，可左右滑动");
      }
    }
  }
  let timer;
  if (document.readyState === "complete") mark(); else addEventListener("load", mark, { once: true });
  addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(mark, 200); });
})();
