// Typed but not saved: ask before it is lost (docs/architecture.md, "htmx").
//
// Every form that posts is watched. It holds unsaved input when what it would send differs from what it
// held when it appeared, or when it came back with errors (what was typed was refused, so nothing is saved).
// Leaving the page then (a link, a reload, closing the tab) asks the browser's own question; an htmx request
// that would replace the form (its Cancel, a link that swaps the region it is in) asks first, with the
// message in the <body>'s data-unsaved-changes. Sending the form itself never asks, nor do the requests
// made from inside it while typing (a picker's suggestions, a preview). A region another answer refreshes
// on the side (hx-swap-oob) is left as it is while it holds such a form. A form opts out with
// data-unsaved-ignore.
(function () {
  "use strict";

  const REFUSED = "refused"; // the form came back with errors: unsaved whatever it holds
  const initial = new WeakMap();
  let leavingBySubmit = false;

  function watched(form) {
    // The attribute, not form.method: a field named "method" (the outreach's) would stand in for it.
    const method = (form.getAttribute("method") || "get").toLowerCase();
    return method === "post" && !form.hasAttribute("data-unsaved-ignore");
  }

  function contents(form) {
    const pairs = [];
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, typeof value === "string" ? value : value.name]);
    }
    return JSON.stringify(pairs);
  }

  function remember(root, { keep = false } = {}) {
    const forms = root.matches && root.matches("form") ? [root] : Array.from(root.querySelectorAll("form"));
    for (const form of forms) {
      if (!watched(form) || (keep && initial.has(form))) continue;
      const refused = form.querySelector('.has-error, .form-errors, [aria-invalid="true"]');
      initial.set(form, refused ? REFUSED : contents(form));
    }
  }

  function unsaved(form) {
    if (!form.isConnected || !watched(form) || !initial.has(form)) return false;
    const before = initial.get(form);
    return before === REFUSED || before !== contents(form);
  }

  function unsavedWithin(element) {
    return Array.from(document.forms).filter(function (form) {
      return element.contains(form) && unsaved(form);
    });
  }

  // Every form htmx swaps in (side regions included), as it is inserted: htmx:load comes only after the settle delay, and what is
  // typed in between would otherwise be taken for the form's first state.
  document.addEventListener("htmx:afterSwap", function (event) {
    remember(event.target);
  });
  // Forms on the page as loaded (and any swapped in some other way).
  document.addEventListener("htmx:load", function (event) {
    remember(event.target, { keep: true });
  });

  // A plain (not htmx) submission leaves the page on purpose. htmx cancels the submit events it sends.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) leavingBySubmit = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (leavingBySubmit || unsavedWithin(document.body).length === 0) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when it is set
  });
  // Back from the browser's cache: the page is live again, and no submission is under way.
  window.addEventListener("pageshow", function () {
    leavingBySubmit = false;
  });

  // Another request's answer may refresh this region too (a transition refreshes the verdict): not over
  // what someone is typing. Saving the form, or cancelling it, brings the region up to date.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (unsavedWithin(event.detail.target).length > 0) event.detail.shouldSwap = false;
  });

  document.addEventListener("htmx:confirm", function (event) {
    const detail = event.detail;
    if (!detail.target) return;
    const lost = unsavedWithin(detail.target).filter(function (form) {
      // The form's own submission (by the form, or a button in it that posts) saves it rather than losing it.
      return !(detail.elt === form || (form.contains(detail.elt) && detail.verb !== "get"));
    });
    if (lost.length === 0) return;
    event.preventDefault();
    if (window.confirm(document.body.dataset.unsavedChanges || "Leave without saving?")) {
      detail.issueRequest(true);
    }
  });
})();
