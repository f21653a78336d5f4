// An htmx swap says what changed, to people who cannot see it (docs/architecture.md, "htmx").
//
// Two declarative attributes in the swapped templates, and no code per page:
//  * data-announce: after the swap, the element's text (or the attribute's value, if it has one) is said
//    by the page's polite live region, #swap-announcer (templates/base.html), which exists before any swap.
//    A list that a filter, a search or a page link swaps says its count this way ("12 claims").
//  * data-focus-after-swap: when a request someone made (a click, a submit) replaced what had the focus,
//    the focus goes to this element: the item just saved, an undo bar, a message; on a form or a region
//    holding one (an editor just opened), to its first field.
// When focus was lost, a form's errors come first (the first invalid field, or the summary above the form);
// then what is marked; then what the region announces (a list's count); then a region's heading; then the
// swapped element itself (a row, a card).
// Swaps nobody asked for (a poll, a count loaded with the page) never move the focus; they are said only
// when what they announce changed. Failed requests are request-errors.js's (role="alert"): nothing here.
(function () {
  "use strict";

  var FIELDS = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';
  var ERRORS = [
    ".form-errors",
    '[aria-invalid="true"]',
    '.has-error input:not([type="hidden"])',
    ".has-error select",
    ".has-error textarea",
    ".field-errors",
  ].join(", ");
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  // What the target announced before the swap, by request: a poll says only what changed.
  var before = new WeakMap();

  function announcement(root) {
    var element = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    if (!element) return { element: null, text: "" };
    var text = element.getAttribute("data-announce") || element.textContent;
    return { element: element, text: text.replace(/\s+/g, " ").trim() };
  }

  function say(text) {
    var box = document.getElementById("swap-announcer");
    if (!box || !text) return;
    // Emptied first, so the same words said again (the same count after another filter) are heard again.
    box.textContent = "";
    window.setTimeout(function () {
      box.textContent = text;
    }, 100);
  }

  function shown(element) {
    return element.getClientRects().length > 0;
  }

  function firstField(container) {
    var fields = container.querySelectorAll(FIELDS);
    for (var i = 0; i < fields.length; i++) {
      if (shown(fields[i])) return fields[i];
    }
    return null;
  }

  function focusTarget(root) {
    var error = root.querySelector(ERRORS);
    if (error) {
      if (error.matches(FIELDS)) return error;
      // An error beside a field (a picker's): the field it follows; otherwise the summary itself.
      var field = error.classList.contains("field-errors") && error.parentElement && firstField(error.parentElement);
      return field || error;
    }
    var marked = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]");
    if (marked) {
      if (marked.matches(FOCUSABLE) && !marked.matches("[tabindex]")) return marked;
      var opened = marked.matches("form, .inline-editor") || marked.querySelector("form.inline-editor");
      return (opened && firstField(marked)) || marked;
    }
    var said = announcement(root).element;
    if (said) return said;
    if (root.matches("section, [role='region']")) {
      var heading = root.querySelector("h1, h2, h3");
      if (heading && shown(heading)) return heading;
    }
    return root;
  }

  function moveFocus(element) {
    if (!element.matches(FOCUSABLE)) element.setAttribute("tabindex", "-1");
    element.focus();
  }

  function focusWasLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function askedFor(detail) {
    // A person's click, key or submit; not a poll, a load trigger, an event sent by script.
    var config = detail.requestConfig;
    var event = config && config.triggeringEvent;
    if (!event || !event.isTrusted) return false;
    return !(config.headers && config.headers["X-Background-Poll"]);
  }

  function isSwapTarget(element, target) {
    return element === target || (target && target.id && element.id === target.id);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr && target && target.isConnected) before.set(event.detail.xhr, announcement(target).text);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    var detail = event.detail || {};
    // Once per request, for its target (content swapped out of band around it is not what was asked for).
    if (!(root instanceof Element) || !root.isConnected || !isSwapTarget(root, detail.target)) return;
    var asked = askedFor(detail);
    var said = announcement(root);
    var focused = null;
    if (asked && focusWasLost()) {
      focused = focusTarget(root);
      moveFocus(focused);
    }
    var changed = !detail.xhr || before.get(detail.xhr) !== said.text;
    if (said.text && (asked || changed) && !(focused && said.element && focused.contains(said.element))) {
      say(said.text);
    }
  });
})();
