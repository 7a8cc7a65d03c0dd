/* Accessibility repairs the components' props cannot make (WCAG 2.1 AA, checked by axe-core in
   tests/browser/test_i18n_matrix.py). Run after every change to the page and on resize.

   - Dash 4's dropdown puts a hidden helper input (aria-hidden, yet tabindex 0) before its
     button; keyboard users reach the button itself, so the helper leaves the tab order.
   - Dash 4's date picker puts aria-expanded/aria-haspopup on a plain <div> wrapper, which no
     role allows; the input inside it is what is announced, so the wrapper drops them.
   - Dash 4's date-range picker gives its clear control an aria-label without a role, which
     ARIA prohibits: it is a button, so it says so (and takes keyboard focus).
   - Dash's upload hides a file input without a name: it takes the drop zone's words.
   - Bootstrap's progress bar (dbc.Progress) has no name: it takes its own label.
   - A table wider than a phone scrolls inside its card: that card must take keyboard focus so
     the keyboard can scroll it too.
   - Goal and review tables become stacked cards on a phone (CSS in app.css): each cell carries its column's
     heading, in the page's language, as data-label for the CSS to show before it.
   - The account menu is a native <details>: it closes on a click outside it and on Escape
     (focus back on its badge), as a dropdown does. */
(function () {
  "use strict";
  var SCROLLERS = ".card-body, .review-section, .table-scroll";

  function repair() {
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (el) {
      if (el.getAttribute("tabindex") !== "-1") { el.setAttribute("tabindex", "-1"); }
    });
    document.querySelectorAll(".dash-datepicker-input-wrapper[aria-expanded]").forEach(function (el) {
      el.removeAttribute("aria-expanded");
      el.removeAttribute("aria-haspopup");
    });
    document.querySelectorAll(".dash-datepicker-clear:not(button):not([role])").forEach(function (el) {
      el.setAttribute("role", "button");
      if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); }
    });
    document.querySelectorAll("input[type=file]:not([aria-label])").forEach(function (el) {
      var zone = el.parentElement;
      if (zone && zone.textContent.trim()) { el.setAttribute("aria-label", zone.textContent.trim()); }
    });
    document.querySelectorAll("[role=progressbar]:not([aria-label])").forEach(function (el) {
      if (el.textContent.trim()) { el.setAttribute("aria-label", el.textContent.trim()); }
    });
    document.querySelectorAll("table.goal-table, table.review-table, table.stack-on-phone").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"),
                                           function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (heads[i] && td.getAttribute("data-label") !== heads[i]) {
            td.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-a11y-scroll", "");
      } else if (!scrolls && el.hasAttribute("data-a11y-scroll")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-a11y-scroll");
      }
    });
  }

  var queued = false;
  function soon() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; repair(); });
  }
  function start() {
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true,
      attributes: true, attributeFilter: ["aria-expanded", "tabindex"] });
    window.addEventListener("resize", soon);
    soon();
  }
  function closeAccountMenu(event) {
    var menu = document.getElementById("account-menu");
    if (!menu || !menu.open) { return; }
    if (event.type === "keydown") {
      if (event.key !== "Escape") { return; }
      menu.open = false;
      menu.querySelector("summary").focus();
    } else if (!menu.contains(event.target)) {
      menu.open = false;
    }
  }
  document.addEventListener("click", closeAccountMenu);
  document.addEventListener("keydown", closeAccountMenu);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
