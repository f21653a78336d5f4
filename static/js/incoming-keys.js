// Keyboard shortcuts of Incoming (templates/claims/staff/incoming_keys.html lists them).
// Single-key shortcuts can be switched off (WCAG 2.1.4); the choice is kept in this browser.
(function () {
  "use strict";
  var STORAGE_KEY = "incoming-shortcuts";
  var current = -1;

  function enabled() {
    try { return window.localStorage.getItem(STORAGE_KEY) !== "off"; } catch (e) { return true; }
  }

  function setEnabled(on) {
    try { window.localStorage.setItem(STORAGE_KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
    showState();
  }

  function showState() {
    var on = enabled();
    document.querySelectorAll("[data-keys-toggle]").forEach(function (box) { box.checked = on; });
    document.querySelectorAll("[data-keys-state]").forEach(function (label) {
      label.textContent = on ? label.dataset.on : label.dataset.off;
    });
  }

  function items() { return Array.prototype.slice.call(document.querySelectorAll("[data-key-item]")); }

  function select(index) {
    var all = items();
    if (!all.length) { return null; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (item, i) { item.classList.toggle("is-current", i === current); });
    var item = all[current];
    item.setAttribute("tabindex", "-1");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  function currentItem() {
    var all = items();
    if (current >= 0 && current < all.length) { return all[current]; }
    // Nothing chosen yet: the first match still waiting for a decision (or the first item).
    var waiting = all.findIndex(function (item) { return item.querySelector("[data-key]"); });
    return select(waiting >= 0 ? waiting : 0);
  }

  function typing(target) {
    if (!target) { return false; }
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") { return true; }
    return target.tagName === "INPUT" && target.type !== "checkbox" && target.type !== "radio";
  }

  document.addEventListener("keydown", function (event) {
    if (!enabled() || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j" || key === "k") {
      select(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
    } else if (key === "o") {
      var item = currentItem();
      var link = item && item.querySelector("[data-key-open]");
      if (!link) { return; }
      link.click();
    } else if ("secdr".indexOf(key) >= 0 && key.length === 1) {
      var card = currentItem();
      var control = card && card.querySelector('[data-key="' + key + '"]');
      if (!control) { return; }
      control.click();
    } else {
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-keys-toggle]")) { setEnabled(event.target.checked); }
  });

  // A decided match's card is swapped in place: keep it the current one.
  document.addEventListener("htmx:afterSwap", function () { if (current >= 0) { select(current); } });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showState);
  } else {
    showState();
  }
})();
