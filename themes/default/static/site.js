// Large-text mode (适老化): a button that toggles a class on <html>, remembered in localStorage.
// Works from file:// and without a server; the page is fully usable without this script.
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
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].textContent = on ? "标准字号" : "大字模式";
    }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var buttons = document.querySelectorAll("[data-large-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains("large-text");
        try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: session only */ }
        apply(on);
      });
    }
  });
})();
