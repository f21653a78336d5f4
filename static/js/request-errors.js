// A failed htmx request is never silent (docs/architecture.md, "htmx").
//
// htmx swaps nothing for a 4xx or 5xx answer (see the htmx-config meta tag in
// templates/base.html; 422 is swapped on purpose: a form with its errors), nor
// when the server cannot be reached, so what the user typed stays where it is.
// This says what happened, in the #request-errors region of the staff layout,
// whose data-* attributes hold the (translated) messages.
(function () {
  "use strict";

  function messageFor(region, status) {
    if (status === 403) return region.dataset.forbidden;
    if (status === 404) return region.dataset.notFound;
    if (status === 409) return region.dataset.conflict;
    const template = status >= 500 ? region.dataset.server : region.dataset.refused;
    return template.replace("{status}", String(status));
  }

  // The form or button whose request failed last.
  let failedElement = null;

  function region() {
    return document.getElementById("request-errors");
  }

  function requester(event) {
    return event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
  }

  function show(text, element) {
    const box = region();
    if (!box || !text) return;
    const alert = document.createElement("div");
    alert.className = "request-error";
    alert.setAttribute("role", "alert");
    const message = document.createElement("p");
    message.textContent = text;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button";
    dismiss.textContent = box.dataset.dismiss;
    dismiss.addEventListener("click", function () {
      alert.remove();
    });
    alert.append(message, dismiss);
    box.replaceChildren(alert); // the latest failure only: a retry that fails again does not pile up
    failedElement = element;
  }

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    if (status === 422 || !region()) return; // 422: a form with its errors, swapped in by htmx
    show(messageFor(region(), status), requester(event));
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (region()) show(region().dataset.offline, requester(event));
  });
  document.addEventListener("htmx:timeout", function (event) {
    if (region()) show(region().dataset.timeout, requester(event));
  });
  // The same form or button tried again, and answered: the message about its failure goes.
  // (Other requests, such as a status that polls, leave it.) Before the swap, which may detach the form.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.isError && requester(event) === failedElement && region()) {
      region().replaceChildren();
      failedElement = null;
    }
  });
})();
