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

  function apply() {
    let shown = 0;
    for (const item of items) {
      item.hidden = ![...chosen].every(([dimension, value]) => item.dataset[dimension] === value);
      shown += !item.hidden;
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
