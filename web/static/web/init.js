// GOV.UK Frontend's components (the phone menu button, the error summary taking focus, ...).
// Every page works without this: it only enhances. Served from the npm lock, never a CDN.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
