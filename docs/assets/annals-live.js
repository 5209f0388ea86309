// The header's search box shows results as one types, as Material's own search does: the newest reports that hold
// every term (confirmed, exact), under the box. Enter, or 查看全部结果, opens the search page with the query; without
// script the box is still a plain form to it. On a phone the box is folded into its magnifier, which opens the
// search page, where results also come as one types. The finding is annals-find.js's, loaded on the first keystroke.

const SHOWN = 5;        // results under the box
const MOST_CHECKED = 40; // candidates confirmed at most before sending the reader to the search page
const WAIT = 250;        // ms after the last keystroke

function setup() {
  const form = document.querySelector(".annals-header-search");
  if (!form) return;
  const input = form.elements.q;
  const panel = document.createElement("div");
  panel.className = "annals-live";
  panel.id = "annals-live";
  panel.hidden = true;
  const status = document.createElement("p");
  status.className = "annals-live__status";
  status.setAttribute("role", "status");
  const list = document.createElement("ol");
  list.className = "annals-live__results";
  const links = document.createElement("p");
  links.className = "annals-live__links";
  const all = document.createElement("a");
  all.textContent = "查看全部结果";
  const said = document.createElement("a");
  said.textContent = "历年说法";
  links.append(all, said);
  panel.append(status, list, links);
  form.append(panel);
  input.setAttribute("aria-controls", panel.id);  // the results announce themselves (role=status); ↓ reaches them
  const saidPage = new URL(form.dataset.said, form.action);

  let find, run = 0, timer;
  const close = () => { run++; panel.hidden = true; };
  const open = () => { panel.hidden = false; };

  async function show() {
    const id = ++run;
    const query = input.value.trim();
    if (!query) { close(); return; }
    const search = "?" + new URLSearchParams({ q: query }).toString();
    all.href = new URL(search, form.action).href;
    said.href = new URL(search, saidPage).href;
    list.replaceChildren();
    open();
    status.textContent = "正在搜索…";
    try {
      find ??= import("./annals-find.js");
      const { candidates, confirmed, hitElement, loadIndex, quoted, termsOf, keysOf } = await find;
      const terms = termsOf(query), wanted = keysOf(terms);
      if (!wanted.length) { status.textContent = "请输入汉字、字母或数字：单独的标点符号无法查找。"; return; }
      const idx = await loadIndex();
      const places = (await candidates(idx, wanted, {})).reverse();  // newest first
      if (id !== run) return;
      const said = quoted(query);
      let shown = 0, checked = 0;
      for await (const [, hit] of confirmed(idx, places.slice(0, MOST_CHECKED), terms, SHOWN)) {
        if (id !== run) return;
        checked++;
        if (hit && shown < SHOWN) { list.append(hitElement(hit, terms, { withOthers: false })); shown++; }
        if (shown === SHOWN) break;
        if (!shown) status.textContent = `正在核对…已核对 ${checked} 篇候选，还有 ${places.length - checked} 篇。`;
      }
      if (id !== run) return;
      const rest = places.length - checked;
      if (!rest) status.textContent = shown ? `共 ${shown} 篇报告包含${said}。` : `没有找到这个词：没有报告逐字含有${said}。`;
      else if (shown) status.textContent = `最新的 ${shown} 篇报告包含${said}；按回车查看全部结果。`;
      else status.textContent = `已核对的 ${checked} 篇候选都不包含${said}；按回车在搜索页核对其余 ${rest} 篇。`;
    } catch (error) {
      if (id === run) status.textContent = await find.then((f) => f.failed(error, "搜索"), () => `搜索出错，请稍后再试（${error.message}）。`);
    }
  }

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(show, WAIT); });
  input.addEventListener("click", () => { if (input.value.trim() && list.children.length) open(); });  // back to the results
  form.addEventListener("keydown", (event) => {
    const items = [input, ...panel.querySelectorAll("a")];
    const at = items.indexOf(document.activeElement);
    if (event.key === "Escape") { close(); input.focus(); event.preventDefault(); }
    else if (event.key === "ArrowDown" && !panel.hidden && at >= 0) { items[Math.min(at + 1, items.length - 1)].focus(); event.preventDefault(); }
    else if (event.key === "ArrowUp" && at > 0) { items[at - 1].focus(); event.preventDefault(); }
  });
  form.addEventListener("focusout", (event) => { if (!form.contains(event.relatedTarget)) close(); });
  form.addEventListener("submit", () => { clearTimeout(timer); close(); });
  document.addEventListener("click", (event) => { if (!form.contains(event.target)) close(); });
}

setup();
