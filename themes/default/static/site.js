// Large-text mode (适老化): a button that toggles a class on <html>, remembered in localStorage.
// Works from file:// and without a server; the page is fully usable without this script.
// Loaded without `defer` in <head>, so the class is set before the first paint (no flash of small text).
(function () {
  var KEY = "gongshi-large-text";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle("large-text", on);
    var buttons = document.querySelectorAll("[data-large-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      // The button ships hidden: without this script it could not work, so it is not offered.
      buttons[i].hidden = false;
      // A toggle keeps its name; aria-pressed (and the inverted style) tells whether it is on.
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }
  // A table wider than the screen scrolls inside its .table-wrap: keyboard users must be able to
  // focus that box to scroll it, and hear which table it is.
  function scrollableTables() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      if (w.scrollWidth > w.clientWidth + 1) {
        var caption = w.querySelector("caption");
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", (caption ? caption.textContent : "表格") + "（可左右滚动）");
      } else if (w.getAttribute("role") === "region") {
        w.removeAttribute("tabindex");
        w.removeAttribute("role");
        w.removeAttribute("aria-label");
      }
    }
  }
  apply(stored());
  window.addEventListener("resize", scrollableTables);
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    scrollableTables();
    var buttons = document.querySelectorAll("[data-large-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains("large-text");
        try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: session only */ }
        apply(on);
        scrollableTables();
      });
    }
  });
})();

// Print buttons (notice boards): no inline handlers anywhere in the theme, so a strict
// Content-Security-Policy can forbid them all.
document.addEventListener("DOMContentLoaded", function () {
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
});
