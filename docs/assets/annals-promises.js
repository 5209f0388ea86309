// annals: the promise tracker's filters combine. Without this script a filter is an anchor of the list
// (#annals-f-status-kept) that the page's style answers, one at a time; with it, a click chooses that value (a second
// click clears it), the dimensions combine (已完成 · 国务院 · 2016年), and the address keeps the choice
// (?status=kept&issuer=state-council) so that it can be shared and comes back on reload.
const tracker = document.querySelector(".annals-tracker");
const links = tracker ? [...tracker.querySelectorAll(".annals-filter a[data-value][href^='#']")] : [];
if (links.length) {
  tracker.classList.add("annals-js");  // the style's one-at-a-time filters step aside
  const status = tracker.querySelector(".annals-tracker-status");
  const items = [...tracker.querySelectorAll(".annals-promise")];
  const groups = [...tracker.querySelectorAll(".annals-promise-plan, .annals-promise-issuer")];
  const chosen = new Map();  // dimension → value
  const dimensionOf = (link) => link.closest(".annals-filter").dataset.dimension;

  // Whether an item is chosen by every dimension but ``except`` (a chip counts what choosing it would show).
  const chosenBy = (item, except) => [...chosen].every(([dimension, value]) => dimension === except || item.dataset[dimension] === value);
  const overall = tracker.querySelector(".annals-promise-bar .annals-count");  // 共 187 项：已完成 43，…
  const whole = overall?.textContent;

  function apply() {
    let shown = 0;
    for (const item of items) {
      item.hidden = !chosenBy(item, null);
      shown += !item.hidden;
    }
    // Each chip counts the promises it would show beside the other choices: 已完成 follows 溆浦县教育局.
    for (const link of links) {
      const dimension = dimensionOf(link);
      const n = items.filter((i) => chosenBy(i, dimension) && i.dataset[dimension] === link.dataset.value).length;
      link.querySelector(".annals-count").textContent = n;
      link.classList.toggle("annals-none", n === 0);
    }
    if (overall) {
      const statuses = links.filter((l) => dimensionOf(l) === "status" && !l.classList.contains("annals-none"))
        .map((l) => `${l.firstChild.textContent.trim()} ${items.filter((i) => !i.hidden && i.dataset.status === l.dataset.value).length}`)
        .filter((text) => !text.endsWith(" 0"));
      overall.textContent = chosen.size ? `所选的 ${shown} 项：${statuses.join("，")}` : whole;
    }
    for (const group of groups) group.hidden = !group.querySelector(".annals-promise:not([hidden])");
    const names = [];
    for (const link of links) {
      const on = chosen.get(dimensionOf(link)) === link.dataset.value;
      link.setAttribute("aria-pressed", String(on));
      if (on) names.push(link.firstChild.textContent.trim());
    }
    status.textContent = chosen.size ? `${names.join(" · ")}：${shown} 项承诺（共 ${items.length} 项）。` : `共 ${items.length} 项承诺。`;
  }

  function remember() {
    const query = new URLSearchParams([...chosen]).toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
  }

  for (const link of links) {
    link.setAttribute("role", "button");
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const dimension = dimensionOf(link);
      if (chosen.get(dimension) === link.dataset.value) chosen.delete(dimension);
      else chosen.set(dimension, link.dataset.value);
      apply();
      remember();
    });
  }
  // The choice in the address: ?status=kept&issuer=…, or one filter's anchor followed without the script.
  const params = new URLSearchParams(location.search);
  const anchor = decodeURIComponent(location.hash.slice(1));
  for (const link of links) {
    const dimension = dimensionOf(link);
    if (params.get(dimension) === link.dataset.value || anchor === `annals-f-${dimension}-${link.dataset.value}`) {
      chosen.set(dimension, link.dataset.value);
    }
  }
  apply();
  if (anchor.startsWith("annals-f-")) remember();
}
