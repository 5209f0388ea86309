// annals: the promise tracker filters in place. Without this script each filter is a link to its own static page
// (commitments/status/kept/, …/issuer/<id>/, …); with it, a click chooses that value (a second click clears it), the
// dimensions combine (已完成 · 国务院 · 2016年), and the address keeps the choice (?status=kept&issuer=state-council)
// so that it can be shared and comes back on reload.
const tracker = document.querySelector(".annals-tracker[data-chosen='false']");
if (tracker) {
  const status = tracker.querySelector(".annals-tracker-status");
  const items = [...tracker.querySelectorAll(".annals-promise")];
  const links = [...tracker.querySelectorAll(".annals-filter a[data-value]")];
  const chosen = new Map();  // dimension → value
  const params = new URLSearchParams(location.search);

  const dimensionOf = (link) => link.closest(".annals-filter").dataset.dimension;

  function apply() {
    let shown = 0;
    for (const item of items) {
      const keep = [...chosen].every(([dimension, value]) => item.dataset[dimension] === value);
      item.hidden = !keep;
      shown += keep;
    }
    for (const group of tracker.querySelectorAll(".annals-promise-plan, .annals-promise-issuer")) {
      group.hidden = !group.querySelector(".annals-promise:not([hidden])");
    }
    for (const link of links) {
      link.setAttribute("aria-pressed", String(chosen.get(dimensionOf(link)) === link.dataset.value));
    }
    const names = links.filter((l) => l.getAttribute("aria-pressed") === "true").map((l) => l.firstChild.textContent.trim());
    status.textContent = chosen.size ? `${names.join(" · ")}：${shown} 项承诺（共 ${items.length} 项）。` : `共 ${items.length} 项承诺。`;
  }

  function remember() {
    const query = new URLSearchParams([...chosen]).toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : "") + location.hash);
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
  for (const link of links) {
    if (params.get(dimensionOf(link)) === link.dataset.value) chosen.set(dimensionOf(link), link.dataset.value);
  }
  apply();
}
