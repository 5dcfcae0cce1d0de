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
