// healthgap's only page script: start NHS.UK frontend components and send the CSRF token
// with HTMX requests. Loaded as a module, so it runs after the document is parsed; no inline
// scripts anywhere (the Content-Security-Policy allows only 'self').
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// htmx 4 names this event "htmx:config:request" and puts the request in detail.ctx.
document.body.addEventListener("htmx:config:request", (event) => {
  event.detail.ctx.request.headers["X-CSRFToken"] = document.body.dataset.csrfToken;
});

// Phones: a table or chart wider than the screen scrolls inside its own region, never the
// whole page, and charts keep their text size (at least 12 px) instead of shrinking. A region
// that scrolls takes keyboard focus (so it can be scrolled without a mouse) and is named after
// the table's caption or the chart's title.
const WIDE = "table.nhsuk-table, svg.hg-chart, svg.hg-bar-chart";

function regionName(element) {
  const caption = element.caption || element.querySelector("title");
  const text = caption ? caption.textContent.trim().split(":")[0] : "";
  return `${text || "Table"} (scrolls sideways)`;
}

function focusIfScrolling(region) {
  const scrolls = region.scrollWidth > region.clientWidth;
  if (scrolls) region.setAttribute("tabindex", "0");
  else region.removeAttribute("tabindex");
}

function wrapWide(root) {
  root.querySelectorAll(WIDE).forEach((element) => {
    if (element.closest(".hg-scroll, .nhsuk-table-responsive")) return;
    const region = document.createElement("div");
    region.className = "hg-scroll";
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", regionName(element));
    element.parentNode.insertBefore(region, element);
    region.appendChild(element);
  });
  document.querySelectorAll(".hg-scroll").forEach(focusIfScrolling);
}
wrapWide(document);
window.addEventListener("resize", () => document.querySelectorAll(".hg-scroll").forEach(focusIfScrolling));
for (const name of ["htmx:after:swap", "htmx:afterSwap"]) {
  document.body.addEventListener(name, (event) => wrapWide(event.target));
}
